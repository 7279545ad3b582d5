"""`python -m scripts.policydata compile --out FILE [--report] [--strict] [--data-dir DIR]`
`python -m scripts.policydata check [--data-dir DIR]`

Exit status: 0 fine; 1 the data is invalid (every problem listed with file, key path and line), or
--strict and something is still pending. Never a traceback for a data error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataErrors
from .loader import DEFAULT_DATA_DIR, dump, load
from .readiness import pending_items, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.policydata")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("compile", "check"):
        p = sub.add_parser(name)
        p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
        p.add_argument("--report", action="store_true", help="print the publication-readiness report")
        p.add_argument("--strict", action="store_true", help="fail while anything is still pending")
        if name == "compile":
            p.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        bundle = load(args.data_dir)
    except DataErrors as exc:
        print(f"政策数据有 {len(exc.errors)} 处错误：", file=sys.stderr)
        for e in exc.errors:
            print(f"  error: {e}", file=sys.stderr)
        return 1
    if args.command == "compile":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        text = dump(bundle)
        if not args.out.exists() or args.out.read_text(encoding="utf-8") != text:
            args.out.write_text(text, encoding="utf-8")
        print(f"政策数据有效：{len(bundle['programmes'])} 个救助项目，{len(bundle['parameters'])} 个参数，"
              f"版本 {bundle['data_version']}，已写入 {args.out}")
    else:
        print(f"政策数据有效：版本 {bundle['data_version']}")
    if args.report or args.strict:
        print(report(bundle))
    if args.strict and pending_items(bundle):
        print("严格模式：仍有待公布的项目，不能发布。", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

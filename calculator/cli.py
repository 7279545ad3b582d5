"""The staff command line.

    python -m calculator estimate FILE|- [--json] [--as-of DATE] [--urban-standard N] [--rural-standard N]
    python -m calculator screen ROSTER [-o OUT.csv] [--format csv|jsonl] [--keep-order] [--as-of DATE] [--urban-standard N] ...
    python -m calculator template [--guide] [-o FILE.csv]   the roster template, or its 填写说明

Exit status: 0 done; 2 invalid input (every bad field named by its key path and Chinese label);
1 the policy data is missing. Never a traceback for bad input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .bundle import BundleMissing, load_bundle
from .engine import estimate
from .household import InputError, safe_text
from .jsonio import DupDict, dumps, loads
from .report import summary
from .screen import (ORDER_NOTE, ORDER_NOTE_INPUT, RosterError, roster_guide, roster_template,
                     screen_text, to_csv)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit status 2, with a Chinese hint
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        sys.exit(2)


# Read no more than this (a household is a few KB, a town roster a few MB): /dev/zero or a wrong
# file ends with a message instead of filling the memory.
MAX_BYTES = 64 * 1024 * 1024


NOT_UTF8 = ("名单有误：不是 UTF-8 编码的文本（可能是 GBK 等其他编码）。在 Excel 中请选“另存为”→"
            "“CSV UTF-8（逗号分隔）”，再用保存的文件筛查。")


class InputTooLarge(Exception):
    pass


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputTooLarge(f"输入过大：超过 {MAX_BYTES // 1024 // 1024} MB，请检查是不是选错了文件")
    return data.decode("utf-8-sig")


def _overrides(args) -> dict:
    out = {}
    if args.as_of:
        out["as_of"] = args.as_of
    std = {k: v for k, v in (("urban_dibao_monthly", args.urban_standard), ("rural_dibao_monthly", args.rural_standard))
           if v is not None}
    if std:
        out["standards"] = std
    return out


def _print_input_error(exc: InputError) -> int:
    print(f"输入有误（{len(exc.errors)} 处）：", file=sys.stderr)
    for e in exc.errors:
        print(f"  {safe_text(str(e))}", file=sys.stderr)
    return 2


def cmd_estimate(args) -> int:
    try:
        data = loads(_read(args.file))
        if isinstance(data, dict):
            over = _overrides(args)
            if "standards" in over:
                over["standards"] = dict(data.get("standards") or {}, **over["standards"]) \
                    if isinstance(data.get("standards"), dict) else over["standards"]
            merged = DupDict({**data, **over})
            merged.duplicates = getattr(data, "duplicates", ())  # a key written twice stays an error
            data = merged
        bundle = load_bundle()
        result = estimate(data, bundle)
    except InputError as exc:
        return _print_input_error(exc)
    print(dumps(result, pretty=True) if args.json else summary(result, bundle))
    return 0


def cmd_screen(args) -> int:
    fmt = args.format or ("jsonl" if args.roster.endswith((".jsonl", ".ndjson")) else "csv")
    over = _overrides(args)
    try:
        rows = screen_text(_read(args.roster), load_bundle(), fmt, over.get("as_of"), over.get("standards"),
                           keep_order=args.keep_order)
    except RosterError as exc:
        print(f"名单有误：{exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(NOT_UTF8, file=sys.stderr)
        return 2
    text = to_csv(rows)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text.lstrip("\ufeff"))
    bad = [r for r in rows[1:] if r[-1]]
    print(f"已筛查 {len(rows) - 1} 户，其中 {len(bad)} 户数据有误（见“错误”列）。", file=sys.stderr)
    print(ORDER_NOTE_INPUT if args.keep_order else ORDER_NOTE, file=sys.stderr)
    for r in bad:
        print(f"  {safe_text(r[0])}：{safe_text(r[-1])}", file=sys.stderr)
    return 0


def cmd_template(args) -> int:
    text = roster_guide() if args.guide else roster_template()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m calculator", description="石桥镇社会救助测算（估算，民政办审核决定）")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    common = _Parser(add_help=False)
    common.add_argument("--as-of", help="测算日期 YYYY-MM-DD（默认今天）")
    common.add_argument("--urban-standard", help="城市低保月标准（元/人·月），数据中尚无数值或要试算时填写")
    common.add_argument("--rural-standard", help="农村低保月标准（元/人·月）")
    e = sub.add_parser("estimate", parents=[common], help="测算一户家庭")
    e.add_argument("file", help="家庭 JSON 文件，- 表示从标准输入读取")
    e.add_argument("--json", action="store_true", help="输出 JSON（与网页计算器结果相同）")
    s = sub.add_parser("screen", parents=[common], help="政策找人：筛查一个村的名单")
    s.add_argument("roster", help="名单 CSV（模板：python -m calculator template）或 JSON Lines，- 表示标准输入")
    s.add_argument("-o", "--output", help="结果 CSV 文件（默认输出到屏幕）")
    s.add_argument("--format", choices=["csv", "jsonl"], help="名单格式（默认按扩展名）")
    s.add_argument("--keep-order", action="store_true",
                   help="结果保持名单原来的顺序（默认按“跟进顺序”排列，1 = 最先跟进；这一列总是有）")
    t = sub.add_parser("template", help="名单模板（CSV，Excel 可直接打开）")
    t.add_argument("--guide", action="store_true", help="改为输出名单填写说明：每一列可填的内容和示例")
    t.add_argument("-o", "--output", help="写入文件（默认输出到屏幕）")
    args = parser.parse_args(argv)
    try:
        command = {"estimate": cmd_estimate, "screen": cmd_screen, "template": cmd_template}[args.command]
        return command(args)
    except FileNotFoundError as exc:
        print(f"找不到文件：{exc.filename}", file=sys.stderr)
        return 2
    except IsADirectoryError as exc:
        print(f"这是一个目录，不是文件：{exc.filename}", file=sys.stderr)
        return 2
    except PermissionError as exc:
        print(f"没有权限读写文件：{exc.filename}", file=sys.stderr)
        return 2
    except InputTooLarge as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print("输入不是 UTF-8 编码的文本", file=sys.stderr)
        return 2
    except BundleMissing as exc:
        print(str(exc), file=sys.stderr)
        return 1

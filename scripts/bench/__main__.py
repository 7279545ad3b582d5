"""python -m scripts.bench: see scripts/bench/__init__.py."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import __doc__ as DOC
from .common import ROOT
from .report import check_budget, load_budget, table


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.bench", description=DOC.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="samples of each build and browser figure (median)")
    ap.add_argument("--households", type=int, default=5000, help="households of the native estimate")
    ap.add_argument("--roster", type=int, default=10_000, help="households in the screened roster")
    ap.add_argument("--warm-runs", type=int, default=5, help="warm results per browser sample (median)")
    ap.add_argument("--skip", action="append", default=[], choices=["build", "native", "browser", "lighthouse"])
    ap.add_argument("--site", type=Path, help="measure this built site (a copy of it) instead of building one; "
                                              "the build figures are then skipped")
    ap.add_argument("--quick", action="store_true",
                    help="one run of everything, 200 households, a 500-household roster, no throttled samples, "
                         "Lighthouse on the calculator page only (to check that every figure is still "
                         "produced; the figures mean little)")
    ap.add_argument("--no-slow", dest="slow", action="store_false",
                    help="leave out the samples on a throttled network and CPU")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.households, args.roster, args.warm_runs, args.slow = 1, 200, 500, 1, False
    if args.site and "build" not in args.skip:
        args.skip.append("build")
    limits = load_budget()
    load_before = os.getloadavg()[0]
    if load_before > (os.cpu_count() or 1):
        print(f"note: load average {load_before:.1f} on {os.cpu_count()} CPUs: timings will be noisy", file=sys.stderr)
    results: dict = {}
    failed = []
    site = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        if "native" not in args.skip:
            try:
                from .native import bench_native
                results.update(bench_native(args.households, args.roster))
            except Exception:
                failed.append("native")
                traceback.print_exc()
        need_site = not {"browser", "lighthouse"} <= set(args.skip)
        if "build" not in args.skip or need_site:
            try:
                from .build import _mkdocs_build, bench_build
                if args.site:
                    shutil.rmtree(site)
                    shutil.copytree(args.site, site)
                elif "build" in args.skip:
                    _mkdocs_build(ROOT / "mkdocs.yml", site)
                else:
                    results.update(bench_build(args.runs, keep=site))
            except Exception:
                failed.append("build")
                traceback.print_exc()
        if "browser" not in args.skip and "build" not in failed:
            try:
                from .browser import bench_browser
                results.update(bench_browser(site, args.runs, args.warm_runs, args.slow))
            except Exception:
                failed.append("browser")
                traceback.print_exc()
        if "lighthouse" not in args.skip and "build" not in failed:
            try:
                from scripts.deploy.local import LocalNginx, free_port
                from .lighthouse import PAGES, bench_lighthouse
                with tempfile.TemporaryDirectory(prefix="bench-nginx-") as prefix, \
                        LocalNginx(site, Path(prefix), free_port()) as server:
                    results.update(bench_lighthouse(server.url, ("calculator/",) if args.quick else PAGES,
                                                    runs=1 if args.quick else 3))
            except Exception:
                failed.append("lighthouse")
                traceback.print_exc()
    finally:
        shutil.rmtree(site, ignore_errors=True)
    over = check_budget(results, limits)
    if not args.skip and args.slow and not args.quick and not failed:
        unmeasured = [key for key in limits if key not in results]  # a budget for a figure no longer measured
        if unmeasured:
            failed.append("figures named in the budget were not measured: " + ", ".join(unmeasured))
    print(table(results, limits))
    meta = {"runs": args.runs, "quick": args.quick, "skipped": args.skip, "failed": failed,
            "site": str(args.site) if args.site else None,
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cpus": os.cpu_count(), "python": platform.python_version(),
            "machine": platform.machine(), "load_average_before": load_before,
            "load_average_after": os.getloadavg()[0]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "results": results, "budget": limits, "over": over},
                                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {args.out}")
    if over:
        print("over budget:\n  " + "\n  ".join(over), file=sys.stderr)
    if failed:
        print("measurement failed: " + ", ".join(failed), file=sys.stderr)
        return 2
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

"""Lighthouse 12 (scripts/bench/npm, run by Node 20 with Debian's chromium: CHROME_PATH), its default
mobile preset (a mid-range phone, simulated slow 4G and 4x CPU), through nginx, on the home page, a
programme page and the calculator page, median of 3 runs each: the four category scores, the layout
shift and blocking time, and the audits that fail (score below 0.9) of the three other categories."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from .common import CHROMIUM, CHROMIUM_ARGS, ROOT

NPM_DIR = ROOT / "scripts" / "bench" / "npm"
CLI = NPM_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = ("", "programmes/dibao/", "calculator/")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def run_lighthouse(url: str, attempts: int = 4) -> dict:
    """One Lighthouse run; a run that Lighthouse itself gives up on (NO_NAVSTART and the like, "Please
    run Lighthouse again") is tried again, up to `attempts` in all: two in a row failed so in a CI run."""
    for attempt in range(attempts):
        try:
            return _run_lighthouse(url)
        except RuntimeError:
            if attempt == attempts - 1:
                raise
            time.sleep(2)


def _run_lighthouse(url: str) -> dict:
    if not CLI.is_file():
        raise RuntimeError(f"{CLI} not found: `make bench` installs it (npm ci --prefix {NPM_DIR.relative_to(ROOT)})")
    # Lighthouse splits --chrome-flags on spaces and honours double quotes only inside a value.
    flags = " ".join(["--headless=new", *(a if " " not in a else a.replace("=", '="', 1) + '"' for a in CHROMIUM_ARGS)])
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        proc = subprocess.run(["node", str(CLI), url, "--output=json", f"--output-path={out}", "--quiet",
                               f"--chrome-flags={flags}", f"--only-categories={','.join(CATEGORIES)}"],
                              env=dict(os.environ, CHROME_PATH=CHROMIUM, TMPDIR=tmp), capture_output=True,
                              text=True, timeout=300)
        if proc.returncode != 0 or not out.is_file():
            raise RuntimeError(f"lighthouse {url} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse {url}: {report['runtimeError']}")
    cats, audits = report["categories"], report["audits"]
    failing = sorted({ref["id"] for key in CATEGORIES[1:] for ref in cats[key]["auditRefs"]
                      if ref.get("weight", 0) > 0 and (audits[ref["id"]].get("score") is not None)
                      and audits[ref["id"]]["score"] < 0.9})
    # what each failing audit found (the elements' HTML), so that the report says what to fix
    found = {a: [((i.get("node") or {}).get("snippet") or str(i))[:160]
                 for i in (audits[a].get("details") or {}).get("items", [])][:5] for a in failing}
    shifts = [item for item in (audits.get("layout-shifts", {}).get("details") or {}).get("items", [])]
    return {"performance": cats["performance"]["score"], "accessibility": cats["accessibility"]["score"],
            "best_practices": cats["best-practices"]["score"], "seo": cats["seo"]["score"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "tbt_ms": audits["total-blocking-time"]["numericValue"],
            "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            "fcp_ms": audits["first-contentful-paint"]["numericValue"],
            "failing": failing, "found": found,
            "layout_shifts": [{"node": (i.get("node") or {}).get("selector"), "score": i.get("score")}
                              for i in shifts][:5]}


def median_run(url: str, runs: int) -> dict:
    """Of `runs` Lighthouse runs, the one with the median performance score (Lighthouse's own advice
    for its variance; on a busy machine its blocking time varies several-fold from run to run)."""
    reports = sorted((run_lighthouse(url) for _ in range(runs)), key=lambda r: r["performance"])
    chosen = dict(reports[len(reports) // 2])
    chosen["performance_runs"] = [r["performance"] for r in reports]
    return chosen


def bench_lighthouse(base_url: str, pages=PAGES, runs: int = 3) -> dict:
    scores = {page: median_run(base_url + page, runs) for page in pages}
    calc = scores.get("calculator/")
    out = {"lighthouse": scores,
           "lighthouse_min_performance": min(s["performance"] for s in scores.values()),
           "lighthouse_min_accessibility": min(s["accessibility"] for s in scores.values()),
           "lighthouse_min_best_practices": min(s["best_practices"] for s in scores.values()),
           "lighthouse_min_seo": min(s["seo"] for s in scores.values())}
    if calc:
        out.update({"lighthouse_calculator_performance": calc["performance"],
                    "lighthouse_calculator_cls": calc["cls"], "lighthouse_calculator_tbt_ms": calc["tbt_ms"]})
    return out

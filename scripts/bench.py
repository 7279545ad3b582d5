"""`make bench`: measure the handbook build, the calculator (native and in the browser) and page weight,
each beside the floor it can reach, print a table, write build/bench.json, and exit non-zero when a
figure is over the budget in scripts/bench_budget.json. Not part of `make test`: speed is measured
here, never asserted by timed tests."""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calculator.bundle import load_bundle  # noqa: E402
from calculator.engine import evaluate  # noqa: E402
from calculator.household import parse_household  # noqa: E402
from calculator.jsonio import loads  # noqa: E402
from calculator.screen import screen_text  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
MKDOCS = str(ROOT / ".venv" / "bin" / "mkdocs")


def households(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        members = []
        for _ in range(rng.randint(1, 6)):
            m = {"age": rng.randint(0, 95), "serious_illness": rng.random() < 0.1,
                 "student": rng.choice([None, None, "primary", "junior_high", "college"])}
            if rng.random() < 0.15:
                m["disability"] = {"kind": rng.choice(["physical", "intellectual", "mental", "visual", "hearing"]),
                                   "grade": rng.randint(1, 4)}
            members.append(m)
        out.append({"as_of": "2026-11-29", "area": rng.choice(["urban", "rural"]), "members": members,
                    "monthly_income_yuan": rng.randint(0, 8000), "supporters": rng.choice(["none", "unable", "able"]),
                    "assets_within_limits": rng.choice([True, True, None]),
                    "medical_expenses_yuan": rng.choice([0, 0, 5000, 30000]),
                    "standards": {"urban_dibao_monthly": 1000, "rural_dibao_monthly": 800}})
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


# ---------------------------------------------------------------- site build
def _build(config: Path, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([MKDOCS, "build", "--quiet", "-f", str(config), "-d", str(out)], check=True, cwd=config.parent)
    return time.perf_counter() - t0


def bench_build(runs: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        times = [_build(ROOT / "mkdocs.yml", tmp / f"site{i}") for i in range(runs)]
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pages = sum(1 for _ in (tmp / "site0").rglob("index.html"))
        plain = tmp / "plain"
        (plain / "docs").mkdir(parents=True)
        for i in range(pages):
            (plain / "docs" / f"p{i}.md").write_text(f"# 页面 {i}\n\n" + "石桥镇社会救助。" * 200 + "\n", encoding="utf-8")
        (plain / "mkdocs.yml").write_text("site_name: plain\ntheme:\n  name: material\n  language: zh\n  font: false\n"
                                          "plugins:\n  - search:\n      lang: zh\n", encoding="utf-8")
        plain_times = [_build(plain / "mkdocs.yml", tmp / f"plain{i}") for i in range(runs)]
        return {"pages": pages, "build_median_s": statistics.median(times),
                "plain_build_median_s": statistics.median(plain_times),
                "build_ratio_to_plain": statistics.median(times) / statistics.median(plain_times),
                "build_peak_rss_mb": peak_mb}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- calculator, native
def bench_native(n: int) -> dict:
    bundle = load_bundle()
    texts = [json.dumps(h) for h in households(n)]
    est, parse = [], []
    for t in texts:
        t0 = time.perf_counter()
        hh = parse_household(loads(t))
        t1 = time.perf_counter()
        evaluate(hh, bundle)
        t2 = time.perf_counter()
        parse.append(t1 - t0)
        est.append(t2 - t0)
    roster = "\n".join(json.dumps(dict(h, id=f"h{i}")) for i, h in enumerate(households(10_000, seed=11)))
    t0 = time.perf_counter()
    rows = screen_text(roster, bundle, "jsonl")
    screen_s = time.perf_counter() - t0
    assert len(rows) == 10_001 and not any(r[-1] for r in rows[1:])
    t0 = time.perf_counter()
    for line in roster.splitlines():
        loads(line)
    parse_roster_s = time.perf_counter() - t0
    return {"estimate_median_ms": statistics.median(est) * 1000, "estimate_p95_ms": pct(est, 0.95) * 1000,
            "parse_median_ms": statistics.median(parse) * 1000,
            "estimate_ratio_to_parse": statistics.median(est) / statistics.median(parse),
            "screen_10k_seconds": screen_s, "screen_households_per_s": 10_000 / screen_s,
            "parse_10k_seconds": parse_roster_s}


# ---------------------------------------------------------------- browser
class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript", ".js": "text/javascript",
                      ".wasm": "application/wasm", ".whl": "application/zip", ".json": "application/json"}

    def log_message(self, *args):
        pass


BARE = """<!doctype html><meta charset="utf-8"><title>bare</title><script type="module">
const t0 = performance.now();
const { loadPyodide } = await import("../assets/pyodide/pyodide.mjs");
const py = await loadPyodide({ indexURL: new URL("../assets/pyodide/", location.href).href, packages: [] });
py.runPython("1+1");
window.__bare_ms = performance.now() - t0;
</script>"""


def _serve(directory: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _chromium_rss_mb() -> float:
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"chromium" not in cmd and b"chrome" not in cmd:
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def bench_browser(site: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        shutil.copytree(site, work / "site")
        (work / "site" / "bench").mkdir()
        (work / "site" / "bench" / "bare.html").write_text(BARE, encoding="utf-8")
        server = _serve(work / "site")
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        hh = households(1)[0]
        frag = base64.urlsafe_b64encode(json.dumps(hh, ensure_ascii=False).encode()).decode().rstrip("=")
        calc_url = f"{base}calculator/#household={frag}"
        first, bare, warm, revisit, peak = [], [], [], [], 0.0
        weights = {}
        with sync_playwright() as pw:
            for i in range(runs):
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                ctx = browser.new_context()
                page = ctx.new_page()
                sizes = {}
                page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()) if r.ok else 0))
                t0 = time.perf_counter()
                page.goto(calc_url)
                page.wait_for_selector("#calculator-result", state="attached", timeout=120_000)
                first.append((time.perf_counter() - t0) * 1000)
                peak = max(peak, _chromium_rss_mb())
                if i == 0:
                    weights["calculator_first_visit_bytes"] = sum(sizes.values())
                    weights["calculator_first_visit_gzip_bytes"] = sum(
                        len(gzip.compress(p.read_bytes(), 6)) for u in sizes
                        if (p := work / "site" / u[len(base):].split("#")[0].split("?")[0]).is_file())
                    weights["largest_files"] = sorted(((v, u[len(base):]) for u, v in sizes.items()), reverse=True)[:5]
                # a warm second result: change the income and run again
                t0 = time.perf_counter()
                page.evaluate("""() => new Promise(res => {
                    const el = document.getElementById('calculator-result');
                    const before = el.textContent;
                    const obs = new MutationObserver(() => { if (el.textContent !== before) { obs.disconnect(); res(); } });
                    obs.observe(el, {childList: true, characterData: true, subtree: true});
                    const f = document.querySelector('#calculator form');
                    const inc = f.querySelector('[name=monthly_income_yuan]');
                    inc.value = String(Number(inc.value || 0) + 1);
                    f.requestSubmit();
                })""")
                warm.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                page.goto(base + "index.html")
                page.goto(calc_url)
                page.reload()
                page.wait_for_selector("#calculator-result", state="attached", timeout=120_000)
                revisit.append((time.perf_counter() - t0) * 1000)
                page2 = ctx.new_page()
                t0 = time.perf_counter()
                page2.goto(base + "bench/bare.html")
                page2.wait_for_function("window.__bare_ms !== undefined", timeout=120_000)
                bare.append((time.perf_counter() - t0) * 1000)
                if i == 0:
                    sizes.clear()
                    p3 = ctx.new_page()
                    s3 = {}
                    p3.on("response", lambda r: s3.__setitem__(r.url, len(r.body()) if r.ok else 0))
                    ctx.clear_cookies()
                    p3.goto(base + "original/")
                    p3.wait_for_load_state("networkidle")
                    weights["ordinary_page_bytes"] = sum(s3.values())
                    weights["ordinary_page_loads_pyodide"] = any("pyodide" in u for u in s3)
                browser.close()
        server.shutdown()
        return {"first_result_median_ms": statistics.median(first), "bare_pyodide_median_ms": statistics.median(bare),
                "browser_first_result_ratio_to_bare_pyodide": statistics.median(first) / statistics.median(bare),
                "browser_warm_result_ms": statistics.median(warm), "revisit_warm_cache_median_ms": statistics.median(revisit),
                "browser_peak_rss_mb": peak, **weights}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/bench.py")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--households", type=int, default=5000)
    ap.add_argument("--skip", action="append", default=[], choices=["build", "native", "browser"])
    args = ap.parse_args(argv)
    budget = json.loads((ROOT / "scripts" / "bench_budget.json").read_text(encoding="utf-8"))
    results: dict = {}
    if "native" not in args.skip:
        results.update(bench_native(args.households))
    if "build" not in args.skip:
        results.update(bench_build(args.runs))
    if "browser" not in args.skip:
        site = Path(tempfile.mkdtemp(prefix="bench-built-"))
        subprocess.run([MKDOCS, "build", "--quiet", "-d", str(site)], check=True, cwd=ROOT)
        results.update(bench_browser(site, args.runs))
        shutil.rmtree(site, ignore_errors=True)
    over = []
    print(f"{'figure':44} {'value':>14} {'budget':>12}")
    for key, value in results.items():
        limit = budget.get(key)
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        flag = ""
        if isinstance(limit, (int, float)) and isinstance(value, (int, float)) and value > limit:
            over.append(key)
            flag = "  OVER"
        print(f"{key:44} {shown[:40]:>14} {'' if limit is None else limit:>12}{flag}")
    if results.get("ordinary_page_loads_pyodide"):
        over.append("ordinary_page_loads_pyodide")
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"results": results, "budget": budget, "over": over}, ensure_ascii=False, indent=2),
                   encoding="utf-8")
    print(f"\nwritten {out.relative_to(ROOT)}")
    if over:
        print("over budget: " + ", ".join(over), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Browser figures: headless Debian chromium (Playwright) against the built site served by Debian's
nginx with the shipped configuration (scripts/deploy/local.py), so compression (brotli_static,
gzip_static, gzip), caching headers and the security headers are the deployed ones.

Each sample is a fresh browser with a fresh profile (empty HTTP cache, no service worker), timed inside
the page from navigation start (performance.now()):

* first result: the calculator page opened with `#household=` until `#calculator-result` appears;
* floor: bench/bare.html, a page that only starts `loadPyodide()` in a module worker (as the
  calculator does) with the stock files of scripts/npm/node_modules/pyodide, copied to bench/pyodide/
  and pre-compressed exactly as the site's runtime is (like for like: same server, same encodings);
  and the same page on the site's own runtime, whose ratio is what the calculator adds to it;
* the first result and the stock floor on a slow link (DevTools throttling of the page and its
  workers: 10 Mbit/s down, 150 ms round trip) and with the page's CPU throttled 4x (DevTools
  Emulation.setCPUThrottlingRate; chromium refuses it for workers, "Operation is only supported for
  pages, not workers", so it slows the page's own work, not Python's start in the worker, for both
  sides alike), on a phone's 360 px screen for both (a cheap phone: the calculator lays out what a
  phone shows, its programmes collapsed, not the open details of a desktop);
* warm result: in the same page, change the income and press 开始测算, until the result updates;
* revisit: once the service worker has finished its offline copy, the same browser opens the
  calculator link again in a new tab (warm HTTP cache, compiled-code cache and service worker).

Samples alternate their order in every round, so drift on a shared machine hits all alike.
Bytes are nginx's own count ($body_bytes_sent in its access log) with the encoding it chose, for a
browser that accepts br and for one that accepts gzip only. Memory: PSS summed over every chromium
process, sampled every 0.1 s while the calculator loads, computes and is revisited.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from scripts.deploy.local import LocalNginx, free_port

from .common import CHROMIUM, CHROMIUM_ARGS, LINK_HOUSEHOLD, ROOT, js, median

STOCK_PYODIDE = ROOT / "scripts" / "npm" / "node_modules" / "pyodide"
STOCK_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
ORDINARY_PAGE = "programmes/dibao/"
TIMEOUT_MS = 180_000
GZIP_ONLY = {"Accept-Encoding": "gzip, deflate"}

# A rural mobile connection: 10 Mbit/s down, 2 Mbit/s up, 150 ms round trip.
SLOW_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_250_000, "uploadThroughput": 250_000}
CPU_SLOWDOWN = 4
PHONE_VIEWPORT = {"width": 360, "height": 740}  # the 4x CPU samples: a phone's screen, both pages alike

CALC_DONE = "window.__bench && window.__bench.first"
BARE_DONE = "window.__benchBare"


# ---------------------------------------------------------------------------------------- memory

def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def chromium_memory_mb() -> tuple[float, float]:
    """(sum of PSS, sum of RSS) in MB of the chromium processes this process started."""
    pss = rss = 0
    for pid in _descendants(os.getpid()):
        try:
            if "chrom" not in Path(f"/proc/{pid}/comm").read_text():
                continue
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1])
        except OSError:
            continue
    return pss / 1024, rss / 1024


class MemorySampler:
    def __init__(self, every: float = 0.1):
        self.every, self.peak_pss, self.peak_rss = every, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="bench-memory")

    def _run(self):
        while not self._stop.is_set():
            pss, rss = chromium_memory_mb()
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# ------------------------------------------------------------------------------------ the bench pages

def runtime_base(site: Path) -> str:
    """The site's Pyodide directory (from the build's manifest)."""
    manifest = json.loads((site / "assets" / "calculator" / "manifest.json").read_text(encoding="utf-8"))
    return manifest["pyodide_base"]


def add_bench_pages(site: Path) -> None:
    """bench/: the bare pages and the stock Pyodide files, pre-compressed as the site's runtime is."""
    bench = site / "bench"
    (bench / "pyodide").mkdir(parents=True, exist_ok=True)
    csp = re.search(r'<meta\s+http-equiv="Content-Security-Policy"[^>]*>', (site / "index.html").read_text(encoding="utf-8"))
    (bench / "bare.html").write_text(js("bare.html").replace("@CSP@", csp.group(0) if csp else ""), encoding="utf-8")
    for name in ("bare.js", "bare-worker.js"):
        shutil.copyfile(ROOT / "scripts" / "bench" / "js" / name, bench / name)
    wasm = site / runtime_base(site) / "pyodide.asm.wasm"
    for name in STOCK_FILES:
        dest = bench / "pyodide" / name
        shutil.copyfile(STOCK_PYODIDE / name, dest)
        for suffix in (".br", ".gz"):  # like for like: what the build pre-compressed for its own runtime
            if Path(str(wasm) + suffix).is_file():
                from scripts.deploy.precompress import compress_file
                compress_file(dest, suffix)


# ---------------------------------------------------------------------------------------- samples

class Browser:
    """Launches a fresh chromium with a fresh profile directory per sample."""

    def __init__(self, pw, tmp: Path):
        self.pw, self.tmp, self.n = pw, tmp, 0

    def fresh(self, headers: dict | None = None):
        self.n += 1
        ctx = self.pw.chromium.launch_persistent_context(
            str(self.tmp / f"profile{self.n}"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            service_workers="allow", extra_http_headers=headers)
        ctx.add_init_script(js("init.js"))
        return ctx


def _page(ctx):
    return ctx.pages[0] if ctx.pages else ctx.new_page()


def _link(base: str) -> str:
    frag = base64.urlsafe_b64encode(json.dumps(LINK_HOUSEHOLD, ensure_ascii=False).encode()).decode().rstrip("=")
    return f"{base}calculator/#household={frag}"


def _first_result(page) -> tuple[float, float]:
    """(ms from navigation start to the first result, the same moment as a Unix time in seconds)."""
    page.wait_for_function(f"() => ({CALC_DONE}) != null", timeout=TIMEOUT_MS, polling=50)
    state = page.get_attribute("#calculator", "data-state")
    if state != "ready":
        raise RuntimeError(f"the calculator is in state {state!r}")
    first, origin = page.evaluate("() => [window.__bench.first, performance.timeOrigin]")
    return first, (origin + first) / 1000


def _until(log: list[dict], when: float) -> list[dict]:
    """The requests nginx answered up to `when` (it and the browser share one clock), each URL once:
    the page's and its worker's, not the service worker's offline copy (which starts once the
    calculator is ready and revalidates what the page already has; it counts in the visit with the
    offline copy)."""
    seen, out = set(), []
    for r in log:
        if r["t"] <= when and urlsplit(r["url"]).path != "/sw.js" and r["url"] not in seen:
            seen.add(r["url"])
            out.append(r)
    return out


def _wait_offline_copy(page) -> None:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not page.evaluate(js("sw_done.js")):  # evaluate awaits the promise (wait_for_function would not)
        if time.monotonic() > deadline:
            raise RuntimeError("the service worker did not finish its offline copy")
        time.sleep(0.2)


def _throttle(ctx, page, how: str | None) -> None:
    if how is None:
        return
    cdp = ctx.new_cdp_session(page)
    if how == "slow":
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    elif how == "cpu":  # a cheap phone: its screen too, so that the page lays out what a phone shows
        page.set_viewport_size(PHONE_VIEWPORT)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})


def timed_sample(browser: Browser, url: str, done: str, throttle: str | None = None) -> float:
    """Milliseconds from navigation start to `done` (a page expression)."""
    ctx = browser.fresh()
    try:
        page = _page(ctx)
        _throttle(ctx, page, throttle)
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function(f"() => ({done}) != null || window.__benchBareError", timeout=TIMEOUT_MS, polling=50)
        error = page.evaluate("() => window.__benchBareError")
        if error:
            raise RuntimeError(f"{url}: {error}")
        return page.evaluate(f"() => {done}")
    finally:
        ctx.close()


def calculator_sample(browser: Browser, server: LocalNginx, link: str, warm_runs: int) -> dict:
    ctx = browser.fresh()
    try:
        with MemorySampler() as mem:
            page = _page(ctx)
            mark = server.mark()
            page.goto(link)
            first, first_at = _first_result(page)
            rt = page.evaluate("() => { const r = window.__shiqiaoCalculator;"
                               " return {t0: r.t0, timeline: r.timeline, calls: r.calls}; }")
            result = json.loads(page.evaluate("() => document.getElementById('calculator-result').textContent"))
            warm = [page.evaluate(js("warm_run.js")) for _ in range(warm_runs)]
            _wait_offline_copy(page)
            visit = server.requests(mark)
            to_first = _until(visit, first_at)
            page.close()
            mark = server.mark()
            again = ctx.new_page()
            again.goto(link)
            revisit, revisit_at = _first_result(again)
            time.sleep(0.2)  # nginx logs a response when it ends
            revisit_log = _until(server.requests(mark), revisit_at)
        if not result.get("programmes"):
            raise RuntimeError(f"the first result has no programmes: {str(result)[:300]}")
        return {"first_ms": first, "warm_ms": median(warm), "revisit_ms": revisit, "worker": rt,
                "to_first": to_first, "visit": visit, "revisit_log": revisit_log,
                "peak_pss_mb": mem.peak_pss, "peak_rss_mb": mem.peak_rss}
    finally:
        ctx.close()


def gzip_visit(browser: Browser, server: LocalNginx, link: str) -> list[dict]:
    """The requests of a first visit up to the first result from a browser accepting gzip only."""
    ctx = browser.fresh(GZIP_ONLY)
    try:
        page = _page(ctx)
        mark = server.mark()
        page.goto(link)
        _, first_at = _first_result(page)
        time.sleep(0.2)
        return _until(server.requests(mark), first_at)
    finally:
        ctx.close()


def page_sample(browser: Browser, server: LocalNginx, path: str, headers: dict | None = None) -> list[dict]:
    ctx = browser.fresh(headers)
    try:
        page = _page(ctx)
        mark = server.mark()
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        return server.requests(mark)
    finally:
        ctx.close()


def weigh(log: list[dict]) -> dict:
    return {"requests": len(log), "raw": sum(r["raw"] for r in log), "sent": sum(r["sent"] for r in log)}


def _stage_ms(rt: dict) -> dict:
    """Milliseconds from navigation start at which the worker reached each step (first time)."""
    out = {"worker_started": rt["t0"]}
    for item in rt["timeline"]:
        out.setdefault(item["step"], rt["t0"] + item["ms"])
    return out


def _loads_runtime(log: list[dict]) -> bool:
    return any(r["file"] and (r["file"].startswith(("assets/pyodide", "assets/calculator/")) or r["file"] == "sw.js")
               for r in log)


# ------------------------------------------------------------------------------------------ the run

def bench_browser(site: Path, runs: int, warm_runs: int, slow: bool = True) -> dict:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} not found: run `make chromium`")
    add_bench_pages(site)
    base = runtime_base(site)
    tmp = Path(tempfile.mkdtemp(prefix="bench-profiles-"))
    prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    server = LocalNginx(site, prefix, free_port())
    try:
        server.start()
        link = _link(server.url)
        bare_url = server.url + "bench/bare.html"
        bare_site_url = f"{bare_url}?base=../{base}"
        got: dict[str, list] = {k: [] for k in ("calc", "bare", "bare_site", "calc_slow", "bare_slow",
                                                 "calc_cpu", "bare_cpu")}
        with sync_playwright() as pw:
            browser = Browser(pw, tmp)
            if runs > 1:  # one untimed round, so that the first timed sample does not pay for cold disk caches
                timed_sample(browser, bare_url, BARE_DONE)
                timed_sample(browser, link, CALC_DONE)
            for i in range(runs):
                samples = [lambda: got["calc"].append(calculator_sample(browser, server, link, warm_runs)),
                           lambda: got["bare"].append(timed_sample(browser, bare_url, BARE_DONE)),
                           lambda: got["bare_site"].append(timed_sample(browser, bare_site_url, BARE_DONE))]
                if slow:
                    samples += [lambda: got["calc_slow"].append(timed_sample(browser, link, CALC_DONE, "slow")),
                                lambda: got["bare_slow"].append(timed_sample(browser, bare_url, BARE_DONE, "slow")),
                                lambda: got["calc_cpu"].append(timed_sample(browser, link, CALC_DONE, "cpu")),
                                lambda: got["bare_cpu"].append(timed_sample(browser, bare_url, BARE_DONE, "cpu"))]
                for sample in (samples if i % 2 == 0 else samples[::-1]):
                    sample()
                shutil.rmtree(tmp, ignore_errors=True)
                tmp.mkdir()
            gz_first = gzip_visit(browser, server, link)
            ordinary = page_sample(browser, server, ORDINARY_PAGE)
            ordinary_gz = page_sample(browser, server, ORDINARY_PAGE, GZIP_ONLY)
            heaviest_path = max(((p.parent.relative_to(site).as_posix() + "/").lstrip("./")
                                 for p in site.rglob("index.html") if not p.relative_to(site).as_posix().startswith(("assets/", "bench/"))),
                                key=lambda u: (site / u / "index.html").stat().st_size)
            heaviest = page_sample(browser, server, heaviest_path)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(prefix, ignore_errors=True)

    calc = got["calc"]
    first = median([c["first_ms"] for c in calc])
    floor = median(got["bare"])
    stages = [_stage_ms(c["worker"]) for c in calc]
    steps = {k: median([s[k] for s in stages if k in s]) for k in stages[0]}
    to_first, visit, revisit = weigh(calc[0]["to_first"]), weigh(calc[0]["visit"]), weigh(calc[0]["revisit_log"])
    o, ogz, h, gz = weigh(ordinary), weigh(ordinary_gz), weigh(heaviest), weigh(gz_first)
    largest = sorted(((r["raw"], r["sent"], r["file"], r["encoding"]) for r in calc[0]["to_first"] if r["file"]),
                     reverse=True)[:6]
    revisit_ms = median([c["revisit_ms"] for c in calc])
    out = {
        "first_result_median_ms": first,
        "first_result_runs_ms": [round(c["first_ms"]) for c in calc],
        "bare_pyodide_median_ms": floor,
        "bare_pyodide_runs_ms": [round(b) for b in got["bare"]],
        "first_result_ratio_to_bare_pyodide": first / floor,
        "bare_site_runtime_median_ms": median(got["bare_site"]),
        "first_result_ratio_to_bare_site_runtime": first / median(got["bare_site"]),
        "first_result_stages_ms": {k: round(v) for k, v in steps.items()},
        "warm_result_median_ms": median([c["warm_ms"] for c in calc]),
        "revisit_median_ms": revisit_ms,
        "revisit_ratio_to_first": revisit_ms / first,
        "revisit_ratio_to_bare_pyodide": revisit_ms / floor,
        "revisit_sent_bytes": revisit["sent"],
        "revisit_requests": revisit["requests"],
        "browser_peak_pss_mb": median([c["peak_pss_mb"] for c in calc]),
        "browser_peak_rss_sum_mb": median([c["peak_rss_mb"] for c in calc]),
        "first_result_requests": to_first["requests"],
        "first_result_raw_bytes": to_first["raw"],
        "first_result_sent_bytes": to_first["sent"],
        "first_result_gzip_sent_bytes": gz["sent"],
        "first_result_encodings": sorted({r["encoding"] for r in calc[0]["to_first"] if r["encoding"]}),
        "first_result_gzip_encodings": sorted({r["encoding"] for r in gz_first if r["encoding"]}),
        "first_visit_with_offline_copy_raw_bytes": visit["raw"],
        "first_visit_with_offline_copy_sent_bytes": visit["sent"],
        "largest_files": [{"file": f, "raw": r, "sent": s, "encoding": e} for r, s, f, e in largest],
        "ordinary_page": ORDINARY_PAGE,
        "ordinary_page_raw_bytes": o["raw"],
        "ordinary_page_sent_bytes": o["sent"],
        "ordinary_page_gzip_sent_bytes": ogz["sent"],
        "ordinary_page_loads_runtime": _loads_runtime(ordinary) or _loads_runtime(heaviest),
        "heaviest_page": heaviest_path,
        "heaviest_page_raw_bytes": h["raw"],
        "heaviest_page_sent_bytes": h["sent"],
    }
    if slow:
        out.update({
            "slow_network": "{latency} ms round trip, {down:g} Mbit/s down".format(
                latency=SLOW_NETWORK["latency"], down=SLOW_NETWORK["downloadThroughput"] * 8 / 1e6),
            "first_result_slow_network_ms": median(got["calc_slow"]),
            "bare_pyodide_slow_network_ms": median(got["bare_slow"]),
            "first_result_slow_network_ratio_to_bare_pyodide": median(got["calc_slow"]) / median(got["bare_slow"]),
            "first_result_cpu4x_ms": median(got["calc_cpu"]),
            "bare_pyodide_cpu4x_ms": median(got["bare_cpu"]),
            "first_result_cpu4x_ratio_to_bare_pyodide": median(got["calc_cpu"]) / median(got["bare_cpu"]),
        })
    return out

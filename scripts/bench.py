"""`make bench`: measure the handbook build, the calculator (native and in the browser) and the weight of
the pages, each beside the floor it can reach, print a table, write build/bench.json, and exit 1 naming
every figure over the budget in scripts/bench_budget.json (2 when a measurement itself failed). Not part
of `make test`: speed is measured here, never asserted by timed tests (tests/test_bench.py runs
`--quick` only to check that every figure is still produced).

    .venv/bin/python scripts/bench.py [--runs 5] [--households 5000] [--roster 10000] [--warm-runs 5]
                                      [--skip build|native|browser] [--no-slow-network] [--quick]
                                      [--out build/bench.json]

What is measured, and against which floor:

* Site build: `mkdocs build` of the handbook (median of --runs; each a fresh process, peak RSS from
  wait4), beside the same mkdocs configuration (theme, features, search, Markdown extensions) without
  the hooks, on as many plain Markdown pages carrying as much text as the built pages: the ratio is
  what generating the pages from the data (and the calculator's build step) costs.
* Calculator core, native (this CPython): `calculator.api.handle("estimate", json)` for --households
  random households (median, p95) beside reading the same JSON into a validated household (the
  floor); a --roster-household CSV roster screened into the results CSV (households per second)
  beside just reading the CSV into households.
* Browser (headless Debian chromium, driven by Playwright): each sample is a fresh browser with a
  fresh profile (empty HTTP cache, no service worker), timed inside the page from navigation start
  (performance.now(), whose origin is the navigation start):
    - first result: the calculator page opened with `#household=` until `#calculator-result` appears;
    - floor: a page that only does `await loadPyodide()` with the stock Pyodide files of
      scripts/npm/node_modules/pyodide (Pyodide's own start-up), same server; and the same page on
      the site's own runtime (assets/pyodide/, its trimmed, precompiled standard library), whose
      ratio is what the calculator adds to the runtime it runs on. Samples alternate in order, so
      drift on a shared machine hits all alike; the load average is recorded;
    - the first result and the stock floor again on a slow network (DevTools throttling of the page
      and its workers: 10 Mbit/s, 150 ms round trip), where downloading dominates;
    - warm result: in the same page, change the income and press 开始测算, until the result updates;
    - revisit: once the service worker has finished its offline copy, the same browser opens the
      calculator link again in a new tab (warm HTTP cache and service worker).
  The worker's progress messages give where the first result's time goes (first_result_stages_ms:
  worker started, runtime download, Python starting, calculator loading, ready; ms from
  navigation start).
  The local server behaves like the nginx site of scripts/deploy/nginx.conf: gzip (level 6) for
  text, JavaScript, JSON and WebAssembly (zip and wheel files are sent as they are, as nginx's
  gzip_types has no application/zip), `Cache-Control: no-cache` with ETag revalidation, and a year
  `immutable` for names that carry a content hash; HTTP/1.1 keep-alive.
* Weight: bytes the server sent (bodies, gzip where the server compresses) and the same files'
  uncompressed size, for a first visit to the calculator up to its first result, and up to the end
  of the service worker's offline copy of the site; for an ordinary handbook page (programmes/dibao/,
  a fresh browser; it must not load Pyodide or the calculator) and for the heaviest page; the
  largest files of a first visit.
* Memory: peak RSS of each `mkdocs build` process; peak proportional set size (PSS, shared pages
  divided among the processes that share them) summed over every chromium process, sampled every
  0.1 s while the calculator loads, computes and is revisited.
"""

from __future__ import annotations

import argparse
import base64
import email.utils
import gzip
import html as html_lib
import json
import os
import platform
import re
import shutil
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from calculator.api import handle  # noqa: E402
from calculator.bundle import load_bundle  # noqa: E402
from calculator.household import parse_household  # noqa: E402
from calculator.jsonio import loads  # noqa: E402
from calculator.screen import read_csv, screen, to_csv  # noqa: E402
from scripts.samples import households, roster_csv  # noqa: E402  (derived from calculator.fields)

BUDGET_FILE = ROOT / "scripts" / "bench_budget.json"
MKDOCS = [sys.executable, "-m", "mkdocs"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
STOCK_PYODIDE = ROOT / "scripts" / "npm" / "node_modules" / "pyodide"
ORDINARY_PAGE = "programmes/dibao/"
TIMEOUT_MS = 180_000

# The household of the share link the browser samples open (a typical one: an old couple and a
# grandchild with a disability, a small income, a pending standard given by the user).
LINK_HOUSEHOLD = {
    "as_of": "2026-01-15", "area": "rural",
    "members": [{"age": 71, "serious_illness": True}, {"age": 68},
                {"age": 12, "student": "primary", "disability": {"kind": "intellectual", "grade": 2}}],
    "monthly_income_yuan": 900, "supporters": "unable", "assets_within_limits": True,
    "medical_expenses_yuan": 18000, "standards": {"rural_dibao_monthly": 800},
}


def median(values):
    return statistics.median(values) if values else None


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


# ------------------------------------------------------------------------------------- site build

def _mkdocs_build(config: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `mkdocs build` in its own process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    t0 = time.perf_counter()
    proc = subprocess.Popen([*MKDOCS, "build", "--strict", "--quiet", "-f", str(config), "-d", str(out)],
                            cwd=config.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build -f {config} failed:\n{output.decode(errors='replace')[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)


def _page_texts(site: Path) -> list[int]:
    """Characters of text in each built page's article (what the plain site reproduces)."""
    sizes = []
    for page in sorted(site.rglob("index.html")):
        m = ARTICLE.search(page.read_text(encoding="utf-8"))
        text = re.sub(r"<[^>]+>", "", m.group(1)) if m else ""
        sizes.append(len(html_lib.unescape(re.sub(r"\s+", " ", text))))
    return sizes


PLAIN_CONFIG = """\
site_name: 石桥镇社会救助手册（对照）
docs_dir: docs
strict: true
theme:
  name: material
  language: zh
  font: false
  palette: {scheme: default, primary: indigo, accent: indigo}
  features: [navigation.instant, navigation.instant.progress, navigation.indexes, navigation.top,
             navigation.footer, toc.follow, search.highlight, content.tooltips]
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\u3000\\-、。，．？！；：“”‘’（）《》【】〔〕,.:;!?()]+'
markdown_extensions:
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
  - attr_list
  - md_in_html
  - tables
  - admonition
"""
SENTENCE = "符合条件的家庭可以向户籍所在地的镇人民政府申请，由村社会救助服务站协助办理，所需材料以民政办公布的为准。"


def write_plain_site(where: Path, sizes: list[int]) -> Path:
    """A site with the handbook's mkdocs configuration but no hooks, and one plain page per built
    page carrying as much text (headings every few paragraphs, a table on every page)."""
    docs = where / "docs"
    docs.mkdir(parents=True)
    for i, size in enumerate(sizes):
        parts = [f"# 页面 {i}\n"]
        written, n = 0, 0
        while written < size:
            if n % 4 == 0:
                parts.append(f"## 第 {n // 4 + 1} 节\n")
            para = (SENTENCE * (1 + n % 3))[: max(1, size - written)]
            parts.append(para + "\n")
            written += len(para)
            n += 1
        parts.append("| 项目 | 说明 |\n| --- | --- |\n| 办理 | 镇民政办 |\n| 材料 | 身份证、户口簿 |\n")
        (docs / ("index.md" if i == 0 else f"p{i}.md")).write_text("\n".join(parts), encoding="utf-8")
    (where / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    return where / "mkdocs.yml"


def bench_build(runs: int, keep: Path | None) -> dict:
    """Median build time of the handbook and of the plain site; the first handbook build is kept in
    `keep` (for the browser part) when given."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        times, rss = [], []
        for i in range(runs):
            out = keep if (i == 0 and keep is not None) else tmp / f"site{i}"
            s, m = _mkdocs_build(ROOT / "mkdocs.yml", out)
            times.append(s)
            rss.append(m)
            if i == 0:
                first = out
        pages = len(list(first.rglob("index.html")))
        config = write_plain_site(tmp / "plain", _page_texts(first))
        plain_times, plain_rss = [], []
        for i in range(runs):
            s, m = _mkdocs_build(config, tmp / f"plain{i}")
            plain_times.append(s)
            plain_rss.append(m)
        return {"pages": pages, "build_median_s": median(times), "plain_build_median_s": median(plain_times),
                "build_ratio_to_plain": median(times) / median(plain_times),
                "build_peak_rss_mb": max(rss), "plain_build_peak_rss_mb": max(plain_rss)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------------------ calculator, native

def bench_native(n: int, roster: int) -> dict:
    bundle = load_bundle()
    handle("estimate", json.dumps(LINK_HOUSEHOLD))  # warm the imports and the bundle cache
    texts = [json.dumps(h, ensure_ascii=False) for h in households(n)]
    est, parse = [], []
    for t in texts:
        t0 = time.perf_counter()
        parse_household(loads(t))
        t1 = time.perf_counter()
        out = handle("estimate", t)
        t2 = time.perf_counter()
        parse.append(t1 - t0)
        est.append(t2 - t1)
        if not json.loads(out)["ok"]:
            raise RuntimeError(f"a benchmark household was refused: {out[:300]}")
    text = roster_csv(roster)
    t0 = time.perf_counter()
    groups = read_csv(text)
    t1 = time.perf_counter()
    rows = screen(groups, bundle)
    result_csv = to_csv(rows)
    t2 = time.perf_counter()
    errors = [r[-1] for r in rows[1:] if r[-1]]
    if len(rows) != roster + 1 or errors or not result_csv:
        raise RuntimeError(f"the benchmark roster did not screen cleanly: {len(rows) - 1} rows, errors {errors[:3]}")
    t3 = time.perf_counter()
    read_csv(text)
    parse_s = min(t1 - t0, time.perf_counter() - t3)
    screen_s = t2 - t0
    return {"estimate_households": n, "estimate_median_ms": median(est) * 1000,
            "estimate_p95_ms": pct(est, 0.95) * 1000, "parse_median_ms": median(parse) * 1000,
            "estimate_ratio_to_parse": median(est) / median(parse),
            "screen_households": roster, "screen_seconds": screen_s, "screen_households_per_s": roster / screen_s,
            "screen_parse_seconds": parse_s, "screen_ratio_to_parse": screen_s / parse_s}


# -------------------------------------------------------------------------------- the local server

# As scripts/deploy/nginx.conf: gzip_types, gzip_min_length, gzip_comp_level, and the hashed names.
GZIP_TYPES = {"text/css", "text/javascript", "application/javascript", "application/json", "application/wasm",
              "text/csv", "text/plain", "application/xml", "text/xml", "image/svg+xml", "text/html"}
GZIP_MIN = 256
GZIP_LEVEL = 6
HASHED = re.compile(r"(\.[0-9a-f]{8}\.min\.(js|css)|\+[0-9a-f]{8}-py3-none-any\.whl)$", re.I)
TYPES = {".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
         ".json": "application/json", ".wasm": "application/wasm", ".zip": "application/zip",
         ".whl": "application/zip", ".svg": "image/svg+xml", ".xml": "application/xml", ".csv": "text/csv",
         ".txt": "text/plain", ".map": "application/json", ".gz": "application/gzip", ".png": "image/png",
         ".ico": "image/x-icon", ".woff2": "font/woff2"}


def content_type(path: str) -> str:
    return TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")


def compressible(path: str, size: int) -> bool:
    return content_type(path) in GZIP_TYPES and size >= GZIP_MIN


class SiteFiles:
    """Every file of a directory, read once, with its gzip body precomputed (as nginx's gzip_static
    would serve it, so that compressing never lands in a timed request)."""

    def __init__(self, root: Path, mounts: dict[str, Path] | None = None):
        self.files: dict[str, tuple[bytes, bytes | None, str, str]] = {}
        for prefix, base in {"": root, **(mounts or {})}.items():
            for p in sorted(base.rglob("*")):
                if not p.is_file():
                    continue
                rel = prefix + p.relative_to(base).as_posix()
                body = p.read_bytes()
                gz = gzip.compress(body, GZIP_LEVEL, mtime=0) if compressible(rel, len(body)) else None
                st = p.stat()
                self.files[rel] = (body, gz, f'"{int(st.st_mtime):x}-{len(body):x}"',
                                   email.utils.formatdate(st.st_mtime, usegmt=True))

    def sent(self, rel: str) -> int:
        body, gz, _, _ = self.files[rel]
        return len(gz) if gz is not None else len(body)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        self.t = time.time()
        files = self.server.site.files
        path = unquote(urlsplit(self.path).path).lstrip("/")
        if path in files or path == "":
            rel = path or "index.html"
        elif (path.rstrip("/") + "/index.html").lstrip("/") in files:
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", "/" + path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return self.server.record(self, 301, 0, 0)
            rel = path + "index.html"
        else:
            rel = None
        if rel is None or rel not in files:
            body = files.get("404.html", (b"not found",))[0]
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return self.server.record(self, 404, len(body), len(body))
        body, gz, etag, modified = files[rel]
        use_gz = gz is not None and "gzip" in self.headers.get("Accept-Encoding", "")
        tag = ("W/" + etag) if use_gz else etag
        cache = "public, max-age=31536000, immutable" if HASHED.search(rel) else "no-cache"
        inm = self.headers.get("If-None-Match")
        if inm and etag in inm:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", cache)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return self.server.record(self, 304, 0, 0, rel)
        data = gz if use_gz else body
        self.send_response(HTTPStatus.OK)
        ctype = content_type(rel)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", tag)
        self.send_header("Last-Modified", modified)
        self.send_header("Cache-Control", cache)
        if gz is not None:
            self.send_header("Vary", "Accept-Encoding")
        if use_gz:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if not head:
            self.wfile.write(data)
        self.server.record(self, 200, len(body), len(data), rel)


class _Server(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True

    def __init__(self, site: SiteFiles):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site
        self.lock = threading.Lock()
        self.log: list[dict] = []

    def record(self, handler, status, raw, sent, rel=None):
        with self.lock:
            self.log.append({"url": handler.path, "file": rel, "status": status, "raw": raw, "sent": sent,
                             "t": handler.t, "referer": handler.headers.get("Referer", "")})

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):  # a closed tab is no error
            super().handle_error(request, client_address)

    def mark(self) -> int:
        with self.lock:
            return len(self.log)

    def since(self, mark: int) -> list[dict]:
        with self.lock:
            return list(self.log[mark:])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


def serve(site: SiteFiles) -> _Server:
    server = _Server(site)
    threading.Thread(target=server.serve_forever, daemon=True, name="bench-http").start()
    return server


def weigh(log: list[dict]) -> dict:
    """Bytes of a list of requests: raw (the files' own size) and sent (as the server sent them)."""
    return {"requests": len(log), "raw": sum(r["raw"] for r in log), "sent": sum(r["sent"] for r in log)}


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


# --------------------------------------------------------------------------------------- browser

# The floor: a page that only starts Pyodide. bare.html uses the stock files of the npm package
# (served from bench/pyodide/), bare-site.html the site's own runtime (assets/pyodide/: the trimmed,
# precompiled standard library), so that the second ratio is what the calculator adds to the very
# runtime it runs on.
BARE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>bare loadPyodide()</title></head><body><p>loadPyodide()</p><script type="module">
const { loadPyodide } = await import("@BASE@pyodide.mjs");
await loadPyodide({ indexURL: new URL("@BASE@", location.href).href, packages: [] });
window.__benchBare = performance.now();
</script></body></html>
"""

# In every page of a sample: the moment the first result is published (the observer's callback runs
# in the task that publishes it, before the page paints).
INIT_SCRIPT = """(() => {
  const b = window.__bench = { first: null };
  const seen = () => {
    if (b.first === null && document.getElementById('calculator-result')) b.first = performance.now();
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true });
})();"""

WARM_RUN = """async () => {
  const root = document.getElementById('calculator');
  const before = Number(root.dataset.runs || 0);
  const income = root.querySelector('[data-key=monthly_income_yuan]');
  income.value = String(Number(income.value || 0) + 7);
  income.dispatchEvent(new Event('input', { bubbles: true }));
  return await new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (Number(root.dataset.runs) > before) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(root, { attributes: true, attributeFilter: ['data-runs'] });
    const t0 = performance.now();
    root.querySelector('button.calc-run').click();
  });
}"""

SW_DONE = """async () => {
  if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return false;
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).match(new URL('__build__.json', location.origin + '/').href)) return true;
  }
  return false;
}"""


class Browser:
    """Launches a fresh chromium with a fresh profile directory per sample."""

    def __init__(self, pw, tmp: Path):
        self.pw, self.tmp, self.n = pw, tmp, 0

    def fresh(self):
        self.n += 1
        profile = self.tmp / f"profile{self.n}"
        ctx = self.pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            service_workers="allow")
        ctx.add_init_script(INIT_SCRIPT)
        return ctx


def _link(base: str) -> str:
    frag = base64.urlsafe_b64encode(json.dumps(LINK_HOUSEHOLD, ensure_ascii=False).encode()).decode().rstrip("=")
    return f"{base}calculator/#household={frag}"


def _first_result(page) -> tuple[float, float]:
    """(ms from navigation start to the first result, the same moment as a Unix time in seconds)."""
    page.wait_for_function("() => window.__bench && window.__bench.first !== null", timeout=TIMEOUT_MS,
                           polling=50)
    state = page.get_attribute("#calculator", "data-state")
    if state != "ready":
        raise RuntimeError(f"the calculator is in state {state!r}")
    first, origin = page.evaluate("() => [window.__bench.first, performance.timeOrigin]")
    return first, (origin + first) / 1000


def _until(log: list[dict], when: float) -> list[dict]:
    """The requests of the page and its worker that the server received up to `when` (the server and
    the browser share one clock); not the service worker's offline copy, which starts when the
    calculator is ready and runs in the background (it is counted in the visit with the offline copy)."""
    return [r for r in log if r["t"] <= when and not (urlsplit(r["url"]).path == "/sw.js"
                                                     or r["referer"].endswith("/sw.js"))]


def _wait_offline_copy(page) -> None:
    """Until the service worker controls the page and its cache holds the whole build."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not page.evaluate(SW_DONE):  # evaluate awaits the promise (wait_for_function would not)
        if time.monotonic() > deadline:
            raise RuntimeError("the service worker did not finish its offline copy")
        time.sleep(0.2)


# A rural mobile connection (DevTools throttling of the page and its workers): 10 Mbit/s down,
# 2 Mbit/s up, 150 ms round trip.
SLOW_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_250_000, "uploadThroughput": 250_000}


def _throttle(ctx, page) -> None:
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)


CALC_DONE = "window.__bench && window.__bench.first"
BARE_DONE = "window.__benchBare"


def slow_sample(browser: Browser, url: str, done: str) -> float:
    """Milliseconds from navigation start to `done` (a page expression) on the slow network."""
    ctx = browser.fresh()
    try:
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        _throttle(ctx, page)
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function(f"() => ({done}) != null", timeout=TIMEOUT_MS, polling=50)
        return page.evaluate(f"() => {done}")
    finally:
        ctx.close()


def calculator_sample(browser: Browser, server: _Server, link: str, warm_runs: int) -> dict:
    ctx = browser.fresh()
    try:
        with MemorySampler() as mem:
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            mark = server.mark()
            page.goto(link)
            first, first_at = _first_result(page)
            rt = page.evaluate("() => { const r = window.__shiqiaoCalculator;"
                               " return {t0: r.t0, timeline: r.timeline, calls: r.calls}; }")
            result = json.loads(page.evaluate("() => document.getElementById('calculator-result').textContent"))
            warm = [page.evaluate(WARM_RUN) for _ in range(warm_runs)]
            _wait_offline_copy(page)
            visit = server.since(mark)
            to_first = _until(visit, first_at)
            page.close()
            mark = server.mark()
            again = ctx.new_page()
            again.goto(link)
            revisit, revisit_at = _first_result(again)
            revisit_log = _until(server.since(mark), revisit_at)
        if not result.get("programmes"):
            raise RuntimeError(f"the first result has no programmes: {str(result)[:300]}")
        return {"first_ms": first, "warm_ms": median(warm), "revisit_ms": revisit, "worker": rt,
                "to_first": to_first, "visit": visit, "revisit_log": revisit_log,
                "peak_pss_mb": mem.peak_pss, "peak_rss_mb": mem.peak_rss}
    finally:
        ctx.close()


def bare_sample(browser: Browser, server: _Server, page_name: str = "bare.html") -> float:
    ctx = browser.fresh()
    try:
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.goto(server.url + "bench/" + page_name)
        page.wait_for_function("() => window.__benchBare !== undefined", timeout=TIMEOUT_MS, polling=50)
        return page.evaluate("() => window.__benchBare")
    finally:
        ctx.close()


def page_sample(browser: Browser, server: _Server, path: str) -> list[dict]:
    ctx = browser.fresh()
    try:
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        mark = server.mark()
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        return server.since(mark)
    finally:
        ctx.close()


def _stage_ms(rt: dict) -> dict:
    """Milliseconds from navigation start at which the worker reached each step (first time)."""
    out = {"worker_started": rt["t0"]}
    for item in rt["timeline"]:
        out.setdefault(item["step"], rt["t0"] + item["ms"])
    return out


def _loads_runtime(log: list[dict]) -> bool:
    return any(r["file"] and (r["file"].startswith(("assets/pyodide/", "assets/calculator/")) or r["file"] == "sw.js")
               for r in log)


def bench_browser(site: Path, runs: int, warm_runs: int, slow: bool = True) -> dict:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} not found: run `make chromium`")
    bare_dir = Path(tempfile.mkdtemp(prefix="bench-bare-"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-profiles-"))
    try:
        (bare_dir / "bare.html").write_text(BARE_PAGE.replace("@BASE@", "./pyodide/"), encoding="utf-8")
        (bare_dir / "bare-site.html").write_text(BARE_PAGE.replace("@BASE@", "../assets/pyodide/"), encoding="utf-8")
        for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
            (bare_dir / "pyodide").mkdir(exist_ok=True)
            shutil.copyfile(STOCK_PYODIDE / name, bare_dir / "pyodide" / name)
        files = SiteFiles(site, {"bench/": bare_dir})
        server = serve(files)
        link = _link(server.url)
        calc, bare, bare_site, calc_slow, bare_slow = [], [], [], [], []
        with sync_playwright() as pw:
            browser = Browser(pw, tmp)
            if runs > 1:  # one untimed round, so that the first timed sample does not pay for cold disk caches
                bare_sample(browser, server)
            for i in range(runs):
                # alternate the order, so neither side always runs right after the other
                samples = [lambda: calc.append(calculator_sample(browser, server, link, warm_runs)),
                           lambda: bare.append(bare_sample(browser, server)),
                           lambda: bare_site.append(bare_sample(browser, server, "bare-site.html"))]
                if slow:
                    samples += [lambda: calc_slow.append(slow_sample(browser, link, CALC_DONE)),
                                lambda: bare_slow.append(slow_sample(browser, server.url + "bench/bare.html",
                                                                     BARE_DONE))]
                for sample in (samples if i % 2 == 0 else samples[::-1]):
                    sample()
                shutil.rmtree(tmp, ignore_errors=True)
                tmp.mkdir()
            ordinary = page_sample(browser, server, ORDINARY_PAGE)
            heaviest_path = max(((p.parent.relative_to(site).as_posix() + "/").lstrip("./") or ""
                                 for p in site.rglob("index.html")),
                                key=lambda u: files.sent((u + "index.html").lstrip("/")))
            heaviest = page_sample(browser, server, heaviest_path)
        server.shutdown()
    finally:
        shutil.rmtree(bare_dir, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)

    first = median([c["first_ms"] for c in calc])
    floor = median(bare)
    stages = [_stage_ms(c["worker"]) for c in calc]
    steps = {k: median([s[k] for s in stages if k in s]) for k in stages[0]}
    to_first = weigh(calc[0]["to_first"])
    visit = weigh(calc[0]["visit"])
    revisit = weigh(calc[0]["revisit_log"])
    o, h = weigh(ordinary), weigh(heaviest)
    largest = sorted(((r["raw"], r["sent"], r["file"]) for r in calc[0]["to_first"] if r["file"]), reverse=True)[:6]
    return {
        "first_result_median_ms": first,
        "first_result_runs_ms": [round(c["first_ms"]) for c in calc],
        "bare_pyodide_median_ms": floor,
        "bare_pyodide_runs_ms": [round(b) for b in bare],
        "first_result_ratio_to_bare_pyodide": first / floor,
        "bare_site_runtime_median_ms": median(bare_site),
        "first_result_ratio_to_bare_site_runtime": first / median(bare_site),
        "first_result_stages_ms": {k: round(v) for k, v in steps.items()},
        **({"slow_network": "{latency} ms round trip, {down} Mbit/s down".format(
                latency=SLOW_NETWORK["latency"], down=SLOW_NETWORK["downloadThroughput"] * 8 / 1e6),
            "first_result_slow_network_ms": median(calc_slow), "bare_pyodide_slow_network_ms": median(bare_slow),
            "first_result_slow_network_ratio_to_bare_pyodide": median(calc_slow) / median(bare_slow)}
           if slow else {}),
        "warm_result_median_ms": median([c["warm_ms"] for c in calc]),
        "revisit_median_ms": median([c["revisit_ms"] for c in calc]),
        "revisit_ratio_to_first": median([c["revisit_ms"] for c in calc]) / first,
        "revisit_sent_bytes": revisit["sent"],
        "browser_peak_pss_mb": median([c["peak_pss_mb"] for c in calc]),
        "browser_peak_rss_sum_mb": median([c["peak_rss_mb"] for c in calc]),
        "first_result_requests": to_first["requests"],
        "first_result_raw_bytes": to_first["raw"],
        "first_result_sent_bytes": to_first["sent"],
        "first_visit_with_offline_copy_raw_bytes": visit["raw"],
        "first_visit_with_offline_copy_sent_bytes": visit["sent"],
        "largest_files": [{"file": f, "raw": r, "sent": s} for r, s, f in largest],
        "ordinary_page": ORDINARY_PAGE,
        "ordinary_page_raw_bytes": o["raw"],
        "ordinary_page_sent_bytes": o["sent"],
        "ordinary_page_loads_runtime": _loads_runtime(ordinary) or _loads_runtime(heaviest),
        "heaviest_page": heaviest_path,
        "heaviest_page_raw_bytes": h["raw"],
        "heaviest_page_sent_bytes": h["sent"],
    }


# ----------------------------------------------------------------------------------- the report

# (key, label, unit, floor key) in the order of the table.
TABLE = [
    ("Site build", None, None, None),
    ("pages", "pages built", "", None),
    ("build_median_s", "mkdocs build (median)", "s", "plain_build_median_s"),
    ("build_ratio_to_plain", "  ratio to the plain site", "x", None),
    ("build_peak_rss_mb", "mkdocs build peak RSS", "MB", "plain_build_peak_rss_mb"),
    ("Calculator core, native", None, None, None),
    ("estimate_median_ms", "one estimate (median)", "ms", "parse_median_ms"),
    ("estimate_p95_ms", "one estimate (p95)", "ms", None),
    ("estimate_ratio_to_parse", "  ratio to parsing", "x", None),
    ("screen_seconds", "roster screened", "s", "screen_parse_seconds"),
    ("screen_households_per_s", "  households per second", "/s", None),
    ("screen_ratio_to_parse", "  ratio to parsing", "x", None),
    ("Browser (chromium, fresh profile each run)", None, None, None),
    ("first_result_median_ms", "calculator: navigation to first result", "ms", "bare_pyodide_median_ms"),
    ("first_result_ratio_to_bare_pyodide", "  ratio to bare loadPyodide() (stock Pyodide)", "x", None),
    ("bare_site_runtime_median_ms", "bare loadPyodide() on the site's runtime", "ms", None),
    ("first_result_ratio_to_bare_site_runtime", "  calculator's ratio to it", "x", None),
    ("first_result_slow_network_ms", "  on a slow network: first result", "ms", "bare_pyodide_slow_network_ms"),
    ("first_result_slow_network_ratio_to_bare_pyodide", "    ratio to bare loadPyodide()", "x", None),
    ("warm_result_median_ms", "warm second result", "ms", None),
    ("revisit_median_ms", "revisit, warm cache: to first result", "ms", None),
    ("revisit_ratio_to_first", "  ratio to the first visit", "x", None),
    ("browser_peak_pss_mb", "chromium peak memory (PSS, all processes)", "MB", None),
    ("Weight (sent = as a gzip server sends it)", None, None, None),
    ("first_result_sent_bytes", "calculator first visit, to first result", "kB", None),
    ("first_result_raw_bytes", "  uncompressed", "kB", None),
    ("first_visit_with_offline_copy_sent_bytes", "  with the offline copy of the site", "kB", None),
    ("first_visit_with_offline_copy_raw_bytes", "    uncompressed", "kB", None),
    ("revisit_sent_bytes", "revisit", "kB", None),
    ("ordinary_page_sent_bytes", "ordinary page (programmes/dibao/)", "kB", None),
    ("ordinary_page_raw_bytes", "  uncompressed", "kB", None),
    ("heaviest_page_sent_bytes", "heaviest page", "kB", None),
    ("heaviest_page_raw_bytes", "  uncompressed", "kB", None),
    ("ordinary_page_loads_runtime", "ordinary pages load Pyodide or the calculator", "", None),
]


def load_budget() -> dict:
    data = json.loads(BUDGET_FILE.read_text(encoding="utf-8"))
    return data["limits"]


def check_budget(results: dict, limits: dict) -> list[str]:
    over = []
    for key, rule in limits.items():
        if key not in results or results[key] is None:
            continue
        value = results[key]
        if "max" in rule and value > rule["max"]:
            over.append(f"{key} = {fmt(value, key)} > {fmt(rule['max'], key)}")
        if "min" in rule and value < rule["min"]:
            over.append(f"{key} = {fmt(value, key)} < {fmt(rule['min'], key)}")
        if "must_be" in rule and value != rule["must_be"]:
            over.append(f"{key} = {value} (must be {rule['must_be']})")
    return over


def fmt(value, key="") -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if key.endswith("_bytes"):
        return f"{value / 1000:,.1f} kB"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}"


def table(results: dict, limits: dict) -> str:
    lines = [f"{'':46} {'value':>12} {'floor':>12} {'budget':>12}"]
    for key, label, unit, floor in TABLE:
        if label is None:
            lines.append(f"\n{key}")
            continue
        if key not in results:
            continue
        value = results[key]
        shown = fmt(value / 1000 if unit == "kB" else value)
        fl = "" if floor is None or results.get(floor) is None else fmt(results[floor])
        rule = limits.get(key, {})
        limit = rule.get("max", rule.get("must_be", rule.get("min", "")))
        limit = fmt(limit / 1000) if (unit == "kB" and limit != "") else fmt(limit) if limit != "" else ""
        limit = ("≥ " if "min" in rule else "") + limit
        over = ("  OVER" if check_budget({key: value}, {key: rule}) else "") if rule else ""
        lines.append(f"{label + (f' ({unit})' if unit else ''):46} {shown:>12} {fl:>12} {limit:>12}{over}")
    if "first_result_stages_ms" in results:
        stages = ", ".join(f"{k} {v}" for k, v in results["first_result_stages_ms"].items())
        lines.append(f"\nfirst result, ms from navigation start (median): {stages}, "
                     f"result {round(results['first_result_median_ms'])}")
    if "largest_files" in results:
        lines.append("largest files of a first visit (kB, uncompressed / sent):")
        lines += [f"  {f['file']:64} {f['raw'] / 1000:>9,.1f} {f['sent'] / 1000:>9,.1f}"
                  for f in results["largest_files"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/bench.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="samples of each build and browser figure (median)")
    ap.add_argument("--households", type=int, default=5000, help="households of the native estimate")
    ap.add_argument("--roster", type=int, default=10_000, help="households in the screened roster")
    ap.add_argument("--warm-runs", type=int, default=5, help="warm results per browser sample (median)")
    ap.add_argument("--skip", action="append", default=[], choices=["build", "native", "browser"])
    ap.add_argument("--quick", action="store_true",
                    help="one run of everything, 200 households, a 500-household roster, no slow network "
                         "(to check that every figure is still produced; the figures mean little)")
    ap.add_argument("--no-slow-network", dest="slow", action="store_false",
                    help="leave out the samples on a throttled network")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.households, args.roster, args.warm_runs, args.slow = 1, 200, 500, 1, False
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
                results.update(bench_native(args.households, args.roster))
            except Exception:
                failed.append("native")
                traceback.print_exc()
        if "build" not in args.skip or "browser" not in args.skip:
            try:
                if "build" in args.skip:
                    _mkdocs_build(ROOT / "mkdocs.yml", site)
                else:
                    results.update(bench_build(args.runs, keep=site))
            except Exception:
                failed.append("build")
                traceback.print_exc()
        if "browser" not in args.skip and "build" not in failed:
            try:
                results.update(bench_browser(site, args.runs, args.warm_runs, args.slow))
            except Exception:
                failed.append("browser")
                traceback.print_exc()
    finally:
        shutil.rmtree(site, ignore_errors=True)
    over = check_budget(results, limits)
    if not args.skip and args.slow and not failed:  # a budget for a figure no longer measured must not pass unseen
        unmeasured = [key for key in limits if key not in results]
        if unmeasured:
            failed.append("figures named in the budget were not measured: " + ", ".join(unmeasured))
    print(table(results, limits))
    meta = {"runs": args.runs, "quick": args.quick, "skipped": args.skip, "failed": failed,
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

"""A real web server: the shipped nginx configuration (scripts/deploy/nginx.conf, rendered by
scripts/deploy/nginx.py) run by Debian's nginx on loopback. Correct types (.wasm application/wasm,
.mjs text/javascript, .csv text/csv), gzip for text, scripts, WebAssembly, JSON and CSV, a year
(immutable) for content-hashed names and revalidation for everything else (pages, sw.js, the
manifests), the security headers on every response including the 404 page; and the calculator,
opened in chromium through it, gives the command line's result."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from calculator.api import handle
from scripts.deploy.nginx import load_modules
from tests.conftest import assert_requests_local
from tests.browser.hardening.support import NGINX, READY_MS, REPO_ROOT

pytestmark = pytest.mark.browser

SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
IMMUTABLE = "public, max-age=31536000, immutable"


def fetch(url: str, gzip_ok: bool = True, headers: dict | None = None):
    request = urllib.request.Request(url, headers={**({"Accept-Encoding": "gzip"} if gzip_ok else {}),
                                                   **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def one(root: Path, pattern: str) -> str:
    [path] = [p for p in root.glob(pattern)]
    return path.relative_to(root).as_posix()


def test_the_deployable_server_block_passes_nginx_t(deployed, tmp_path):
    """The block as Debian includes it (http context from nginx.conf, mime.types), for /var/www."""
    block = subprocess.run([sys.executable, "-m", "scripts.deploy.nginx", "--site", str(deployed.root), "--root",
                            "/var/www/shiqiao", "--listen", "127.0.0.1:1", "--server-name", "shiqiao.example"],
                           cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert block.returncode == 0, block.stderr
    assert "root /var/www/shiqiao;" in block.stdout and "@" not in block.stdout.replace("$uri", "")
    (tmp_path / "site.conf").write_text(block.stdout, encoding="utf-8")
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(
        # the modules the block needs (brotli_static), as Debian's nginx.conf loads them, then http {}
        f"{load_modules()}"
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; include {tmp_path}/site.conf; }}\n", encoding="utf-8")
    block_log = block.stdout.replace("/var/log/nginx/shiqiao.access.log", f"{tmp_path}/access.log")
    (tmp_path / "site.conf").write_text(block_log, encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e",
                            str(tmp_path / "error.log")], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr


def test_a_site_without_policy_is_refused(tmp_path):
    (tmp_path / "index.html").write_text("<html><head><meta charset=\"utf-8\"></head></html>", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "scripts.deploy.nginx", "--site", str(tmp_path)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "内容安全策略" in proc.stderr


def test_types_compression_caching_and_headers(deployed):
    root = deployed.root
    wheel = one(root, "assets/calculator/*.whl")
    manifest = json.loads((root / "assets/calculator/manifest.json").read_text(encoding="utf-8"))
    runtime, own = manifest["pyodide_base"], manifest["calculator_base"]
    bundle_js = one(root, "assets/javascripts/bundle.*.min.js")
    handbook_css = one(root, "stylesheets/handbook.*.css")
    main_css = one(root, "assets/stylesheets/main.*.min.css")
    # path: (content type, gzipped?, cache-control)
    expected = {
        "": ("text/html; charset=utf-8", True, "no-cache"),
        "calculator/": ("text/html; charset=utf-8", True, "no-cache"),
        "sw.js": (None, True, "no-cache"),
        "assets/calculator/manifest.json": ("application/json; charset=utf-8", True, "no-cache"),
        # the calculator page's own files, in their content-named directory: a year, immutable
        own + "form.json": ("application/json; charset=utf-8", True, IMMUTABLE),
        own + "calculator.js": (None, True, IMMUTABLE),
        own + "calculator.css": ("text/css; charset=utf-8", True, IMMUTABLE),
        "assets/calculator/roster_template.csv": ("text/csv; charset=utf-8", True, "no-cache"),
        "data/programmes.csv": ("text/csv; charset=utf-8", True, "no-cache"),
        # the runtime, in its content-named directory: a year, immutable
        runtime + "pyodide.mjs": ("text/javascript; charset=utf-8", True, IMMUTABLE),
        runtime + "pyodide.asm.mjs": ("text/javascript; charset=utf-8", True, IMMUTABLE),
        runtime + "pyodide.asm.wasm": ("application/wasm", True, IMMUTABLE),
        runtime + "python_stdlib.zip": ("application/zip", True, IMMUTABLE),
        runtime + "pyodide-lock.json": ("application/json; charset=utf-8", False, IMMUTABLE),
        "search/search_index.json": ("application/json; charset=utf-8", True, "no-cache"),
        wheel: (None, True, IMMUTABLE),  # bytecode, stored: pre-compressed (scripts/runtime/bytecode.py)
        bundle_js: (None, True, IMMUTABLE),
        main_css: ("text/css; charset=utf-8", True, IMMUTABLE),
        handbook_css: ("text/css; charset=utf-8", True, IMMUTABLE),  # scripts/site/hashed.py
    }
    if not (root / "data" / "programmes.csv").is_file():
        expected.pop("data/programmes.csv")
        expected[one(root, "data/*.csv")] = ("text/csv; charset=utf-8", True, "no-cache")
    csp = None
    for path, (ctype, gzipped, cache) in expected.items():
        status, headers, body = fetch(deployed.url + path)
        assert status == 200, path
        if ctype:
            assert headers["Content-Type"] == ctype, (path, headers["Content-Type"])
        if path.endswith((".js", ".mjs")) or path == "sw.js":
            assert headers["Content-Type"].split(";")[0] in ("text/javascript", "application/javascript"), path
        file = root / (path + "index.html" if path.endswith("/") or path == "" else path)
        gzipped = gzipped and file.stat().st_size >= 256  # gzip_min_length
        assert (headers.get("Content-Encoding") == "gzip") == gzipped, (path, headers.get("Content-Encoding"))
        raw = gzip.decompress(body) if gzipped else body
        assert raw == file.read_bytes(), path
        assert headers["Cache-Control"] == cache, (path, headers["Cache-Control"])
        if gzipped:
            assert "Accept-Encoding" in headers.get("Vary", ""), path
        for name, value in SECURITY.items():
            assert headers[name] == value, (path, name)
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")
        csp = csp or headers["Content-Security-Policy"]
        assert headers["Content-Security-Policy"] == csp, path
    # a missing page: the site's 404 page, with the same headers
    status, headers, body = fetch(deployed.url + "no/such/page/")
    assert status == 404 and "石桥镇" in gzip.decompress(body).decode("utf-8")
    assert headers["Content-Security-Policy"] == csp and headers["X-Content-Type-Options"] == "nosniff"
    # revalidation is cheap: an unchanged page answers 304
    _, headers, _ = fetch(deployed.url + "calculator/")
    status, _, body = fetch(deployed.url + "calculator/", headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    # no directory listing, no dot-files, no server version
    assert fetch(deployed.url + "assets/")[0] in (403, 404)
    assert fetch(deployed.url + ".coordination")[0] in (403, 404)
    assert headers.get("Server", "nginx") == "nginx"


def test_brotli_and_gzip_as_the_client_asks(deployed):
    """Every compressible file of the build has its .br and .gz beside it (scripts/deploy/precompress.py),
    and nginx sends brotli to a client that accepts br, gzip to one that accepts only gzip, the file
    itself to one that accepts neither; each decodes to the very file."""
    import brotli
    from scripts.deploy.precompress import compressible

    root = deployed.root
    files = [p for p in root.rglob("*") if compressible(p) and p.stat().st_size >= 256]
    assert len(files) > 50
    missing = [p.relative_to(root).as_posix() for p in files
               if not (p.with_name(p.name + ".br").is_file() and p.with_name(p.name + ".gz").is_file())]
    # only files whose compression saves too little go without (none of these kinds today but a zip)
    assert all(m.endswith(".zip") for m in missing), missing
    manifest = json.loads((root / "assets/calculator/manifest.json").read_text(encoding="utf-8"))
    runtime, own = manifest["pyodide_base"], manifest["calculator_base"]
    for path in ("calculator/", "", own + "form.json", own + "calculator.js",
                 runtime + "pyodide.asm.wasm", runtime + "pyodide.asm.mjs", runtime + "python_stdlib.zip",
                 one(root, "assets/stylesheets/main.*.min.css"), "search/search_index.json",
                 one(root, "assets/calculator/*.whl")):
        file = root / (path + "index.html" if path.endswith("/") or path == "" else path)
        for accept, encoding, decode in (("gzip, deflate, br", "br", brotli.decompress),
                                         ("gzip, deflate", "gzip", gzip.decompress), ("identity", None, bytes)):
            status, headers, body = fetch(deployed.url + path, gzip_ok=False, headers={"Accept-Encoding": accept})
            assert status == 200, (path, accept)
            assert headers.get("Content-Encoding") == encoding, (path, accept, headers.get("Content-Encoding"))
            assert decode(body) == file.read_bytes(), (path, accept)
            assert "Accept-Encoding" in headers.get("Vary", ""), (path, accept)
        # brotli is worth it: smaller than gzip
        assert file.with_name(file.name + ".br").stat().st_size < file.with_name(file.name + ".gz").stat().st_size


@pytest.mark.parametrize("accept", ["br", "gzip"])
def test_calculator_through_nginx(new_context, deployed, accept):
    """The browser smoke test: open the calculator through nginx, get a result, and check what the
    browser itself received: types, compression (brotli for chromium, which accepts br on loopback;
    gzip for a browser that accepts only gzip), and nothing from anywhere else."""
    household = {"as_of": "2025-01-01", "area": "rural", "members": [{"age": 75}], "monthly_income_yuan": 100,
                 "standards": {"rural_dibao_monthly": 800}}
    logged = len(deployed.log_lines())
    context = new_context(**({"extra_http_headers": {"Accept-Encoding": "gzip, deflate"}} if accept == "gzip" else {}))
    page = context.new_page()
    responses = {}
    page.on("response", lambda r: responses.setdefault(r.url.split("?")[0], r))
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(deployed.url + "calculator/")
    page.wait_for_selector("#calculator[data-state=ready]", timeout=READY_MS)
    page.check("input[data-key=area][value=rural]")
    page.fill(".calc-member >> [data-key=age]", "75")
    page.fill("[data-key=monthly_income_yuan]", "100")
    page.fill("[data-key='standards.rural_dibao_monthly']", "800")
    page.click(".calc-more > summary")
    page.fill("[data-key=as_of]", "2025-01-01")
    page.click("button.calc-run")
    page.wait_for_selector("#calculator-result", state="attached", timeout=READY_MS)
    result = json.loads(page.text_content("#calculator-result"))
    assert result == json.loads(handle("estimate", json.dumps(household)))["result"]
    assert_requests_local(requests, type("S", (), {"host": "127.0.0.1", "port": deployed.port})())

    def received(suffix: str):
        [r] = [r for u, r in responses.items() if u.endswith(suffix)]
        return r.all_headers()

    wasm = received("/pyodide.asm.wasm")
    assert wasm["content-type"] == "application/wasm" and wasm["content-encoding"] == accept
    assert wasm["cache-control"] == IMMUTABLE
    for mjs in ("/pyodide.mjs", "/pyodide.asm.mjs"):
        assert received(mjs)["content-type"].startswith("text/javascript")
    assert received(".whl")["cache-control"] == IMMUTABLE
    page_headers = received("/calculator/")
    assert page_headers["content-encoding"] == accept and page_headers["cache-control"] == "no-cache"
    assert "frame-ancestors 'none'" in page_headers["content-security-policy"]
    # what nginx logged: only this site's files, every one answered 200 or 304
    codes = [re.search(r'" (\d{3}) ', line).group(1) for line in deployed.log_lines()[logged:]]
    assert codes and set(codes) <= {"200", "304"}, codes

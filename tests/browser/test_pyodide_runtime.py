"""Smoke tests of the self-hosted Pyodide runtime: worker.js + copy_runtime() + the wheel.

Each test builds a tiny site in a temporary directory (the copied runtime, the
wheel, docs/assets/calculator/worker.js and a minimal page), serves it on
127.0.0.1 and drives it in headless chromium. Timings are printed (run with -s).
"""

from __future__ import annotations

import importlib
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from scripts.runtime.assets import copy_runtime

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER_JS = REPO_ROOT / "docs" / "assets" / "calculator" / "worker.js"
READY_TIMEOUT_MS = 60_000

STUB_API = textwrap.dedent(
    '''
    """Stand-in for calculator.api (the real one is written by the core team)."""
    import json
    import sys


    def handle(op: str, payload_json: str) -> str:
        payload = json.loads(payload_json)
        if op == "version":
            return json.dumps({
                "calculator": "stub",
                "python": sys.version.split()[0],
                "platform": sys.platform,
                "echo": payload,
            }, ensure_ascii=False)
        if op == "boom":
            raise ValueError("stub failure: " + str(payload.get("why")))
        return json.dumps({"error": {"code": "unknown_op", "op": op}})
    '''
)

PAGE_HTML = textwrap.dedent(
    """\
    <!doctype html>
    <html lang="en">
    <head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Pyodide runtime smoke test</title></head>
    <body>
    <p>Pyodide runtime smoke test</p>
    <script type="module">
      const t0 = performance.now();
      const pending = new Map();
      let nextId = 1;
      window.__progress = [];
      const name = document.body.dataset.name || "";  // the runtime configuration, when given so
      const worker = new Worker(new URL("assets/calculator/worker.js", location.href),
                                name ? {type: "module", name} : {type: "module"});
      worker.onerror = (e) => { window.__workerError = String(e.message || e); };
      worker.onmessage = (event) => {
        const m = event.data;
        if (m.type === "progress") {
          window.__progress.push({stage: m.stage, detail: m.detail, ms: performance.now() - t0});
          if (m.stage === "ready") window.__readyMs = performance.now() - t0;
          if (m.stage === "error") window.__workerError = String(m.detail);
          return;
        }
        const resolve = pending.get(m.id);
        pending.delete(m.id);
        resolve(m);
      };
      window.__call = (op, payload) => new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        worker.postMessage({id, op, payload});
      });
      if (document.body.dataset.init !== "none") worker.postMessage(JSON.parse(document.body.dataset.init || '{"type": "init"}'));
      // Sent before the worker is ready: must be queued, then answered.
      window.__first = window.__call("version", {"hello": "世界"});
    </script>
    </body>
    </html>
    """
)


def _real_api_available() -> bool:
    try:
        api = importlib.import_module("calculator.api")
    except Exception:
        return False
    return callable(getattr(api, "handle", None))


def make_stub_package(root: Path) -> Path:
    pkg = root / "calculator"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""Stub calculator package for the runtime smoke test."""\n', encoding="utf-8")
    (pkg / "api.py").write_text(STUB_API, encoding="utf-8")
    return root


def build_site(root: Path, wheel_src: Path) -> dict:
    """A minimal site: copied runtime + wheel + worker.js + one page. Returns the manifest."""
    manifest = copy_runtime(root, REPO_ROOT, wheel_src=wheel_src)
    (root / "assets" / "calculator").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(WORKER_JS, root / "assets" / "calculator" / "worker.js")
    (root / "index.html").write_text(PAGE_HTML, encoding="utf-8")
    return manifest


def wait_ready(page) -> float:
    page.wait_for_function(
        "window.__readyMs !== undefined || window.__workerError !== undefined", timeout=READY_TIMEOUT_MS
    )
    error = page.evaluate("window.__workerError")
    assert error is None, f"worker failed: {error}; progress: {page.evaluate('window.__progress')}"
    return page.evaluate("window.__readyMs")


def _expected_paths(manifest: dict) -> set[str]:
    return {"/", "/assets/calculator/worker.js", "/assets/calculator/manifest.json"} | {
        "/" + path for path in manifest["files"]
    }


def test_calculator_wheel_answers_from_pyodide(tmp_path, serve_dir, page, page_requests):
    """The real calculator (if calculator.api.handle exists yet, else a stub) answers `version` in Pyodide."""
    use_real = _real_api_available()
    wheel_src = REPO_ROOT if use_real else make_stub_package(tmp_path / "stub")
    site = tmp_path / "site"
    manifest = build_site(site, wheel_src)
    server = serve_dir(site)

    page.goto(server.url)
    wait_ready(page)
    first = page.evaluate("window.__first")
    assert first["ok"] is True, first
    assert first["id"] == 1
    first["result"] = json.loads(first.pop("json"))  # the answer comes as the JSON text Python wrote
    assert isinstance(first["result"], (dict, list, str, int, float, bool))
    progress = page.evaluate("window.__progress")
    ready = [p for p in progress if p["stage"] == "ready"]
    assert len(ready) == 1 and ready[0]["detail"]["pyodide"] == manifest["pyodide_version"]
    if not use_real:
        assert first["result"]["platform"] == "emscripten"
        assert first["result"]["echo"] == {"hello": "世界"}

    page_requests.assert_all_local(server)
    served = set(server.requests)
    assert served <= _expected_paths(manifest), served - _expected_paths(manifest)
    assert "/" + manifest["wheel"] in served


def test_worker_protocol(tmp_path, serve_dir, page, page_requests):
    """Progress stages, queued requests, errors from Python, and that only 127.0.0.1 is contacted."""
    site = tmp_path / "site"
    manifest = build_site(site, make_stub_package(tmp_path / "stub"))
    server = serve_dir(site)

    page.goto(server.url)
    ready_ms = wait_ready(page)

    stages = [p["stage"] for p in page.evaluate("window.__progress")]
    assert stages[0] == "download" and stages[-1] == "ready", stages
    assert "start" in stages and "error" not in stages

    first = page.evaluate("window.__first")  # posted before ready
    assert isinstance(first.get("json"), str), first  # the answer as the JSON text Python wrote
    first["result"] = json.loads(first.pop("json"))
    assert first == {
        "id": 1,
        "ok": True,
        "result": {"calculator": "stub", "python": first["result"]["python"], "platform": "emscripten",
                   "echo": {"hello": "世界"}},
    }
    assert first["result"]["python"].startswith("3.")

    # A Python exception comes back as ok: false with the Python message.
    boom = page.evaluate("window.__call('boom', {why: 'because'})")
    assert boom["ok"] is False and boom["id"] == 2
    assert "ValueError" in boom["error"]["message"] and "stub failure: because" in boom["error"]["message"]
    # The worker survives it.
    again = page.evaluate("window.__call('nope', null)")
    assert again == {"id": 3, "ok": True, "json": again["json"]}
    assert json.loads(again["json"]) == {"error": {"code": "unknown_op", "op": "nope"}}

    # Concurrent requests are all answered with their own ids.
    many = page.evaluate("Promise.all([1,2,3,4,5].map(i => window.__call('version', {i})))")
    assert [json.loads(m["json"])["echo"]["i"] for m in many] == [1, 2, 3, 4, 5]
    assert len({m["id"] for m in many}) == 5

    # Only the runtime files, the wheel, the worker and the page were fetched; no package wheels.
    served = set(server.requests)
    assert served <= _expected_paths(manifest), served - _expected_paths(manifest)
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert f"/{manifest['pyodide_base']}{name}" in served
    assert all(code == 200 for _, _, code in server.log), server.log
    page_requests.assert_all_local(server)
    # The worker's fetches are seen by the page's request log too.
    assert any(url.endswith(".whl") for url in page_requests.urls), page_requests.urls
    assert not page_requests.failed, page_requests.failed
    assert ready_ms < READY_TIMEOUT_MS


def _started_by_page(tmp_path, serve_dir, page, body_attributes):
    """The stub site, its page's <body> given body_attributes(manifest) (how the page starts the
    worker), served and opened until the worker is ready and has answered the page's first request
    from Pyodide; returns (server, manifest)."""
    site = tmp_path / "site"
    manifest = build_site(site, make_stub_package(tmp_path / "stub"))
    attrs = "".join(f" {key}='{value}'" for key, value in body_attributes(manifest).items())
    html = (site / "index.html").read_text(encoding="utf-8")
    (site / "index.html").write_text(html.replace("<body>", f"<body{attrs}>", 1), encoding="utf-8")
    server = serve_dir(site)
    page.goto(server.url)
    wait_ready(page)
    assert json.loads(page.evaluate("window.__first")["json"])["platform"] == "emscripten"
    return server, manifest


def test_worker_explicit_init_paths(tmp_path, serve_dir, page, page_requests):
    """An init message can point the worker at the runtime and wheel explicitly (no manifest fetch)."""
    server, manifest = _started_by_page(tmp_path, serve_dir, page, lambda m: {"data-init": json.dumps(
        {"type": "init", "pyodideBase": "/" + m["pyodide_base"], "wheelUrl": "/" + m["wheel"]})})
    assert "/assets/calculator/manifest.json" not in server.requests
    page_requests.assert_all_local(server)


def test_worker_started_by_its_name(tmp_path, serve_dir, page, page_requests):
    """A worker whose name is the page's runtime configuration (site-relative paths, as the calculator
    page's data-runtime gives them) starts Python without any message from the page: the first
    message it gets is a request, answered, and no manifest.json is asked for."""
    server, manifest = _started_by_page(tmp_path, serve_dir, page, lambda m: {"data-init": "none", "data-name": json.dumps(
        {"pyodide_base": m["pyodide_base"], "wheel": m["wheel"], "lock": m["lock"]})})
    assert "/assets/calculator/manifest.json" not in server.requests
    assert "/" + manifest["pyodide_base"] + "pyodide-lock.json" not in server.requests  # the lock came in the name
    assert [p["stage"] for p in page.evaluate("window.__progress")][-1] == "ready"
    page_requests.assert_all_local(server)


def test_external_request_is_caught(tmp_path, serve_dir, page, page_requests):
    """The request log sees a request to another host (which the resolver rules make fail)."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><link rel="icon" href="data:,"><title>x</title></head><body>'
        '<img src="http://example.invalid/x.png" alt=""></body></html>',
        encoding="utf-8",
    )
    server = serve_dir(tmp_path)
    page.goto(server.url)
    page.wait_for_load_state("load")
    assert any("example.invalid" in url for url in page_requests.urls)
    with pytest.raises(AssertionError, match="example.invalid"):
        page_requests.assert_all_local(server)

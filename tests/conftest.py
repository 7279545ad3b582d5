"""Shared fixtures for every browser test (tests/browser, tests/site; mark them ``@pytest.mark.browser``).

* ``site_server``: the built ``site/`` served over http on 127.0.0.1 (session).
* ``serve_dir``: factory to serve any other directory the same way (session).
* ``browser``: headless Debian chromium driven by Playwright (session); it can
  resolve no host name except 127.0.0.1.
* ``context`` / ``page``: a fresh browser context and page per test.
* ``page_requests``: every request the page (and its workers) makes, with
  ``page_requests.assert_all_local(server)``.
* ``assert_requests_local(urls, server)``: the same check as a plain function.

The browser is /usr/bin/chromium from Debian, installed by ``make test``; a
missing browser is a failure, never a skip, and Playwright never downloads one.
"""

from __future__ import annotations

import http.server
import mimetypes
import os
import socketserver
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SITE_DIR = REPO_ROOT / "site"
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, READY_MS  # noqa: E402,F401  (the one set)
LOCAL_SCHEMES = ("data", "blob", "about")

MIME_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".json": "application/json",
    ".html": "text/html",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".map": "application/json",
    ".txt": "text/plain",
    ".xml": "application/xml",
}


# --------------------------------------------------------------------------- server


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    server: "_Server"

    def guess_type(self, path):  # noqa: D102 - mimetypes must not depend on the host's /etc/mime.types
        ext = os.path.splitext(str(path))[1].lower()
        if ext in MIME_TYPES:
            return MIME_TYPES[ext]
        return super().guess_type(path)

    def log_request(self, code="-", size="-"):
        code = getattr(code, "value", code)
        self.server.record(self.command, self.path, code)

    def log_message(self, format, *args):  # silence stderr logging
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self.log: list[tuple[str, str, int]] = []

    def record(self, method: str, path: str, code) -> None:
        with self._lock:
            self.log.append((method, path, code))


@dataclass
class LocalServer:
    """A directory served over http://127.0.0.1:<port>/ from a background thread."""

    root: Path
    httpd: _Server
    thread: threading.Thread

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def requests(self) -> list[str]:
        """Every request path received so far, in order (query strings included)."""
        with self.httpd._lock:
            return [path for _, path, _ in self.httpd.log]

    @property
    def log(self) -> list[tuple[str, str, int]]:
        """(method, path, status) of every request received so far."""
        with self.httpd._lock:
            return list(self.httpd.log)

    def clear(self) -> None:
        with self.httpd._lock:
            self.httpd.log.clear()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def start_server(root: Path) -> LocalServer:
    """Serve ``root`` on 127.0.0.1 on a free port; call ``.stop()`` when done."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise FileNotFoundError(root)
    mimetypes.init()
    httpd = _Server(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, name=f"http:{root.name}", daemon=True)
    thread.start()
    return LocalServer(root=root, httpd=httpd, thread=thread)


@pytest.fixture(scope="session")
def serve_dir():
    """Factory: ``serve_dir(path) -> LocalServer``; every server stops at the end of the session."""
    servers: list[LocalServer] = []

    def _serve(root: Path) -> LocalServer:
        server = start_server(root)
        servers.append(server)
        return server

    yield _serve
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The directory ``site_server`` serves. Override this fixture to serve another one."""
    return SITE_DIR


@pytest.fixture(scope="session")
def site_server(serve_dir, site_dir: Path) -> LocalServer:
    """The built site (default ``site/``) over http on 127.0.0.1."""
    if not (Path(site_dir) / "index.html").is_file():
        pytest.fail(f"{site_dir} is not built (no index.html): run `make test` (it builds the site first)")
    return serve_dir(site_dir)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the dev dependencies pin playwright
        pytest.fail(f"the Python package playwright is not installed ({exc}): run `make test`")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    """Headless Debian chromium (never a Playwright-downloaded build)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} not found: run `make test`, which installs Debian's chromium (`make chromium`)")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    """A fresh, isolated browser context (own cache, storage and service workers) per test."""
    ctx = browser.new_context(service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = context.new_page()
    yield pg
    pg.close()


# --------------------------------------------------------------------------- request checks


def assert_requests_local(urls, server: LocalServer) -> None:
    """Assert that every URL is on ``server`` (127.0.0.1:<its port>) or a local scheme (data:, blob:)."""
    urls = list(urls)
    outside = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            continue
        if parts.scheme == "http" and parts.hostname == server.host and parts.port == server.port:
            continue
        outside.append(url)
    assert not outside, f"{len(outside)} of {len(urls)} requests did not go to {server.url}: {outside}"


@dataclass
class RequestLog:
    """Requests made by a page, its frames and its dedicated workers, in order."""

    urls: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def assert_all_local(self, server: LocalServer) -> None:
        assert_requests_local(self.urls, server)


@pytest.fixture
def page_requests(page) -> RequestLog:
    log = RequestLog()
    page.on("request", lambda request: log.urls.append(request.url))
    page.on("requestfailed", lambda request: log.failed.append((request.url, request.failure or "")))
    return log


@pytest.fixture(name="assert_requests_local")
def _assert_requests_local_fixture():
    """The ``assert_requests_local(urls, server)`` helper as a fixture, for tests outside this package."""
    return assert_requests_local


# --------------------------------------------------------------------------- what a test needs

# The fixtures that build a whole site, start nginx or start chromium. A test using one (directly or
# through another fixture) gets the marker, so `make test-fast` (-m "not browser and not nginx and
# not site and not pyodide") can never run it by mistake.
NEEDS = {
    "browser": {"_playwright", "browser", "context", "page", "page_requests", "new_context"},
    "site": {"site", "updated_site", "any_site", "site_server", "calc_server", "deployed", "static_host"},
    "nginx": {"deployed", "nginx_for", "static_host"},
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in NEEDS.items():
            if used & fixtures and item.get_closest_marker(marker) is None:
                item.add_marker(marker)

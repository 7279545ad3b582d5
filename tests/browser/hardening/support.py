"""Helpers of the hardening tests: building the site, running nginx with the shipped configuration,
recording Content-Security-Policy violations."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
AXE = REPO_ROOT / "scripts" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
from tests.support.browser import READY_MS  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(dest: Path, site_url: str, data_dir: Path | None = None, clean: bool = True) -> str:
    """`mkdocs build --strict` of this repository into `dest` (tests/support/build.py); returns the log."""
    from tests.support.build import build_or_fail
    return build_or_fail(dest, site_url=site_url, data_dir=data_dir, clean=clean)[1]


@dataclass
class Nginx:
    root: Path
    prefix: Path
    port: int
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    @property
    def conf(self) -> Path:
        return self.prefix / "nginx.conf"

    def render(self) -> str:
        proc = subprocess.run([sys.executable, "-m", "scripts.deploy.nginx", "--site", str(self.root), "--standalone",
                               "--prefix", str(self.prefix), "--listen", f"127.0.0.1:{self.port}"],
                              cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        self.conf.write_text(proc.stdout, encoding="utf-8")
        check = subprocess.run([NGINX, "-t", "-q", "-p", str(self.prefix), "-c", str(self.conf), "-e",
                                str(self.prefix / "error.log")], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, f"nginx -t: {check.stderr}"
        return proc.stdout

    def start(self) -> "Nginx":
        self.render()
        self.proc = subprocess.Popen([NGINX, "-p", str(self.prefix), "-c", str(self.conf), "-e",
                                      str(self.prefix / "error.log"), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"nginx exited ({self.proc.returncode}): {self.proc.stderr.read().decode()}"
                            f"{(self.prefix / 'error.log').read_text() if (self.prefix / 'error.log').exists() else ''}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"nginx did not listen on {self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def restart(self) -> "Nginx":
        """Stop, render the configuration again from the (rebuilt) site, start: a deployment."""
        self.stop()
        return self.start()

    def log_lines(self) -> list[str]:
        return self.access_log.read_text(encoding="utf-8", errors="replace").splitlines() \
            if self.access_log.exists() else []


def site_pages(root: Path) -> list[str]:
    """URL paths of every page of a built site ('' is the home page; 404.html included)."""
    out = []
    for f in sorted(Path(root).rglob("*.html")):
        rel = f.relative_to(root).as_posix()
        if rel.startswith("assets/"):
            continue
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


# Record Content-Security-Policy violations in every document (init scripts run before the page's own).
RECORD_VIOLATIONS = """
(() => {
  const seen = [];
  Object.defineProperty(window, '__cspViolations', {value: seen});
  document.addEventListener('securitypolicyviolation', (e) => seen.push(
    [e.violatedDirective, e.blockedURI, e.sourceFile + ':' + e.lineNumber, (e.sample || '').slice(0, 80)]), true);
})();
"""


def violations(page) -> list:
    return page.evaluate("() => window.__cspViolations || []")


# ---- a small HTML reader -------------------------------------------------------------------------

from html.parser import HTMLParser  # noqa: E402


class Elements(HTMLParser):
    """Every element of a page as (tag, {attr: value}), the text of each <script>, and the page's text
    (entities decoded, scripts and styles left out)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.title = ""
        self._text: list[str] = []
        self._stack: list[str] = []
        self.feed(page)
        self.close()

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in self.VOID:
            self._stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        where = self._stack[-1] if self._stack else ""
        if where == "script":
            self.scripts.append(data)
        elif where == "title":
            self.title += data
        elif where != "style":
            self._text.append(data)

    @property
    def text(self) -> str:
        return "".join(self._text)

"""Helpers of the hardening tests: building the site, running nginx with the shipped configuration,
recording Content-Security-Policy violations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scripts.deploy.local import NGINX, LocalNginx, NginxError, free_port  # noqa: F401 (re-exported)

REPO_ROOT = Path(__file__).resolve().parents[3]
AXE = REPO_ROOT / "scripts" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
from tests.support.browser import READY_MS  # noqa: E402


def build_site(dest: Path, site_url: str, data_dir: Path | None = None, clean: bool = True) -> str:
    """`mkdocs build --strict` of this repository into `dest` (tests/support/build.py); returns the log."""
    from tests.support.build import build_or_fail
    return build_or_fail(dest, site_url=site_url, data_dir=data_dir, clean=clean)[1]


class Nginx(LocalNginx):
    """Debian's nginx with the shipped configuration on loopback (scripts/deploy/local.py, which the
    benchmark uses too); a failure to start fails the test with nginx's own message."""

    def start(self) -> "Nginx":
        try:
            return super().start()
        except NginxError as exc:
            pytest.fail(str(exc))


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

"""The one site-build factory of the tests: `mkdocs build --strict` of this repository (optionally
from another policy-data directory, for another site_url or date) into a directory, and the built
site read page by page (BuiltSite, with the HTML reader of tests/support/html.py). Session fixtures
build once and share the result (tests/site/conftest.py: `site`, `updated_site`; the hardening and
calculator-page suites build for their own server's address)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.html import Page

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_build(dest: Path, *, data_dir: Path | None = None, site_url: str | None = None,
              as_of: str | None = None, clean: bool = True) -> tuple[int, float, str]:
    """(exit status, seconds, log) of one build into `dest`."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    for name, value in (("HANDBOOK_POLICY_DATA", data_dir), ("HANDBOOK_SITE_URL", site_url), ("HANDBOOK_AS_OF", as_of)):
        env.pop(name, None)
        if value is not None:
            env[name] = str(value)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean" if clean else "--dirty",
                           "-d", str(dest)], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    return proc.returncode, time.monotonic() - start, proc.stdout + proc.stderr


def build_or_fail(dest: Path, **kwargs) -> tuple[float, str]:
    code, seconds, log = run_build(dest, **kwargs)
    if code != 0:
        pytest.fail(f"mkdocs build --strict failed ({code}):\n{log}")
    return seconds, log


@dataclass
class BuiltSite:
    root: Path
    seconds: float
    log: str
    data_dir: Path
    server: object | None = None  # the LocalServer (tests/conftest.py) serving it, if any
    _pages: dict = field(default_factory=dict)

    def page(self, url_path: str) -> "Page":
        """The built page at a site URL path such as 'programmes/dibao/' ('' is the home page)."""
        if url_path not in self._pages:
            file = self.root / url_path / "index.html" if not url_path.endswith(".html") else self.root / url_path
            assert file.is_file(), f"page {url_path!r} was not built ({file})"
            self._pages[url_path] = Page.parse(file.read_text(encoding="utf-8"), url_path)
        return self._pages[url_path]

    def html_files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.html") if not p.relative_to(self.root).parts[0] == "assets")

    def url_paths(self) -> list[str]:
        """Every page of the handbook (no 404 page), as URL paths."""
        out = []
        for f in self.html_files():
            rel = f.relative_to(self.root).as_posix()
            if rel == "404.html":
                continue
            out.append(rel[: -len("index.html")])
        return out

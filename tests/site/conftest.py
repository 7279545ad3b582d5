"""Fixtures for the handbook tests: the site is built once per session with `mkdocs build --strict`
into a temporary directory (and once more from a copy of the live policy data with the README's
update applied), by the build factory of tests/support/build.py, then read as HTML
(tests/support/html.py) or served to headless chromium.

The browser fixtures (Debian chromium, host-resolver rules, the local server) come from
tests/conftest.py."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM_ARGS, LocalServer, assert_requests_local, start_server  # noqa: F401
from tests.support.build import BuiltSite, build_or_fail, run_build  # noqa: F401  (the one build factory)
from tests.support.html import Node, Page  # noqa: F401  (the one HTML reader)

REPO_ROOT = Path(__file__).resolve().parents[2]
POLICY_DATA = REPO_ROOT / "policy_data"

# --------------------------------------------------------------------------- building


@pytest.fixture(scope="session")
def site(tmp_path_factory, serve_dir) -> BuiltSite:
    """The handbook built from policy_data/, served on 127.0.0.1 with site_url set to that server (so
    that instant navigation and the sitemap refer to it)."""
    root = tmp_path_factory.mktemp("site")
    server = serve_dir(root)
    seconds, log = build_or_fail(root, site_url=server.url)
    print(f"\nmkdocs build --strict: {seconds:.2f} s")
    return BuiltSite(root=root, seconds=seconds, log=log, data_dir=POLICY_DATA, server=server)


@pytest.fixture(scope="session")
def updated_site(tmp_path_factory) -> BuiltSite:
    """The handbook built from a copy of the live policy_data/ with the README's 最常见的修改 applied
    (tests/support/town.py): what the site shows after the town has followed its README."""
    from tests.support import town
    data_dir = town.updated_data(tmp_path_factory.mktemp("policy_data") / "policy_data")
    root = tmp_path_factory.mktemp("updated_site")
    seconds, log = build_or_fail(root, data_dir=data_dir)
    return BuiltSite(root=root, seconds=seconds, log=log, data_dir=data_dir)


@pytest.fixture(scope="session", params=["live", "readme-updated"])
def any_site(request) -> BuiltSite:
    """The live site, then the README-updated one: for what must hold of whatever data is shipped."""
    return request.getfixturevalue("site" if request.param == "live" else "updated_site")


@pytest.fixture(scope="session")
def bundle() -> dict:
    from scripts.policydata import load
    return load(POLICY_DATA)


def bundle_of(built: BuiltSite) -> dict:
    from scripts.policydata import load
    return load(built.data_dir)


def resolve(from_url: str, href: str) -> tuple[str, str]:
    """(target URL path, fragment) of a relative link on the page at `from_url`."""
    from urllib.parse import unquote, urljoin, urlsplit
    full = urljoin("http://site/" + from_url, href)
    parts = urlsplit(full)
    return unquote(parts.path.lstrip("/")), unquote(parts.fragment)


def search_index(site: BuiltSite) -> dict:
    return json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))


def unescape(s: str) -> str:
    return html.unescape(s)

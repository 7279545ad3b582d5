"""Fixtures for the handbook tests: the site is built once per session with `mkdocs build --strict`
into a temporary directory (and once more from a copy of the policy data with a published 低保
standard), then read as HTML or served to headless chromium.

The browser fixtures (Debian chromium, host-resolver rules, the local server) come from
tests/conftest.py."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM_ARGS, LocalServer, assert_requests_local, start_server  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parents[2]
POLICY_DATA = REPO_ROOT / "policy_data"

# --------------------------------------------------------------------------- building


@dataclass
class BuiltSite:
    root: Path
    seconds: float
    log: str
    data_dir: Path
    server: LocalServer | None = None
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


def run_build(dest: Path, *, data_dir: Path | None = None, site_url: str | None = None) -> tuple[int, float, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("HANDBOOK_POLICY_DATA", None)
    if data_dir is not None:
        env["HANDBOOK_POLICY_DATA"] = str(data_dir)
    if site_url is not None:
        env["HANDBOOK_SITE_URL"] = site_url
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(dest)],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    return proc.returncode, time.monotonic() - start, proc.stdout + proc.stderr


def build_or_fail(dest: Path, **kwargs) -> tuple[float, str]:
    code, seconds, log = run_build(dest, **kwargs)
    if code != 0:
        pytest.fail(f"mkdocs build --strict failed ({code}):\n{log}")
    return seconds, log


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


# --------------------------------------------------------------------------- a small HTML reader


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict
    parent: "Node | None" = None
    children: list = field(default_factory=list)  # Node or str

    @property
    def text(self) -> str:
        """The text inside, without the ¶ permalinks of headings."""
        return "".join(c if isinstance(c, str) else ("" if "headerlink" in c.attrs.get("class", "") else c.text)
                       for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        out = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if cls and cls not in (n.attrs.get("class") or "").split():
                continue
            if any(n.attrs.get(k) != v for k, v in attrs.items()):
                continue
            out.append(n)
        return out

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Node | None":
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: (v or "") for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


@dataclass
class Page:
    url_path: str
    root: Node

    @classmethod
    def parse(cls, text: str, url_path: str) -> "Page":
        b = _TreeBuilder()
        b.feed(text)
        b.close()
        return cls(url_path, b.root)

    @property
    def article(self) -> Node:
        art = self.root.find("article")
        assert art is not None, f"{self.url_path}: no <article>"
        return art

    @property
    def text(self) -> str:
        """The page's own content (no navigation), whitespace collapsed."""
        return re.sub(r"\s+", " ", self.article.text)

    @property
    def h1(self) -> str:
        return re.sub(r"\s+", " ", self.article.find("h1").text).strip()

    def ids(self) -> set[str]:
        return {n.attrs["id"] for n in self.root.iter() if n.attrs.get("id")}

    def links(self, within: Node | None = None) -> list[str]:
        return [n.attrs["href"] for n in (within or self.article).find_all("a") if "href" in n.attrs]

    def section(self, heading_id: str) -> str:
        """Text from the heading with this id up to the next heading of the same or a higher level."""
        nodes = list(_flatten(self.article))
        start = next(i for i, n in enumerate(nodes) if isinstance(n, Node) and n.attrs.get("id") == heading_id)
        level = nodes[start].tag
        out = [nodes[start].text]
        for n in nodes[start + 1:]:
            if isinstance(n, Node) and re.fullmatch(r"h[1-6]", n.tag) and n.tag <= level:
                break
            if isinstance(n, Node) and re.fullmatch(r"h[1-6]", n.tag):
                out.append(n.text)
            elif isinstance(n, Node):
                out.append(n.text)
        return re.sub(r"\s+", " ", " ".join(out))

    def section_links(self, heading_id: str) -> list[str]:
        nodes = list(_flatten(self.article))
        start = next(i for i, n in enumerate(nodes) if isinstance(n, Node) and n.attrs.get("id") == heading_id)
        level = nodes[start].tag
        out = []
        for n in nodes[start + 1:]:
            if isinstance(n, Node) and re.fullmatch(r"h[1-6]", n.tag) and n.tag <= level:
                break
            if isinstance(n, Node):
                out += [a.attrs["href"] for a in n.find_all("a") if "href" in a.attrs]
        return out


def _flatten(node: Node):
    """The article's block children in document order, descending into wrappers that hold headings."""
    for c in node.children:
        if not isinstance(c, Node):
            continue
        if any(re.fullmatch(r"h[1-6]", d.tag) for d in c.iter() if d is not c) and c.tag in ("div", "section"):
            yield from _flatten(c)
        else:
            yield c


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

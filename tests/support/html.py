"""The one HTML reader of the tests: a built page parsed into a small tree (Page, Node) with what the
tests ask of it (text, ids, links, sections by heading id)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser



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

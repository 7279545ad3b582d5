"""Links: a crawl of the built site over HTTP (through nginx, as deployed), from the home page, of
every <a href>, <link href>, <script src> and <img src>: each internal target answers 200, each
#fragment names an element (id, or a name) of its target page, every page is reached, and every
address of the sitemap resolves. (mkdocs build --strict checks the Markdown links; this checks the
HTML that is actually served, generated pages, theme and calculator page included.)"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from tests.browser.hardening.support import Elements, site_pages

LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src"}


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers.get_content_type(), r.read()
    except urllib.error.HTTPError as e:
        return e.code, "", b""


def test_every_internal_link_and_anchor_resolves(deployed):
    base = deployed.url
    origin = urlsplit(base).netloc
    pages: dict[str, Elements] = {}
    status: dict[str, int] = {}
    links: list[tuple[str, str]] = []  # (from page, absolute URL with fragment)
    queue = [base]
    while queue:
        url = queue.pop()
        if url in status:
            continue
        code, ctype, body = get(url)
        status[url] = code
        if code != 200 or ctype != "text/html":
            continue
        page = Elements(body.decode("utf-8"))
        pages[url] = page
        for tag, attrs in page.elements:
            target = attrs.get(LINKING.get(tag, ""), "")
            if not target or target.startswith(("mailto:", "tel:", "data:", "blob:")):
                continue
            full = urljoin(url, target)
            parts = urlsplit(full)
            if parts.scheme not in ("http", "https") or parts.netloc != origin:
                continue  # an outside link (no request is made unless a reader follows it)
            links.append((url, full))
            queue.append(urldefrag(full)[0])
    broken = sorted({(frm, to) for frm, to in links if status.get(urldefrag(to)[0]) != 200})
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:10]}"

    ids = {url: {a.get("id") for _, a in p.elements if a.get("id")} | {a.get("name") for t, a in p.elements
                                                                        if t == "a" and a.get("name")}
           for url, p in pages.items()}
    missing = sorted({(frm, to) for frm, to in links
                      if urldefrag(to)[1] and urldefrag(to)[0] in ids
                      and unquote(urldefrag(to)[1]) not in ids[urldefrag(to)[0]]})
    assert not missing, f"{len(missing)} links to a missing anchor, e.g. {missing[:10]}"

    reached = {urlsplit(u).path.lstrip("/") for u in pages}
    expected = {p for p in site_pages(deployed.root) if p != "404.html"}
    assert expected <= reached, f"pages no link leads to: {sorted(expected - reached)}"
    anchors = sum(1 for _, to in links if urldefrag(to)[1])
    print(f"\nlink crawl: {len(pages)} pages, {len(links)} links ({anchors} with an anchor), {len(status)} URLs")
    assert len(pages) > 40 and anchors > 100

    sitemap = get(base + "sitemap.xml")[2].decode("utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(base) for loc in locations)
    assert all(get(loc)[0] == 200 for loc in locations)

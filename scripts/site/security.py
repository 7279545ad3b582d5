"""mkdocs hook: a Content-Security-Policy in every built page, as
``<meta http-equiv="Content-Security-Policy" content="...">`` right after ``<meta charset>``, so the
policy holds on any static host. The nginx configuration (scripts/deploy/nginx.py) sends the same
policy as a header, read from the built pages, plus what only a header can say (frame-ancestors).

The policy allows only the site's own origin:

* scripts: files of the site, plus the inline scripts that mkdocs-material writes into its pages,
  each allowed by the sha256 of its exact text, computed here from the built HTML (never
  'unsafe-inline'); 'wasm-unsafe-eval' lets the calculator's worker compile Pyodide's WebAssembly;
* styles: files of the site, plus the few ``style="..."`` attributes Markdown writes (table column
  alignment), by hash ('unsafe-hashes' applies hashes to attributes, nothing else);
* images: the site and data: URIs (the theme's icons live in its CSS as data: SVGs);
* fetch, workers (the calculator's Pyodide worker, the search worker, the offline service worker):
  the site itself; nothing else: no frames, no objects, no other origin, no form posting elsewhere.

It is one policy for the whole site (the union of every page's inline hashes), because instant
navigation swaps pages inside the first page loaded, whose policy then stays in force.

The step runs in ``on_post_build`` right after the pages (second in mkdocs.yml's hooks, which run in
the order listed): every page is already written by then, and the offline service worker, written
last (scripts/offline/hooks.py), lists the pages with their policy in place. A page with an inline event handler
(``onclick="..."``) or a ``javascript:`` link fails the build: the policy would silently block it.

Under ``mkdocs serve`` no policy is written: the live-reload script mkdocs injects is inline.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.security")

META_NAME = "Content-Security-Policy"
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_CHARSET = re.compile(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", re.I)
_OLD_META = re.compile(r"\s*<meta\s+http-equiv=\"Content-Security-Policy\"[^>]*>", re.I)

_state: dict = {"command": "build"}


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


class _Scan(HTMLParser):
    """Style attributes (their values, entities decoded), inline <style> text, inline event handlers
    and javascript: URLs of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.style_attributes: set[str] = set()
        self.styles: list[str] = []
        self.handlers: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name == "style":
                self.style_attributes.add(value)
            elif name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value[:60]!r}>")
            elif name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.handlers.append(f"<{tag} {name}={value[:60]!r}>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def _attrs(tag_rest: str) -> dict:
    return {m.group(1).lower(): html.unescape(m.group(3) or m.group(4) or m.group(5) or "")
            for m in re.finditer(r"([\w:-]+)(\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?", tag_rest)}


def inline_scripts(page: str) -> list[str]:
    """The text of every inline script the browser would run (not src=, not JSON data blocks)."""
    out = []
    for m in _SCRIPT.finditer(page):
        attrs = _attrs(m.group(1))
        if "src" in attrs or attrs.get("type", "").strip().lower() not in EXECUTABLE_TYPES:
            continue
        out.append(m.group(2))
    return out


def scan(page: str) -> dict:
    """{"scripts", "style_attributes", "styles", "handlers"} of one page."""
    s = _Scan()
    s.feed(page)
    s.close()
    return {"scripts": inline_scripts(page), "style_attributes": s.style_attributes, "styles": s.styles,
            "handlers": s.handlers}


def policy(script_hashes, style_hashes, *, header: bool = False) -> str:
    """The policy text. `header=True` adds what only an HTTP header can carry."""
    scripts = " ".join(sorted(set(script_hashes)))
    styles = " ".join(sorted(set(style_hashes)))
    directives = [
        "default-src 'none'",
        f"script-src 'self' 'wasm-unsafe-eval'{' ' + scripts if scripts else ''}",
        f"style-src 'self'{' ' + chr(39) + 'unsafe-hashes' + chr(39) + ' ' + styles if styles else ''}",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
    if header:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def html_files(site_dir: Path) -> list[Path]:
    return sorted(p for p in Path(site_dir).rglob("*.html") if p.is_file())


def site_policy(site_dir: Path) -> tuple[str, dict]:
    """The policy for the built site at `site_dir` and, per page, what was found."""
    scripts, styles, found = set(), set(), {}
    problems = []
    for path in html_files(site_dir):
        page = _OLD_META.sub("", path.read_text(encoding="utf-8"))
        info = scan(page)
        rel = path.relative_to(site_dir).as_posix()
        found[rel] = info
        scripts |= {sha256_source(s) for s in info["scripts"]}
        styles |= {sha256_source(s) for s in info["style_attributes"]} | {sha256_source(s) for s in info["styles"]}
        problems += [f"{rel}: {h}" for h in info["handlers"]]
    if problems:
        raise PluginError("以下页面含有内联事件处理或 javascript: 链接，内容安全策略（CSP）会阻止它们，"
                          "请改为在脚本文件中用 addEventListener：\n" + "\n".join(f"  {p}" for p in problems))
    return policy(scripts, styles), found


def meta_tag(text: str) -> str:
    return f'<meta http-equiv="{META_NAME}" content="{text.replace("&", "&amp;").replace(chr(34), "&quot;")}">'


def apply(site_dir: Path) -> str:
    """Write the site's policy into every page of `site_dir` (replacing an earlier one); return it."""
    site_dir = Path(site_dir)
    text, _ = site_policy(site_dir)
    tag = meta_tag(text)
    missing = []
    for path in html_files(site_dir):
        page = _OLD_META.sub("", path.read_text(encoding="utf-8"))
        m = _CHARSET.search(page)
        if m is None or _SCRIPT.search(page[: m.start()]):
            missing.append(path.relative_to(site_dir).as_posix())
            continue
        page = page[: m.end()] + "\n    " + tag + page[m.end():]
        path.write_text(page, encoding="utf-8")
    if missing:
        raise PluginError("以下页面没有 <meta charset=\"utf-8\">（或它前面就有脚本），无法在所有脚本之前写入内容安全策略："
                          + "、".join(missing))
    return text


def page_policy(page: str) -> str | None:
    """The policy in a built page's meta tag, or None."""
    m = re.search(r"<meta\s+http-equiv=\"Content-Security-Policy\"\s+content=\"([^\"]*)\"", page, re.I)
    return html.unescape(m.group(1)) if m else None


def on_startup(command, dirty):
    _state["command"] = command


def on_post_build(config):
    if _state.get("command") == "serve":
        log.info("mkdocs serve：不写入内容安全策略（实时刷新脚本是内联的）；mkdocs build 会写入")
        return
    text = apply(Path(config.site_dir))
    log.info(f"内容安全策略已写入每个页面：{text[:80]}…")

"""The built calculator page, wired to this build's runtime (run by scripts/calculator_page/hooks.py,
after the runtime is copied and before the service worker lists the files):

* the head's ``<link rel="preload">`` of ``pyodide.mjs`` (scripts/site/overrides/main.html, written
  against ``../assets/pyodide/``) points into the runtime's content-named directory of this build
  (scripts/runtime/assets.py); it is immutable, so the worker, which imports it first, finds it in the
  HTTP cache. The HTML preloads nothing else of the runtime: the worker asks for it itself, and the
  head's script preloads the interpreter on a slow link only (main.html and docs/calculator.md say why);
* ``#calculator`` carries ``data-runtime``: the runtime's directory, the wheel and the contents of
  pyodide-lock.json (docs/assets/calculator/runtime.js hands them to the worker), so that neither
  manifest.json nor pyodide-lock.json is a request on the way to the first result.
* the form data (form.json, from the content-named directory) is written into the page too, as the
  text of ``<template id="calculator-form" data-base="…">`` beside ``#calculator``, so that
  calculator.js builds the form, and asks for a share link's result, in the same task it is run,
  with no request (runtime.js uses it only while data-base is the directory its own modules came from:
  a page of another build reached by instant navigation reads that build's form.json). A template,
  not a ``<script type="application/json">``: the theme's instant navigation re-creates a page's
  inline scripts without their type, and the Content-Security-Policy then blocks the JSON as a script.
* the theme's script and the handbook's (the two ``<script src>`` at the end of the body) are not
  loaded by the page but listed in ``<template id="calculator-theme" data-scripts="…">``, which
  runtime.js loads (in order) once a household's result has been shown (a share link's, or the first
  run's), or when the reader first reaches for what the theme does (scrolls, or touches, focuses or
  types outside the calculator; runtime.js, loadTheme). The theme's document$ emits on
  DOMContentLoaded, so runtime.js sends that event again once the theme's script has run. On a phone
  with its CPU 4x slower the theme's script and what it forces (the page's layout, its components)
  kept the page's thread for 1-1.5 s between asking for a link's result and showing it, and for
  0.3-0.5 s after the form was shown; nothing in the form or the first result needs it (the drawer is
  a checkbox, links are links).
* the head's script that starts the worker (scripts/site/overrides/main.html, on this page only) gets
  the same ``data-runtime``, which it hands to the worker as its name: Python starts while the rest of
  the page (the theme's navigation, icons and script, the form) is still being parsed and run, and
  neither waits for the page's modules nor for a message from its busy thread (on a slow phone, the
  page CPU 4x slower, the content's own ``<script>`` came only once the page was parsed: 1.4-1.7 s
  after navigation). The content keeps calculator.js, which starts the worker itself when the page
  is reached by instant navigation (mkdocs-material replaces the content, not the head).

Before that, ``name_by_content`` moves the page's own files (its modules, its stylesheet and form.json,
all of what docs/assets/calculator/ holds but the downloads) into ``assets/calculator-<16 hex>/``, a
directory named by a sha256 over their names and bytes, and points the page at it: another build of
any of them is another path, so nginx keeps them a year as immutable (scripts/deploy/nginx.conf), the
service worker serves them from its cache first, and a returning visitor's browser asks the server for
none of them (make bench: a revisit's requests). The modules import each other by relative names, so a
directory, not a name per file, keeps their text as written; the directory sits beside
assets/calculator/, so ``../../`` from it is still the site root. ``manifest.json`` records it
(``calculator_base``) for whoever needs it outside the page.

Only attributes change: the page's Content-Security-Policy (inline-script hashes) stays valid.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path

PAGE = "calculator/index.html"
MANIFEST = "assets/calculator/manifest.json"
WRITTEN = 'href="../assets/pyodide/'
PRELOAD = f'<link rel="preload" {WRITTEN}pyodide.mjs" as="fetch" crossorigin fetchpriority="high">'
ROOT_DIV = re.compile(r'<div id="calculator"(?= )')
BOOT_SCRIPT = re.compile(r'<script data-calculator-boot(?= )')
THEME_SCRIPTS = re.compile(r'<script src="(\.\./(?:assets/javascripts/bundle|javascripts/handbook)\.[0-9a-f]{8}(?:\.min)?\.js)"></script>')
CALCULATOR_DIR = "assets/calculator"
# What moves into the content-named directory: the page's own code, style and form data. Not the
# wheel (its name carries its hash already), manifest.json, the roster downloads or pre-compressed
# copies (written later, scripts/deploy/precompress.py).
OWN_SUFFIXES = (".js", ".css")
OWN_NAMES = ("form.json",)
CONTENT_DIR = re.compile(r"^assets/calculator-[0-9a-f]{16}/$")


class PageError(RuntimeError):
    pass


def _own_files(source: Path) -> list[Path]:
    return sorted(p for p in source.iterdir()
                  if p.is_file() and (p.suffix in OWN_SUFFIXES or p.name in OWN_NAMES))


def name_by_content(site_dir: Path) -> str:
    """Move the page's own files from assets/calculator/ into assets/calculator-<hash>/, point the
    calculator page at them and record the directory in manifest.json; returns it (site-relative)."""
    site_dir = Path(site_dir)
    source = site_dir / CALCULATOR_DIR
    own = _own_files(source)
    if not any(p.name == "calculator.js" for p in own):
        raise PageError(f"{CALCULATOR_DIR}/calculator.js 不在构建结果里：docs/assets/calculator/ 应当有它")
    digest = hashlib.sha256()
    for p in own:
        digest.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    base = f"{CALCULATOR_DIR}-{digest.hexdigest()[:16]}/"
    for old in (site_dir / "assets").iterdir():  # an earlier build's (mkdocs serve, a --dirty build)
        if old.is_dir() and CONTENT_DIR.match(f"assets/{old.name}/") and f"assets/{old.name}/" != base:
            shutil.rmtree(old)
    dest = site_dir / base
    dest.mkdir(parents=True, exist_ok=True)
    for p in own:
        p.replace(dest / p.name)
    page = site_dir / PAGE
    text = page.read_text(encoding="utf-8")
    names = "|".join(re.escape(p.name) for p in own)
    text, n = re.subn(rf'(?<=")\.\./{CALCULATOR_DIR}/({names})(?=")', rf"../{base}\1", text)
    if not re.search(rf'<script type="module" src="\.\./{re.escape(base)}calculator\.js">', text):
        raise PageError(f"{PAGE}: 找不到 <script type=\"module\" src=\"../{CALCULATOR_DIR}/calculator.js\">："
                        "docs/calculator.md 应当保留它")
    page.write_text(text, encoding="utf-8")
    manifest_path = site_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["calculator_base"] = base
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return base


def wire(site_dir: Path) -> None:
    site_dir = Path(site_dir)
    page = site_dir / PAGE
    manifest = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    text = page.read_text(encoding="utf-8")
    if text.count(PRELOAD) != 1 or text.count(WRITTEN) != 1:
        raise PageError(f"{PAGE}: 应当有且只有一处运行环境的地址（{PRELOAD}…），是 <head> 里 pyodide.mjs 的 preload："
                        "scripts/site/overrides/main.html 应当在测算页的 <head> 里写出它")
    if len(ROOT_DIV.findall(text)) != 1:
        raise PageError(f"{PAGE}: 找不到唯一的 <div id=\"calculator\">：docs/calculator.md 应当保留它")
    base = manifest["pyodide_base"]
    text = text.replace(WRITTEN, f'href="../{base}')
    runtime = {"pyodide_base": base, "wheel": manifest["wheel"], "lock": manifest["lock"]}
    attr = html.escape(json.dumps(runtime, sort_keys=True, separators=(",", ":")), quote=True)
    text = ROOT_DIV.sub(f'<div id="calculator" data-runtime="{attr}"', text, count=1)
    if len(BOOT_SCRIPT.findall(text)) != 1:
        raise PageError(f"{PAGE}: 找不到唯一的 <script data-calculator-boot …>："
                        "scripts/site/overrides/main.html 应当在测算页的 <head> 里写出它")
    text = BOOT_SCRIPT.sub(f'<script data-calculator-boot data-runtime="{attr}"', text, count=1)
    own = manifest.get("calculator_base", CALCULATOR_DIR + "/")
    form_json = site_dir / own / "form.json"
    if not form_json.is_file():
        raise PageError(f"{own}form.json 不在构建结果里：scripts/calculator_page/form.py 应当写出它")
    data = json.dumps(json.loads(form_json.read_text(encoding="utf-8")), ensure_ascii=False, separators=(",", ":"))
    embedded = f'<template id="calculator-form" data-base="../{own}">{html.escape(data, quote=False)}</template>\n'
    text = ROOT_DIV.sub(lambda m: embedded + m.group(0), text, count=1)
    theme = THEME_SCRIPTS.findall(text)
    if len(theme) != 2:
        raise PageError(f"{PAGE}: 找到 {len(theme)} 个主题和手册的脚本（<script src=\"../assets/javascripts/bundle.….min.js\"> 和 "
                        "<script src=\"../javascripts/handbook.….js\">），应当各有一个")
    later = f'<template id="calculator-theme" data-scripts="{html.escape(" ".join(theme), quote=True)}"></template>'
    text = THEME_SCRIPTS.sub(lambda m: later if m.group(1) == theme[0] else "", text)
    page.write_text(text, encoding="utf-8")

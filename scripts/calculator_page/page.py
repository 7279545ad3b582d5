"""The built calculator page, wired to this build's runtime (run by scripts/calculator_page/hooks.py,
after the runtime is copied and before the service worker lists the files):

* the page's ``<link rel="preload">`` of the runtime files, written in docs/calculator.md against
  ``../assets/pyodide/``, point into the runtime's content-named directory of this build
  (scripts/runtime/assets.py), and the wheel and ``pyodide.mjs`` are preloaded too: all five are
  immutable, so the worker, which asks for them later, finds them in the HTTP cache without a round
  trip;
* ``#calculator`` carries ``data-runtime``: the runtime's directory, the wheel and the contents of
  pyodide-lock.json (docs/assets/calculator/runtime.js hands them to the worker), so that neither
  manifest.json nor pyodide-lock.json is a request on the way to the first result.

Only attributes change: the page's Content-Security-Policy (inline-script hashes) stays valid.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

PAGE = "calculator/index.html"
MANIFEST = "assets/calculator/manifest.json"
WRITTEN = 'href="../assets/pyodide/'
ROOT_DIV = re.compile(r'<div id="calculator"(?= )')


class PageError(RuntimeError):
    pass


def wire(site_dir: Path) -> None:
    site_dir = Path(site_dir)
    page = site_dir / PAGE
    manifest = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    text = page.read_text(encoding="utf-8")
    if WRITTEN not in text or len(ROOT_DIV.findall(text)) != 1:
        raise PageError(f"{PAGE}: 找不到运行环境的 preload（{WRITTEN}…）或唯一的 <div id=\"calculator\">："
                        "docs/calculator.md 应当保留它们")
    base = manifest["pyodide_base"]
    extra = (f'<link rel="preload" href="../{base}pyodide.mjs" as="fetch" crossorigin>\n'
             f'<link rel="preload" href="../{manifest["wheel"]}" as="fetch" crossorigin>\n')
    first = text.index('<link rel="preload" ' + WRITTEN)
    text = text[:first] + "@EXTRA@" + text[first:].replace(WRITTEN, f'href="../{base}')
    text = text.replace("@EXTRA@", extra, 1)
    runtime = {"pyodide_base": base, "wheel": manifest["wheel"], "lock": manifest["lock"]}
    attr = html.escape(json.dumps(runtime, sort_keys=True, separators=(",", ":")), quote=True)
    text = ROOT_DIV.sub(f'<div id="calculator" data-runtime="{attr}"', text, count=1)
    page.write_text(text, encoding="utf-8")

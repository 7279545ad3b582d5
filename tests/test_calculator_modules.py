"""The calculator page's JavaScript modules: docs/calculator.md preloads (<link rel=modulepreload>)
exactly the modules calculator.js imports, directly or through another module, so that none is
fetched one round trip late and none is fetched for nothing; and every import names a file that
exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
JS_DIR = REPO_ROOT / "docs" / "assets" / "calculator"
PAGE = REPO_ROOT / "docs" / "calculator.md"
STATIC_IMPORT = re.compile(r'^\s*(?:import|export)\s[^;]*?\sfrom\s+"\./([\w.-]+\.js)";', re.M)


def imported(entry: str) -> set[str]:
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        path = JS_DIR / name
        assert path.is_file(), f"{name} is imported but docs/assets/calculator/{name} does not exist"
        for dep in STATIC_IMPORT.findall(path.read_text(encoding="utf-8")):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def test_the_page_preloads_exactly_the_imported_modules():
    page = PAGE.read_text(encoding="utf-8")
    preloaded = set(re.findall(r'<link rel="modulepreload" href="\.\./assets/calculator/([\w.-]+\.js)">', page))
    modules = imported("calculator.js")
    assert modules, "calculator.js imports no module: the pattern no longer matches its imports"
    assert preloaded == modules, (f"not preloaded: {sorted(modules - preloaded)}; "
                                  f"preloaded but not imported: {sorted(preloaded - modules)}")

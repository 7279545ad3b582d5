"""mkdocs hook, third in mkdocs.yml (after the pages and their Content-Security-Policy): the calculator
page's Pyodide runtime and the calculator wheel (scripts.runtime.assets.copy_runtime), on behalf of
the calculator page only (ordinary pages never load it).

The wheel carries the policy bundle these pages were made from (the site's open-data
data/policy.json), not calculator/data/policy.json, which may be older or from another data
directory: a page and the calculator must never show different values."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

from scripts.runtime.assets import RuntimeAssetsMissing, copy_runtime
from scripts.site.opendata import BUNDLE_FILE
from scripts.site.handbook import CALCULATOR_PAGE

REPO_ROOT = Path(__file__).resolve().parents[2]


def on_post_build(config):
    if not (Path(config.docs_dir) / CALCULATOR_PAGE).is_file():
        return
    node_modules = REPO_ROOT / "scripts" / "npm" / "node_modules"
    if not node_modules.is_dir():
        raise PluginError(f"计算器页面需要 {node_modules}（Pyodide 运行环境）：请先运行 `make`"
                          "（它会执行 npm ci --prefix scripts/npm）")
    bundle_json = (Path(config.site_dir) / BUNDLE_FILE).read_text(encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            source = calculator_source(Path(tmp), bundle_json)
            copy_runtime(Path(config.site_dir), REPO_ROOT, wheel_src=source)
    except RuntimeAssetsMissing as exc:
        raise PluginError(str(exc)) from None


def calculator_source(tmp: Path, bundle_json: str) -> Path:
    """A copy of the calculator package in `tmp` whose data/policy.json is `bundle_json`."""
    shutil.copytree(REPO_ROOT / "calculator", tmp / "calculator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "policy.json"))
    (tmp / "calculator" / "data").mkdir(exist_ok=True)
    (tmp / "calculator" / "data" / "policy.json").write_text(bundle_json, encoding="utf-8")
    return tmp

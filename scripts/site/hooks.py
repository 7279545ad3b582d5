"""mkdocs hook, first in mkdocs.yml: the handbook's pages are generated from policy_data/ on every build.

* on_config: load and validate the policy data in-process (scripts.policydata.load), so the pages
  never come from a stale bundle; a data error stops the build with every problem listed as
  file, key path and line. The navigation is built from the data.
* on_files: the generated pages (scripts/site/templates/) and the open-data files (data/*.json,
  data/*.csv) are added as in-memory files.
* on_serve: `mkdocs serve` also watches a policy-data directory given by HANDBOOK_POLICY_DATA.

The steps after the pages are hooks of their own, listed in mkdocs.yml in the order they run: the
Content-Security-Policy (scripts/site/security.py), the Pyodide runtime (scripts/runtime/hooks.py),
the calculator page's form data (scripts/calculator_page/hooks.py) and the offline service worker
(scripts/offline/hooks.py). They read the bundle the pages were made from out of the built site
(data/policy.json, scripts.site.opendata.BUNDLE_FILE); nothing here knows of them.

Because the pages are produced at build time and never stored, they cannot be stale: there is no
`--check` mode to run (tests/site/ asserts on the built output instead).

Environment:
  HANDBOOK_POLICY_DATA  the policy-data directory (default: policy_data/ of this repository)
  HANDBOOK_AS_OF        the date whose standards the pages show, YYYY-MM-DD (default: today)
  HANDBOOK_SITE_URL     read by mkdocs.yml for site_url (default http://127.0.0.1:8000/)
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from scripts import policydata
from scripts.site import handbook, leaflets, opendata

REPO_ROOT = Path(__file__).resolve().parents[2]

log = logging.getLogger("mkdocs.hooks.handbook")

_state: dict = {}


def data_dir() -> Path:
    return Path(os.environ.get("HANDBOOK_POLICY_DATA") or REPO_ROOT / "policy_data").resolve()


def as_of() -> dt.date:
    raw = os.environ.get("HANDBOOK_AS_OF")
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise PluginError(f"HANDBOOK_AS_OF 应为 YYYY-MM-DD 格式的日期，实际是 {raw!r}") from None


def load_handbook(site_name: str = ""):
    """Validate the policy data and build the Handbook; a data error becomes a PluginError that names
    every problem (file, key, line) and nothing else."""
    # `mkdocs serve` re-runs this on every change: pick up edits to the generator too.
    importlib.reload(opendata)
    importlib.reload(handbook)
    importlib.reload(leaflets)
    where = data_dir()
    try:
        bundle = policydata.load(where)
    except policydata.DataErrors as exc:
        lines = "\n".join(f"  {e}" for e in exc.errors)
        raise PluginError(f"政策数据有 {len(exc.errors)} 处错误（{where}），手册无法生成：\n{lines}") from None
    bundle_json = policydata.dump(bundle)
    return handbook.Handbook(bundle, as_of(), bundle_json, site_name)


def on_config(config):
    hb = load_handbook(config.site_name)
    _state["handbook"] = hb
    if config.nav:
        raise PluginError("mkdocs.yml 不应写 nav：导航由 scripts/site/hooks.py 按政策数据生成")
    config.nav = hb.nav(handbook.HAND_WRITTEN) + leaflets.nav(hb)
    _add_search_words(hb.search_words())
    return config


def _add_search_words(words) -> None:
    """Teach the Chinese segmenter the names in the data, so that a search for a person, an office or a
    programme's short name matches the whole name."""
    try:
        import jieba
    except ImportError:  # the search-index test fails loudly when the index is not segmented
        log.warning("jieba 未安装：搜索索引不会按中文词语切分")
        return
    jieba.setLogLevel(logging.WARNING)
    for word in words:
        jieba.add_word(word)


def on_files(files, config):
    hb = _state["handbook"]
    try:
        generated = {**hb.pages(), **hb.data_files(), **leaflets.pages(hb, config.site_url),
                     **leaflets.qr_files(hb, config.site_url)}
    except leaflets.LeafletError as exc:
        raise PluginError(str(exc)) from None
    for src_uri, content in generated.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} 与生成的页面重名：该页面由 scripts/site/templates/ 生成，请删除 docs/{src_uri}")
        files.append(File.generated(config, src_uri, content=content))
    for uri in handbook.HAND_WRITTEN.values():
        if files.get_file_from_path(uri) is None:
            raise PluginError(f"缺少手写页面 docs/{uri}")
    return files


def on_serve(server, config, builder):
    where = data_dir()
    if where != (REPO_ROOT / "policy_data").resolve():
        server.watch(str(where))
    return server

"""The compiled policy bundle (calculator/data/policy.json, made by `make data`). The calculator reads
only this JSON, never YAML, so it runs unchanged under CPython and in Pyodide."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

SCHEMA = 1


class BundleMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _packaged() -> dict:
    try:
        text = resources.files("calculator").joinpath("data/policy.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BundleMissing("找不到政策数据 calculator/data/policy.json：请先运行 make data") from None
    return parse(text)


def parse(text: str) -> dict:
    bundle = json.loads(text)
    if bundle.get("schema") != SCHEMA:
        raise BundleMissing(f"政策数据格式版本 {bundle.get('schema')!r} 与测算器（{SCHEMA}）不符：请重新运行 make data")
    return bundle


def load_bundle(path=None) -> dict:
    """The packaged bundle, or the one at `path`."""
    if path is None:
        return _packaged()
    with open(path, encoding="utf-8") as f:
        return parse(f.read())


def index(bundle: dict, table: str) -> dict:
    """`{id: record}` for a list table of the bundle (offices, programmes, ...), cached on the bundle."""
    cache = bundle.setdefault("_index", {})
    if table not in cache:
        cache[table] = {r["id"]: r for r in bundle[table]}
    return cache[table]


def clause_index(bundle: dict) -> dict:
    """Every citable id: paragraphs and clauses of the town document, articles of national rules."""
    cache = bundle.setdefault("_index", {})
    if "clauses" not in cache:
        out = {}
        for p in bundle["document"]["paragraphs"]:
            out[p["id"]] = {"kind": "paragraph", "source": bundle["document"]["source"], "text": p["text"]}
        for c in bundle["document"]["clauses"]:
            out[c["id"]] = {"kind": "clause", "source": bundle["document"]["source"], "paragraph": c["paragraph"],
                            "text": c["quote"]}
        for s in bundle["sources"]:
            for a in s.get("articles") or []:
                out[a["id"]] = {"kind": "article", "source": s["id"], "label": a["label"], "text": a["summary"]}
        cache["clauses"] = out
    return cache["clauses"]

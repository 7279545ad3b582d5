"""The compiled policy bundle (calculator/data/policy.json, made by `make data`). The calculator reads
only this JSON, never YAML, so it runs unchanged under CPython and in Pyodide."""

from __future__ import annotations

import json
import os
from functools import lru_cache

SCHEMA = 1


class BundleMissing(RuntimeError):
    pass


# Beside this module, read by the module's own loader (a file, or a member of a zip on sys.path), not
# by importlib.resources, whose import took 20 ms of the calculator's start in Pyodide.
PACKAGED = os.path.join(os.path.dirname(__file__), "data", "policy.json")


@lru_cache(maxsize=1)
def _packaged() -> dict:
    try:
        text = __loader__.get_data(PACKAGED).decode("utf-8")
    except OSError:
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


class Cache(dict):
    """What is derived from a bundle, kept on it (`bundle["_index"]`) so that a different bundle never
    sees it. A copy of the bundle starts with an empty cache: a bundle copied and then edited (a test
    that publishes a standard) computes its own values instead of reading the original's."""

    def __copy__(self):
        return Cache()

    def __deepcopy__(self, memo):
        return Cache()


DAYS_KEPT = 32  # dates whose derived values are kept per bundle (an estimate's date, a roster's date)


def caches(bundle: dict) -> Cache:
    """The bundle's cache of derived values (made on first use)."""
    cache = bundle.get("_index")
    if type(cache) is not Cache:
        cache = bundle["_index"] = Cache()
    return cache


def derived(bundle: dict, key: str, make):
    """make(bundle), computed once per bundle and kept in its cache under `key` (read-only for callers)."""
    cache = caches(bundle)
    if key not in cache:
        cache[key] = make(bundle)
    return cache[key]


def dated(bundle: dict, day: str) -> dict:
    """The cache of what depends only on the bundle and one date (YYYY-MM-DD): the values in force, the
    next steps worded for that date. The oldest date is dropped past DAYS_KEPT."""
    days = caches(bundle).setdefault("days", {})
    entry = days.get(day)
    if entry is None:
        if len(days) >= DAYS_KEPT:
            days.pop(next(iter(days)))
        entry = days[day] = {}
    return entry


def index(bundle: dict, table: str) -> dict:
    """`{id: record}` for a list table of the bundle (offices, programmes, ...), cached on the bundle."""
    return derived(bundle, table, lambda b: {r["id"]: r for r in b[table]})


def clause_index(bundle: dict) -> dict:
    """Every citable id: paragraphs and clauses of the town document, articles of national rules."""
    return derived(bundle, "clauses", _clause_index)


def _clause_index(bundle: dict) -> dict:
    out = {}
    for p in bundle["document"]["paragraphs"]:
        out[p["id"]] = {"kind": "paragraph", "source": bundle["document"]["source"], "text": p["text"]}
    for c in bundle["document"]["clauses"]:
        out[c["id"]] = {"kind": "clause", "source": bundle["document"]["source"], "paragraph": c["paragraph"],
                        "text": c["quote"]}
    for s in bundle["sources"]:
        for a in s.get("articles") or []:
            out[a["id"]] = {"kind": "article", "source": s["id"], "label": a["label"], "text": a["summary"]}
    return out

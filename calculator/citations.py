"""The one citation of a clause id, for the handbook's pages, the calculator's results (page and
command line) and the roster: `citation(bundle, id)` gives its label, the page it lives on and the
anchor there. The town document's paragraphs and clauses are on original.md, national articles on
national.md."""

from __future__ import annotations

from .bundle import caches, clause_index, derived, index

ORIGINAL_PAGE = "original.md"
ARTICLE_PAGE = "national.md"
TOWN_PREFIX = "镇《实施意见》"
PART_CN = {"notice": "印发通知", "opinion": "前言", "attachment": "附件"}


def paragraph_label(bundle: dict, para: str) -> str:
    """Where a paragraph of the town document stands: 第十部分（二）, 前言, 附件."""
    sec = derived(bundle, "section_of", lambda b: {pid: s for s in b["sections"] for pid in s["paragraphs"]}).get(para)
    if sec:
        label = f"第{sec['number']}部分"
        for part in sec.get("parts") or []:
            if part["id"] == para:
                label += part["number"]
        return label
    part = next(p["part"] for p in bundle["document"]["paragraphs"] if p["id"] == para)
    return PART_CN[part]


def citation(bundle: dict, clause_id: str) -> dict:
    """{"label", "page", "anchor", "text", "kind"} of a citable id (KeyError for an unknown one)."""
    return dict(_citation(bundle, clause_id))


def _citation(bundle: dict, clause_id: str) -> dict:
    """The citation of an id, worded once per bundle (shared: callers get a copy)."""
    cache = caches(bundle).setdefault("citations", {})
    found = cache.get(clause_id)
    if found is None:
        found = cache[clause_id] = _word(bundle, clause_id)
    return found


def _word(bundle: dict, clause_id: str) -> dict:
    info = clause_index(bundle)[clause_id]
    if info["kind"] == "article":
        source = index(bundle, "sources")[info["source"]]
        return {"label": f"《{source['title']}》{info['label']}", "page": ARTICLE_PAGE, "anchor": clause_id,
                "text": info["text"], "kind": "article"}
    para = clause_id if info["kind"] == "paragraph" else info["paragraph"]
    return {"label": TOWN_PREFIX + paragraph_label(bundle, para), "page": ORIGINAL_PAGE, "anchor": clause_id,
            "text": info["text"], "kind": info["kind"]}


def source_label(bundle: dict, source_id: str) -> str:
    """A registered source as a resident reads it: 《title》, with its document number if it has one
    (as the handbook's pages name a contact's source)."""
    source = index(bundle, "sources")[source_id]
    return f"《{source['title']}》" + (f"（{source['number']}）" if source.get("number") else "")


def cite(bundle: dict, clause_id: str) -> str:
    """The label alone, for plain text (the command line's report)."""
    return _citation(bundle, clause_id)["label"]


class _Labels(dict):
    def __init__(self, bundle: dict):
        super().__init__()
        self.bundle = bundle

    def __missing__(self, clause_id: str) -> str:
        label = self[clause_id] = cite(self.bundle, clause_id)
        return label


def labels(bundle: dict) -> dict:
    """{clause id: cite(bundle, clause id)}, filled on first use (for the many labels of one result)."""
    return derived(bundle, "labels", _Labels)

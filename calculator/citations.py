"""Human-readable citations for clause ids: the town document's section, or a national rule's article."""

from __future__ import annotations

from .bundle import clause_index, index

SECTION_CN = {f"s{i}": n for i, n in enumerate("一二三四五六七八九十", start=1)}


def cite(bundle: dict, clause_id: str) -> str:
    info = clause_index(bundle)[clause_id]
    source = index(bundle, "sources")[info["source"]]
    if info["kind"] == "article":
        return f"《{source['title']}》{info['label']}"
    paragraph = info.get("paragraph", clause_id)
    section = paragraph.split("-")[0]
    where = f"第{SECTION_CN[section]}部分" if section in SECTION_CN else {"preamble": "前言"}.get(section, "")
    return f"镇《实施意见》{where}".rstrip()

"""Dating a rule by the text it follows: a condition that the law (or a later national text) adds or
changes applies from the day that text took effect, read from the data (the article's source), so
that a case dated the day before gets the earlier rule and its citation."""

from __future__ import annotations

from ..bundle import clause_index, index


def in_force(ctx, clause_id: str) -> bool:
    """Whether the text of a citable id is in force on the estimate's date (town clauses: always)."""
    info = clause_index(ctx.bundle)[clause_id]
    source = index(ctx.bundle, "sources")[info["source"]]
    start = source.get("in_force") or source.get("date")
    return start is None or start <= ctx.params.as_of.isoformat()


def first_in_force(ctx, *clause_ids: str) -> str | None:
    """The first of several citable ids (newest text first) whose text is in force, or None."""
    return next((c for c in clause_ids if in_force(ctx, c)), None)

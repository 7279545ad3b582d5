"""司法救助: named in clause s4-other ("积极开展司法救助") without conditions of its own; the rule points a
household in hardship through a case to the office that decides ("possible" at best)."""

from __future__ import annotations

from ..rules import POSSIBLE, Context, Outcome, combine, flag

ID = "judicial_aid"
PARAMETERS = ()
READS = ()


def evaluate(ctx: Context) -> Outcome:
    return combine([flag(ctx, "legal_case", "涉案涉法、因案致困", "没有涉案涉法的情况", "s4-other")], best=POSSIBLE)

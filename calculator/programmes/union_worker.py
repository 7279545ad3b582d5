"""困难职工救助: named in clause s4-other; the rule points a household with a worker in hardship
to the union ("possible" at best)."""

from __future__ import annotations

from ..rules import POSSIBLE, Context, Outcome, combine, flag

ID = "union_worker"
PARAMETERS = ()
READS = ()


def evaluate(ctx: Context) -> Outcome:
    return combine([flag(ctx, "hardship_worker", "家中有生活困难的职工", "家中没有困难职工", "s4-other")],
                   best=POSSIBLE)

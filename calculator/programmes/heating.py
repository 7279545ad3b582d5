"""取暖救助: named in clause s4-other without conditions of its own; the rule points the low-income
households (低保, 特困, 低保边缘 by this estimate) to the office ("possible" at best)."""

from __future__ import annotations

from ..rules import LOW_INCOME, POSSIBLE, Context, Outcome, combine

ID = "heating"
PARAMETERS = ()
READS = LOW_INCOME


def evaluate(ctx: Context) -> Outcome:
    return combine([ctx.low_income_condition()], best=POSSIBLE)

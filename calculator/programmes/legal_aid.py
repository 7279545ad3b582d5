"""法律援助: the document names it without conditions of its own (clause s4-other, "积极开展法律援助");
the rule points a low-income household with a legal matter to 司法所, which decides ("possible" at best)."""

from __future__ import annotations

from ..rules import LOW_INCOME, POSSIBLE, Context, Outcome, combine, flag

ID = "legal_aid"
PARAMETERS = ()
READS = LOW_INCOME


def evaluate(ctx: Context) -> Outcome:
    return combine([flag(ctx, "legal_case", "涉案涉法、需要法律帮助", "没有涉案涉法的情况", "s4-other"),
                    ctx.low_income_condition()], best=POSSIBLE)

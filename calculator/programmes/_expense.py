"""The expense-type 临时救助 (支出型) shared by two programmes (clause s5-expense, nat-f-kinds): the need,
self-paid costs, assets; "possible" at best — whether the burden is "过重" is the office's judgement —
and the amount by the programme's `amount` spec."""

from __future__ import annotations

from decimal import Decimal

from ..money import cn_yuan
from ..rules import POSSIBLE, Condition, Context, Outcome, combine, missing_of, positive


def expense_relief(ctx: Context, need: Condition, spent_id: str, spent: Decimal | None, what: str,
                   spent_clause: str) -> Outcome:
    paid = positive(spent)
    if paid is None:
        expenses = Condition(spent_id, None, f"近12个月自付{what}费用：未填写", spent_clause,
                             missing=missing_of(f"{spent_id}_yuan"))
    else:
        expenses = Condition(spent_id, paid, f"近12个月自付{what}费用{cn_yuan(spent)}"
                             + ("；是否“负担过重”由民政办审核" if paid else f"，没有自付{what}支出"), spent_clause)
    outcome = combine([need, expenses, ctx.assets_condition("nat-f-kinds")], soft=("assets",), best=POSSIBLE)
    if outcome.status != "unlikely":
        outcome.amount = ctx.amount()
    return outcome

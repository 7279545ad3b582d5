"""The expense-type 临时救助 (支出型) shared by two programmes (clause s5-expense, nat-f-kinds): the need,
self-paid costs, assets; "possible" at best — whether the burden is "过重" is the office's judgement —
and the amount by the programme's `amount` spec. The 2018 opinion (nat-f-kinds) adds: the family's
per-capita disposable income "原则上" below last year's local per-capita disposable income (the same
pending figure as 刚性支出困难家庭's, INCOME_THRESHOLD); while it is pending the condition is unknown but
soft (the result stays "possible" and says what the figure would have to be)."""

from __future__ import annotations

from decimal import Decimal

from ..money import cn_yuan
from ..rules import POSSIBLE, Condition, Context, Outcome, combine, missing_of, positive


INCOME_THRESHOLD = "rigid_expense.income_threshold_yearly"  # rules using expense_relief declare it


def income_below_disposable(ctx: Context) -> Condition:
    yearly = ctx.per_capita * 12
    threshold = ctx.p(INCOME_THRESHOLD)
    if threshold is None:
        return Condition("income_below_disposable", None,
                         f"家庭人均年收入{cn_yuan(yearly)}；原则上应低于上年度当地居民人均可支配收入（待公布），"
                         f"该数字须高于{cn_yuan(yearly)}", "nat-f-kinds",
                         missing="上年度当地居民人均可支配收入（待公布）")
    met = yearly < threshold
    return Condition("income_below_disposable", met,
                     f"家庭人均年收入{cn_yuan(yearly)}{'低于' if met else '不低于'}上年度当地居民人均可支配收入"
                     f"{cn_yuan(threshold)}", "nat-f-kinds")


def expense_relief(ctx: Context, need: Condition, spent_id: str, spent: Decimal | None, what: str,
                   spent_clause: str) -> Outcome:
    paid = positive(spent)
    if paid is None:
        expenses = Condition(spent_id, None, f"近12个月自付{what}费用：未填写", spent_clause,
                             missing=missing_of(f"{spent_id}_yuan"))
    else:
        expenses = Condition(spent_id, paid, f"近12个月自付{what}费用{cn_yuan(spent)}"
                             + ("；是否“负担过重”由民政办审核" if paid else f"，没有自付{what}支出"), spent_clause)
    outcome = combine([need, expenses, income_below_disposable(ctx), ctx.assets_condition("nat-f-kinds")],
                      soft=("assets", "income_below_disposable"), best=POSSIBLE)
    if outcome.status != "unlikely":
        outcome.amount = ctx.amount()
    return outcome

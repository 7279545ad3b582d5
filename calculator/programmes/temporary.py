"""The expense-type 临时救助 (支出型) shared by two programmes: a range of multiples of the URBAN monthly
低保 standard, whatever the household's area (town document 五, clause s5-expense)."""

from __future__ import annotations

from decimal import Decimal

from ..money import plain, yuan_str
from ..rules import POSSIBLE, Condition, Context, Outcome, combine


def urban_range(ctx: Context, low_param: str, high_param: str) -> dict:
    lo, hi = ctx.p(low_param), ctx.p(high_param)
    base = ctx.standard("urban")
    return {"min_yuan": yuan_str(None if base is None else base * lo),
            "max_yuan": yuan_str(None if base is None else base * hi),
            "min_multiple": plain(lo), "max_multiple": plain(hi),
            "parameter": "dibao.urban_monthly_standard", "multiple_parameters": [low_param, high_param],
            "text": f"城市低保月标准的{plain(lo)}至{plain(hi)}倍（不分城乡，都按城市标准）"
                    + ("" if base is not None else "；城市低保标准待公布，暂只能给出倍数")}


def expense_relief(ctx: Context, need: Condition, spent_id: str, spent: Decimal, what: str, spent_clause: str,
                   low_param: str, high_param: str) -> Outcome:
    """支出型 relief: the need (an illness, a child at school), self-paid costs, assets; "possible" at
    best — whether the burden is "过重" is the office's judgement — with the urban-standard range."""
    paid = spent > 0
    expenses = Condition(spent_id, paid, f"近12个月自付{what}费用 {yuan_str(spent)} 元"
                         + ("；是否“负担过重”由民政办审核" if paid else f"，没有自付{what}支出"), spent_clause)
    outcome = combine([need, expenses, ctx.assets_condition("nat-f-kinds")], soft=("assets",), best=POSSIBLE)
    if outcome.status != "unlikely":
        outcome.amount = urban_range(ctx, low_param, high_param)
    return outcome

"""支出型临时救助 for a 重特大疾病 (clause s5-expense; 支出型 in national rules: nat-f-kinds, essential
spending beyond what the family can bear, assets within limits); the amount is the programme's
`amount` spec. The document sets no threshold for "负担过重": the office judges it."""

from __future__ import annotations

from ..rules import Condition, Context, Outcome, members_with, missing_of
from ._expense import INCOME_THRESHOLD, expense_relief

ID = "temporary_medical"
PARAMETERS = ("dibao.urban_monthly_standard", "temporary.medical_multiple_min", "temporary.medical_multiple_max",
              INCOME_THRESHOLD)
READS = ()


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    ill, met = members_with(ctx, "serious_illness")
    illness = Condition("serious_illness", met,
                        ("患重特大疾病：" + "、".join(ill)) if ill else "没有成员患重特大疾病" if met is False
                        else f"{missing_of('serious_illness')}：有成员未填写", "s5-expense",
                        missing=missing_of("serious_illness") if met is None else None)
    return expense_relief(ctx, illness, "medical_expenses", h.medical_expenses_yuan, "医疗", "nat-f-kinds")

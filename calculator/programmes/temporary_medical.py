"""支出型临时救助 for a 重特大疾病: 3–12× the urban monthly 低保 standard (clause s5-expense); 支出型
in national rules: essential spending beyond what the family can bear, assets within limits
(民发〔2018〕23号). The document sets no threshold for "负担过重": the office judges it."""

from __future__ import annotations

from ..money import yuan_str
from ..rules import POSSIBLE, Condition, Context, Outcome, combine, member_name
from .temporary import urban_range

ID = "temporary_medical"


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    ill = [member_name(i, m) for i, m in enumerate(h.members) if m.serious_illness]
    illness = Condition("serious_illness", bool(ill),
                        ("患重特大疾病：" + "、".join(ill)) if ill else "没有成员患重特大疾病", "s5-expense")
    spent = h.medical_expenses_yuan > 0
    expenses = Condition("medical_expenses", spent,
                         f"近12个月自付医疗费用 {yuan_str(h.medical_expenses_yuan)} 元"
                         + ("；是否“负担过重”由民政办审核" if spent else "，没有自付医疗支出"), "nat-f-kinds")
    outcome = combine([illness, expenses, ctx.assets_condition("nat-f-kinds")], soft=("assets",), best=POSSIBLE)
    if outcome.status != "unlikely":
        outcome.amount = urban_range(ctx, "temporary.medical_multiple_min", "temporary.medical_multiple_max")
    return outcome

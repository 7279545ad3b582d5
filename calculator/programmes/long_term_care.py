"""特殊困难家庭人员长效救助 (clause s6-longterm): a low-income household with sustained medical,
education or care costs ("possible" at best)."""

from __future__ import annotations

from ..money import cn_yuan
from ..rules import LOW_INCOME, POSSIBLE, Condition, Context, Outcome, combine

ID = "long_term_care"
PARAMETERS = ()
READS = LOW_INCOME


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    ongoing = h.medical_expenses_yuan > 0 or h.education_expenses_yuan > 0 or any(
        m.serious_illness or m.disability is not None for m in h.members)
    text = (f"有持续性支出：近12个月自付医疗{cn_yuan(h.medical_expenses_yuan)}、教育"
            f"{cn_yuan(h.education_expenses_yuan)}，或有重病、残疾成员") if ongoing else "没有持续性的医疗、教育或护理支出"
    return combine([Condition("sustained_expense", ongoing, text, "s6-longterm"), ctx.low_income_condition()],
                   best=POSSIBLE)

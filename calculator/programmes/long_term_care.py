"""特殊困难家庭人员长效救助 (clause s6-longterm): a low-income household with sustained medical,
education or care costs ("possible" at best)."""

from __future__ import annotations

from ..money import cn_yuan
from ..rules import LOW_INCOME, POSSIBLE, Condition, Context, Outcome, any_of, combine, disabled, missing_of, positive

ID = "long_term_care"
PARAMETERS = ()
READS = LOW_INCOME


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    ongoing = any_of([positive(h.medical_expenses_yuan), positive(h.education_expenses_yuan),
                      *(any_of([disabled(m), m.serious_illness]) for m in h.members)])
    unknown = [k for k, v in (("medical_expenses_yuan", h.medical_expenses_yuan),
                              ("education_expenses_yuan", h.education_expenses_yuan),
                              ("serious_illness", any_of(m.serious_illness for m in h.members)),
                              ("disability", any_of(disabled(m) for m in h.members))) if v is None]
    spent = "、".join(f"{what}{cn_yuan(v)}" for what, v in (("医疗", h.medical_expenses_yuan),
                                                          ("教育", h.education_expenses_yuan)) if v is not None)
    text = (f"有持续性支出：近12个月自付{spent or '费用未填写'}，或有重病、残疾成员" if ongoing else
            "没有持续性的医疗、教育或护理支出" if ongoing is False else f"{missing_of(*unknown)}：未填写")
    return combine([Condition("sustained_expense", ongoing, text, "s6-longterm",
                              missing=missing_of(*unknown) if ongoing is None else None),
                    ctx.low_income_condition()], best=POSSIBLE)

"""医疗救助: 重大疾病救助 for the hospital costs of poor households (clause s4-medical); 齐惠保 as
supplementary insurance (s4-qihuibao). The office decides; the estimate says "possible" at best."""

from __future__ import annotations

from ..money import cn_yuan
from ..rules import LOW_INCOME, POSSIBLE, Condition, Context, Outcome, combine, member_name

ID = "medical"
PARAMETERS = ()
READS = LOW_INCOME


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    ill = [member_name(i, m) for i, m in enumerate(h.members) if m.serious_illness]
    need = bool(ill) or h.medical_expenses_yuan > 0
    text = ("患重大疾病：" + "、".join(ill)) if ill else (
        f"近12个月自付医疗费用{cn_yuan(h.medical_expenses_yuan)}" if need else "没有成员患重大疾病，也没有自付医疗费用")
    outcome = combine([ctx.low_income_condition(), Condition("medical_need", need, text, "s4-medical")], best=POSSIBLE)
    outcome.notes.append("可了解“齐惠保”等普惠型补充医疗保险。")
    return outcome

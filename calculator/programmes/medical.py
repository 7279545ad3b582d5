"""医疗救助: 重大疾病救助 for the hospital costs of poor households (clause s4-medical); 齐惠保 as
supplementary insurance (s4-qihuibao). The office decides; the estimate says "possible" at best."""

from __future__ import annotations

from ..money import cn_yuan
from ._door import DOOR_READS, door
from ..rules import (LOW_INCOME, POSSIBLE, Condition, Context, Outcome, any_of, combine, members_with, missing_of,
                     positive)

ID = "medical"
PARAMETERS = ()
READS = DOOR_READS


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    ill, illness = members_with(ctx, "serious_illness")
    need = any_of([illness, positive(h.medical_expenses_yuan)])
    unknown = [k for k, v in (("serious_illness", illness), ("medical_expenses_yuan", h.medical_expenses_yuan))
               if v is None]
    text = ("患重大疾病：" + "、".join(ill)) if ill else (
        f"近12个月自付医疗费用{cn_yuan(h.medical_expenses_yuan)}" if need else
        "没有成员患重大疾病，也没有自付医疗费用" if need is False else f"{missing_of(*unknown)}：未填写")
    outcome = combine([door(ctx, "law-24"),
                       Condition("medical_need", need, text, "s4-medical",
                                 missing=missing_of(*unknown) if need is None else None)], best=POSSIBLE)
    outcome.notes.append("可了解“齐惠保”等普惠型补充医疗保险。")
    return outcome

"""意外伤害保险 for special hardship groups (clause s4-insurance, "鼓励为特殊困难群体购买意外伤害保险"):
特困 by this estimate, or a severely disabled member by the one parameter dibao.severe_disability_grades
(the same that 低保 单人保 uses). "possible" at best."""

from __future__ import annotations

from ..rules import (LIKELY, POSSIBLE, SEVERE_DISABILITY, UNKNOWN, Condition, Context, Outcome, combine,
                     member_name, severely_disabled)

ID = "accident_insurance"
PARAMETERS = (SEVERE_DISABILITY,)
READS = ("tekun",)


def evaluate(ctx: Context) -> Outcome:
    tekun = ctx.outcome("tekun").status
    severe = [member_name(i, m) for i, m in enumerate(ctx.household.members) if severely_disabled(ctx, m)]
    is_tekun = tekun in (LIKELY, POSSIBLE)
    met = True if is_tekun or severe else (None if tekun == UNKNOWN else False)
    parts = (["可能属于特困人员"] if is_tekun else []) + (["重度残疾：" + "、".join(severe)] if severe else [])
    waits = "、".join(ctx.outcome("tekun").missing) or "当地低保标准等信息"  # what 特困 itself waits for
    text = "；".join(parts) or ("不属于特困人员或重度残疾人" if met is False else f"是否特困人员：待{waits}确定")
    return combine([Condition("special_group", met, text, "s4-insurance",
                              missing=waits if met is None else None)], best=POSSIBLE)

"""意外伤害保险 for special hardship groups (clause s4-insurance, "鼓励为特殊困难群体购买意外伤害保险"):
特困 by this estimate, or a severely disabled member by the one parameter dibao.severe_disability_grades
(the same that 低保 单人保 uses). "possible" at best."""

from __future__ import annotations

from ..rules import (DEPENDS, LIKELY, POSSIBLE, SEVERE_DISABILITY, UNLIKELY, Condition, Context, Outcome, combine,
                     member_name, missing_of, severely_disabled)

ID = "accident_insurance"
PARAMETERS = (SEVERE_DISABILITY,)
READS = ("tekun",)


def evaluate(ctx: Context) -> Outcome:
    tekun = ctx.outcome("tekun")
    members = ctx.household.members
    severe = [member_name(i, m) for i, m in enumerate(members) if severely_disabled(ctx, m)]
    open_ = [member_name(i, m) for i, m in enumerate(members) if severely_disabled(ctx, m) is None]
    is_tekun = tekun.status in (LIKELY, POSSIBLE)
    met = True if is_tekun or severe else (False if tekun.status == UNLIKELY and not open_ else None)
    parts = (["可能属于特困人员"] if is_tekun else []) + (["重度残疾：" + "、".join(severe)] if severe else [])
    # waiting only on a pending standard: 特困 depends on it, and every member's disability is known
    waits = tekun.needs() if met is None and tekun.status == DEPENDS and not open_ else []
    # what 特困 itself waits for, and the members' disability: each once (特困 may wait for it too)
    missing = "、".join(dict.fromkeys([*(tekun.missing if tekun.status != UNLIKELY else []),
                                      *([missing_of("disability")] if open_ else [])])) or "当地低保标准等信息"
    text = "；".join(parts) or ("不属于特困人员或重度残疾人" if met is False else
                                "是否特困人员取决于当地低保标准（见特困人员救助供养）" if waits else
                                f"不属于特困人员；是否重度残疾：{'、'.join(open_)}的{missing_of('disability')}未填写"
                                if tekun.status == UNLIKELY else
                                f"是否特困人员或重度残疾人：待{missing}确定")
    return combine([Condition("special_group", met, text, "s4-insurance",
                              missing=missing if met is None else None, needs=waits)], best=POSSIBLE)

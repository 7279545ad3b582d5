"""关爱服务（牵手关爱、希望小屋、春蕾计划） (clause s4-care): a household with minors (under parameter
tekun.minor_age_limit) that is a low-income or a 三留守 household ("possible" at best)."""

from __future__ import annotations

from ..rules import LOW_INCOME, POSSIBLE, Condition, Context, Outcome, combine, member_name

ID = "care_services"
PARAMETERS = ("tekun.minor_age_limit",)
READS = LOW_INCOME


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    minor = ctx.p("tekun.minor_age_limit")
    children = [member_name(i, m) for i, m in enumerate(h.members) if m.age < minor]
    if h.left_behind:
        need = Condition("hardship_or_left_behind", True, "“三留守”家庭", "s4-care")
    else:
        low = ctx.low_income_condition()
        need = Condition("hardship_or_left_behind", low.met,
                         {True: "困难家庭（低保、特困或低保边缘家庭）", False: "不属于困难家庭或“三留守”家庭"}.get(
                             low.met, low.text), "s4-care", missing=low.missing, needs=low.needs)
    return combine([
        Condition("children", bool(children), ("家中有未成年人：" + "、".join(children)) if children else "家中没有未成年人",
                  "s4-care"),
        need,
    ], best=POSSIBLE)

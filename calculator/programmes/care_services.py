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
    need = True if h.left_behind else ctx.low_income_household()
    return combine([
        Condition("children", bool(children), ("家中有未成年人：" + "、".join(children)) if children else "家中没有未成年人",
                  "s4-care"),
        Condition("hardship_or_left_behind", need, "困难家庭或“三留守”家庭" if need else
                  ("不属于困难家庭或“三留守”家庭" if need is False else "是否困难家庭：待低保标准或财产情况确定"),
                  "s4-care", missing="当地低保标准或家庭财产情况" if need is None else None),
    ], best=POSSIBLE)

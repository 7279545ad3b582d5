"""关爱服务（牵手关爱、希望小屋、春蕾计划） (clause s4-care): a household with minors (under parameter
tekun.minor_age_limit) that is a low-income or a 三留守 household ("possible" at best)."""

from __future__ import annotations

from ..rules import LOW_INCOME, POSSIBLE, Condition, Context, Outcome, any_of, combine, member_name, missing_of

ID = "care_services"
PARAMETERS = ("tekun.minor_age_limit",)
READS = LOW_INCOME


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    minor = ctx.p("tekun.minor_age_limit")
    children = [member_name(i, m) for i, m in enumerate(h.members) if m.age < minor]
    low = ctx.low_income_condition()
    need = any_of([h.left_behind, low.met])
    # waiting only on the standard (the household answered 不是“三留守”): the break-even of the low-income door
    waits_on = low.needs if need is None and h.left_behind is False else []
    waits = "、".join(([] if low.met is not None else ["当地低保标准或家庭财产情况"])
                      + ([missing_of("left_behind")] if h.left_behind is None else []))
    return combine([
        Condition("children", bool(children), ("家中有未成年人：" + "、".join(children)) if children else "家中没有未成年人",
                  "s4-care"),
        Condition("hardship_or_left_behind", need, "困难家庭或“三留守”家庭" if need else
                  ("不属于困难家庭或“三留守”家庭" if need is False else low.text if waits_on else
                   f"是否困难家庭或“三留守”家庭：待{waits}确定"),
                  "s4-care", missing=(low.missing if waits_on else waits) if need is None else None, needs=waits_on),
    ], best=POSSIBLE)

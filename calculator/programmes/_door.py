"""The door to a special programme: the household is 特困, 低保 or 低保边缘 (nat-e-edge); from the day
the 社会救助法 took effect also 刚性支出困难家庭, for the programmes whose article says so (医疗 第二十四条,
教育 第二十五条, 住房 第二十六条). Rules that use it declare READS = DOOR_READS."""

from __future__ import annotations

from ..rules import LIKELY, LOW_INCOME, POSSIBLE, UNLIKELY, Condition
from ._law import in_force

DOOR_READS = (*LOW_INCOME, "rigid_expense")


def door(ctx, article: str) -> Condition:
    """The low-income condition, widened to 刚性支出困难家庭 once `article` is in force."""
    base = ctx.low_income_condition()
    if not in_force(ctx, article):
        return base
    rigid = ctx.outcome("rigid_expense").status
    if base.met is True or rigid in (LIKELY, POSSIBLE):
        met = True
    elif base.met is False and rigid == UNLIKELY:
        met = False
    else:
        met = None
    missing = None
    if met is None:
        parts = [base.missing] if base.met is None and base.missing else []
        if rigid not in (LIKELY, POSSIBLE, UNLIKELY):
            parts.append("刚性支出困难家庭的当地标准（待公布）")
        missing = "；".join(parts)
    if met is None and base.needs:  # above the low-income break-even the door is open whatever 刚性支出 gives
        above = base.needs[0]
        return Condition("low_income_household", None,
                         f"{base.text.replace('（见上面的测算）', '')}；标准不高于这个数时，还要看是否属于刚性支出困难家庭"
                         "（见上面的测算）", article, missing=missing or None, needs=[above])
    return Condition("low_income_household", met,
                     "家庭属于特困、低保、低保边缘或刚性支出困难家庭（见上面的测算）", article,
                     missing=missing or None)

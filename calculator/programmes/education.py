"""教育救助: students of special-hardship families — school costs waived or subsidised, plus a living
allowance by school stage (clause s4-education)."""

from __future__ import annotations

from ..household import STUDENT_STAGES
from ._door import DOOR_READS, door
from ..rules import LOW_INCOME, POSSIBLE, Condition, Context, Outcome, combine, member_name

ID = "education"
PARAMETERS = ()
READS = DOOR_READS


def evaluate(ctx: Context) -> Outcome:
    students = [f"{member_name(i, m)}在读{STUDENT_STAGES[m.student]}"
                for i, m in enumerate(ctx.household.members) if m.student]
    cond = Condition("student", bool(students),
                     ("在校学生：" + "；".join(students)) if students else "家中没有在校学生", "s4-education")
    return combine([door(ctx, 'law-25'), cond], best=POSSIBLE)

"""教育救助: students of special-hardship families — school costs waived or subsidised, plus a living
allowance by school stage (clause s4-education)."""

from __future__ import annotations

from ._door import DOOR_READS, door
from ..rules import LOW_INCOME, POSSIBLE, Context, Outcome, combine, student_condition

ID = "education"
PARAMETERS = ()
READS = DOOR_READS


def evaluate(ctx: Context) -> Outcome:
    cond = student_condition(ctx, "student", "在校学生", "家中没有在校学生", "s4-education")
    return combine([door(ctx, 'law-25'), cond], best=POSSIBLE)

"""支出型临时救助 for children's self-paid education costs (clause s5-expense); the amount is the
programme's `amount` spec (a range of multiples of the urban standard). The document sets no threshold
for "负担过重": the office judges it."""

from __future__ import annotations

from ..household import STUDENT_STAGES
from ..rules import Condition, Context, Outcome, member_name
from ._expense import INCOME_THRESHOLD, expense_relief

ID = "temporary_education"
PARAMETERS = ("dibao.urban_monthly_standard", "temporary.education_multiple_min", "temporary.education_multiple_max",
              INCOME_THRESHOLD)
READS = ()


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    students = [f"{member_name(i, m)}在读{STUDENT_STAGES[m.student]}" for i, m in enumerate(h.members) if m.student]
    student = Condition("student_child", bool(students),
                        ("家中有在读子女：" + "；".join(students)) if students else "家中没有在读的子女", "s5-expense")
    return expense_relief(ctx, student, "education_expenses", h.education_expenses_yuan, "教育", "s5-expense")

"""支出型临时救助 for children's self-paid education costs (clause s5-expense); the amount is the
programme's `amount` spec (a range of multiples of the urban standard). The document sets no threshold
for "负担过重": the office judges it."""

from __future__ import annotations

from ..rules import Context, Outcome, student_condition
from ._expense import INCOME_THRESHOLD, expense_relief

ID = "temporary_education"
PARAMETERS = ("dibao.urban_monthly_standard", "temporary.education_multiple_min", "temporary.education_multiple_max",
              INCOME_THRESHOLD)
READS = ()


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    student = student_condition(ctx, "student_child", "家中有在读子女", "家中没有在读的子女", "s5-expense")
    return expense_relief(ctx, student, "education_expenses", h.education_expenses_yuan, "教育", "s5-expense")

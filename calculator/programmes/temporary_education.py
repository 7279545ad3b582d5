"""支出型临时救助 for children's self-paid education costs: 3–6× the urban monthly 低保 standard
(clause s5-expense). The document sets no threshold for "负担过重": the office judges it."""

from __future__ import annotations

from ..household import STUDENT_STAGES
from ..money import yuan_str
from ..rules import POSSIBLE, Condition, Context, Outcome, combine, member_name
from .temporary import urban_range

ID = "temporary_education"


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    students = [f"{member_name(i, m)}在读{STUDENT_STAGES[m.student]}" for i, m in enumerate(h.members) if m.student]
    student = Condition("student_child", bool(students),
                        ("家中有在读子女：" + "；".join(students)) if students else "家中没有在读的子女", "s5-expense")
    spent = h.education_expenses_yuan > 0
    expenses = Condition("education_expenses", spent,
                         f"近12个月自付教育费用 {yuan_str(h.education_expenses_yuan)} 元"
                         + ("；是否“负担过重”由民政办审核" if spent else "，没有自付教育支出"), "s5-expense")
    outcome = combine([student, expenses, ctx.assets_condition("nat-f-kinds")], soft=("assets",), best=POSSIBLE)
    if outcome.status != "unlikely":
        outcome.amount = urban_range(ctx, "temporary.education_multiple_min", "temporary.education_multiple_max")
    return outcome

"""刚性支出困难家庭 (刚性支出困难家庭认定办法 第四条, in force 2025-01-01; from 2026-07-01 社会救助法
第十三、二十二条): not 低保, 特困 or 低保边缘 (第四条(一)); per-capita income below last year's local
居民人均可支配收入 (第四条(二), parameter rigid_expense.income_threshold_yearly); assets within local
rules (第四条(三)); 医疗/教育 expenses of the 12 months before applying above a local share of the
family's total income (第四条(四), parameter rigid_expense.expense_ratio_percent). Both local figures
may be pending: the condition then says what the figure would have to be for this household.
Recognition lasts at most rigid_expense.validity_months (第十条); it opens 医疗 and 教育 assistance from
the law's date (第二十四、二十五条)."""

from __future__ import annotations

from decimal import Decimal

from ..money import cn_yuan, plain
from ..rules import LIKELY, LOW_INCOME, POSSIBLE, UNLIKELY, Condition, Context, Outcome, combine, missing_of
from ._law import first_in_force, in_force

ID = "rigid_expense"
PARAMETERS = ("rigid_expense.income_threshold_yearly", "rigid_expense.expense_ratio_percent",
              "rigid_expense.validity_months", "rigid_expense.decision_working_days",
              "rigid_expense.decision_working_days_extended")
READS = LOW_INCOME
NAMES = {"dibao": "低保", "tekun": "特困", "dibao_edge": "低保边缘家庭"}


def evaluate(ctx: Context) -> Outcome:
    if not in_force(ctx, "nat-g-4"):
        return combine([Condition("in_force", False, "《刚性支出困难家庭认定办法》自2025年1月1日起施行，"
                                  "此前没有刚性支出困难家庭的认定", "nat-g-4")])
    clause = first_in_force(ctx, "law-22", "nat-g-4")
    h = ctx.household

    statuses = {pid: ctx.outcome(pid).status for pid in LOW_INCOME}
    already = [NAMES[pid] for pid, s in statuses.items() if s in (LIKELY, POSSIBLE)]
    if already:
        not_low = Condition("not_low_income", False, f"按测算可能属于{'、'.join(already)}，不另行认定为刚性支出困难家庭",
                            "nat-g-4")
    elif all(s == UNLIKELY for s in statuses.values()):
        not_low = Condition("not_low_income", True, "不属于低保、特困或低保边缘家庭", "nat-g-4")
    else:
        not_low = Condition("not_low_income", None, "是否属于低保、特困或低保边缘家庭：尚无法判断", "nat-g-4",
                            missing="当地低保标准或家庭财产情况")

    yearly = ctx.per_capita * 12
    threshold = ctx.p("rigid_expense.income_threshold_yearly")
    if threshold is None:
        income = Condition("income_below_disposable", None,
                           f"家庭人均年收入{cn_yuan(yearly)}；上年度当地居民人均可支配收入待公布，"
                           f"该数字须高于{cn_yuan(yearly)}才符合", clause,
                           missing="上年度当地居民人均可支配收入（待公布）")
    else:
        met = yearly < threshold
        income = Condition("income_below_disposable", met,
                           f"家庭人均年收入{cn_yuan(yearly)}{'低于' if met else '不低于'}上年度当地居民人均可支配收入"
                           f"{cn_yuan(threshold)}", clause)

    given = [v for v in (h.medical_expenses_yuan, h.education_expenses_yuan) if v is not None]
    blank = [k for k, v in (("medical_expenses_yuan", h.medical_expenses_yuan),
                            ("education_expenses_yuan", h.education_expenses_yuan)) if v is None]
    spent = sum(given, Decimal(0))
    total = h.monthly_income_yuan * 12
    ratio_limit = ctx.p("rigid_expense.expense_ratio_percent")
    what = f"近12个月自付医疗、教育支出{'至少' if blank and given else ''}{cn_yuan(spent)}"
    if not given:
        expense = Condition("rigid_expense_share", None, f"{missing_of(*blank)}：未填写", clause,
                            missing=missing_of(*blank))
    elif spent <= 0 and not blank:
        expense = Condition("rigid_expense_share", False, "近12个月没有自付医疗、教育支出", clause)
    elif total <= 0 and spent > 0:
        expense = Condition("rigid_expense_share", True, f"{what}，家庭没有收入，支出占比超过任何比例", clause)
    else:
        share = spent / total * 100 if total > 0 else Decimal(0)
        shown = plain(share.quantize(Decimal("0.1"))) if share < 1000000 else "1000000以上"
        if ratio_limit is None:
            expense = Condition("rigid_expense_share", None,
                                f"{what}，占家庭总收入{cn_yuan(total)}的{shown}%；当地规定的比例待公布，"
                                f"须低于{shown}%才符合", clause,
                                missing="刚性支出占家庭总收入比例的当地规定（待公布）")
        elif share > ratio_limit:
            expense = Condition("rigid_expense_share", True, f"{what}，占家庭总收入{cn_yuan(total)}的{shown}%，"
                                f"超过当地规定的{plain(ratio_limit)}%", clause)
        elif blank:
            expense = Condition("rigid_expense_share", None, f"{what}，{missing_of(*blank)}未填写", clause,
                                missing=missing_of(*blank))
        else:
            expense = Condition("rigid_expense_share", False, f"{what}，占家庭总收入{cn_yuan(total)}的{shown}%，"
                                f"未超过当地规定的{plain(ratio_limit)}%", clause)

    outcome = combine([not_low, income, ctx.assets_condition(clause), expense], soft=("assets",), best=POSSIBLE)
    if outcome.status != UNLIKELY:
        months = ctx.p("rigid_expense.validity_months")
        outcome.notes.append(f"认定的有效期一般不超过{plain(months)}个月，期满需要继续认定的，应当重新申请。")
        if in_force(ctx, "law-24"):
            outcome.notes.append("认定为刚性支出困难家庭的，可以获得医疗救助、教育救助等（社会救助法第二十四、二十五条）。")
    return outcome

"""最低生活保障 (低保).

社会救助暂行办法 第九条: household per-capita income below the local standard, assets within limits.
第十二条: paid monthly, the gap between the standard and per-capita income, times members.
最低生活保障审核确认办法 第八条 / 兜底保障通知: 单人保 — in a 低保边缘 family, a member with a severe
disability or a 重特大疾病 may apply alone."""

from __future__ import annotations

from ..money import plain, yuan, yuan_str
from ..rules import POSSIBLE, UNLIKELY, Condition, Context, Outcome, combine, member_name

ID = "dibao"
AREA_CN = {"urban": "城市", "rural": "农村"}


def income_below_standard(ctx: Context) -> Condition:
    std = ctx.standard()
    area = AREA_CN[ctx.household.area]
    if std is None:
        return Condition("income_below_standard", None,
                         f"家庭人均月收入 {yuan_str(ctx.per_capita)} 元，{area}低保标准待公布，暂无法比较",
                         "nat-a-9", missing=f"{area}低保月标准（可在“低保标准”栏填写当地公布的标准）")
    met = ctx.per_capita < std
    return Condition("income_below_standard", met,
                     f"家庭人均月收入 {yuan_str(ctx.per_capita)} 元{'低于' if met else '不低于'}{area}低保标准 "
                     f"{yuan_str(std)} 元", "nat-a-9")


def single_person_members(ctx: Context) -> list[str]:
    """Members who could apply alone (单人保): severe disability by the parameter's grades, or 重特大疾病."""
    grades = ctx.p("dibao.single_person_disability_grades") or {}
    names = []
    for i, m in enumerate(ctx.household.members):
        severe = m.disability is not None and m.disability.grade <= grades.get(m.disability.kind, 0)
        if severe or m.serious_illness:
            names.append(member_name(i, m))
    return names


def monthly_amount(ctx: Context):
    """(standard − per-capita income) × members = standard × members − income, exact, rounded once."""
    std = ctx.standard()
    return None if std is None else yuan(std * ctx.n - ctx.income)


def evaluate(ctx: Context) -> Outcome:
    income = income_below_standard(ctx)
    assets = ctx.assets_condition("nat-a-9")
    outcome = combine([income, assets], soft=("assets",))
    if outcome.status != UNLIKELY:  # no amount for a programme the household does not meet
        # income.met is True or None here: monthly_yuan is null while the standard is pending
        outcome.amount = {"monthly_yuan": yuan_str(monthly_amount(ctx)),
                          "formula": "(低保标准 − 家庭人均月收入) × 家庭人数",
                          "parameter": f"dibao.{ctx.household.area}_monthly_standard",
                          "members": ctx.n}
    if income.met is False:
        std = ctx.standard()
        edge = ctx.p("dibao.edge_multiple")
        names = single_person_members(ctx)
        in_edge_band = ctx.per_capita < std * edge
        if names and in_edge_band and ctx.household.assets_within_limits is not False:
            outcome.conditions.append(Condition(
                "single_person", True,
                f"家庭人均收入低于低保标准的{plain(edge)}倍，且{'、'.join(names)}属重度残疾或患重特大疾病，"
                "可为其单独申请低保（单人保）", "nat-b-8"))
            outcome.status = POSSIBLE
            outcome.amount = None
            outcome.notes.append("单人保的金额按该成员个人情况核定。")
    return outcome

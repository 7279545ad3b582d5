"""最低生活保障 (低保): per-capita income below the local standard, assets within limits (nat-a-9);
paid monthly, the amount by the programme's `amount` spec (nat-a-12). 单人保: in a 低保边缘 family a
member with a severe disability (parameter dibao.severe_disability_grades) or a 重特大疾病 may apply
alone (nat-b-8)."""

from __future__ import annotations

from ..amounts import household_gap_sentence
from ..money import cn_yuan, plain
from ._law import first_in_force
from ..rules import (POSSIBLE, SEVERE_DISABILITY, UNKNOWN, UNLIKELY, Condition, Context, Outcome, combine,
                     any_of, fen_floor, member_name, missing_of, needs, severely_disabled)

ID = "dibao"
PARAMETERS = ("dibao.urban_monthly_standard", "dibao.rural_monthly_standard", "dibao.edge_multiple",
              SEVERE_DISABILITY, "dibao.phase_out_max_months", "dibao.investigation_start_working_days",
              "dibao.public_notice_days", "dibao.decision_working_days", "dibao.total_working_days",
              "dibao.total_working_days_extended", "dibao.county_check_start_working_days",
              "dibao.refusal_notice_working_days", "dibao.review_months_stable", "dibao.review_months_unstable")
READS = ()
AREA_CN = {"urban": "城市", "rural": "农村"}


def income_below_standard(ctx: Context) -> Condition:
    std = ctx.standard()
    area = AREA_CN[ctx.household.area]
    if std is None:
        par = f"dibao.{ctx.household.area}_monthly_standard"
        return Condition("income_below_standard", None,
                         f"{area}低保标准待公布。只要当地{area}低保标准高于每人每月{cn_yuan(fen_floor(ctx.per_capita))}"
                         f"（家庭人均月收入），收入这一条就符合；{household_gap_sentence(ctx.n, ctx.income)}",
                         "nat-a-9", missing=f"{area}低保月标准（可在“低保标准”栏填写当地公布的标准）",
                         needs=[needs(par, above=ctx.per_capita)])
    met = ctx.per_capita < std
    return Condition("income_below_standard", met,
                     f"家庭人均月收入{cn_yuan(ctx.per_capita)}{'低于' if met else '不低于'}{area}低保标准"
                     f"{cn_yuan(std)}", "nat-a-9")


def single_person_members(ctx: Context) -> list[str]:
    """Members who could apply alone (单人保): severe disability by the one parameter, or 重特大疾病."""
    return [member_name(i, m) for i, m in enumerate(ctx.household.members)
            if severely_disabled(ctx, m) or m.serious_illness]


def evaluate(ctx: Context) -> Outcome:
    income = income_below_standard(ctx)
    assets = ctx.assets_condition("nat-a-9")
    outcome = combine([income, assets], soft=("assets",))
    if outcome.status != UNLIKELY:  # no amount for a programme the household does not meet
        # income.met is True or None here: monthly_yuan is null while the standard is pending
        outcome.amount = ctx.amount()
    if income.met is False:
        std = ctx.standard()
        edge = ctx.p("dibao.edge_multiple")
        names = single_person_members(ctx)
        in_edge_band = ctx.per_capita < std * edge
        # a member whose 重特大疾病 or disability is not given (and who is not one already) might be
        # one: unknown, naming what was not given
        open_ = [m for m in ctx.household.members
                 if any_of([severely_disabled(ctx, m), m.serious_illness]) is None]
        if not names and open_ and in_edge_band and ctx.household.assets_within_limits is not False:
            what = missing_of(*[k for k, blank in (("serious_illness", any(m.serious_illness is None for m in open_)),
                                                   ("disability", any(m.disability is None for m in open_))) if blank])
            outcome.conditions.append(Condition(
                "single_person", None,
                f"家庭人均收入低于低保标准的{plain(edge)}倍；若有成员属重度残疾或患重特大疾病，可为其单独申请低保（单人保）",
                "nat-b-8", missing=what))
            outcome.status = UNKNOWN
            outcome.missing.append(what)
        if names and in_edge_band and ctx.household.assets_within_limits is not False:
            outcome.conditions.append(Condition(
                "single_person", True,
                f"家庭人均收入低于低保标准的{plain(edge)}倍，且{'、'.join(names)}属重度残疾或患重特大疾病，"
                "可为其单独申请低保（单人保）", first_in_force(ctx, "law-21", "nat-b-8")))
            outcome.status = POSSIBLE
            outcome.amount = None
            outcome.notes.append("单人保的金额按该成员个人情况核定。")
    if outcome.status != UNLIKELY:
        tiers = first_in_force(ctx, "law-18", "nat-b-23")
        outcome.notes.append("低保金可以按家庭人均收入低于低保标准的实际差额发放，也可以分档发放；本地是否分档，以当地规定为准"
                             + ("（社会救助法第十八条）。" if tiers == "law-18" else "（最低生活保障审核确认办法第二十三条）。"))
        outcome.notes.append("优待抚恤金、计划生育奖励与扶助金、奖学金、见义勇为等奖励性补助，政府发放的各类社会救助款物，"
                             "“十四五”期间中央确定的城乡居民基本养老保险基础养老金，不计入家庭收入；因残疾、患重病等增加的"
                             "刚性支出和必要的就业成本，可按规定适当扣减（最低生活保障审核确认办法第十三条）。")
    return outcome

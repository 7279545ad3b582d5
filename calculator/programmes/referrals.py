"""The programmes the document names without conditions of its own (section 四's "积极开展…", 五's
流浪乞讨, 六 and 七). Each rule checks the plain facts that point a household to the office that runs
the programme; "possible" is the best status: that office decides."""

from __future__ import annotations

from ..money import yuan_str
from ..rules import LIKELY, POSSIBLE, UNLIKELY, Condition, Context, Outcome, combine, member_name


def _flag(ctx: Context, attr: str, yes: str, no: str, clause: str) -> Condition:
    met = getattr(ctx.household, attr)
    return Condition(attr, met, yes if met else no, clause)


def legal_aid(ctx: Context) -> Outcome:
    return combine([_flag(ctx, "legal_case", "涉案涉法、需要法律帮助", "没有涉案涉法的情况", "s4-other"),
                    ctx.low_income_condition()], best=POSSIBLE)


def judicial_aid(ctx: Context) -> Outcome:
    return combine([_flag(ctx, "legal_case", "涉案涉法、因案致困", "没有涉案涉法的情况", "s4-other")], best=POSSIBLE)


def heating(ctx: Context) -> Outcome:
    return combine([ctx.low_income_condition()], best=POSSIBLE)


def union_worker(ctx: Context) -> Outcome:
    return combine([_flag(ctx, "hardship_worker", "家中有生活困难的职工", "家中没有困难职工", "s4-other")], best=POSSIBLE)


def two_cancers(ctx: Context) -> Outcome:
    h = ctx.household
    women = [member_name(i, m) for i, m in enumerate(h.members) if m.sex == "female" and m.two_cancers]
    return combine([
        Condition("rural", h.area == "rural", "农村家庭" if h.area == "rural" else "城市家庭（本项目面向农村妇女）", "s4-other"),
        Condition("two_cancers", bool(women), ("患宫颈癌或乳腺癌的妇女：" + "、".join(women)) if women
                  else "没有患宫颈癌或乳腺癌的女性成员", "s4-other"),
        ctx.low_income_condition(),
    ], best=POSSIBLE)


def care_services(ctx: Context) -> Outcome:
    h = ctx.household
    minor = ctx.p("tekun.minor_age_limit")
    children = [member_name(i, m) for i, m in enumerate(h.members) if m.age < minor]
    need = ctx.low_income_household()
    if h.left_behind:
        need = True
    return combine([
        Condition("children", bool(children), ("家中有未成年人：" + "、".join(children)) if children else "家中没有未成年人",
                  "s4-care"),
        Condition("hardship_or_left_behind", need, "困难家庭或“三留守”家庭" if need else
                  ("不属于困难家庭或“三留守”家庭" if need is False else "是否困难家庭：待低保标准或财产情况确定"),
                  "s4-care", missing="当地低保标准或家庭财产情况" if need is None else None),
    ], best=POSSIBLE)


def accident_insurance(ctx: Context) -> Outcome:
    tekun = ctx.results["tekun"].status
    severe = [member_name(i, m) for i, m in enumerate(ctx.household.members)
              if m.disability is not None and m.disability.grade <= 2]
    met = True if tekun in (LIKELY, POSSIBLE) or severe else (None if tekun == "unknown" else False)
    text = ("可能属于特困人员" if tekun in (LIKELY, POSSIBLE) else "") + (
        ("；" if tekun in (LIKELY, POSSIBLE) and severe else "") + ("重度残疾：" + "、".join(severe) if severe else ""))
    return combine([Condition("special_group", met, text or ("不属于特困人员或重度残疾人" if met is False else
                                                              "是否特困人员：待低保标准等信息确定"), "s4-insurance",
                              missing="当地低保标准等信息" if met is None else None)], best=POSSIBLE)


def long_term_care(ctx: Context) -> Outcome:
    h = ctx.household
    ongoing = h.medical_expenses_yuan > 0 or h.education_expenses_yuan > 0 or any(
        m.serious_illness or m.disability is not None for m in h.members)
    text = (f"有持续性支出：近12个月自付医疗 {yuan_str(h.medical_expenses_yuan)} 元、教育 "
            f"{yuan_str(h.education_expenses_yuan)} 元，或有重病、残疾成员") if ongoing else "没有持续性的医疗、教育或护理支出"
    return combine([Condition("sustained_expense", ongoing, text, "s6-longterm"), ctx.low_income_condition()],
                   best=POSSIBLE)


def vagrant_relief(ctx: Context) -> Outcome:
    return combine([_flag(ctx, "homeless", "生活无着、流浪乞讨", "不属于生活无着的流浪乞讨人员", "s5-vagrants")])


def social_forces(ctx: Context) -> Outcome:
    others = [k for k, o in ctx.results.items() if o.status in (LIKELY, POSSIBLE)]
    unknown = any(o.status == "unknown" for o in ctx.results.values())
    met = True if others else (None if unknown else False)
    return combine([Condition("other_help", met, "符合或可能符合其他救助，可同时链接慈善资源" if others else
                              ("是否需要：待其他救助测算结果确定" if met is None else "其他救助均看来不符合"),
                              "s7-funds", missing="当地低保标准等信息" if met is None else None)], best=POSSIBLE)


RULES = {f.__name__: f for f in (legal_aid, judicial_aid, heating, union_worker, two_cancers, care_services,
                                  accident_insurance, long_term_care, vagrant_relief, social_forces)}

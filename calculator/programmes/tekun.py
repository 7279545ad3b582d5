"""特困人员救助供养 (特困): elderly, disabled and minor people who meet all three conditions (nat-c-4):
no ability to work (nat-c-5; the ages and grades are parameters tekun.elderly_age,
tekun.minor_age_limit per s3-tekun-minors, tekun.no_work_ability_disability_grades), no means of
living (nat-c-6), no legal supporter or supporters unable (nat-c-8). The basic living standard is the
programme's `amount` spec (s3-tekun-standard).

Past the minor age limit, a member still in compulsory or upper-secondary school (incl. vocational)
keeps support if they were 特困 as a minor: 特困人员认定办法 第二十四条第二款 (2021-07-01, "可继续享有"),
社会救助法 第十六条第三款 from 2026-07-01 ("继续予以供养"). The estimate cannot know whether they were,
so that case is "possible" with the question named. A minor who also meets the 孤儿/事实无人抚养儿童
conditions and chooses that protection is no longer 特困 (第九条): a note says so."""

from __future__ import annotations

from ..household import DISABILITY_KINDS, NONE, STUDENT_STAGES, Member
from ..money import cn_yuan, plain
from ..rules import (UNLIKELY, Condition, Context, Outcome, at_school, combine, disabled, fen_floor, member_name,
                     missing_of, needs)
from ._law import first_in_force

ID = "tekun"
PARAMETERS = ("dibao.urban_monthly_standard", "dibao.rural_monthly_standard", "tekun.urban_multiple",
              "tekun.rural_multiple", "tekun.elderly_age", "tekun.minor_age_limit",
              "tekun.no_work_ability_disability_grades",
              # the procedure the page and the result's next steps describe (placeholders of tekun.yaml)
              "tekun.county_confirmation_working_days", "tekun.county_spot_check_percent_min",
              "tekun.investigation_working_days", "tekun.objection_reinvestigation_working_days",
              "tekun.public_notice_days", "tekun.refusal_notice_working_days", "tekun.review_months",
              "tekun.self_care_review_working_days", "tekun.termination_notice_days")
READS = ()
# 义务教育 and 高中阶段教育（含中等职业教育）: the stages in which support continues past 18.
SCHOOL_STAGES = ("primary", "junior_high", "senior_high", "vocational")
AREA_CN = {"urban": "城市", "rural": "农村"}
GRADE_CN = {1: "一", 2: "二", 3: "三", 4: "四"}


def no_work_ability(ctx: Context, m: Member) -> tuple[bool | None, str]:
    """(met, why) for one member, by the parameters for age and disability."""
    elderly = ctx.p("tekun.elderly_age")
    minor = ctx.p("tekun.minor_age_limit")
    grades = ctx.p("tekun.no_work_ability_disability_grades") or {}
    if m.age >= elderly:
        return True, f"年满{plain(elderly)}周岁"
    if m.age < minor:
        return True, f"未满{plain(minor)}周岁"
    d = m.disability
    if disabled(m) is None:
        return None, f"{missing_of('disability')}未填写"
    if d != NONE:
        kind = DISABILITY_KINDS[d.kind]
        if d.kind == "multiple":
            return None, f"{GRADE_CN[d.grade]}级{kind}，需按其中各类残疾分别认定"
        if d.kind in grades and d.grade <= grades[d.kind]:
            return True, f"{GRADE_CN[d.grade]}级{kind}"
        return False, f"{GRADE_CN[d.grade]}级{kind}不属于无劳动能力的残疾类别和等级"
    return False, f"{m.age}岁，没有残疾"


# Alternatives, never summed: 特困 and 低保 are both basic-living assistance (the office confirms one).
ALTERNATIVES = {"dibao": "低保和特困供养都是基本生活救助，这里分别估算：两者是二选一的关系，金额不能相加，"
                         "纳入哪一种由民政办审核认定。"}

SUPPORTER_ANSWER = {"none": "没有法定赡养抚养扶养义务人", "unable": "法定义务人没有履行义务的能力"}


def supporters_condition(ctx: Context, able: list[str]) -> Condition:
    """No legal supporter, or supporters unable (nat-c-4, nat-c-8). The answer is the household's; where
    members able to work live in it (in most families the others' legal supporters), it cannot settle
    the question for anyone: the office checks whether they are supporters and able to support.
    `able`: those members, each with what is known of their work ability ("…有劳动能力", "…可能有劳动能力")."""
    answer = ctx.household.supporters
    if answer in SUPPORTER_ANSWER and able:
        return Condition("no_supporter", None,
                         f"填写的是“{SUPPORTER_ANSWER[answer]}”，但家中{'、'.join(able)}，一般就是"
                         "其他成员的法定赡养、抚养或扶养义务人；民政办将核实他们是不是义务人、有没有履行义务的能力",
                         "nat-c-8", missing="家中有劳动能力的成员能否履行赡养、抚养或扶养义务（由民政办核实）")
    return {
        "none": Condition("no_supporter", True, SUPPORTER_ANSWER["none"], "nat-c-4"),
        "unable": Condition("no_supporter", True, SUPPORTER_ANSWER["unable"], "nat-c-8"),
        "able": Condition("no_supporter", False, "有法定义务人且有赡养抚养扶养能力", "nat-c-4"),
        None: Condition("no_supporter", None, "法定赡养抚养扶养义务人情况：未填写", "nat-c-4",
                        missing="有没有法定赡养抚养扶养义务人、其有没有能力"),
    }[answer]


def evaluate(ctx: Context) -> Outcome:
    """特困 is decided for each member who lacks work ability, never for the household as a whole."""
    h = ctx.household
    area = AREA_CN[h.area]
    found, unsure, others, continuing_school, minors, able, school_unknown = [], [], [], [], [], [], []
    candidates = []  # (member index, met, why) of the members 特困 is decided for
    maybe = []  # members whose work ability is open: they too may be the others' supporters
    minor_limit = ctx.p("tekun.minor_age_limit")
    for i, m in enumerate(h.members):
        met, why = no_work_ability(ctx, m)
        (found if met else unsure if met is None else others).append(f"{member_name(i, m)}{why}")
        if met is False and m.age >= minor_limit and m.student in SCHOOL_STAGES:
            continuing_school.append(f"{member_name(i, m)}年满{plain(minor_limit)}周岁，仍在{STUDENT_STAGES[m.student]}就读")
            candidates.append((i, None, f"年满{plain(minor_limit)}周岁，仍在{STUDENT_STAGES[m.student]}就读"))
        elif met is False:
            able.append(member_name(i, m))
            if m.age >= minor_limit and at_school(m) is None:  # might still be at school (continuing support)
                school_unknown.append(f"{member_name(i, m)}的{missing_of('student')}未填写")
        else:
            candidates.append((i, met, why))
            if met is None:
                maybe.append(f"{member_name(i, m)}可能有劳动能力")
        if m.age < minor_limit:
            minors.append(i)
    continuing = None
    if found:
        work = Condition("no_work_ability", True, "无劳动能力：" + "；".join(found), "nat-c-5")
    elif continuing_school:
        clause = first_in_force(ctx, "law-16", "nat-c-24")
        work = Condition("no_work_ability", True, "特困供养的未成年人满18周岁后仍在义务教育或者高中阶段教育"
                         "（含中等职业教育）阶段就学的，继续予以供养：" + "；".join(continuing_school), clause)
        continuing = Condition("supported_as_minor", None, "满18周岁前是否已纳入特困供养：测算无法得知", clause,
                               missing="满18周岁前是否已纳入特困供养（继续供养适用于已纳入特困供养的未成年人）")
    elif unsure or school_unknown:
        # the members' disability not given, a 多重残疾 to be assessed kind by kind, or (only where
        # nothing else is open) whether an adult is still at school
        blank = any(disabled(h.members[i]) is None for i, met, _ in candidates if met is None)
        multiple = any(m.disability not in (None, NONE) and m.disability.kind == "multiple"
                       for m in h.members if m.age >= minor_limit)
        what = [*([missing_of("disability")] if blank else []), *(["多重残疾成员的具体残疾类别和等级"] if multiple else []),
                *([f"{missing_of('student')}（满{plain(minor_limit)}周岁仍在上学的，可能继续特困供养）"]
                  if school_unknown and not unsure else [])]
        work = Condition("no_work_ability", None, "无劳动能力：" + "；".join(unsure + school_unknown), "nat-c-5",
                         missing="、".join(what))
    else:
        work = Condition("no_work_ability", False, "没有成员属于无劳动能力（" + "；".join(others) + "）", "nat-c-5")

    std = ctx.standard()
    if std is None:
        living = Condition("no_means_of_living", None,
                           f"{area}低保标准待公布。只要当地{area}低保标准高于每人每月{cn_yuan(fen_floor(ctx.per_capita))}"
                           "（人均月收入），收入这一条（无生活来源）就符合", "nat-c-6", missing=f"{area}低保月标准",
                           needs=[needs(f"dibao.{h.area}_monthly_standard", above=ctx.per_capita)])
    else:
        met = ctx.per_capita < std
        living = Condition("no_means_of_living", met,
                           f"人均月收入{cn_yuan(ctx.per_capita)}{'低于' if met else '不低于'}{area}低保标准"
                           f"{cn_yuan(std)}", "nat-c-6")
    # one whose work ability is open may support the others, never himself
    can_support = [f"{name}有劳动能力" for name in able] + (maybe if len(candidates) > 1 else [])
    supporters = supporters_condition(ctx, can_support if candidates else [])
    checked = ("no_supporter",) if supporters.met is None and h.supporters in SUPPORTER_ANSWER else ()
    conditions = [work, *([continuing] if continuing else []), living, ctx.assets_condition("nat-c-6"), supporters]
    outcome = combine(conditions, soft=("assets", "supported_as_minor", *checked))
    if outcome.status != UNLIKELY:
        outcome.notes.append("城乡居民基本养老保险基础养老金、基本医疗保险等社会保险和优待抚恤金、高龄津贴不计入收入"
                             "（特困人员认定办法第六条）。")
        if minors and work.met:
            outcome.notes.append("同时符合孤儿、事实无人抚养儿童认定条件的未成年人，选择纳入孤儿、事实无人抚养儿童"
                                 "基本生活保障的，不再认定为特困人员（特困人员认定办法第九条）。")
        outcome.persons = [{"member": i, "name": member_name(i, h.members[i]), "no_work_ability": met, "why": why}
                           for i, met, why in candidates]
        if able and outcome.persons:
            outcome.notes.append(f"特困按人认定：可以申请的是{'、'.join(p['name'] for p in outcome.persons)}，"
                                 f"{'、'.join(able)}有劳动能力，不在特困供养之内。")
    outcome.amount = None if outcome.status == UNLIKELY else ctx.amount()
    if outcome.amount is not None:
        outcome.amount["persons"] = len(found)
    return outcome

"""就业救助: 春风行动 and the employment platform for people who want work (s4-employment,
s4-employment-platform); information and job-intention registration for unemployed disabled people,
veterans and 建档立卡 households (s4-employment-register)."""

from __future__ import annotations

from ..rules import POSSIBLE, Condition, Context, Outcome, combine, disabled, member_name, missing_of

ID = "employment"
PARAMETERS = ()
READS = ()


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    seeking = [(i, m) for i, m in enumerate(h.members) if m.seeking_work]
    unknown = any(m.seeking_work is None for m in h.members)  # one not answered: it may be that one
    if seeking:
        names = []
        for i, m in seeking:
            tags = [t for t, yes in (("残疾人", disabled(m)), ("退役军人", m.veteran),
                                     ("建档立卡贫困人口", h.poverty_registered)) if yes]
            names.append(member_name(i, m) + (f"（{'、'.join(tags)}，属重点帮扶人群）" if tags else ""))
        cond = Condition("seeking_work", True, "未就业、想找工作：" + "；".join(names), "s4-employment")
    elif unknown:
        cond = Condition("seeking_work", None, "是否有成员未就业、想找工作：有成员未填写", "s4-employment",
                         missing=missing_of("seeking_work"))
    else:
        cond = Condition("seeking_work", False, "没有成员在找工作", "s4-employment")
    outcome = combine([cond], best=POSSIBLE)
    if seeking:
        outcome.notes.append("可到人力资源社会保障所登记就业意向，参加“春风行动”等招聘活动。")
    return outcome

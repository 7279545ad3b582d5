"""农村“两癌”妇女救助: named in clause s4-other; the rule points a rural low-income household with a
woman ill with cervical or breast cancer to the office ("possible" at best)."""

from __future__ import annotations

from ..rules import LOW_INCOME, POSSIBLE, Condition, Context, Outcome, combine, member_name, missing_of

ID = "two_cancers"
PARAMETERS = ()
READS = LOW_INCOME


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    women = [member_name(i, m) for i, m in enumerate(h.members) if m.sex == "female" and m.two_cancers]
    # a member not known to be a man whose answer, or whose sex, is not given: unknown
    open_ = [m for m in h.members if m.sex != "male" and m.two_cancers is not False
             and (m.two_cancers is None or m.sex is None)]
    met = True if women else (None if open_ else False)
    unknown = [k for k, v in (("two_cancers", any(m.two_cancers is None for m in open_)),
                              ("sex", any(m.sex is None for m in open_))) if v]
    return combine([
        Condition("rural", h.area == "rural", "农村家庭" if h.area == "rural" else "城市家庭（本项目面向农村妇女）",
                  "s4-other"),
        Condition("two_cancers", met, ("患宫颈癌或乳腺癌的妇女：" + "、".join(women)) if women
                  else "没有患宫颈癌或乳腺癌的女性成员" if met is False else f"{missing_of(*unknown)}：有成员未填写",
                  "s4-other", missing=missing_of(*unknown) if met is None else None),
        ctx.low_income_condition(),
    ], best=POSSIBLE)

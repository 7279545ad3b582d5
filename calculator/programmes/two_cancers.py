"""农村“两癌”妇女救助: named in clause s4-other; the rule points a rural low-income household with a
woman ill with cervical or breast cancer to the office ("possible" at best)."""

from __future__ import annotations

from ..rules import LOW_INCOME, POSSIBLE, Condition, Context, Outcome, combine, member_name

ID = "two_cancers"
PARAMETERS = ()
READS = LOW_INCOME


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    women = [member_name(i, m) for i, m in enumerate(h.members) if m.sex == "female" and m.two_cancers]
    return combine([
        Condition("rural", h.area == "rural", "农村家庭" if h.area == "rural" else "城市家庭（本项目面向农村妇女）",
                  "s4-other"),
        Condition("two_cancers", bool(women), ("患宫颈癌或乳腺癌的妇女：" + "、".join(women)) if women
                  else "没有患宫颈癌或乳腺癌的女性成员", "s4-other"),
        ctx.low_income_condition(),
    ], best=POSSIBLE)

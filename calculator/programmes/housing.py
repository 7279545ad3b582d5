"""住房救助: 公租房 with priority for urban households; house inspection and repair for rural ones
(clause s4-housing)."""

from __future__ import annotations

from ._door import DOOR_READS, door
from ..rules import LOW_INCOME, POSSIBLE, Condition, Context, Outcome, combine

ID = "housing"
PARAMETERS = ()
READS = DOOR_READS


def evaluate(ctx: Context) -> Outcome:
    h = ctx.household
    what = "城镇住房救助对象优先保障公租房" if h.area == "urban" else "农村困难群众及时进行房屋鉴定、改造"
    need = h.housing_difficulty
    cond = Condition("housing_difficulty", need,
                     {True: f"住房困难：{what}", False: "住房不困难",
                      None: f"住房是否困难：未填写（{what}）"}[need], "s4-housing",
                     missing="住房是否困难（无房、危房等）" if need is None else None)
    return combine([door(ctx, 'law-26'), cond], soft=("housing_difficulty",), best=POSSIBLE)

"""社会力量参与 (clause s7-funds): charity resources linked to a household that meets, or may meet,
any other programme. It reads every other programme's outcome (READS = "*")."""

from __future__ import annotations

from ..rules import LIKELY, POSSIBLE, UNKNOWN, Condition, Context, Outcome, combine

ID = "social_forces"
PARAMETERS = ()
READS = "*"


def evaluate(ctx: Context) -> Outcome:
    outcomes = ctx.others().values()
    others = [o for o in outcomes if o.status in (LIKELY, POSSIBLE)]
    unknown = any(o.status == UNKNOWN for o in outcomes)
    met = True if others else (None if unknown else False)
    return combine([Condition("other_help", met, "符合或可能符合其他救助，可同时链接慈善资源" if others else
                              ("是否需要：待其他救助测算结果确定" if met is None else "其他救助均看来不符合"),
                              "s7-funds", missing="当地低保标准等信息" if met is None else None)], best=POSSIBLE)

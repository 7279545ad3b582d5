"""社会力量参与 (clause s7-funds): charity resources linked to a household that meets, or may meet,
any other programme. It reads every other programme's outcome (READS = "*")."""

from __future__ import annotations

from decimal import Decimal

from ..money import cn_yuan
from ..rules import DEPENDS, LIKELY, POSSIBLE, UNKNOWN, Condition, Context, Outcome, combine

ID = "social_forces"
PARAMETERS = ()
READS = "*"


def evaluate(ctx: Context) -> Outcome:
    outcomes = ctx.others().values()
    others = [o for o in outcomes if o.status in (LIKELY, POSSIBLE)]
    waiting = [o for o in outcomes if o.status in (UNKNOWN, DEPENDS)]
    met = True if others else (None if waiting else False)
    if met is not None:
        return combine([Condition("other_help", met, "符合或可能符合其他救助，可同时链接慈善资源" if met
                                  else "其他救助均看来不符合", "s7-funds")], best=POSSIBLE)
    # Meeting any one other programme is enough: the lowest break-even of those that wait only on
    # one standard being above a figure.
    lowest = None
    if all(o.status == DEPENDS for o in waiting):
        for o in waiting:
            n = o.needs()
            if n and all("above" in x and x["parameter"] == n[0]["parameter"] for x in n):
                top = max(n, key=lambda x: Decimal(x["above"]))
                if lowest is None or (top["parameter"] == lowest["parameter"]
                                      and Decimal(top["above"]) < Decimal(lowest["above"])):
                    lowest = top
    if lowest is not None:
        return combine([Condition("other_help", None, f"只要当地低保标准高于每人每月{cn_yuan(Decimal(lowest['above']))}，"
                                  "就可能符合其他救助，可同时链接慈善资源", "s7-funds",
                                  missing="当地低保标准", needs=[lowest])], best=POSSIBLE)
    return combine([Condition("other_help", None, "是否需要：待其他救助测算结果确定", "s7-funds",
                              missing="其他救助所缺的信息")], best=POSSIBLE)

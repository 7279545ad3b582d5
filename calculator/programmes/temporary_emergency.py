"""急难型临时救助: a sudden accident, fire, disaster or serious illness — help first, paperwork after,
within the hours of parameter temporary.emergency_hours (clause s5-reserve)."""

from __future__ import annotations

from ..household import EMERGENCIES, LABELS
from ..money import plain
from ..rules import Condition, Context, Outcome, combine

ID = "temporary_emergency"
PARAMETERS = ("temporary.emergency_hours", "temporary.reserve_min_yuan")
READS = ()


def evaluate(ctx: Context) -> Outcome:
    e = ctx.household.emergency
    hours = ctx.p("temporary.emergency_hours")
    met = None if e is None else e != "none"
    cond = Condition("emergency", met,
                     f"家中遭遇{EMERGENCIES[e]}，基本生活一时陷入困境" if met else
                     "没有遇到突发急难情况" if met is False else f"{LABELS['emergency']}：未填写", "s5-reserve",
                     missing=LABELS["emergency"] if met is None else None)
    outcome = combine([cond])
    if met:
        outcome.notes.append(f"急难型情况{plain(hours)}小时内先行救助，先救助、后补手续；可直接找镇里或村里，走“绿色通道”。")
    return outcome

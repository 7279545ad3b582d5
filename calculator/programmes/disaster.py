"""受灾人员救助: emergency relief, transitional living relief and temporary hardship relief for the
families of accident casualties and people hit by disasters (clause s5-accident-disaster)."""

from __future__ import annotations

from ..household import EMERGENCIES, LABELS
from ..rules import Condition, Context, Outcome, combine

ID = "disaster"
PARAMETERS = ()
READS = ()
COVERED = ("disaster", "accident", "fire")


def evaluate(ctx: Context) -> Outcome:
    e = ctx.household.emergency
    met = None if e is None else e in COVERED
    text = (f"遭受{EMERGENCIES[e]}" if met else
            f"遭遇的是{EMERGENCIES[e]}，不属于自然灾害或意外事故" if e not in (None, "none") else
            "没有遭受自然灾害或意外事故" if e == "none" else f"{LABELS['emergency']}：未填写")
    outcome = combine([Condition("disaster_or_accident", met, text, "s5-accident-disaster",
                                 missing=LABELS["emergency"] if met is None else None)])
    if met:
        outcome.notes.append("可获得应急救助、过渡期生活救助和临时生活困难救助；请尽快向村里或镇应急办报告。")
    return outcome

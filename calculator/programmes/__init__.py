"""One rule per programme: `evaluate(ctx) -> Outcome`, keyed by the programme id of the policy data.
Order matters only for dependencies: 低保, 特困 and 低保边缘 come first (the special programmes ask
whether the household is one of them), 社会力量 last."""

from __future__ import annotations

from . import (dibao, dibao_edge, disaster, education, employment, housing, medical, tekun,
               temporary_education, temporary_emergency, temporary_medical)
from .referrals import RULES as _REFERRALS

FIRST = ("dibao", "tekun", "dibao_edge")
LAST = ("social_forces",)

RULES = {m.ID: m.evaluate for m in (dibao, tekun, dibao_edge, temporary_emergency, temporary_medical,
                                     temporary_education, medical, education, housing, employment, disaster)}
RULES.update(_REFERRALS)

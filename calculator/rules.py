"""What every programme rule shares: the facts of one estimate (Context), a checked condition with its
clause (Condition), and how conditions combine into a status."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .household import Household, Member
from .params import Params

LIKELY, POSSIBLE, UNLIKELY, UNKNOWN = "likely", "possible", "unlikely", "unknown"
STATUS_CN = {LIKELY: "很可能符合", POSSIBLE: "可能符合，请咨询", UNLIKELY: "看来不符合", UNKNOWN: "信息不足，无法判断"}
STATUS_ORDER = {LIKELY: 0, POSSIBLE: 1, UNKNOWN: 2, UNLIKELY: 3}


@dataclass
class Condition:
    id: str
    met: bool | None
    text: str
    clause: str
    missing: str | None = None  # what would settle it, when met is None

    def as_dict(self) -> dict:
        d = {"id": self.id, "met": self.met, "text": self.text, "clause": self.clause}
        if self.met is None and self.missing:
            d["missing"] = self.missing
        return d


@dataclass
class Outcome:
    status: str
    conditions: list[Condition]
    amount: dict | None = None
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def combine(conditions: list[Condition], soft: tuple[str, ...] = (), best: str = LIKELY) -> Outcome:
    """All met -> `best`; any not met -> unlikely; only `soft` conditions unknown -> possible; otherwise
    unknown. Special programmes pass best=POSSIBLE: the office decides, we only point the way."""
    missing = list(dict.fromkeys(c.missing or c.text for c in conditions if c.met is None))
    if any(c.met is False for c in conditions):
        status = UNLIKELY
    elif not missing:
        status = best
    elif all(c.id in soft for c in conditions if c.met is None):
        status = POSSIBLE
    else:
        status = UNKNOWN
    return Outcome(status, conditions, missing=missing)


def member_name(i: int, m: Member) -> str:
    return f"第{i + 1}位成员（{m.age}岁）"


class Context:
    """The facts of one estimate, computed once and shared by the programme rules."""

    def __init__(self, household: Household, params: Params, bundle: dict):
        self.household = household
        self.params = params
        self.bundle = bundle
        self.n = len(household.members)
        self.income = household.monthly_income_yuan
        self.per_capita = self.income / self.n  # exact enough: compared and shown, never paid
        self.results: dict[str, Outcome] = {}

    def standard(self, area: str | None = None) -> Decimal | None:
        return self.params.standard(area or self.household.area)

    def p(self, param_id: str):
        return self.params.get(param_id)

    def low_income_household(self) -> bool | None:
        """Is the household 低保, 特困 or 低保边缘 by this estimate? The door to the special programmes."""
        statuses = [self.results[k].status for k in ("dibao", "tekun", "dibao_edge")]
        if any(s in (LIKELY, POSSIBLE) for s in statuses):
            return True
        if all(s == UNLIKELY for s in statuses):
            return False
        return None

    def low_income_condition(self) -> Condition:
        met = self.low_income_household()
        return Condition("low_income_household", met,
                         "家庭属于低保、特困或低保边缘家庭（见上面的测算）", "nat-e-edge",
                         missing="当地低保标准或家庭财产情况" if met is None else None)

    def assets_condition(self, clause: str) -> Condition:
        a = self.household.assets_within_limits
        text = {True: "家庭财产符合当地规定", False: "家庭财产超出当地规定", None: "家庭财产是否符合当地规定：未填写"}[a]
        return Condition("assets", a, text, clause, missing="家庭财产是否符合规定" if a is None else None)

"""What every programme rule shares: the facts of one estimate (Context), a checked condition with its
clause (Condition), and how conditions combine into a status.

A rule (calculator/programmes/<id>.py) reads parameters only through `ctx.p()` and other programmes'
outcomes only through `ctx.outcome()`. Both are checked against what the rule declares
(`PARAMETERS`, and the programme ids it reads), so the declarations the standards page shows are the
rule's real inputs, and the order rules run in follows from what they read."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from .household import LABELS, NONE, Household, Member
from .money import cn_yuan
from .params import Params
from .record import factory, record

AREA_CN = {"urban": "城市", "rural": "农村"}

LIKELY, POSSIBLE, DEPENDS, UNLIKELY, UNKNOWN = "likely", "possible", "depends", "unlikely", "unknown"
STATUS_CN = {LIKELY: "很可能符合", POSSIBLE: "可能符合，请咨询", DEPENDS: "取决于当地标准", UNLIKELY: "看来不符合",
             UNKNOWN: "信息不足，无法判断"}
STATUS_ORDER = {LIKELY: 0, POSSIBLE: 1, DEPENDS: 2, UNKNOWN: 3, UNLIKELY: 4}


def fen_floor(value: Decimal) -> Decimal:
    """A break-even figure in fen, rounded down: for a standard published in fen, "standard > x" and
    "standard > fen_floor(x)" are the same test, and so are "standard ≤ x" and "standard ≤ fen_floor(x)"."""
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@record
class Condition:
    id: str
    met: bool | None
    text: str
    clause: str
    missing: str | None = None  # what would settle it, when met is None
    # when met is None only because a parameter is pending: {"parameter": id, "above": "300.00"} (met
    # once the parameter is greater than the figure) or {"parameter": id, "below": "300.00"} (met while
    # it is not greater than the figure); several when both bounds apply
    needs: list[dict] = factory(list)

    def as_dict(self) -> dict:
        d = {"id": self.id, "met": self.met, "text": self.text, "clause": self.clause}
        if self.met is None and self.missing:
            d["missing"] = self.missing
        if self.met is None and self.needs:
            d["needs"] = self.needs[0] if len(self.needs) == 1 else self.needs
        return d


def needs(parameter: str, above: Decimal | None = None, below: Decimal | None = None) -> dict:
    """The break-even of a pending parameter: `above` — met once it is greater; `below` — met while it
    is not greater. Figures in fen, rounded down (see fen_floor)."""
    if above is not None:
        return {"parameter": parameter, "above": format(fen_floor(above), "f")}
    return {"parameter": parameter, "below": format(fen_floor(below), "f")}


@record
class Outcome:
    status: str
    conditions: list[Condition]
    amount: dict | None = None
    missing: list[str] = factory(list)
    notes: list[str] = factory(list)
    persons: list[dict] | None = None  # a programme decided member by member (特困)

    def needs(self) -> list[dict]:
        """The break-even figures this outcome waits on (its DEPENDS conditions)."""
        return [n for c in self.conditions if c.met is None for n in c.needs]


def combine(conditions: list[Condition], soft: tuple[str, ...] = (), best: str = LIKELY) -> Outcome:
    """All met -> `best`; any not met -> unlikely; only `soft` conditions unknown -> possible; the
    other unknown ones all waiting only on a pending parameter (they carry `needs`) -> depends (取决于
    当地标准); otherwise unknown. Special programmes pass best=POSSIBLE: the office decides, we only
    point the way."""
    missing = list(dict.fromkeys(c.missing or c.text for c in conditions if c.met is None))
    hard = [c for c in conditions if c.met is None and c.id not in soft]
    if any(c.met is False for c in conditions):
        status = UNLIKELY
    elif not missing:
        status = best
    elif not hard:
        status = POSSIBLE
    elif all(c.needs for c in hard):
        status = DEPENDS
    else:
        status = UNKNOWN
    return Outcome(status, conditions, missing=missing)


def member_name(i: int, m: Member) -> str:
    return f"第{i + 1}位成员（{m.age}岁）"


def flag(ctx: "Context", attr: str, yes: str, no: str, clause: str) -> Condition:
    """A condition that is one yes/no fact of the household, as answered (not given: unknown)."""
    met = getattr(ctx.household, attr)
    if met is None:
        return Condition(attr, None, f"{LABELS[attr]}：未填写", clause, missing=LABELS[attr])
    return Condition(attr, met, yes if met else no, clause)


def any_of(values) -> bool | None:
    """Three-valued "or": True if any is True; else None (unknown) if any is None; else False."""
    values = list(values)
    return True if any(v is True for v in values) else (None if any(v is None for v in values) else False)


def members_with(ctx: "Context", attr: str) -> tuple[list[str], bool | None]:
    """The members (by name) for whom a yes/no fact is true, and whether any is (any_of: unknown when
    none is but some did not answer)."""
    members = ctx.household.members
    return ([member_name(i, m) for i, m in enumerate(members) if getattr(m, attr) is True],
            any_of(getattr(m, attr) for m in members))


def positive(amount) -> bool | None:
    """Is an amount more than 0 (None: not given, unknown)?"""
    return None if amount is None else amount > 0


def missing_of(*keys: str) -> str:
    """What a condition waits for, in the household format's own labels."""
    return "、".join(LABELS[k] for k in keys)


def disabled(m: Member) -> bool | None:
    """Has the member a disability, as answered: True, False ("disability": "none", 没有残疾), or None
    (not given: unknown)."""
    return None if m.disability is None else m.disability != NONE


def at_school(m: Member) -> bool | None:
    """Is the member at school, as answered: True (a stage), False ("student": "none", 不在上学), or
    None (not given: unknown)."""
    return None if m.student is None else m.student != NONE


def student_condition(ctx: "Context", cid: str, yes: str, no: str, clause: str) -> Condition:
    """Is a member at school (education, 教育类临时救助): met once one is, unknown while none is but
    some did not say (在读学段 not given), not met when every member answered 不在上学."""
    from .household import STUDENT_STAGES
    members = ctx.household.members
    students = [f"{member_name(i, m)}在读{STUDENT_STAGES[m.student]}" for i, m in enumerate(members) if at_school(m)]
    met = any_of(at_school(m) for m in members)
    if met is None:
        open_ = [member_name(i, m) for i, m in enumerate(members) if m.student is None]
        return Condition(cid, None, f"家中有没有在读的学生：{'、'.join(open_)}的{LABELS['student']}未填写", clause,
                         missing=missing_of("student"))
    return Condition(cid, met, f"{yes}：{'；'.join(students)}" if met else no, clause)


SEVERE_DISABILITY = "dibao.severe_disability_grades"


def severely_disabled(ctx: "Context", m: Member) -> bool | None:
    """重度残疾 by the one parameter (its grade for the kind, or more severe); None where the member's
    disability is not given. Rules that call this declare SEVERE_DISABILITY in PARAMETERS."""
    if not disabled(m):
        return disabled(m)
    grades = ctx.p(SEVERE_DISABILITY) or {}
    return m.disability.grade <= grades.get(m.disability.kind, 0)


class RuleError(RuntimeError):
    """A rule read what it does not declare, or rules read each other in a circle."""


LOW_INCOME = ("dibao", "tekun", "dibao_edge")


class Context:
    """The facts of one estimate, computed once and shared by the programme rules. `rules` maps every
    programme id to its rule module (calculator.programmes.rules()); outcomes are computed on first
    demand and memoised, so a rule that reads another's outcome simply runs after it."""

    def __init__(self, household: Household, params: Params, bundle: dict, rules: dict | None = None):
        self.household = household
        self.params = params
        self.bundle = bundle
        self.rules = rules or {}
        self.n = len(household.members)
        self.income = household.monthly_income_yuan
        self.per_capita = self.income / self.n  # exact enough: compared and shown, never paid
        self.results: dict[str, Outcome] = {}
        self._running: list[str] = []
        self.read: dict[str, set[str]] = {}  # programme id -> parameters its rule read (for the tests)
        self._edge_clause: str | None = None

    def outcome(self, pid: str) -> Outcome:
        """The outcome of programme `pid`, computed once. A rule may read only the programmes it
        declares in `READS` (or `READS = "*"`: every other programme, as 社会力量 does)."""
        if self._running:
            caller = self.rules[self._running[-1]]
            reads = getattr(caller, "READS", ())
            if pid == caller.ID or (reads != "*" and pid not in reads):
                raise RuleError(f"calculator/programmes/{caller.ID}.py reads the outcome of {pid!r}, "
                                f"which it does not declare in READS")
        if pid not in self.results:
            if pid in self._running:
                raise RuleError("rules read each other in a circle: " + " -> ".join([*self._running, pid]))
            self._running.append(pid)
            try:
                self.results[pid] = self.rules[pid].evaluate(self)
            finally:
                self._running.pop()
        return self.results[pid]

    def others(self) -> dict[str, Outcome]:
        """Every other programme's outcome, for the rules that declare READS = "*"."""
        me = self._running[-1]
        return {pid: self.outcome(pid) for pid in self.rules if pid != me}

    def standard(self, area: str | None = None) -> Decimal | None:
        return self.p(f"dibao.{area or self.household.area}_monthly_standard")

    def p(self, param_id: str):
        """A parameter's value in force (or from the input), by a rule that declares it in PARAMETERS."""
        if self._running:
            rule = self.rules[self._running[-1]]
            if param_id not in rule.PARAMETERS:
                raise RuleError(f"calculator/programmes/{rule.ID}.py reads parameter {param_id!r}, "
                                "which it does not declare in PARAMETERS")
            self.read.setdefault(rule.ID, set()).add(param_id)
        return self.params.get(param_id)

    def amount(self) -> dict | None:
        """The running programme's amount, by the one interpreter of its `amount` spec."""
        from .amounts import describe_amount
        pid = self._running[-1]
        return describe_amount(self.programme(pid), self.bundle, self.params.as_of, self.household.area,
                               params=self, household=(self.n, self.income))

    get = p  # so that the amount interpreter reads parameters through the running rule's declaration

    def programme(self, pid: str) -> dict:
        from .bundle import index
        return index(self.bundle, "programmes")[pid]

    def edge_clause(self) -> str:
        """Where 低保边缘家庭 is defined on the estimate's date: the 2022 notice (nat-e-edge) from its date,
        before it the 2021 审核确认办法 第八条 (nat-b-8), which says the same. Worked out once per estimate."""
        if self._edge_clause is None:
            from .programmes._law import first_in_force  # (the rules package imports this module)
            self._edge_clause = first_in_force(self, "nat-e-edge", "nat-b-8") or "nat-b-8"
        return self._edge_clause

    def low_income_household(self) -> bool | None:
        """Is the household 低保, 特困 or 低保边缘 by this estimate? The door to the special programmes.
        Rules that ask declare READS including LOW_INCOME."""
        statuses = [self.outcome(k).status for k in LOW_INCOME]
        if any(s in (LIKELY, POSSIBLE) for s in statuses):
            return True
        if all(s == UNLIKELY for s in statuses):
            return False
        return None

    def low_income_condition(self, cid: str = "low_income_household") -> Condition:
        """Is the household 低保, 特困 or 低保边缘 (Context.edge_clause)? While the standard is pending and the
        rest is met, the break-even is the 低保边缘 band's: above it the household is one or the other."""
        met = self.low_income_household()
        if met is not None:
            return Condition(cid, met, "家庭属于低保、特困或低保边缘家庭（见上面的测算）" if met
                             else "家庭不属于低保、特困或低保边缘家庭（见上面的测算）", self.edge_clause())
        edge = self.outcome("dibao_edge")
        band = next((c for c in edge.conditions if c.id == "income_in_edge_band" and c.needs), None)
        if edge.status == DEPENDS and band is not None:
            above = next(n for n in band.needs if "above" in n)
            return Condition(cid, None, f"只要当地{AREA_CN[self.household.area]}低保标准高于每人每月"
                             f"{cn_yuan(Decimal(above['above']))}，家庭就属于低保或低保边缘家庭（见上面的测算）",
                             self.edge_clause(), missing=f"{AREA_CN[self.household.area]}低保月标准", needs=[above])
        return Condition(cid, None, "家庭是否属于低保、特困或低保边缘家庭：待补充信息", self.edge_clause(),
                         missing="当地低保标准或家庭财产情况")

    def assets_condition(self, clause: str) -> Condition:
        a = self.household.assets_within_limits
        text = {True: "家庭财产符合当地规定", False: "家庭财产超出当地规定", None: "家庭财产是否符合当地规定：未填写"}[a]
        return Condition("assets", a, text, clause, missing="家庭财产是否符合规定" if a is None else None)

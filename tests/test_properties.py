"""Properties of the calculator over generated households (hypothesis):

- any valid household (within the format's limits) gives a result, never an exception;
- every programme of the bundle appears exactly once, every condition cites a clause that exists;
- min ≤ max on every range;
- more income never raises the 低保 amount nor turns "unlikely" into "likely";
- any invalid input gives an InputError whose fields name a key path and a Chinese label, never
  another exception, whether it comes as a Python object or as JSON text (NaN, Infinity, 1e400).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from calculator import fields as F
from calculator import household as H
from calculator.api import handle
from calculator.bundle import clause_index, load_bundle
from calculator.engine import estimate
from calculator.household import InputError
from calculator.jsonio import loads
from calculator.report import summary

BUNDLE = load_bundle()
PROGRAMME_IDS = [p["id"] for p in BUNDLE["programmes"]]
CLAUSES = set(clause_index(BUNDLE))
CJK = re.compile(r"[\u4e00-\u9fff]")
RULES_START = dt.date(2021, 8, 22)  # the town document: every rule parameter is in force from here

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- valid households ------------------------------------------------------------------------------

money = st.one_of(
    st.integers(0, 10**8),
    st.integers(0, 5000),
    st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.floats(min_value=0, max_value=1e8, allow_nan=False, allow_infinity=False),
)
small_money = st.one_of(st.integers(0, 5000), st.decimals(min_value=0, max_value=5000, places=2).map(str))
positive_money = st.one_of(
    st.integers(1, 10**8),
    st.integers(300, 2000),
    st.decimals(min_value=Decimal("0.01"), max_value=10**8, places=3).map(str),
    st.floats(min_value=0.01, max_value=1e8, allow_nan=False, allow_infinity=False),
)
dates = st.dates(min_value=RULES_START, max_value=dt.date(2040, 12, 31)).map(dt.date.isoformat)


def optional(key: str, strategy) -> st.SearchStrategy:
    """{} (key left out) or {key: value}."""
    return st.one_of(st.just({}), strategy.map(lambda v: {key: v}))


def merged(*parts) -> st.SearchStrategy:
    return st.tuples(*parts).map(lambda ds: {k: v for d in ds for k, v in d.items()})


def value_strategy(f: F.Field, income=money) -> st.SearchStrategy:
    """Any valid value of one declared field (None where the format allows null)."""
    if f.kind == F.CHOICE:
        values = st.sampled_from(list(f.choices))
    elif f.kind == F.FLAG:
        values = st.booleans()
    elif f.kind == F.MONEY:
        values = income if f.required else positive_money if f.positive else money
    elif f.kind == F.INTEGER:
        values = st.integers(f.low, f.high)
    elif f.kind == F.DATE:
        values = dates
    else:  # pragma: no cover - a new kind needs its strategy here
        raise AssertionError(f.kind)
    return values if f.required else st.one_of(st.none(), values)


def level_strategy(fields, income=money, **fixed) -> st.SearchStrategy:
    """A JSON object of one level (household or member) built from the declaration: required keys
    always, optional ones left out or given, a group (standards, disability) left out, given with
    its own fields, or (a group with `none`) answered "none"; `fixed`: strategies of keys that are not
    fields (the members)."""
    parts, groups = [st.fixed_dictionaries(fixed)] if fixed else [], {}
    for f in fields:
        if "." in f.key:
            groups.setdefault(f.name, []).append(f)
        elif f.required:
            parts.append(value_strategy(f, income).map(lambda v, k=f.key: {k: v}))
        else:
            parts.append(optional(f.key, value_strategy(f, income)))
    for name, members in groups.items():
        none = F.GROUPS[name].none  # the group's own "none" value is never inside its object
        inner = merged(*(value_strategy(g).filter(lambda v: v != none).map(lambda v, k=g.key.split(".")[1]: {k: v})
                         if g.required else
                         optional(g.key.split(".")[1], value_strategy(g).filter(lambda v: v is not None and v != none))
                         for g in members))
        parts.append(optional(name, st.one_of(inner, st.just(none)) if none else inner))
    return merged(*parts)


member = level_strategy(F.MEMBER_FIELDS)


def households(income=money, members=st.lists(member, min_size=1, max_size=H.MAX_MEMBERS)):
    return level_strategy(F.HOUSEHOLD_FIELDS, income, members=members).map(
        lambda d: {**d, "as_of": d.get("as_of") or "2026-01-15"})  # the same result on any day


def by_id(result: dict) -> dict:
    return {p["id"]: p for p in result["programmes"]}


@SETTINGS
@given(households())
def test_any_valid_household_gives_a_complete_result(data):
    result = estimate(data, BUNDLE)
    # every programme of the bundle exactly once, in the bundle's order
    assert [p["id"] for p in result["programmes"]] == PROGRAMME_IDS
    for p in result["programmes"]:
        assert p["status"] in ("likely", "possible", "depends", "unlikely", "unknown")
        assert p["conditions"], p["id"]
        for c in p["conditions"]:
            assert c["clause"] in CLAUSES, f"{p['id']}.{c['id']} cites unknown clause {c['clause']!r}"
            assert c["met"] in (True, False, None) and CJK.search(c["text"])
        for clause in p["clauses"]:
            assert clause in CLAUSES
        if p["status"] == "unknown":
            assert p["missing"], f"{p['id']} is unknown without saying what is missing"
        if p["status"] == "depends":  # waits only on pending parameters, and says on what figure
            assert p["needs"] and p["missing"], p["id"]
            assert not any(c["met"] is False for c in p["conditions"]), p["id"]
            assert p["needs"] == [n for c in p["conditions"] if c["met"] is None and c.get("needs")
                                  for n in ([c["needs"]] if isinstance(c["needs"], dict) else c["needs"])], p["id"]
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == result
    summary(result, BUNDLE)  # the command line's Chinese summary renders too


@SETTINGS
@given(households())
def test_every_range_has_min_at_most_max(data):
    for p in estimate(data, BUNDLE)["programmes"]:
        a = p["amount"]
        if not a:
            continue
        if a.get("min_yuan") is not None and a.get("max_yuan") is not None:
            assert Decimal(a["min_yuan"]) <= Decimal(a["max_yuan"]), p["id"]
        if a.get("min_multiple") is not None and a.get("max_multiple") is not None:
            assert Decimal(a["min_multiple"]) <= Decimal(a["max_multiple"]), p["id"]
        for key in ("monthly_yuan", "min_yuan", "max_yuan"):
            if a.get(key) is not None:
                assert Decimal(a[key]) >= 0 and Decimal(a[key]) == Decimal(a[key]).quantize(Decimal("0.01")), p["id"]


@SETTINGS
@given(households(income=small_money, members=st.lists(member, min_size=1, max_size=6)),
       st.one_of(st.integers(0, 3000), st.decimals(min_value=0, max_value=3000, places=2)))
def test_more_income_never_helps_dibao(data, extra):
    # standards are given most of the time, so that 低保 has something to compare with
    data = {**data, "standards": data.get("standards") or {"urban_dibao_monthly": 1000, "rural_dibao_monthly": 800}}
    richer = {**data, "monthly_income_yuan": str(Decimal(str(data["monthly_income_yuan"])) + Decimal(str(extra)))}
    low, high = by_id(estimate(data, BUNDLE))["dibao"], by_id(estimate(richer, BUNDLE))["dibao"]
    assert not (low["status"] == "unlikely" and high["status"] == "likely")
    high_amount = (high["amount"] or {}).get("monthly_yuan")
    if high_amount is not None:
        low_amount = (low["amount"] or {}).get("monthly_yuan")
        assert low_amount is not None and Decimal(high_amount) <= Decimal(low_amount)


@SETTINGS
@given(households())
def test_the_api_returns_the_same_result_as_json(data):
    out = json.loads(handle("estimate", json.dumps(data)))
    assert out == {"ok": True, "result": json.loads(json.dumps(estimate(data, BUNDLE)))}


# ---- invalid input ---------------------------------------------------------------------------------

def assert_names_fields(exc: InputError, path: str | None = None) -> None:
    assert exc.errors
    for e in exc.errors:
        assert isinstance(e.path, str) and isinstance(e.label, str) and e.message
        assert CJK.search(e.label), e
        assert CJK.search(e.message), e
    if path is not None:
        assert path in [e.path for e in exc.errors], [str(e) for e in exc.errors]
    as_dict = exc.as_dict()
    assert [f["path"] for f in as_dict["fields"]] == [e.path for e in exc.errors]


WRONG_TYPES = st.one_of(st.text(max_size=5), st.lists(st.integers(), max_size=2), st.dictionaries(
    st.text(max_size=3), st.integers(), max_size=2), st.booleans())
NON_INT = st.one_of(st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f != int(f)),
                    st.text(max_size=5), st.booleans(), st.lists(st.integers(), max_size=1))


@st.composite
def invalid(draw):
    """(input, key path the error must name): a valid household with one thing broken."""
    data = draw(households(members=st.lists(member, min_size=1, max_size=5)))
    i = draw(st.integers(0, len(data["members"]) - 1))
    m = f"members[{i}]"
    kind = draw(st.sampled_from([
        "missing_area", "missing_members", "missing_income", "empty_members", "too_many_members", "area",
        "income_type", "income_negative", "income_huge", "income_text", "expense_negative", "age_type",
        "age_range", "age_missing", "grade", "kind", "disability_type", "member_type", "unknown_key",
        "unknown_member_key", "unknown_disability_key", "unknown_standard", "standard_zero", "standard_negative",
        "as_of", "supporters", "assets", "student", "emergency", "flag", "members_type", "seeking_work"]))
    member_ = dict(data["members"][i])
    if kind == "missing_area":
        del data["area"]; path = "area"
    elif kind == "missing_members":
        del data["members"]; path = "members"
    elif kind == "missing_income":
        del data["monthly_income_yuan"]; path = "monthly_income_yuan"
    elif kind == "empty_members":
        data["members"] = []; path = "members"
    elif kind == "too_many_members":
        data["members"] = [{"age": 30}] * draw(st.integers(H.MAX_MEMBERS + 1, 200)); path = "members"
    elif kind == "members_type":
        data["members"] = draw(st.one_of(st.text(max_size=3), st.integers(), st.dictionaries(st.text(), st.none(), max_size=1))); path = "members"
    elif kind == "area":
        data["area"] = draw(st.one_of(st.text(max_size=8).filter(lambda t: t not in H.AREAS), WRONG_TYPES)); path = "area"
    elif kind == "income_type":
        data["monthly_income_yuan"] = draw(st.one_of(st.booleans(), st.lists(st.integers(), max_size=2),
                                                     st.dictionaries(st.text(max_size=2), st.integers(), max_size=1)))
        path = "monthly_income_yuan"
    elif kind == "income_negative":
        data["monthly_income_yuan"] = draw(st.one_of(st.integers(max_value=-1),
                                                     st.floats(max_value=-1e-9, allow_infinity=False),
                                                     st.decimals(max_value=Decimal("-0.01"), places=2,
                                                                 allow_nan=False, allow_infinity=False).map(str)))
        path = "monthly_income_yuan"
    elif kind == "income_huge":
        data["monthly_income_yuan"] = draw(st.one_of(st.integers(min_value=10**8 + 1),
                                                     st.floats(min_value=1e8 + 1, allow_infinity=False)))
        path = "monthly_income_yuan"
    elif kind == "income_text":
        data["monthly_income_yuan"] = draw(st.sampled_from(["一千", "abc", "", "1.2.3", "NaN", "Infinity", "-inf",
                                                            "sNaN", "x" * 31, "1" * 40]))
        path = "monthly_income_yuan"
    elif kind == "expense_negative":
        key = draw(st.sampled_from(["medical_expenses_yuan", "education_expenses_yuan"]))
        data[key] = draw(st.integers(max_value=-1)); path = key
    elif kind == "age_type":
        member_["age"] = draw(NON_INT); path = f"{m}.age"
    elif kind == "age_range":
        member_["age"] = draw(st.one_of(st.integers(max_value=-1), st.integers(min_value=H.MAX_AGE + 1))); path = f"{m}.age"
    elif kind == "age_missing":
        member_.pop("age"); path = f"{m}.age"
    elif kind == "grade":
        member_["disability"] = {"kind": draw(st.sampled_from(list(H.DISABILITY_KINDS))),
                                 "grade": draw(st.one_of(st.integers(max_value=0), st.integers(min_value=5), NON_INT, st.none()))}
        path = f"{m}.disability.grade"
    elif kind == "kind":
        member_["disability"] = {"kind": draw(st.one_of(st.text(max_size=8).filter(lambda t: t not in H.DISABILITY_KINDS),
                                                        st.none(), st.integers())), "grade": 1}
        path = f"{m}.disability.kind"
    elif kind == "disability_type":
        member_["disability"] = draw(st.one_of(st.text(max_size=3), st.integers(), st.lists(st.integers(), max_size=1), st.just(True)))
        path = f"{m}.disability"
    elif kind == "member_type":
        data["members"][i] = draw(st.one_of(st.integers(), st.text(max_size=3), st.none(), st.lists(st.integers(), max_size=1)))
        member_ = None; path = m
    elif kind == "unknown_key":
        key = draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in H.HOUSEHOLD_KEYS))
        data[key] = draw(st.integers()); path = key
    elif kind == "unknown_member_key":
        key = draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in H.MEMBER_KEYS))
        member_[key] = 1; path = f"{m}.{key}"
    elif kind == "unknown_disability_key":
        member_["disability"] = {"kind": "physical", "grade": 2, "level": 2}; path = f"{m}.disability.level"
    elif kind == "unknown_standard":
        data["standards"] = {"urban_dibao": 1000}; path = "standards.urban_dibao"
    elif kind == "standard_zero":
        key = draw(st.sampled_from(["urban_dibao_monthly", "rural_dibao_monthly"]))
        data["standards"] = {key: draw(st.sampled_from([0, "0", 0.0, "0.00"]))}; path = f"standards.{key}"
    elif kind == "standard_negative":
        key = draw(st.sampled_from(["urban_dibao_monthly", "rural_dibao_monthly"]))
        data["standards"] = {key: draw(st.integers(max_value=-1))}; path = f"standards.{key}"
    elif kind == "as_of":
        data["as_of"] = draw(st.one_of(
            st.sampled_from(["2025-13-01", "2025-02-30", "20250101", "2025/01/01", "", "今天", "2025-1-1"]),
            st.integers(), st.dates(max_value=RULES_START - dt.timedelta(days=1)).map(dt.date.isoformat)))
        path = "as_of"
    elif kind == "supporters":
        data["supporters"] = draw(st.one_of(st.sampled_from(["有", "yes", "None", "ABLE"]), st.integers(), st.booleans()))
        path = "supporters"
    elif kind == "assets":
        data["assets_within_limits"] = draw(st.one_of(st.sampled_from(["是", "true", "yes"]), st.integers()))
        path = "assets_within_limits"
    elif kind == "student":
        member_["student"] = draw(st.one_of(st.sampled_from(["小学", "high", "university"]), st.integers()))
        path = f"{m}.student"
    elif kind == "emergency":
        data["emergency"] = draw(st.one_of(st.sampled_from(["flood", "火灾", "None", "没有"]), st.booleans()))
        path = "emergency"
    elif kind == "seeking_work":
        member_["seeking_work"] = draw(st.sampled_from(["是", 1, 0, "no"])); path = f"{m}.seeking_work"
    else:  # flag
        key = draw(st.sampled_from([f.key for f in F.HOUSEHOLD_FIELDS if f.kind == F.FLAG]))
        data[key] = draw(st.one_of(st.sampled_from(["是", "否", "true"]), st.integers(0, 1), st.lists(st.booleans(), max_size=1)))
        path = key
    if member_ is not None and "members" in data and isinstance(data["members"], list) and i < len(data["members"]) \
            and kind not in ("too_many_members", "empty_members"):
        data["members"][i] = member_
    return data, path


@SETTINGS
@given(invalid())
def test_invalid_input_names_the_field(case):
    data, path = case
    with pytest.raises(InputError) as info:
        estimate(data, BUNDLE)
    assert_names_fields(info.value, path)


@SETTINGS
@given(invalid())
def test_invalid_input_through_the_api_is_a_json_error(case):
    data, path = case
    out = json.loads(handle("estimate", json.dumps(data)))
    assert out["ok"] is False
    assert path in [f["path"] for f in out["error"]["fields"]]
    assert all(CJK.search(f["label"]) for f in out["error"]["fields"])


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
PATHS = ["as_of", "area", "members", "monthly_income_yuan", "supporters", "assets_within_limits",
         "medical_expenses_yuan", "education_expenses_yuan", "emergency", "standards", "housing_difficulty",
         "members.0", "members.0.age", "members.0.disability", "members.0.disability.kind",
         "members.0.disability.grade", "members.0.student", "members.0.serious_illness", "standards.urban_dibao_monthly"]


def put(data, path: str, value):
    """Set `value` at a dotted path (list indexes as numbers), creating objects on the way."""
    *parents, last = path.split(".")
    node = data
    for key in parents:
        key = int(key) if key.isdigit() else key
        if isinstance(node, list):
            node = node[key]
        else:
            if not isinstance(node.get(key), (dict, list)):
                node[key] = {}
            node = node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


@SETTINGS
@given(households(members=st.lists(member, min_size=1, max_size=3)), st.sampled_from(PATHS), JSON_VALUES)
def test_any_json_value_in_any_field_gives_a_result_or_a_field_error(data, path, value):
    """Whatever JSON sits in a field (NaN and Infinity included), the answer is a result or an
    InputError naming fields, never another exception; and the API always answers JSON."""
    if path.startswith("members.0") and not data["members"]:
        return
    put(data, path, value)
    try:
        estimate(data, BUNDLE)
    except InputError as exc:
        assert_names_fields(exc)
    text = json.dumps(data, allow_nan=True)  # NaN / Infinity written as JSON's non-standard constants
    out = json.loads(handle("estimate", text))
    assert out["ok"] in (True, False)
    if not out["ok"]:
        assert out["error"]["fields"] and all(CJK.search(f["label"]) for f in out["error"]["fields"])


@SETTINGS
@given(households(members=st.lists(member, min_size=1, max_size=3)),
       st.sampled_from(["monthly_income_yuan", "medical_expenses_yuan", "education_expenses_yuan",
                        "standards.urban_dibao_monthly", "standards.rural_dibao_monthly", "members.0.age",
                        "members.0.disability.grade", "as_of", "area"]),
       st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]))
def test_non_finite_numbers_in_json_are_rejected_by_field(data, path, constant):
    put(data, path, "__X__")
    text = json.dumps(data).replace('"__X__"', constant)
    with pytest.raises(InputError) as info:
        estimate(loads(text), BUNDLE)
    expected = path.replace("members.0", "members[0]")
    assert_names_fields(info.value, expected)
    out = json.loads(handle("estimate", text))
    assert out["ok"] is False and expected in [f["path"] for f in out["error"]["fields"]]


@SETTINGS
@given(st.one_of(st.text(max_size=50), st.binary(max_size=30).map(lambda b: b.decode("latin-1")),
                 JSON_VALUES.map(lambda v: json.dumps(v, allow_nan=True))))
def test_any_text_through_the_api_is_answered_with_json(text):
    for op in ("estimate", "screen"):
        out = json.loads(handle(op, text))
        assert out["ok"] in (True, False)
        if not out["ok"]:
            assert out["error"]["message"]

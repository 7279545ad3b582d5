"""A blank is unknown, never 0, 否 nor "none": for every optional field of the household format (the
list comes from calculator/fields.py, so a new field is tested without an edit here: the member's
groups, such as 残疾情况, by their first field; 在读学段 and 性别 like any other), on households where
everything else is answered:

- the field left out is None in the Household;
- no programme is 看来不符合 because of the blank: a programme unlikely with the field left out is
  unlikely whatever the field's value (each value the form offers is tried, 没有残疾 and 不在上学
  among them);
- where the field's value decides a programme, leaving it out gives 信息不足 or 可能符合, and what is
  missing names the field by its label;
- where it decides nothing (a 70-year-old lacks work ability by age whatever his disability), the
  blank changes nothing: the same status, and the field is not named as missing.

Two kinds of optional field have a blank that is no fact of the household and are left out: the date
(as_of: left out, today) and a group whose blank is what is published (standards: the one in force).
"""

from __future__ import annotations

import copy
import dataclasses

import pytest

from calculator import fields as F
from calculator.bundle import load_bundle
from calculator.engine import estimate
from calculator import household as H
from calculator.household import parse_household

BUNDLE = load_bundle()
STD = {"urban_dibao_monthly": 1000, "rural_dibao_monthly": 800}

# Households near the lines that matter (income, age, low income, the 单人保 band), as answered.
BASES = {
    "rural_elder_and_grandson": {"as_of": "2026-01-15", "area": "rural", "monthly_income_yuan": 900,
                                 "supporters": "none", "assets_within_limits": True, "standards": STD,
                                 "members": [{"age": 70, "sex": "male"}, {"age": 68, "sex": "female"},
                                             {"age": 14, "student": "junior_high", "sex": "male"}]},
    "urban_family_in_the_edge_band": {"as_of": "2026-01-15", "area": "urban", "monthly_income_yuan": 4400,
                                      "supporters": "able", "assets_within_limits": True, "standards": STD,
                                      "members": [{"age": 35, "sex": "male"}, {"age": 33, "sex": "female"},
                                                  {"age": 8, "student": "primary"}, {"age": 66, "sex": "female"}]},
    "rural_woman_alone": {"as_of": "2026-01-15", "area": "rural", "monthly_income_yuan": 300, "supporters": "able",
                          "assets_within_limits": True, "standards": STD,
                          "members": [{"age": 52, "sex": "female"}]},
    "rural_man_alone_no_supporter": {"as_of": "2026-01-15", "area": "rural", "monthly_income_yuan": 200,
                                     "supporters": "none", "assets_within_limits": True, "standards": STD,
                                     "members": [{"age": 45, "sex": "male"}]},
}


def answered(data: dict) -> dict:
    """Every optional fact not in the base answered as a filled form says "no": 否, 0, and the choice
    "none" where a field has one (没有残疾, 不在上学, 没有遇到)."""
    data = copy.deepcopy(data)
    for f in BLANKABLE:
        no = {F.FLAG: False, F.MONEY: 0}.get(f.kind, F.NONE if F.NONE in f.choices else None)
        if no is None:
            continue
        for target in ([data] if f.level == F.HOUSEHOLD else data["members"]):
            target.setdefault(f.name, no)
    return data


def values(f: F.Field) -> list:
    """Every value the form offers for the field (for a group: its "none" and each of its objects)."""
    if "." in f.key:
        inner = [g for g in F.group_fields(f.name)][1:]
        assert [g.kind for g in inner] == [F.INTEGER], f"no values for group {f.name}"  # pragma: no cover
        objects = [{f.key.split(".")[1]: c, inner[0].key.split(".")[1]: n}
                   for c in f.choices if c != F.GROUPS[f.name].none for n in inner[0].choices]
        return [F.GROUPS[f.name].none, *objects]
    if f.kind == F.FLAG:
        return [True, False]
    if f.kind == F.MONEY:
        return [0, 1, 5000, 100000]
    if f.kind == F.CHOICE:
        return list(f.choices)
    raise AssertionError(f"no values for {f.kind}")  # pragma: no cover


def with_value(data: dict, f: F.Field, value) -> dict:
    data = copy.deepcopy(data)
    target = data if f.level == F.HOUSEHOLD else data["members"][0]
    if value is None:
        target.pop(f.name, None)
    else:
        target[f.name] = value
    return data


def label(f: F.Field) -> str:
    """How what is missing names the field: its label, or its group's (残疾情况)."""
    return F.GROUPS[f.name].label if "." in f.key else f.label


# every optional fact: the optional fields, and each optional group by its first field
BLANKABLE = [f for f in F.FIELDS if f.kind != F.DATE and f.name not in H.GROUP_DEFAULTS
             and (f.optional if "." not in f.key else F.group_fields(f.name)[0] is f)]


def test_the_list_is_every_optional_fact():
    keys = {f.key for f in BLANKABLE}
    assert {"medical_expenses_yuan", "education_expenses_yuan", "serious_illness", "homeless", "veteran",
            "two_cancers", "hardship_worker", "legal_case", "left_behind", "poverty_registered", "supporters",
            "assets_within_limits", "housing_difficulty", "seeking_work", "disability.kind", "student",
            "sex", "emergency"} <= keys
    # what is left out has a blank that is no fact of the household: the date, the published standards
    assert {(f.level, f.key) for f in F.FIELDS if f.optional and f not in BLANKABLE} == {
        (f.level, f.key) for f in F.FIELDS if f.kind == F.DATE or f.name in H.GROUP_DEFAULTS}


def test_the_date_and_the_standards_left_out_are_today_and_the_ones_in_force():
    h = parse_household({"area": "rural", "monthly_income_yuan": 0, "members": [{"age": 40}]})
    assert h.as_of is None and h.standards == {}
    assert all(getattr(m, f.name) is None for m in h.members for f in F.MEMBER_FIELDS if f.optional or "." in f.key)


@pytest.mark.parametrize("f", BLANKABLE, ids=lambda f: f.name)
@pytest.mark.parametrize("base", list(BASES), ids=str)
def test_a_blank_field_is_unknown_never_unlikely(f, base):
    full = answered(BASES[base])
    blank = with_value(full, f, None)
    household = parse_household(blank)
    holder = household if f.level == F.HOUSEHOLD else household.members[0]
    assert getattr(holder, f.name) is None  # never 0, never False, never "none"
    got = {p["id"]: p for p in estimate(blank, BUNDLE)["programmes"]}
    filled = [{p["id"]: p["status"] for p in estimate(with_value(full, f, v), BUNDLE)["programmes"]}
              for v in values(f)]
    for pid, p in got.items():
        statuses = {s[pid] for s in filled}
        if p["status"] == "unlikely":
            assert statuses == {"unlikely"}, (
                f"{pid} is 看来不符合 with {f.key} left out, but {statuses} with it given: "
                f"{[c['text'] for c in p['conditions'] if c['met'] is False]}")
        if len(statuses) > 1:  # the field decides this programme
            assert p["status"] in ("unknown", "possible"), (pid, p["status"], statuses)
            if p["status"] not in statuses:
                assert any(label(f) in m for m in p["missing"]), (pid, label(f), p["missing"])
        elif p["status"] != "unlikely":  # it decides nothing here: no noise where the programme may fit
            assert p["status"] in statuses, (pid, p["status"], statuses)
            assert not any(label(f) in m for m in p["missing"]), (pid, label(f), p["missing"])

"""A blank is unknown, never 0 nor 否: for every optional field of the household format whose blank
means 不清楚 (the list comes from calculator/fields.py, so a new field is tested without an edit
here), on households where everything else is answered:

- the field left out is None in the Household;
- no programme is 看来不符合 because of the blank: a programme unlikely with the field left out is
  unlikely whatever the field's value (each value the form offers is tried);
- where the field's value decides a programme, leaving it out gives 信息不足 or 可能符合, and what is
  missing names the field by its label."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from calculator import fields as F
from calculator.bundle import load_bundle
from calculator.engine import estimate
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
}


def answered(data: dict) -> dict:
    """Every optional yes/no and amount not in the base answered: 否 and 0 (what a filled form says)."""
    data = copy.deepcopy(data)
    for f in F.FIELDS:
        if f.required or "." in f.key or f.kind not in (F.FLAG, F.MONEY):
            continue
        for target in ([data] if f.level == F.HOUSEHOLD else data["members"]):
            target.setdefault(f.key, False if f.kind == F.FLAG else 0)
    return data


def values(f: F.Field) -> list:
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
        target.pop(f.key, None)
    else:
        target[f.key] = value
    return data


UNKNOWN_BLANK = [f for f in F.FIELDS if f.optional and f.blank == "不清楚" and "." not in f.key and f.kind != F.DATE]


def test_the_list_is_every_optional_fact():
    keys = {f.key for f in UNKNOWN_BLANK}
    assert {"medical_expenses_yuan", "education_expenses_yuan", "serious_illness", "homeless", "veteran",
            "two_cancers", "hardship_worker", "legal_case", "left_behind", "poverty_registered", "supporters",
            "assets_within_limits", "housing_difficulty", "seeking_work"} <= keys


@pytest.mark.parametrize("f", UNKNOWN_BLANK, ids=lambda f: f.key)
@pytest.mark.parametrize("base", list(BASES), ids=str)
def test_a_blank_field_is_unknown_never_unlikely(f, base):
    full = answered(BASES[base])
    blank = with_value(full, f, None)
    household = parse_household(blank)
    holder = household if f.level == F.HOUSEHOLD else household.members[0]
    assert getattr(holder, f.key) is None  # never 0, never False
    got = {p["id"]: p for p in estimate(blank, BUNDLE)["programmes"]}
    filled = {v: {p["id"]: p["status"] for p in estimate(with_value(full, f, v), BUNDLE)["programmes"]}
              for v in values(f)}
    for pid, p in got.items():
        statuses = {s[pid] for s in filled.values()}
        if p["status"] == "unlikely":
            assert statuses == {"unlikely"}, (
                f"{pid} is 看来不符合 with {f.key} left out, but {filled} with it given: "
                f"{[c['text'] for c in p['conditions'] if c['met'] is False]}")
        if len(statuses) > 1:  # the field decides this programme
            assert p["status"] in ("unknown", "possible"), (pid, p["status"], statuses)
            if p["status"] not in statuses:
                assert any(f.label in m for m in p["missing"]), (pid, f.label, p["missing"])

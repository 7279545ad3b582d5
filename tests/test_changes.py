"""Changes due soon (issue 13, dated values everywhere): a standard published ahead of its date is
named in the result of an estimate made within the months before it (calculator/changes.py), with
the programmes that use it, on the page and in the command line's summary; not once it is in force,
and not years ahead. The value is planted in a copy of the bundle (never today's shipped values)."""

from __future__ import annotations

import copy
import datetime as dt
import importlib

import pytest

from calculator.bundle import load_bundle
from calculator.changes import UPCOMING_DAYS
from calculator.engine import estimate
from calculator.report import summary

PARAMETER = "dibao.urban_monthly_standard"
AS_OF = dt.date(2026, 12, 1)
SOON = AS_OF + dt.timedelta(days=31)
LATER = AS_OF + dt.timedelta(days=UPCOMING_DAYS + 200)
HOUSEHOLD = {"as_of": AS_OF.isoformat(), "area": "urban", "members": [{"age": 70}], "monthly_income_yuan": 300}


@pytest.fixture
def bundle():
    b = copy.deepcopy(load_bundle())
    b.pop("_index", None)
    values = b["parameters"][PARAMETER]["values"]
    assert not any(v["date"] >= SOON.isoformat() for v in values)
    ref = {"source": b["sources"][0]["id"]}
    values += [{"date": SOON.isoformat(), "value": "1234", "reference": ref},
               {"date": LATER.isoformat(), "value": "1500", "reference": ref}]
    return b


def cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def test_a_change_due_within_the_months_ahead_is_in_the_result(bundle):
    result = estimate(HOUSEHOLD, bundle)
    [change] = result["upcoming"]
    assert change["date"] == SOON.isoformat() and change["parameter"] == PARAMETER
    assert change["text"] == f"自{cn(SOON)}起，{bundle['parameters'][PARAMETER]['description']}为1,234元/人·月"
    declared = [pid for pid in (p["id"] for p in bundle["programmes"])
                if PARAMETER in importlib.import_module(f"calculator.programmes.{pid}").PARAMETERS]
    assert declared and change["programmes"] == declared
    assert f"标准将调整：{change['text']}" in summary(result, bundle)


def test_not_once_in_force_and_not_years_ahead(bundle):
    on_the_day = estimate(dict(HOUSEHOLD, as_of=SOON.isoformat()), bundle)
    assert [c["date"] for c in on_the_day["upcoming"]] == []  # LATER is more than the window after SOON
    assert estimate(dict(HOUSEHOLD, as_of=(LATER - dt.timedelta(days=10)).isoformat()), bundle)["upcoming"][0]["date"] \
        == LATER.isoformat()


def test_no_change_ahead_no_note():
    b = load_bundle()
    last = max((v["date"] for par in b["parameters"].values() for v in par["values"]), default="2000-01-01")
    after = dt.date.fromisoformat(last) + dt.timedelta(days=1)
    result = estimate(dict(HOUSEHOLD, as_of=after.isoformat()), b)
    assert result["upcoming"] == [] and "标准将调整" not in summary(result, b)

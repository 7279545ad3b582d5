"""The calculator follows the law from its date: next steps (the procedure in force, what every
applicant may rely on, the number to call) come from the dated data of the day asked; the 刚性支出
困难家庭 door to 医疗/教育/住房 opens on the day the law took effect. Expectations are read from the
shipped data, never today's values."""

from __future__ import annotations

import datetime as dt

import pytest

from calculator.bundle import load_bundle
from calculator.engine import estimate


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def law(bundle) -> dict:
    return next(s for s in bundle["sources"] if s["kind"] == "law")


def days(bundle) -> tuple[str, str]:
    start = law(bundle)["in_force"]
    return (dt.date.fromisoformat(start) - dt.timedelta(days=1)).isoformat(), start


HOUSEHOLD = {"area": "rural", "members": [{"age": 40, "serious_illness": True}, {"age": 17, "student": "senior_high"}],
             "monthly_income_yuan": 600, "assets_within_limits": True, "emergency": "fire",
             "standards": {"urban_dibao_monthly": 1000, "rural_dibao_monthly": 800}}


def in_force(items, day):
    chosen = {}
    for i in sorted(items, key=lambda i: i.get("from") or ""):
        if (i.get("from") or "") <= day:
            chosen[i["id"]] = i
    return chosen


def test_next_steps_are_the_procedure_and_rights_in_force_on_the_day(bundle):
    programmes = {p["id"]: p for p in bundle["programmes"]}
    for day in days(bundle):
        result = estimate(dict(HOUSEHOLD, as_of=day), bundle)
        rights = in_force(bundle["rights"], day)
        for r in result["programmes"]:
            p = programmes[r["id"]]
            proc = p.get("procedure") or programmes.get(p.get("procedure_same_as"), {}).get("procedure") or []
            want = in_force(proc, day)
            got = r["next_steps"]["procedure"]
            assert [s["id"] for s in got] == [i for i in dict.fromkeys(s["id"] for s in proc) if i in want], r["id"]
            for s in got:
                assert s["cites"] == want[s["id"]]["cites"], (r["id"], s["id"], day)
            assert {x["id"] for x in r["next_steps"]["rights"]} == set(rights), (r["id"], day)
            if "apply" in want:
                assert r["next_steps"]["apply"] == next(s for s in got if s["id"] == "apply")
            else:
                assert r["next_steps"]["apply"] is None


def test_from_the_law_date_every_result_says_refusal_hearing_and_appeal(bundle):
    before, after = days(bundle)
    for day, expect in ((after, True),):
        result = estimate(dict(HOUSEHOLD, as_of=day), bundle)
        for r in result["programmes"]:
            cited = {c for x in r["next_steps"]["rights"] for c in x["cites"]}
            assert {"law-45", "law-48", "law-76"} <= cited, r["id"]
    result = estimate(dict(HOUSEHOLD, as_of=before), bundle)
    for r in result["programmes"]:
        cited = {c for x in r["next_steps"]["rights"] for c in x["cites"]}
        assert not cited & {"law-45", "law-48", "law-76"}, r["id"]


@pytest.mark.parametrize("pid", ["temporary_emergency", "temporary_medical"])
def test_temporary_relief_is_applied_for_where_the_emergency_happens_from_the_law_date(bundle, pid):
    before, after = days(bundle)
    steps = {day: next(r for r in estimate(dict(HOUSEHOLD, as_of=day), bundle)["programmes"] if r["id"] == pid)["next_steps"]
             for day in (before, after)}
    apply_after = next(s for s in steps[after]["procedure"] if s["id"] == "apply")
    apply_before = next(s for s in steps[before]["procedure"] if s["id"] == "apply")
    assert "law-37" in apply_after["cites"] and "law-37" not in apply_before["cites"]
    assert "急难发生地" in apply_after["text"] and "急难发生地" not in apply_before["text"]


def test_education_is_applied_for_at_the_school(bundle):
    for day in days(bundle):
        r = next(r for r in estimate(dict(HOUSEHOLD, as_of=day), bundle)["programmes"] if r["id"] == "education")
        assert "就读学校" in r["next_steps"]["apply"]["text"], day
    r = next(r for r in estimate(dict(HOUSEHOLD, as_of=days(bundle)[1]), bundle)["programmes"] if r["id"] == "education")
    assert "law-38" in r["next_steps"]["procedure"][0]["cites"]


def test_only_the_sourced_local_number_is_given_to_call(bundle):
    local = {h["number"] for h in bundle["hotlines"] if h["status"] == "local"}
    national = {h["number"] for h in bundle["hotlines"] if h["status"] == "national_rule"}
    for day in days(bundle):
        for r in estimate(dict(HOUSEHOLD, as_of=day), bundle)["programmes"]:
            given = {h["number"] for h in r["next_steps"]["hotlines"]}
            assert given == local and not given & national, r["id"]


def test_the_display_words_carry_the_law_from_its_date(bundle):
    """The page and the command line lay out report.present(): from the law's date each programme's
    steps say how to apply under the law and what the applicant may rely on; the day before they do not
    cite the law."""
    from calculator.household import parse_household
    from calculator.report import present
    before, after = days(bundle)
    for day in (before, after):
        data = dict(HOUSEHOLD, as_of=day)
        result = estimate(data, bundle)
        shown = present(result, parse_household(data), bundle)
        words = " ".join(st.get("text", "") + " ".join(st.get("items", []))
                         for g in shown["groups"] for p in g["programmes"] for st in p.get("steps", []))
        assert ("社会救助法》第四十五条" in words) == (day == after), day

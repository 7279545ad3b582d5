"""Every case of tests/cases/*.yaml through `calculator.engine.estimate()`, plus what a YAML case cannot
say: that `as_of` picks the value in force (with a bundle that has dated values), that standards in
the input win over the data, and the next steps each programme gives."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from calculator.bundle import load_bundle
from calculator.engine import estimate
from calculator.household import InputError
from tests.case_loader import CaseFileError, check_case_shape, case_ids, check, load_cases

CASES = load_cases()


@pytest.fixture(scope="module")
def bundle() -> dict:
    return load_bundle()


@pytest.mark.parametrize(("file", "case"), CASES, ids=case_ids(CASES))
def test_case(file, case, bundle):
    result = estimate(case["household"], bundle)
    problems = check(case["expect"], result)
    assert not problems, f"{file}: {case['name']}\n  " + "\n  ".join(problems)


def test_cases_are_well_formed(bundle):
    programme_ids = {p["id"] for p in bundle["programmes"]}
    names = [case["name"] for _, case in CASES]
    assert len(CASES) >= 60
    assert len(names) == len(set(names)), "case names must be unique"
    for file, case in CASES:
        assert set(case["expect"]) <= programme_ids, f"{file}: {case['name']}: unknown programme id"
        json.dumps(case)  # the browser parity test sends the same cases as JSON


def test_the_loader_is_strict():
    good = {"name": "一句话", "clause": "nat-a-9", "household": {"as_of": "2025-01-01"},
            "expect": {"dibao": {"status": "likely"}}}
    check_case_shape("x.yaml", 0, good)
    bad = [
        {**good, "extra": 1},
        {**good, "household": {"as_of": dt.date(2025, 1, 1)}},  # an unquoted YAML date
        {**good, "household": {}},
        {**good, "expect": {"dibao": {"status": "yes"}}},
        {**good, "expect": {"dibao": {"amount": {"monthly_yuan": "1.00"}}}},
        {**good, "expect": {"dibao": {"missing": "x"}}},
        {**good, "expect": {}},
        {**good, "clause": ""},
        {k: v for k, v in good.items() if k != "clause"},
    ]
    for case in bad:
        with pytest.raises(CaseFileError):
            check_case_shape("x.yaml", 0, case)


def test_check_reports_every_difference(bundle):
    _, case = CASES[0]
    result = estimate(case["household"], bundle)
    problems = check({"dibao": {"status": "likely", "monthly_yuan": "9.99", "conditions": {"nope": True},
                                "missing": ["不存在的说明"]}, "no_such": {"status": "likely"}}, result)
    assert len(problems) == 5


# ---- as_of: the value in force on the date ----------------------------------------------------------

REF = {"source": "nat-a", "article": "nat-a-10"}


def dated_bundle(base: dict) -> dict:
    """The real bundle plus dated values the data does not have yet: urban and rural standards from
    2024-01-01, raised on 2025-07-01, and the urban 特困 multiple raised to 1.6 on 2026-01-01."""
    b = copy.deepcopy(base)
    b.pop("_index", None)  # caches of the original bundle
    b["parameters"]["dibao.urban_monthly_standard"]["values"] = [
        {"date": "2024-01-01", "value": "900", "reference": REF},
        {"date": "2025-07-01", "value": "950", "reference": REF}]
    b["parameters"]["dibao.rural_monthly_standard"]["values"] = [
        {"date": "2024-01-01", "value": "700", "reference": REF},
        {"date": "2025-07-01", "value": "740", "reference": REF}]
    b["parameters"]["tekun.urban_multiple"]["values"] = [
        *b["parameters"]["tekun.urban_multiple"]["values"],
        {"date": "2026-01-01", "value": "1.6", "reference": {"source": "town-2021", "clause": "s3-tekun-standard"}}]
    return b


def one(result: dict, pid: str) -> dict:
    return next(p for p in result["programmes"] if p["id"] == pid)


ELDER = {"area": "urban", "members": [{"age": 70}], "monthly_income_yuan": 100, "supporters": "none",
         "assets_within_limits": True}


@pytest.mark.parametrize(("as_of", "standard", "dibao", "tekun_floor"), [
    ("2023-12-31", None, None, None),              # before the first value: pending
    ("2024-01-01", "900.00", "800.00", "1350.00"),  # 900 − 100; 900 × 1.5
    ("2025-06-30", "900.00", "800.00", "1350.00"),  # the day before the raise
    ("2025-07-01", "950.00", "850.00", "1425.00"),  # 950 − 100; 950 × 1.5
    ("2026-01-01", "950.00", "850.00", "1520.00"),  # 950 × 1.6: the multiple changed, not the standard
])
def test_as_of_picks_the_value_in_force(bundle, as_of, standard, dibao, tekun_floor):
    result = estimate({**ELDER, "as_of": as_of}, dated_bundle(bundle))
    used = result["standards"]["urban_dibao_monthly"]
    assert used["value"] == standard
    assert used["origin"] == ("pending" if standard is None else "data")
    assert one(result, "dibao")["amount"]["monthly_yuan"] == dibao
    assert one(result, "tekun")["amount"]["min_yuan"] == tekun_floor
    if standard is None:  # waiting only on the pending standard: 取决于当地标准
        assert one(result, "dibao")["status"] == "depends"
        assert one(result, "tekun")["status"] == "depends"
    else:
        assert used["effective"] <= as_of
        assert used["reference"] == REF
        assert one(result, "dibao")["status"] == "likely"
        assert one(result, "tekun")["status"] == "likely"


def test_as_of_defaults_to_today(bundle):
    result = estimate({k: v for k, v in ELDER.items()}, dated_bundle(bundle), today=dt.date(2024, 3, 1))
    assert result["as_of"] == "2024-03-01"
    assert result["standards"]["urban_dibao_monthly"]["value"] == "900.00"


def test_standards_in_the_input_override_the_data(bundle):
    data = {**ELDER, "as_of": "2025-07-01", "standards": {"urban_dibao_monthly": 1200}}
    result = estimate(data, dated_bundle(bundle))
    used = result["standards"]
    assert used["urban_dibao_monthly"] == {"parameter": "dibao.urban_monthly_standard", "value": "1200.00",
                                           "origin": "input", "effective": None, "reference": None}
    assert used["rural_dibao_monthly"]["origin"] == "data"  # the other one still comes from the data
    assert one(result, "dibao")["amount"]["monthly_yuan"] == "1100.00"  # 1200 − 100
    assert one(result, "tekun")["amount"]["min_yuan"] == "1800.00"      # 1200 × 1.5
    medical = one(result, "temporary_medical")  # illness and expenses not given: unknown, never unlikely
    assert medical["status"] == "unknown" and "近12个月自付医疗费用（元）" in medical["missing"]
    assert medical["amount"]["min_yuan"] == "3600.00"                    # 1200 × 3


def test_a_date_before_the_rules_is_an_input_error(bundle):
    """The rules (ages, multiples) are in force from the town document's date, 2021-08-22."""
    with pytest.raises(InputError) as info:
        estimate({**ELDER, "as_of": "2021-08-21"}, bundle)
    [error] = info.value.errors
    assert error.path == "as_of" and error.label == "测算日期" and "2021-08-22" in error.message
    assert estimate({**ELDER, "as_of": "2021-08-22"}, bundle)["as_of"] == "2021-08-22"


def test_pending_standards_are_reported_as_pending(bundle):
    result = estimate({**ELDER, "as_of": "2025-01-01"}, bundle)
    for key in ("urban_dibao_monthly", "rural_dibao_monthly"):
        assert result["standards"][key]["value"] is None
        assert result["standards"][key]["origin"] == "pending"


# ---- next steps ------------------------------------------------------------------------------------

POOR = {"as_of": "2025-01-01", "area": "rural", "members": [{"age": 70, "serious_illness": True}],
        "monthly_income_yuan": 100, "supporters": "none", "assets_within_limits": True,
        "medical_expenses_yuan": 5000, "emergency": "fire",
        "standards": {"urban_dibao_monthly": 1000, "rural_dibao_monthly": 800}}


def test_next_steps_say_where_what_and_how_fast(bundle):
    result = estimate(POOR, bundle)
    for p in result["programmes"]:
        steps = p["next_steps"]
        assert steps["office"]["name"], p["id"]
        assert [a["name"] for a in steps["apply_at"]] == ["镇社会救助综合服务平台", "村社会救助服务站"]
        assert isinstance(steps["bring"], list), p["id"]
        assert "民政办" in steps["decides"] and "不是审批决定" in steps["decides"]
        assert "{" not in steps["how"] and "{" not in (steps["time_limit"] or ""), p["id"]  # placeholders rendered
    # 急难型: 24 hours (town document 五); 低保: the national time limits (审核确认办法).
    assert "24小时" in one(result, "temporary_emergency")["next_steps"]["time_limit"]
    assert "30个工作日" in one(result, "dibao")["next_steps"]["time_limit"]
    assert "45个工作日" in one(result, "dibao")["next_steps"]["time_limit"]
    assert "3个工作日" in one(result, "dibao")["next_steps"]["how"]
    assert "特困人员认定办法" in one(result, "tekun")["next_steps"]["time_limit"]
    for pid in ("dibao", "tekun", "temporary_emergency", "temporary_medical"):
        assert one(result, pid)["next_steps"]["office"]["name"] == "民政办"
        assert one(result, pid)["next_steps"]["bring"]


def test_temporary_relief_reminds_of_one_case_one_decision(bundle):
    result = estimate(POOR, bundle)
    for pid in ("temporary_emergency", "temporary_medical", "temporary_education"):
        assert "一事一议" in one(result, pid)["next_steps"]["one_case"]
    assert "one_case" not in one(result, "dibao")["next_steps"]


def test_the_result_has_the_issue_shape(bundle):
    result = estimate(POOR, bundle)
    assert result["as_of"] == "2025-01-01"
    assert set(result["standards"]) == {"urban_dibao_monthly", "rural_dibao_monthly"}
    ids = [p["id"] for p in result["programmes"]]
    for pid in ("dibao", "dibao_edge", "tekun", "temporary_emergency", "temporary_medical", "temporary_education",
                "medical", "education", "housing", "employment", "disaster"):
        assert pid in ids
    for p in result["programmes"]:
        assert p["status"] in ("likely", "possible", "depends", "unlikely", "unknown")
        assert p["name"]
        for c in p["conditions"]:
            assert c["met"] in (True, False, None) and c["text"] and c["clause"]
        if p["status"] == "unknown":
            assert p["missing"], f"{p['id']} is unknown without saying what is missing"
    json.dumps(result, allow_nan=False)


# ---- alternatives, per-person 特困, dated values due soon ------------------------------------------

def test_dibao_and_tekun_are_alternatives_never_summed(bundle):
    """An old person alone, no income, no supporter: 低保 and 特困 both likely, given as alternatives."""
    result = estimate({**ELDER, "as_of": "2025-07-01", "standards": {"urban_dibao_monthly": 1000}}, bundle)
    assert {one(result, "dibao")["status"], one(result, "tekun")["status"]} == {"likely"}
    [alt] = result["alternatives"]
    assert sorted(alt["programmes"]) == ["dibao", "tekun"] and "不能相加" in alt["text"]
    assert one(result, "dibao")["alternatives"] == [{"id": "tekun", "text": alt["text"]}]
    assert one(result, "tekun")["alternatives"] == [{"id": "dibao", "text": alt["text"]}]
    assert one(result, "medical")["alternatives"] == []
    assert alt["text"] in one(result, "dibao")["notes"] and alt["text"] in one(result, "tekun")["notes"]
    # one of them unlikely: no alternative to speak of
    rich = estimate({**ELDER, "as_of": "2025-07-01", "monthly_income_yuan": 5000,
                     "standards": {"urban_dibao_monthly": 1000}}, bundle)
    assert rich["alternatives"] == [] and one(rich, "dibao")["alternatives"] == []


def test_tekun_is_decided_per_person(bundle):
    family = {"as_of": "2025-01-01", "area": "urban", "monthly_income_yuan": 2000, "supporters": "none",
              "assets_within_limits": True, "standards": {"urban_dibao_monthly": 1000},
              "members": [{"age": 35, "disability": "none"}, {"age": 33, "disability": "none"},
                          {"age": 8, "student": "primary"}, {"age": 68}]}
    tekun = one(estimate(family, bundle), "tekun")
    assert tekun["status"] == "possible"
    assert [p["member"] for p in tekun["persons"]] == [2, 3]  # the child and the grandparent, not the parents
    supporter = next(c for c in tekun["conditions"] if c["id"] == "no_supporter")
    assert supporter["met"] is None and "第1位成员（35岁）" in supporter["text"] and "民政办" in supporter["text"]
    assert any("第1位成员（35岁）、第2位成员（33岁）有劳动能力" in n for n in tekun["notes"])
    assert tekun["amount"]["persons"] == 2
    # the parents' disability not given: their work ability is open, and an open one may be the others'
    # supporter all the same; still never 很可能符合 on the household's 没有义务人
    for m in family["members"][:2]:
        del m["disability"]
    tekun = one(estimate(family, bundle), "tekun")
    assert tekun["status"] == "possible"
    persons = {p["member"]: p["no_work_ability"] for p in tekun["persons"]}
    assert persons == {0: None, 1: None, 2: True, 3: True}
    supporter = next(c for c in tekun["conditions"] if c["id"] == "no_supporter")
    assert supporter["met"] is None and "可能有劳动能力" in supporter["text"]


def test_a_change_due_within_months_is_announced_on_its_programmes(bundle):
    """calculator.changes words the change; each programme using it carries it. dated_bundle raises the standards on 2025-07-01 and the urban 特困 multiple on 2026-01-01."""
    b = dated_bundle(bundle)
    soon = estimate({**ELDER, "as_of": "2025-03-01"}, b)  # 122 days before the raise
    texts = [u["text"] for u in soon["upcoming"]]
    assert "自2025年7月1日起，城市低保月标准（每人每月）为950元/人·月" in texts
    raise_ = next(u for u in soon["upcoming"] if u["parameter"] == "dibao.urban_monthly_standard")
    assert raise_["date"] == "2025-07-01"
    assert {"dibao", "tekun", "temporary_medical"} <= set(raise_["programmes"])
    assert raise_["text"] in one(soon, "dibao")["upcoming"]
    assert not one(soon, "employment")["upcoming"]
    far = estimate({**ELDER, "as_of": "2024-06-01"}, b)  # 395 days before: not yet announced
    assert all(u["date"] != "2025-07-01" for u in far["upcoming"])

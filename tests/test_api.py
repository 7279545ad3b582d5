"""`calculator.api.handle(op, payload_json)`, the one function the browser calls: every op answers a
JSON string, {"ok": true, "result": ...} or {"ok": false, "error": {"message", "fields"}}, and never
raises, whatever it is given."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from calculator.api import handle
from calculator.bundle import load_bundle

REPO_ROOT = Path(__file__).resolve().parents[1]
from calculator.engine import estimate

HOUSEHOLD = {
    "as_of": "2025-01-01", "area": "urban", "members": [{"age": 66}, {"age": 12, "student": "primary"}],
    "monthly_income_yuan": 1000, "supporters": "unable", "assets_within_limits": True,
    "standards": {"urban_dibao_monthly": 1000},
}
ROSTER = "户编号,城乡,家庭月收入（元）,财产符合规定,年龄\n1,城市,1000,是,66\n1,,,,12\n2,农村,9000,是,40\n"


def _reject_constant(name):
    raise AssertionError(f"non-standard JSON constant {name} in the answer")


def call(op, payload) -> dict:
    """handle() and a strict parse of its answer (no NaN/Infinity, an object with ok)."""
    text = handle(op, payload)
    assert isinstance(text, str)
    out = json.loads(text, parse_constant=_reject_constant)
    assert isinstance(out, dict) and out["ok"] in (True, False)
    if out["ok"]:
        assert set(out) == {"ok", "result"}
    else:
        assert set(out) == {"ok", "error"} and out["error"]["message"]
        for f in out["error"]["fields"]:
            assert set(f) == {"path", "label", "message"}
    return out


def test_version():
    """The versions, each checked against where it is declared, not against the code that reports it:
    the calculator's in pyproject.toml, the data's in the compiled bundle file, Python's own."""
    import tomllib
    out = call("version", "")
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bundle = json.loads((REPO_ROOT / "calculator" / "data" / "policy.json").read_text(encoding="utf-8"))
    assert out["result"] == {"data_version": bundle["data_version"], "calculator": project["version"],
                             "python": ".".join(map(str, sys.version_info[:3]))}


BASE = {"as_of": "2025-01-01", "area": "urban", "members": [{"age": 40}], "monthly_income_yuan": 100}


def accepted(household: dict) -> bool:
    return call("estimate", json.dumps(household, ensure_ascii=False))["ok"]


def refused_naming(household: dict, path: str) -> bool:
    out = call("estimate", json.dumps(household, ensure_ascii=False))
    return not out["ok"] and any(f["path"] == path for f in out["error"]["fields"])


def test_options_describe_what_the_calculator_accepts():
    """`options` tells the page the choices of the household format: each one is accepted by the
    estimate, anything else is refused naming the field, and the member limit is the real one."""
    r = call("options", "{}")["result"]
    member = {"age": 40}
    for key, where in (("areas", "area"), ("supporters", "supporters"), ("emergencies", "emergency")):
        assert r[key]
        for choice in r[key]:
            assert accepted({**BASE, where: choice}), (key, choice)
        assert refused_naming({**BASE, where: "not-a-choice"}, where), key
    for key, where, value in (("student_stages", "student", lambda c: c), ("sexes", "sex", lambda c: c),
                              ("disability_kinds", "disability", lambda c: {"kind": c, "grade": 2})):
        assert r[key]
        for choice in r[key]:
            assert accepted({**BASE, "members": [{**member, where: value(choice)}]}), (key, choice)
    assert refused_naming({**BASE, "members": [{**member, "student": "not-a-stage"}]}, "members[0].student")
    assert accepted({**BASE, "members": [member] * r["max_members"]})
    assert refused_naming({**BASE, "members": [member] * (r["max_members"] + 1)}, "members")
    for key in BASE:
        assert r["labels"].get(key), key


def test_estimate_answers_the_result_of_estimate():
    out = call("estimate", json.dumps(HOUSEHOLD))
    assert out["result"] == json.loads(json.dumps(estimate(HOUSEHOLD, load_bundle())))
    dibao = next(p for p in out["result"]["programmes"] if p["id"] == "dibao")
    assert dibao["status"] == "likely" and dibao["amount"]["monthly_yuan"] == "1000.00"  # (1000 − 500) × 2


def test_estimate_invalid_field():
    data = {**HOUSEHOLD, "members": [{"age": 66}, {"age": 12, "student": "university"}]}
    out = call("estimate", json.dumps(data))
    assert out["ok"] is False
    [field] = out["error"]["fields"]
    assert field["path"] == "members[1].student"
    assert field["label"] == "第2位家庭成员·在读学段"
    assert "college" in field["message"]  # says what is allowed
    assert "1 处" in out["error"]["message"]


@pytest.mark.parametrize(("payload", "path", "needle"), [
    ('{"area": "urban", "members": [{"age": 1}], "monthly_income_yuan": NaN}', "monthly_income_yuan", "NaN"),
    ('{"area": "urban", "members": [{"age": 1}], "monthly_income_yuan": Infinity}', "monthly_income_yuan", "无穷大"),
    ('{"area": "urban", "members": [{"age": 1}], "monthly_income_yuan": 1e400}', "monthly_income_yuan", "无穷大"),
    ('{"area": "urban", "members": [{"age": NaN}], "monthly_income_yuan": 0}', "members[0].age", "整数"),
    ('{"area": "urban", "members": [{"age": 1}], "monthly_income_yuan": 0, "standards": '
     '{"urban_dibao_monthly": -Infinity}}', "standards.urban_dibao_monthly", "无穷大"),
])
def test_estimate_non_finite_numbers_name_the_field(payload, path, needle):
    out = call("estimate", payload)
    assert out["ok"] is False
    fields = {f["path"]: f for f in out["error"]["fields"]}
    assert path in fields and needle in fields[path]["message"]


@pytest.mark.parametrize("payload", ["", "{", "not json", "[1,2]", "null", "42", '"text"', "NaN", "{}" * 2,
                                     "[" * 100_000, "1" * 1_000_001, '{"a": 1,}'])
def test_estimate_bad_json_is_an_error_answer(payload):
    out = call("estimate", payload)
    assert out["ok"] is False
    assert out["error"]["fields"][0]["label"]


def test_estimate_with_too_many_members():
    data = {**HOUSEHOLD, "members": [{"age": 30}] * 31}
    out = call("estimate", json.dumps(data))
    assert out["error"]["fields"] == [{"path": "members", "label": "家庭成员",
                                       "message": "家庭成员最多 30 人，实际是 31 人"}]


def test_screen_csv():
    out = call("screen", json.dumps({"text": ROSTER, "format": "csv", "as_of": "2025-01-01",
                                     "standards": {"urban_dibao_monthly": 1000, "rural_dibao_monthly": 800}}))
    r = out["result"]
    assert r["households"] == 2 and r["errors"] == 0
    assert r["csv"].startswith("\ufeff户编号,")
    rows = list(csv.DictReader(io.StringIO(r["csv"].lstrip("\ufeff"))))
    assert rows[0]["人数"] == "2" and rows[0]["低保月金额估算（元）"] == "1000.00"  # (1000 − 500) × 2
    assert rows[1]["低保月金额估算（元）"] == ""


def test_screen_csv_is_the_default_format():
    assert call("screen", json.dumps({"text": ROSTER}))["result"]["households"] == 2


def test_screen_jsonl_with_a_bad_line():
    text = json.dumps(HOUSEHOLD) + "\n" + '{"area": "mars"}\n'
    r = call("screen", json.dumps({"text": text, "format": "jsonl"}))["result"]
    assert r["households"] == 2 and r["errors"] == 1
    rows = list(csv.DictReader(io.StringIO(r["csv"].lstrip("\ufeff"))))
    assert "第2行" in rows[1]["错误"] and "area" in rows[1]["错误"] and rows[1]["跟进顺序"] == ""


@pytest.mark.parametrize(("request_", "path"), [
    ({}, "text"),
    ({"text": 5}, "text"),
    ({"text": ROSTER, "format": "xlsx"}, "format"),
    ({"text": ROSTER, "standards": "1000"}, "standards"),
    ({"text": ROSTER, "standards": [1000]}, "standards"),
    ({"text": ROSTER, "as_of": 20250101}, "as_of"),
    ({"text": ROSTER, "colour": "red"}, "colour"),
])
def test_screen_bad_request_names_the_field(request_, path):
    out = call("screen", json.dumps(request_))
    assert out["ok"] is False
    assert path in [f["path"] for f in out["error"]["fields"]]


@pytest.mark.parametrize("payload", ["", "{", "[]", "null", '"csv"', "NaN"])
def test_screen_bad_json(payload):
    assert call("screen", payload)["ok"] is False


def test_screen_unknown_header():
    out = call("screen", json.dumps({"text": "户编号,颜色\n1,红\n"}))
    assert out["ok"] is False and "颜色" in out["error"]["message"]


def test_screen_row_errors_from_request_values_are_reported_per_row():
    out = call("screen", json.dumps({"text": ROSTER, "as_of": "2025-13-01", "standards": {"urban_dibao_monthly": "x"}}))
    r = out["result"]
    assert r["errors"] == 2
    assert "as_of" in r["csv"] and "standards.urban_dibao_monthly" in r["csv"]


def test_screen_jsonl_household_with_bad_standards_and_request_standards():
    text = json.dumps({**HOUSEHOLD, "standards": 5})
    r = call("screen", json.dumps({"text": text, "format": "jsonl", "standards": {"rural_dibao_monthly": 800}}))["result"]
    assert r["errors"] == 1 and "standards" in r["csv"]


@pytest.mark.parametrize("op", ["nope", "", "ESTIMATE", None, 5])
def test_unknown_op(op):
    out = call(op, "{}")
    assert out["ok"] is False and "未知的操作" in out["error"]["message"]


@pytest.mark.parametrize("payload", [None, 5, b"{}", {"area": "urban"}])
@pytest.mark.parametrize("op", ["estimate", "screen"])
def test_payload_that_is_not_text(op, payload):
    out = call(op, payload)
    assert out["ok"] is False

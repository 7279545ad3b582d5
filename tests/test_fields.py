"""The one declaration of the household format (calculator.fields) and what is derived from it: every
field goes form -> JSON -> parser -> roster -> back unchanged; the roster template (BOM, CRLF) and its
填写说明 list every column; the roster takes every word the form offers, refuses ambiguous ones, and
reports every error of a row at once, column and row first."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings

from calculator import fields as F
from calculator.api import handle
from calculator.bundle import load_bundle
from calculator.household import parse_household
from calculator.screen import (COLUMNS, _household_input, read_csv, roster_guide, roster_rows, roster_template,
                               screen_text, to_csv)
from scripts.samples import households as sample_households, roster_csv
from tests.test_properties import households

BUNDLE = load_bundle()
BOM = "\ufeff"
FORM = json.loads(handle("options", "{}"))["result"]["form"]  # what the page builds its form from
FORM_FIELDS = [f for s in FORM["sections"] for f in s["fields"]]
BASE = {"area": "rural", "monthly_income_yuan": 500, "members": [{"age": 40}]}


def through_roster(data: dict) -> object:
    """JSON -> parser -> roster CSV text -> roster reader -> parser."""
    text = to_csv(roster_rows([("H1", "东村", parse_household(data))]))
    (group,) = read_csv(text)
    assert group.errors == []
    return parse_household(_household_input(group, None, None))


def form_values(f: dict) -> list:
    """Every value the form's control of a field can give: its choices, true/false, 'not given'."""
    if f["kind"] == F.FLAG:
        return [True, False, None]
    given = [v for v, _ in f["choices"]] or {F.MONEY: ["1,234.50", "800", 0.01], F.INTEGER: [0, 7, 130],
                                              F.DATE: ["2026-12-01"]}[f["kind"]]
    if f["kind"] == F.MONEY and f["key"] in ("medical_expenses_yuan", "monthly_income_yuan"):
        given.append(0)
    return given + ([] if f["required"] else [None])


def put(data: dict, f: dict, value) -> dict:
    data = json.loads(json.dumps(data))
    target = data["members"][0] if f["level"] == F.MEMBER else data
    name, _, inner = f["key"].partition(".")
    if name == "disability":
        target["disability"] = {"kind": "physical", "grade": 2}
    group = FORM["groups"].get(name, {})
    if inner and group.get("none") and (value == group["none"] or (value is None and F.group_fields(name)[0].key == f["key"])):
        # the group's first field answered "none" (没有残疾), or left empty: the group is "none", or not given
        if value is None:
            target.pop(name)
        else:
            target[name] = value
    elif value is None:
        (target.get(name) or {}).pop(inner, None) if inner else target.pop(name, None)
    elif inner:
        target.setdefault(name, {})[inner] = value
    else:
        target[name] = value
    return data


def test_the_form_offers_every_declared_field_once():
    assert sorted((f["level"], f["key"]) for f in FORM_FIELDS) == sorted((f.level, f.key) for f in F.FIELDS)
    assert {f["key"] for f in FORM_FIELDS} >= {"hardship_worker", "legal_case", "homeless", "left_behind",
                                                 "veteran", "two_cancers"}
    # the roster has a column for each, found by its header
    assert [k for k, _, _ in COLUMNS][2:] == [f.key for f in F.FIELDS]
    assert len({h for _, h, _ in COLUMNS}) == len(COLUMNS)


@pytest.mark.parametrize("f", FORM_FIELDS, ids=lambda f: f"{f['level']}.{f['key']}")
def test_every_value_of_every_field_goes_through_the_roster_unchanged(f):
    for value in form_values(f):
        data = put(BASE, f, value)
        assert through_roster(data) == parse_household(data), (f["key"], value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(households())
def test_any_household_goes_through_the_roster_unchanged(data):
    rows = roster_rows([("H1", "", parse_household(data))])
    # an amount written out in more than 30 characters (1e-60 yuan) is no roster cell; the parser
    # refuses such text, and no real amount needs it
    assume(all(len(cell) <= 30 for row in rows for cell in row))
    assert through_roster(data) == parse_household(data)


def test_the_samples_are_valid_and_screen_cleanly():
    for h in sample_households(200):
        parse_household(h)
    rows = screen_text(roster_csv(100), BUNDLE, "csv")
    assert len(rows) == 101 and not [r for r in rows[1:] if r[-1]]


# ---- the template and its 填写说明 --------------------------------------------------------------------

def test_the_template_has_a_bom_crlf_and_every_column():
    text = roster_template()
    assert text.startswith(BOM) and text.count("\r\n") == text.count("\n")
    header = next(csv.reader(io.StringIO(text.lstrip(BOM))))
    assert header == ["户编号", "村"] + [f.header for f in F.FIELDS]
    assert "困难职工" in header and "退役军人" in header


def test_the_guide_lists_every_column_with_its_values_and_an_example():
    text = roster_guide()
    assert text.startswith(BOM)
    rows = {r[0]: r for r in csv.reader(io.StringIO(text.lstrip(BOM)))}
    for f in F.FIELDS:
        row = rows[f.header]
        for _, word in f.choices.items():
            assert f"“{word}”" in row[3], (f.header, word)
        assert ("必填" if f.required else "选填") in row[2] or f.name == "disability"
    assert "不能只填“有”" in rows["赡养抚养扶养人"][3]
    assert "“不清楚”" in rows["赡养抚养扶养人"][3]


def test_the_template_filled_with_the_forms_words_screens_without_error():
    """Every word the web form shows (each choice, 是/否, the word of 'not given') in its column."""
    base = list(csv.reader(io.StringIO(roster_template().lstrip(BOM))))
    header = base[0]
    tried = 0
    for f in FORM_FIELDS:
        col = header.index(F.BY_KEY[(f["level"], f["key"])].header)
        words = [w for _, w in f["choices"]] + ([f["empty"]] if f["empty"] and not f["required"] else [])
        for word in words:
            rows = [list(r) for r in base]
            rows[1][col] = word  # 示例1's row: its household and its first member
            none_word = dict(f["choices"]).get(FORM["groups"].get(f["key"].split(".")[0], {}).get("none"))
            if f["key"] == "disability.grade" or (f["key"] == "disability.kind" and word not in (f["empty"], none_word)):
                if rows[1][header.index("残疾类别")] in ("", "没有残疾"):
                    rows[1][header.index("残疾类别")] = "肢体残疾"
                rows[1][header.index("残疾等级")] = rows[1][header.index("残疾等级")] or "二级"
            elif f["key"] == "disability.kind":  # 没有残疾 or not given: no grade
                rows[1][header.index("残疾等级")] = ""
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerows(rows)
            result = screen_text(BOM + out.getvalue(), BUNDLE, "csv", "2026-01-15")
            assert [r[-1] for r in result[1:]] == ["", ""], (f["key"], word, result[1][-1])
            tried += 1
    assert tried > 40


ROSTER = "户编号,城乡,家庭月收入（元）,赡养抚养扶养人,年龄,残疾类别,残疾等级\r\n"


@pytest.mark.parametrize(("cell", "expected"), [
    ("不清楚", None), ("有，但没有能力", "unable"), ("有但无能力", "unable"), ("有, 但没有能力", "unable"),
    ("有，但没有赡养抚养扶养能力", "unable"), ("有能力", "able"), ("没有赡养抚养扶养义务人", "none"), ("无", "none"),
])
def test_roster_supporter_words(cell, expected):
    (g,) = read_csv(ROSTER + f"A,农村,500,\"{cell}\",70,,\r\n")
    assert g.errors == [] and g.household.get("supporters") == expected


def test_an_ambiguous_word_is_refused_with_a_message():
    rows = screen_text(ROSTER + "A,农村,500,有,70,,\r\n", BUNDLE, "csv", "2026-01-15")
    error = rows[1][-1]
    assert error.startswith("赡养抚养扶养人（第2行）：") and "有能力" in error and "有但无能力" in error
    assert error.endswith("（supporters）") and rows[1][2] == ""


def test_every_error_of_a_row_is_reported_at_once():
    rows = screen_text(ROSTER + "A,郊区,-5,有,七十,肢体残疾,9\r\n", BUNDLE, "csv", "2026-01-15")
    errors = rows[1][-1].split("；")
    starts = sorted(e.split("：")[0] for e in errors)
    assert starts == sorted(["城乡（第2行）", "家庭月收入（元）（第2行）", "赡养抚养扶养人（第2行）", "年龄（第2行）",
                             "残疾等级（第2行）"]), errors


def test_columns_are_read_by_header_in_any_order():
    a = screen_text(ROSTER + "A,农村,500,无,70,肢体,2\r\n", BUNDLE, "csv", "2026-01-15")
    b = screen_text("残疾等级,年龄,户编号,family_income_yuan_x\r\n".replace(",family_income_yuan_x", ",monthly_income_yuan,城乡,赡养抚养扶养人,残疾类别")
                    + "2,70,A,500,农村,无,肢体\r\n", BUNDLE, "csv", "2026-01-15")
    assert a == b and a[1][-1] == ""


def test_every_member_fact_says_itself_in_a_description():
    """A member is described from the declaration (calculator.fields.describe): each fact of a member
    has its phrase, so a new one shows in "填写的家庭情况" without an edit elsewhere."""
    assert [f.key for f in F.MEMBER_FIELDS if f.phrase is None] == []
    h = parse_household({"area": "rural", "monthly_income_yuan": 0, "members": [
        {"age": 70, "sex": "male", "disability": {"kind": "physical", "grade": 2}, "serious_illness": True,
         "veteran": True, "seeking_work": False},
        {"age": 9, "student": "primary", "serious_illness": False, "two_cancers": False},
        {"age": 52, "sex": "female", "two_cancers": True, "seeking_work": True}]})
    assert [F.describe(m) for m in h.members] == [
        "70 岁，肢体残疾二级，患重特大疾病，男，退役军人，不找工作",
        "9 岁，在读小学",
        "52 岁，女，未就业、想找工作，患宫颈癌或乳腺癌"]


def test_a_roster_screened_while_standards_are_pending_still_says_whom_to_follow_up():
    """No standard published, none given: 建议跟进 is not empty; it gives each household's break-even
    (低保: the per-capita income, worked out here by hand: 200 ÷ 1 and 600 ÷ 2)."""
    pending = copy.deepcopy(BUNDLE)  # whatever the data ships, the standards as still unpublished
    for pid in ("dibao.rural_monthly_standard", "dibao.urban_monthly_standard"):
        pending["parameters"][pid]["values"] = []
    text = "户编号,城乡,家庭月收入（元）,年龄,财产符合规定\r\nA,农村,200,70,是\r\nB,农村,600,40,是\r\nB,,,38,\r\n"
    rows = screen_text(text, pending, "csv", "2026-01-15")
    header = rows[0]
    follow = {r[header.index("户编号")]: r[header.index("建议跟进")] for r in rows[1:]}
    assert "最低生活保障：农村低保月标准只要高于200元即符合收入条件" in follow["A"]
    assert "最低生活保障：农村低保月标准只要高于300元即符合收入条件" in follow["B"]
    assert all(r[header.index("负责单位")] for r in rows[1:])


@pytest.mark.parametrize(("kind", "grade", "student", "disability", "stage"), [
    ("没有残疾", "", "不在上学", "none", "none"), ("无", "", "否", "none", "none"), ("", "", "", None, None),
    ("不清楚", "", "不清楚", None, None), ("肢体", "二级", "初中", {"kind": "physical", "grade": 2}, "junior_high"),
])
def test_roster_none_answers_and_blanks(kind, grade, student, disability, stage):
    """没有残疾 and 不在上学 (or 无/否) are answers, "disability": "none" and "student": "none"; an empty
    cell or 不清楚 is not given, and the member's fact stays None (unknown)."""
    (g,) = read_csv("户编号,城乡,家庭月收入（元）,年龄,残疾类别,残疾等级,在读学段\r\n"
                    f"A,农村,500,40,{kind},{grade},{student}\r\n")
    assert g.errors == []
    h = parse_household(_household_input(g, None, None))
    assert h.members[0].student == stage
    assert (h.members[0].disability if not disability or disability == "none"
            else {"kind": h.members[0].disability.kind, "grade": h.members[0].disability.grade}) == disability


def test_a_grade_beside_no_disability_is_refused():
    rows = screen_text("户编号,城乡,家庭月收入（元）,年龄,残疾类别,残疾等级\r\nA,农村,500,40,没有残疾,二级\r\n",
                       BUNDLE, "csv", "2026-01-15")
    assert rows[1][-1].startswith("残疾等级（第2行）：") and "没有残疾" in rows[1][-1]


def test_no_disability_in_json_is_the_groups_own_value():
    with pytest.raises(Exception) as info:
        parse_household({**BASE, "members": [{"age": 40, "disability": {"kind": "none"}}]})
    assert '"disability": "none"' in str(info.value)
    assert parse_household({**BASE, "members": [{"age": 40, "disability": "none"}]}).members[0].disability == "none"

"""Fuzzing the validator and the engine (hypothesis) where tests/test_properties.py does not reach:

- an amount typed as text is read exactly as written (digits, thousands commas, full width) or
  refused naming the field, never reinterpreted (1,5 is not 15);
- a date is read exactly as written or refused; the result's as_of is the text given;
- a key written twice, at any level, is refused naming that key path;
- any Unicode at all (control characters, bidi overrides, lone surrogates, emoji, very long text) in
  any text field or key gives an error naming the field, with a short message that prints safely;
- the same household spelled differently (key order, spacing, amounts as numbers, as text, grouped,
  full width) gives the same result;
- any text at all as a roster (CSV or JSON Lines, malformed included) is screened row by row or
  refused as a whole, and the output never holds a raw control character, a lone surrogate or a
  spreadsheet formula.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from calculator import household as H
from calculator.api import handle
from calculator.bundle import load_bundle
from calculator.engine import estimate
from calculator.household import InputError, safe_text
from calculator.jsonio import loads
from calculator.money import yuan_str
from calculator.screen import RosterError, screen_text, to_csv

BUNDLE = load_bundle()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CJK = re.compile(r"[\u4e00-\u9fff]")
BASE = {"as_of": "2025-01-01", "area": "urban", "members": [{"age": 40}], "monthly_income_yuan": 100}
FULL = str.maketrans("0123456789,.+-", "０１２３４５６７８９，．＋－")

# Everything Unicode has, lone surrogates and control characters included.
ANY_CHAR = st.characters(codec=None, exclude_categories=())
NASTY_CHARS = st.sampled_from(["\x00", "\x1b", "\r", "\n", "\t", "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028",
                               "\ud800", "\udfff", "🔥", "\u0301", "𝟙", "٣", "²", "，", "．", "－", "e", "_", " ",
                               ",", ".", "-", "+", '"', "\\", "{", "}"])
NASTY_TEXT = st.text(alphabet=st.one_of(ANY_CHAR, NASTY_CHARS), max_size=40)


def refused_at(data, path: str) -> InputError:
    with pytest.raises(InputError) as info:
        estimate(data, BUNDLE)
    exc = info.value
    assert path in [e.path for e in exc.errors], [str(e) for e in exc.errors]
    for e in exc.errors:
        assert CJK.search(e.label) and CJK.search(e.message), e
        assert len(e.message) < 1000
        printed = safe_text(str(e))
        assert printed.encode("utf-8")
    return exc


# ---- amounts as text -------------------------------------------------------------------------------

def grouped(digits: str) -> str:
    out = ""
    while len(digits) > 3:
        out = "," + digits[-3:] + out
        digits = digits[:-3]
    return digits + out


def well_formed(text: str) -> bool:
    """The spec, independent of the implementation: digits, or digits grouped by thousands with commas,
    then an optional decimal part; an optional sign."""
    body = text.lstrip("+-")
    if body.count("+") or body.count("-") or len(text) - len(body) > 1:
        return False
    whole, _, frac = body.partition(".")
    if frac and not frac.isascii() or frac and not frac.isdigit() or (_ and not frac):
        return False
    if whole == "":
        return bool(frac)
    if not whole.replace(",", "").isascii() or not whole.replace(",", "").isdigit():
        return False
    groups = whole.split(",")
    return len(groups) == 1 or (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]))


AMOUNT_TEXT = st.one_of(
    st.text(alphabet="0123456789,.-+ e_", max_size=14),
    st.integers(0, 10**9).map(lambda n: grouped(str(n))),
    st.tuples(st.integers(0, 10**8), st.integers(0, 99)).map(lambda t: f"{grouped(str(t[0]))}.{t[1]:02d}"),
    st.integers(0, 10**8).map(lambda n: grouped(str(n)).translate(FULL)),
    NASTY_TEXT,
)


@SETTINGS
@given(AMOUNT_TEXT, st.sampled_from(["monthly_income_yuan", "medical_expenses_yuan", "standards.urban_dibao_monthly"]))
def test_an_amount_as_text_is_read_exactly_or_refused(text, key):
    data = json.loads(json.dumps(BASE))
    if key.startswith("standards."):
        data["standards"] = {key.split(".")[1]: text}
    else:
        data[key] = text
    normal = text.translate(str.maketrans("０１２３４５６７８９，．＋－", "0123456789,.+-")).strip()
    try:
        result = estimate(data, BUNDLE)
    except InputError as exc:
        assert key in [e.path for e in exc.errors], [str(e) for e in exc.errors]
        return
    # accepted: then it was well formed, and it is exactly the number written
    assert len(text) <= 30 and well_formed(normal), f"{text!r} was accepted"
    value = Decimal(normal.replace(",", ""))
    assert value >= 0
    if key == "monthly_income_yuan":
        assert result["household"]["monthly_income_yuan"] == yuan_str(value if value else Decimal(0))
    elif key.startswith("standards."):
        assert result["standards"]["urban_dibao_monthly"]["value"] == yuan_str(value)


# ---- dates -----------------------------------------------------------------------------------------

DATE_TEXT = st.one_of(
    st.dates(min_value=dt.date(2021, 8, 22), max_value=dt.date(2100, 1, 1)).map(dt.date.isoformat),
    st.dates().map(lambda d: d.isoformat().translate(FULL)),
    st.tuples(st.dates(min_value=dt.date(1000, 1, 1)),
              st.sampled_from(["%Y%m%d", "%Y-%m-%dT00:00", "%G-W%V-%u", "%Y-%j", "%Y/%m/%d", "%d-%m-%Y", "%Y-%m-%d "]))
    .map(lambda t: t[0].strftime(t[1])),
    st.text(alphabet="0123456789-W:T ", min_size=8, max_size=12),
    NASTY_TEXT,
)


@SETTINGS
@given(DATE_TEXT)
def test_a_date_is_read_exactly_or_refused(text):
    try:
        result = estimate({**BASE, "as_of": text}, BUNDLE)
    except InputError as exc:
        assert "as_of" in [e.path for e in exc.errors]
        return
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text), f"{text!r} was accepted"
    assert result["as_of"] == text


# ---- keys written twice ----------------------------------------------------------------------------

@SETTINGS
@given(st.sampled_from(["area", "monthly_income_yuan", "members", "as_of", "members[0].age", "members[0].disability.kind",
                        "standards.urban_dibao_monthly", "colour"]),
       st.booleans())
def test_a_key_written_twice_is_refused_where_it_is(path, same_value):
    household = {"as_of": "2025-01-01", "area": "urban", "monthly_income_yuan": 100,
                 "members": [{"age": 40, "disability": {"kind": "physical", "grade": 2}}],
                 "standards": {"urban_dibao_monthly": 1000}, "colour": "red"}
    text = json.dumps(household)
    key = re.split(r"[.\]]", path)[-1]
    first = text.index(f'"{key}": ')
    value_end = {"area": '"urban"', "monthly_income_yuan": "100", "as_of": '"2025-01-01"', "age": "40",
                 "kind": '"physical"', "urban_dibao_monthly": "1000", "colour": '"red"'}.get(key)
    if key == "members":
        dup = '"members": [{"age": 41}], '
    else:
        other = value_end if same_value else {"area": '"rural"', "as_of": '"2025-02-01"', "kind": '"visual"',
                                              "colour": '"blue"'}.get(key, "7")
        dup = f'"{key}": {other}, '
    twice = text[:first] + dup + text[first:]
    refused_at(loads(twice), path)
    out = json.loads(handle("estimate", twice))
    assert out["ok"] is False and path in [f["path"] for f in out["error"]["fields"]]


# ---- any Unicode in any text field or key ----------------------------------------------------------

TEXT_FIELDS = ["area", "supporters", "emergency", "as_of", "monthly_income_yuan", "members[0].student",
               "members[0].sex", "members[0].disability.kind", "standards.rural_dibao_monthly"]


def put(data: dict, path: str, value) -> None:
    parts = re.findall(r"[^.\[\]]+", path)
    node = data
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[parts[-1]] = value


@SETTINGS
@given(st.sampled_from(TEXT_FIELDS), st.one_of(NASTY_TEXT, st.text(alphabet=NASTY_CHARS, min_size=1000, max_size=5000)))
def test_any_unicode_in_a_field_names_the_field(path, text):
    data = json.loads(json.dumps(BASE))
    data["members"][0]["disability"] = {"kind": "physical", "grade": 1}
    put(data, path, text)
    assume(not (path == "monthly_income_yuan" and text.strip().isdigit()))
    try:
        estimate(data, BUNDLE)
    except InputError as exc:
        assert path in [e.path for e in exc.errors], [str(e) for e in exc.errors]
        for e in exc.errors:
            assert len(e.message) < 1000 and CJK.search(e.message)
        answer = handle("estimate", json.dumps(data))  # what the browser gets: JSON, even with surrogates
        assert json.loads(answer)["ok"] is False
        return
    # accepted: only a value that is valid as written
    value = text.strip() if path == "monthly_income_yuan" else text
    assert path in ("monthly_income_yuan", "standards.rural_dibao_monthly", "as_of") or value in (
        H.AREAS | H.SUPPORTERS | H.EMERGENCIES | H.STUDENT_STAGES | H.SEXES | H.DISABILITY_KINDS), repr(text)


@SETTINGS
@given(st.text(alphabet=st.one_of(ANY_CHAR, NASTY_CHARS), min_size=1, max_size=300), st.sampled_from(["", "members[0]"]))
def test_any_unknown_key_is_named_and_prints_safely(key, where):
    assume(key not in H.HOUSEHOLD_KEYS and key not in H.MEMBER_KEYS)
    data = json.loads(json.dumps(BASE))
    if where:
        data["members"][0][key] = 1
    else:
        data[key] = 1
    exc = refused_at(data, (f"{where}.{key}" if where else key)[:200])
    for e in exc.errors:
        assert safe_text(str(e)) == safe_text(safe_text(str(e)))  # printable after one pass


# ---- the same household, spelled differently -------------------------------------------------------

@SETTINGS
@given(st.integers(0, 10**8 - 1), st.integers(0, 99), st.integers(0, 10**6), st.sampled_from(list(H.AREAS)),
       st.lists(st.integers(0, 130), min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_equivalent_spellings_give_the_same_result(whole, cents, medical, area, ages, rnd):
    amount = Decimal(whole) + Decimal(cents) / 100
    plain = {"as_of": "2025-01-01", "area": area, "members": [{"age": a} for a in ages],
             "monthly_income_yuan": str(amount), "medical_expenses_yuan": medical,
             "standards": {"urban_dibao_monthly": 1000, "rural_dibao_monthly": "800.00"}}
    expected = estimate(plain, BUNDLE)
    spellings = [f"{grouped(str(whole))}.{cents:02d}", f"{grouped(str(whole))}.{cents:02d}".translate(FULL),
                 f"  {amount}  ", float(amount) if amount == amount.quantize(Decimal("0.01")) and whole < 10**6 else str(amount)]
    for spelling in spellings:
        other = dict(plain, monthly_income_yuan=spelling, medical_expenses_yuan=str(medical))
        items = list(other.items())
        rnd.shuffle(items)
        text = json.dumps(dict(items), indent=rnd.choice([None, 1, 4]), ensure_ascii=rnd.choice([True, False]))
        assert json.loads(handle("estimate", text)) == {"ok": True, "result": json.loads(json.dumps(expected))}, spelling


# ---- any text as a roster ----------------------------------------------------------------------------

HEADER = "户编号,村,城乡,家庭月收入（元）,年龄"
ROSTER_LINE = st.one_of(
    st.text(alphabet=st.one_of(ANY_CHAR, NASTY_CHARS, st.sampled_from(list("城市农村,\"\r\n0123456789"))), max_size=60),
    st.tuples(NASTY_TEXT, st.sampled_from(["城市", "农村", "郊区", ""]), AMOUNT_TEXT, st.sampled_from(["40", "７０", "²", ""]))
    .map(lambda t: f"{t[0]},村,{t[1]},{t[2]},{t[3]}"),
)
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def check_output(rows) -> None:
    text = to_csv(rows)
    text.encode("utf-8")  # no lone surrogate reaches the file
    for row in rows[1:]:
        for cell in row:
            cell = str(cell)
            assert safe_text(cell) == cell, repr(cell)
    import csv
    import io
    for row in list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA), repr(cell)


@SETTINGS
@given(st.lists(ROSTER_LINE, max_size=10), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_any_csv_text_is_screened_row_by_row_or_refused(lines, newline, header):
    """The one roster fuzzing test (tests/test_properties.py and tests/test_fields.py test the format's
    round trips): whatever the text, a row per household or a RosterError in Chinese."""
    text = newline.join(([HEADER] if header else []) + lines)
    try:
        rows = screen_text(text, BUNDLE, "csv", "2025-01-01")
    except RosterError as exc:
        assert CJK.search(str(exc)) and safe_text(str(exc)).encode("utf-8")
        return
    check_output(rows)
    for row in rows[1:]:  # one row per household: either screened or its error, never both or neither
        error, members = row[-1], row[2]
        assert bool(error) != bool(members), row
        if error:
            assert "第" in error and "行" in error, error
    answer = json.loads(handle("screen", json.dumps({"text": text, "format": "csv", "as_of": "2025-01-01"})))
    assert answer["ok"] is True and answer["result"]["households"] == len(rows) - 1


@SETTINGS
@given(st.lists(st.one_of(NASTY_TEXT, st.builds(lambda i, v: json.dumps({"id": i, **BASE, "area": v}),
                                                  NASTY_TEXT, st.sampled_from(["urban", "rural", "城市", ""]))),
                max_size=8))
def test_any_json_lines_text_is_screened_line_by_line(lines):
    text = "\n".join(lines)
    rows = screen_text(text, BUNDLE, "jsonl", "2025-01-01")
    check_output(rows)
    assert len(rows) - 1 == sum(1 for line in text.split("\n") if line.rstrip("\r").strip())


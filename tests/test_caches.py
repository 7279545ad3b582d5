"""What an estimate derives from the policy data alone is kept per bundle and date (calculator.bundle's
Cache: the values in force, the next steps, the changes due, the citations) and the API writes the parts
that every household of a date shares from their text encoded once. None of this may change an answer:
an estimate made with the caches warm, after other dates and other bundles, is the estimate of a
bundle read afresh; a bundle copied and edited answers from its own data, never from the original's
caches; and the API's text is exactly the standard JSON of the result."""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources

from calculator.api import handle
from calculator.bundle import DAYS_KEPT, load_bundle, parse
from calculator.engine import estimate
from calculator.jsonio import HOLE, dumps_filled
from calculator.params import rules_start
from scripts.samples import households

BUNDLE = load_bundle()
START = dt.date.fromisoformat(rules_start(BUNDLE))
LAW_DATES = sorted({v["from"] for p in BUNDLE["programmes"] for v in p.get("procedure") or [] if v.get("from")}
                   | {r["from"] for r in BUNDLE.get("rights") or [] if r.get("from")})
# every date a dated step starts, the day before each, and some ordinary days: more than DAYS_KEPT
DATES = sorted({START.isoformat(), *LAW_DATES,
                *((dt.date.fromisoformat(d) - dt.timedelta(days=1)).isoformat() for d in LAW_DATES),
                *((START + dt.timedelta(days=97 * i)).isoformat() for i in range(DAYS_KEPT + 4))})
PAYLOADS = [dict(h, as_of=DATES[i % len(DATES)]) for i, h in enumerate(households(60, seed=5))]
TEXT = resources.files("calculator").joinpath("data/policy.json").read_text(encoding="utf-8")


def fresh() -> dict:
    """The same policy data, read again: no cache."""
    b = parse(TEXT)
    b.pop("_index", None)
    return b


def plain_json(result) -> str:
    """The API's answer as the standard library writes it, compact (no space after "," and ":")."""
    return json.dumps({"ok": True, "result": result}, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def test_dates_kept_are_more_than_the_cache_holds():
    assert len(DATES) > DAYS_KEPT, "the dates below would not exercise dropping the oldest date"
    assert LAW_DATES, "no dated step in the data: the test would not see a date change the next steps"


def test_an_estimate_with_warm_caches_is_the_estimate_of_fresh_data():
    """Dates back and forth (past the number kept), households with and without their own standards:
    each answer is that of the bundle read afresh for it alone."""
    for data in PAYLOADS + PAYLOADS[::-1]:
        assert estimate(data, BUNDLE) == estimate(data, fresh()), data["as_of"]


def test_the_api_text_is_the_standard_json_of_the_result():
    for data in PAYLOADS:
        payload = json.dumps(data, ensure_ascii=False)
        assert handle("estimate", payload) == plain_json(estimate(data, fresh())), data["as_of"]


def test_a_copied_and_edited_bundle_answers_from_its_own_data():
    """Caches warm on the original; a copy publishes a standard and renames an office: the copy says
    so, the original keeps saying what it said."""
    data = dict(PAYLOADS[0], as_of=DATES[-1], area="urban", standards={})
    before = estimate(data, BUNDLE)
    edited = copy.deepcopy(BUNDLE)
    par = edited["parameters"]["dibao.urban_monthly_standard"]
    old = before["standards"]["urban_dibao_monthly"]["value"]
    figure = "1234.56" if old != "1234.56" else "2345.67"
    par["values"] = [{"date": START.isoformat(), "value": figure, "reference": {"source": edited["sources"][0]["id"]}}]
    office = edited["programmes"][0]["office"]
    next(o for o in edited["offices"] if o["id"] == office)["full_name"] = "测试用的办公室名称"
    after = estimate(data, edited)
    assert after["standards"]["urban_dibao_monthly"]["value"] == figure
    assert after["programmes"][0]["next_steps"]["office"]["full_name"] == "测试用的办公室名称"
    data_only = {k: v for k, v in edited.items() if k != "_index"}
    assert after == estimate(data, parse(json.dumps(data_only, ensure_ascii=False)))
    assert estimate(data, BUNDLE) == before


def test_a_shared_part_is_filled_in_only_where_it_cannot_be_mistaken():
    assert dumps_filled({"a": f"{HOLE}0", "b": [f"{HOLE}1", "x"]}, ['{"k": 1}', "[]"]) == '{"a":{"k": 1},"b":[[],"x"]}'
    # a string of the document's own that looks like a hole: no filling, the caller writes it whole
    assert dumps_filled({"a": f"{HOLE}0", "b": f"{HOLE}0"}, ['{"k": 1}']) is None
    assert dumps_filled({"a": f"{HOLE}0", "b": f"x\"{HOLE}0"}, ['{"k": 1}']) is None

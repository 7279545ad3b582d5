"""The words of a result (calculator/report.py), on every case household and on bundles where the
town has published a phone number or a hotline:

* the display starts with the next step (what to ask first, where to go, whom to call, what to bring,
  how long), and the disclaimer is said once;
* a number to call comes only from the policy data: the hotline listed with a local source, a
  published phone; an office or line whose number is pending is never offered as a number;
* what to bring is one merged list: every item of the programmes asked about first, once;
* the command line's report is made of the same words as the page's display."""

from __future__ import annotations

import copy
import json
import re

import pytest

from calculator.bundle import load_bundle
from calculator.engine import estimate
from calculator.report import IN_PERSON, summary
from tests.case_loader import load_cases

BUNDLE = load_bundle()
HOUSEHOLDS = [c["household"] for _, c in load_cases()]
ILL = {"as_of": "2026-12-01", "area": "rural", "monthly_income_yuan": 900,
       "members": [{"age": 68, "sex": "female"}, {"age": 70, "serious_illness": True},
                   {"age": 14, "student": "junior_high"}]}
PHONE = re.compile(r"电话[：:\s]*待公布|电话待公布")


def rows(display) -> dict:
    return {r["label"]: r for r in display["next"]["rows"]}


def texts(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from texts(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from texts(v)


@pytest.mark.parametrize("household", HOUSEHOLDS + [ILL], ids=lambda h: json.dumps(h, ensure_ascii=False)[:60])
def test_next_step_first_and_the_disclaimer_once(household):
    result = estimate(household, BUNDLE)
    d = result["display"]
    assert list(rows(d))[:3] == ["先问这几项", "到哪里去", "打电话"] and "要多久" in rows(d)
    everything = list(texts(d))
    assert sum(t.count(result["disclaimer"]) for t in everything) == 1
    assert not [t for t in everything if PHONE.search(t)], "a pending phone offered as a number to call"
    first = rows(d)["先问这几项"].get("programmes", [])
    assert len(first) <= 4
    by_id = {p["id"]: p for p in result["programmes"]}
    assert all(by_id[i]["status"] != "unlikely" for i in first)
    bring = rows(d).get("带什么", {"items": []})["items"]
    assert len(bring) == len(set(bring))
    for pid in first:
        for item in by_id[pid]["next_steps"]["bring"]:
            assert any(item in b for b in bring), f"{pid}: {item} is missing from the merged list"
    text = summary(result, BUNDLE)
    assert text.index("【下一步怎么办】") < text.index("【填写的家庭情况】")
    for p in d["groups"]:
        assert p["title"] in text


def test_a_household_that_may_qualify_is_told_what_to_ask_first():
    d = estimate(ILL, BUNDLE)["display"]
    first = rows(d)["先问这几项"]
    assert first["programmes"], "nothing to ask about for an ill pensioner on 300 yuan a head"
    assert "medical" in first["programmes"]


def test_without_a_published_number_the_resident_is_sent_in_person():
    bundle = copy.deepcopy(BUNDLE)
    bundle["hotlines"] = [{"id": "county", "number": None, "name": "县社会救助服务热线", "status": "pending"},
                          {"id": "n12349", "number": "12349", "name": "12349", "status": "national_rule"}]
    for a in bundle["access_points"] + bundle["offices"]:
        a["contact"] = {"phone": None, "address": None, "hours": None}
    assert rows(estimate(ILL, bundle)["display"])["打电话"]["items"] == [IN_PERSON]


def test_a_local_hotline_in_the_data_is_offered():
    bundle = copy.deepcopy(BUNDLE)
    bundle["hotlines"] = [{"id": "h", "number": "12345", "name": "12345政务服务便民热线", "status": "local",
                           "what": "可以咨询政策。"}]
    call = rows(estimate(ILL, bundle)["display"])["打电话"]["items"]
    assert any("12345" in c for c in call) and IN_PERSON not in call


def test_a_published_office_phone_is_shown_and_only_then():
    bundle = copy.deepcopy(BUNDLE)
    office = next(o for o in bundle["offices"] if o["id"] == "minzheng")
    office["contact"] = {"phone": "0533-0000000", "address": None, "hours": None}
    bundle.pop("_index", None)
    d = estimate(ILL, bundle)["display"]
    steps = [s for g in d["groups"] for p in g["programmes"] for s in p.get("steps", []) if s["label"] == "负责单位"]
    mine = [s["text"] for s in steps if s.get("office") == "minzheng"]
    assert mine and all("电话 0533-0000000" in t for t in mine)
    assert not [s for s in steps if s.get("office") != "minzheng" and "电话" in s["text"]]


def test_a_published_phone_of_the_office_deciding_is_in_the_next_step_with_its_source():
    """The office that decides a programme to ask about first: once its phone is published (with its
    source), the next step offers it to call, naming the source; an office deciding none of them is
    not offered."""
    bundle = copy.deepcopy(BUNDLE)
    source = bundle["sources"][0]
    for o in bundle["offices"]:
        o["contact"] = {"phone": f"0533-{o['id']}", "address": None, "hours": None}
        o["contact_source"] = source["id"]
    d = estimate(ILL, bundle)["display"]
    first = rows(d)["先问这几项"]["programmes"]
    deciding = {p["office"] for p in bundle["programmes"] if p["id"] in first}
    assert deciding
    call = rows(d)["打电话"]["items"]
    for o in bundle["offices"]:
        offered = [c for c in call if f"0533-{o['id']}" in c]
        if o["id"] in deciding:
            assert len(offered) == 1 and o["full_name"] in offered[0] and f"《{source['title']}》" in offered[0], call
        else:
            assert not offered, (o["id"], call)
    assert IN_PERSON not in call


# ---- 先问这几项 while standards are pending: the ranking ------------------------------------------------

def _pending_bundle():
    """Whatever the data ships: every standard and the disposable income still unpublished."""
    pending = copy.deepcopy(BUNDLE)
    for pid, par in pending["parameters"].items():
        if par.get("unit") in ("yuan_per_person_month", "yuan_per_person_year") or pid.endswith("_standard"):
            par["values"] = []
    pending.pop("_index", None)
    return pending


PENDING = _pending_bundle()
ORDER = ["likely", "possible", "depends", "unknown"]


def interval(p: dict) -> dict:
    """The spec of a break-even, worked out here from the result's `needs`: {parameter: (lo, hi)},
    met once lo < parameter <= hi."""
    out = {}
    for n in p["needs"]:
        lo, hi = out.get(n["parameter"], (float("-inf"), float("inf")))
        out[n["parameter"]] = (max(lo, float(n["above"])), hi) if "above" in n else (lo, min(hi, float(n["below"])))
    return out


def met_whenever(a: dict, b: dict) -> bool:
    """Is programme a met under every standard that meets programme b?"""
    ia, ib = interval(a), interval(b)
    return all(par in ib and ib[par][0] >= lo and ib[par][1] <= hi for par, (lo, hi) in ia.items())


def strip_standards(h: dict) -> dict:
    return {k: v for k, v in h.items() if k != "standards"}


RANKED_HOUSEHOLDS = [strip_standards(h) for h in HOUSEHOLDS] + [ILL]


def check_ranking(result: dict) -> None:
    from calculator.report import FIRST_AT_MOST, ask_first, rank
    ranked = rank(result["programmes"])
    assert [p["status"] for p in ranked] == sorted((p["status"] for p in ranked), key=ORDER.index)
    depends = [p for p in ranked if p["status"] == "depends"]
    for i, a in enumerate(depends):
        for b in depends[:i]:  # b ranked before a: a is not met under strictly more standards than b
            assert not (met_whenever(a, b) and not met_whenever(b, a)), (a["id"], a["needs"], b["id"], b["needs"])
    first = ask_first(result["programmes"])
    assert len(first) <= FIRST_AT_MOST
    assert [p["id"] for p in first] == [p["id"] for p in ranked if p in first]  # in rank's order
    sure = [p for p in ranked if p["status"] in ("likely", "possible", "depends")]
    plain = [p for p in ranked if p["status"] == "unknown" and not any(c["met"] for c in p["conditions"])]
    if sure:  # a plain unknown never takes a place while a programme waiting only on a figure has none
        assert not [p for p in first if p in plain]
        assert all(p in first for p in sure[:1])
    if any(p["status"] == "unknown" for p in first):  # an unknown only once every surer one has its place
        assert all(p in first for p in sure)
    # one per threshold (the figure the standard must exceed) before a second with the same
    def threshold(p):
        return tuple(sorted((par, lo) for par, (lo, _) in interval(p).items()))
    named = [threshold(p) for p in first if p["status"] == "depends"]
    if len(set(named)) < len(named):
        assert {threshold(p) for p in ranked if p["status"] == "depends"} <= set(named)


@pytest.mark.parametrize("household", RANKED_HOUSEHOLDS, ids=lambda h: json.dumps(h, ensure_ascii=False)[:60])
def test_ask_first_while_standards_are_pending(household):
    check_ranking(estimate(household, PENDING))


def test_a_household_that_clearly_meets_a_break_even_is_asked_about_it_first():
    """No income at all: any standard the town publishes meets the income conditions (break-even
    0 yuan); those programmes, waiting only on the standard, come before every 信息不足."""
    from calculator.report import ask_first
    result = estimate({"as_of": "2026-12-01", "area": "rural", "monthly_income_yuan": 0, "assets_within_limits": True,
                       "members": [{"age": 45, "disability": "none", "student": "none"}]}, PENDING)
    depends = [p for p in result["programmes"] if p["status"] == "depends"]
    assert depends and all(float(n["above"]) == 0 for p in depends for n in p["needs"] if "above" in n)
    first = ask_first(result["programmes"])
    assert first[0]["status"] == "depends" and {p["id"] for p in first} & {p["id"] for p in depends}

"""Dates of the national texts, for whatever data ships: a text later than the town document is on the
政策更新 page (under its date, or, when its copy gives no exact date, by its year with a note); a value
cites the text that states it; a result never cites a text not yet in force on the date asked."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from calculator.bundle import load_bundle
from calculator.engine import evaluate
from calculator.household import parse_household
from calculator.params import rules_start, value_at
from calculator.text import render
from scripts.samples import households
from scripts.site.handbook import Handbook

BUNDLE = load_bundle()
SOURCES = {s["id"]: s for s in BUNDLE["sources"]}
ARTICLES = {a["id"]: (s, a) for s in BUNDLE["sources"] for a in s.get("articles") or []}
TOWN = SOURCES[BUNDLE["document"]["source"]]
TODAY = dt.date.today()


def start(s: dict) -> str | None:
    return s.get("in_force") or s.get("date")


@pytest.fixture(scope="module")
def updates() -> str:
    return Handbook(BUNDLE, TODAY).pages()["updates.md"]


def test_every_text_after_the_town_document_is_on_the_updates_page(updates):
    undated = updates[updates.find("{#undated}"):] if "{#undated}" in updates else ""
    for s in BUNDLE["sources"]:
        if s["kind"] not in ("law", "national"):
            continue
        if start(s):
            if start(s) > TOWN["date"]:
                cited = [c for c in BUNDLE["changes"] if c["date"] == start(s)
                         and any(ARTICLES.get(cid, ({},))[0].get("id") == s["id"] for cid in c["cites"])]
                assert cited, f"{s['id']} ({start(s)}) is in no change of its date"
                assert f"{{#{cited[0]['id']}}}" in updates
            continue
        # no exact date: older than the town document only if the town cites it or its year is earlier
        assert s.get("note"), f"{s['id']}: a source without an exact date says so in its note"
        if s.get("cited_in") or (s.get("year") is not None and s["year"] < int(TOWN["date"][:4])):
            assert f"《{s['title']}》（" not in undated, s["id"]
        else:
            assert f"《{s['title']}》（{s['year']}年）" in undated if s.get("year") else s["title"] in undated, s["id"]
            assert s["note"] in undated


def test_a_dated_value_in_months_cites_an_article_that_states_it():
    """The 渐退期: each value cites an article whose text gives that many months (the 2022 notice, not
    the 2020 opinion, which says only 一定时间)."""
    par = BUNDLE["parameters"]["dibao.phase_out_max_months"]
    assert par["values"]
    for v in par["values"]:
        source, article = ARTICLES[v["reference"]["article"]]
        assert source["id"] == v["reference"]["source"]
        assert f"{v['value']}个月" in article["text"], (v["date"], article["id"])
        assert start(source) is None or start(source) <= v["date"]


def test_before_its_first_value_the_phase_out_reads_as_the_rule_then_not_as_pending():
    par = BUNDLE["parameters"]["dibao.phase_out_max_months"]
    first = dt.date.fromisoformat(par["values"][0]["date"])
    text = next(p for p in BUNDLE["programmes"] if p["id"] == "dibao")["gives"]
    day_before = first - dt.timedelta(days=1)
    if day_before.isoformat() >= (rules_start(BUNDLE) or ""):
        before = render(text, BUNDLE, day_before)
        assert "待公布" not in before and par["before"] in before
    value, _ = value_at(BUNDLE, "dibao.phase_out_max_months", first)
    assert f"{value}个月" in render(text, BUNDLE, first)


def dates_to_try() -> list[dt.date]:
    """The first estimable day, each text's first day and the day before it, and today."""
    first = dt.date.fromisoformat(rules_start(BUNDLE))
    days = {first, TODAY}
    for s in BUNDLE["sources"]:
        if start(s) and dt.date.fromisoformat(start(s)) > first:
            d = dt.date.fromisoformat(start(s))
            days |= {d, d - dt.timedelta(days=1)}
    return sorted(days)


@pytest.mark.parametrize("day", dates_to_try(), ids=str)
def test_a_result_cites_only_texts_in_force_on_its_date(day):
    for h in households(60, seed=5):
        h = {k: v for k, v in h.items() if k != "as_of"} | {"as_of": day.isoformat()}
        result = evaluate(parse_household(h), BUNDLE)
        for p in result["programmes"]:
            for c in p["conditions"]:
                if c["id"] == "in_force" and c["met"] is False:
                    continue  # "this text takes effect on …": names the later text on purpose
                source, _ = ARTICLES.get(c["clause"], ({}, None))
                begin = start(source) if source else None
                assert begin is None or begin <= day.isoformat(), (day, p["id"], c["clause"], begin)


def test_the_national_page_gives_the_basis_of_each_date():
    page = Handbook(BUNDLE, TODAY).pages()["national.md"]
    for s in BUNDLE["sources"]:
        if s["kind"] == "national" and s.get("note") and re.search("转录稿", s["note"]):
            assert s["note"].replace("“", "").replace("”", "")[:10] in page.replace("“", "").replace("”", ""), s["id"]

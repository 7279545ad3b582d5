"""Invariants of the shipped policy data for the law in force (《社会救助法》, the full national texts):
they hold for whatever values the town publishes later, never for today's values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scripts.policydata import load

DATA = Path(__file__).resolve().parents[1] / "policy_data"
MARKUP = ("*", "<u>", "</u>")


@pytest.fixture(scope="module")
def bundle():
    return load(DATA)


def start(source: dict) -> str | None:
    return source.get("in_force") or source.get("date")


def articles(bundle) -> dict:
    return {a["id"]: (s, a) for s in bundle["sources"] for a in s.get("articles") or []}


def test_the_law_is_a_source_in_force_from_its_date(bundle):
    laws = [s for s in bundle["sources"] if s["kind"] == "law"]
    assert laws, "the 社会救助法 is registered"
    for s in laws:
        assert s["in_force"] and s["copy"] and s["file"]
        assert (DATA / s["file"]).is_file()


def test_every_article_text_is_verbatim_in_its_copy(bundle):
    for s in bundle["sources"]:
        texts = [a for a in s.get("articles") or [] if a.get("text")]
        if not texts:
            continue
        whole = (DATA / s["file"]).read_text(encoding="utf-8")
        for mark in MARKUP:
            whole = whole.replace(mark, "")
        for a in texts:
            for para in a["text"].split("\n"):
                assert para.strip() in whole, (a["id"], para)


def test_every_dated_value_cites_a_text_already_in_force(bundle):
    sources = {s["id"]: s for s in bundle["sources"]}
    for pid, par in bundle["parameters"].items():
        for v in par["values"]:
            s = sources[v["reference"]["source"]]
            assert start(s) is None or start(s) <= v["date"], (pid, v["date"], s["id"])
    for pw in bundle["powers"]:
        for h in pw["holders"]:
            s = sources[h["reference"]["source"]]
            assert start(s) is None or start(s) <= h["date"], (pw["id"], h["date"])


def test_every_move_of_a_power_after_the_town_document_is_in_the_update_log(bundle):
    town = next(s for s in bundle["sources"] if s["id"] == bundle["document"]["source"])
    logged = {(pw, c["date"]) for c in bundle["changes"] for pw in c.get("powers") or []}
    for pw in bundle["powers"]:
        for h in pw["holders"]:
            if h["date"] > town["date"]:
                assert (pw["id"], h["date"]) in logged, (pw["id"], h["date"])
        # a power that moved is either settled by a published figure or says who must publish it
        if pw.get("pending"):
            assert pw["pending"]["who"] and pw["pending"]["what"]


def test_each_change_cites_a_text_that_took_effect_that_day(bundle):
    arts = articles(bundle)
    dates = [c["date"] for c in bundle["changes"]]
    assert dates == sorted(dates)
    for c in bundle["changes"]:
        starts = {start(arts[cid][0]) for cid in c["cites"] if cid in arts}
        assert c["date"] in starts, c["id"]
        assert all(s is None or s <= c["date"] for s in starts), c["id"]


def test_hotlines_only_the_sourced_local_number_is_callable(bundle):
    sources = {s["id"]: s for s in bundle["sources"]}
    local = [h for h in bundle["hotlines"] if h["status"] == "local"]
    assert local, "a number a resident can call today"
    for h in bundle["hotlines"]:
        kind = sources[h["reference"]["source"]]["kind"]
        if h["status"] == "local":
            assert h["number"] and kind in ("city", "county", "town"), h["id"]
        elif h["status"] == "national_rule":
            assert kind in ("law", "national"), h["id"]
        else:
            assert h["number"] is None, h["id"]
    national = {h["number"] for h in bundle["hotlines"] if h["status"] == "national_rule"}
    assert not national & {h["number"] for h in local}, "a national-rule number is never the county's number"
    for table in ("offices", "access_points"):
        for o in bundle[table]:
            assert o["contact"]["phone"] not in national or o["contact_source"], o["id"]


def steps_on(programme: dict, day: str) -> list[dict]:
    """The step versions in force on `day`: for each id, the last version starting on or before it."""
    out = {}
    for s in sorted(programme.get("procedure") or [], key=lambda s: s.get("from") or ""):
        if (s.get("from") or "") <= day:
            out[s["id"]] = s
    return list(out.values())


@pytest.mark.parametrize("pid", ["dibao", "tekun", "temporary_emergency", "temporary_medical"])
def test_procedures_follow_the_law_from_its_date(bundle, pid):
    law = next(s for s in bundle["sources"] if s["kind"] == "law")
    arts = articles(bundle)
    programme = next(p for p in bundle["programmes"] if p["id"] == pid)
    before = (dt.date.fromisoformat(law["in_force"]) - dt.timedelta(days=1)).isoformat()
    for day in (before, law["in_force"]):
        steps = steps_on(programme, day)
        assert steps, (pid, day)
        for s in steps:
            for cid in s["cites"]:
                if cid in arts:
                    st = start(arts[cid][0])
                    assert st is None or st <= day, (pid, s["id"], cid, day)
    cited = {cid for s in steps_on(programme, law["in_force"]) for cid in s["cites"]}
    # from the law's date: the application may be made for you (37), a refusal is written (45),
    # and a decision can be appealed (76)
    assert {"law-37", "law-45", "law-76"} <= cited, pid
    if pid in ("dibao", "tekun"):
        assert "law-48" in cited, "heard before a reduction or an end"


def test_tekun_time_limits_are_parameters(bundle):
    tekun = next(p for p in bundle["programmes"] if p["id"] == "tekun")
    text = " ".join(s["text"] for s in tekun["procedure"])
    for pid in ("tekun.investigation_working_days", "tekun.public_notice_days",
                "tekun.county_confirmation_working_days", "tekun.refusal_notice_working_days"):
        assert "{param:" + pid + "}" in text, pid
        assert bundle["parameters"][pid]["values"], pid


def test_rights_from_the_law_date_cover_refusal_hearing_and_appeal(bundle):
    law = next(s for s in bundle["sources"] if s["kind"] == "law")
    arts = articles(bundle)
    for day in ((dt.date.fromisoformat(law["in_force"]) - dt.timedelta(days=1)).isoformat(), law["in_force"]):
        now = {}
        for r in sorted(bundle["rights"], key=lambda r: r.get("from") or ""):
            if (r.get("from") or "") <= day:
                now[r["id"]] = r
        for r in now.values():
            for cid in r["cites"]:
                st = start(arts[cid][0]) if cid in arts else None
                assert st is None or st <= day, (r["id"], cid, day)
    cited = {cid for r in now.values() for cid in r["cites"]}
    assert {"law-45", "law-48", "law-76"} <= cited

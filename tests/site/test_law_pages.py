"""The pages of the law in force: 政策更新, 办理流程, the national-rules page (the law first, every cited
article anchored), the home page's link to recent changes, the town-vs-law differences."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from tests.site.conftest import resolve

TODAY = dt.date.today()  # the date the session's site was built for (HANDBOOK_AS_OF unset)


def targets(page) -> set[tuple[str, str]]:
    return {resolve(page.url_path, href) for href in page.links()}


def test_updates_page_links_each_change_to_its_articles_and_pages(site, bundle):
    page = site.page("updates/")
    arts = {a["id"] for s in bundle["sources"] for a in s.get("articles") or []}
    ids = page.ids()
    for c in bundle["changes"]:
        assert c["id"] in ids, c["id"]
        links = {resolve(page.url_path, h) for h in page.section_links(c["id"])}
        for cid in c["cites"]:
            if cid in arts:
                assert ("national/", cid) in links, (c["id"], cid)
        for pid in c.get("programmes") or []:
            assert (f"programmes/{pid}/", "") in links, (c["id"], pid)


def test_home_links_to_updates_while_a_change_is_recent(site, bundle):
    recent = [c for c in bundle["changes"] if TODAY - dt.timedelta(days=365) < dt.date.fromisoformat(c["date"]) <= TODAY]
    home = site.page("")
    assert (("updates/", "") in targets(home)) == bool(recent)
    for c in recent:
        d = dt.date.fromisoformat(c["date"])
        assert f"{d.year}年{d.month}月{d.day}日起" in home.text


def value_text(bundle, pid: str) -> str:
    entries = [e for e in bundle["parameters"][pid]["values"] if e["date"] <= TODAY.isoformat()]
    v = Decimal(entries[-1]["value"])
    return f"{v.normalize():f}"


def test_procedures_show_each_time_limit_from_the_parameters(site, bundle):
    page = site.page("procedures/")
    for p in bundle["programmes"]:
        if not p.get("procedure"):
            continue
        assert p["id"] in page.ids(), p["id"]
        current = {}
        for s in sorted(p["procedure"], key=lambda s: s.get("from") or ""):
            if (s.get("from") or "") <= TODAY.isoformat():
                current[s["id"]] = s
        for s in current.values():
            anchor = f"{p['id']}-{s['id']}"
            assert anchor in page.ids(), anchor
            section = page.section(anchor)
            for pid in re.findall(r"\{param:([^}]+)\}", s["text"]):
                assert value_text(bundle, pid) + bundle["units"][bundle["parameters"][pid]["unit"]] in section, (anchor, pid)
            links = {resolve(page.url_path, h) for h in page.section_links(anchor)}
            for cid in s["cites"]:
                assert any(frag == cid for _, frag in links), (anchor, cid)


def test_national_page_shows_the_law_first_and_anchors_every_cited_article(site, bundle):
    page = site.page("national/")
    law = next(s for s in bundle["sources"] if s["kind"] == "law")
    h2 = [n for n in page.article.find_all("h2")]
    assert law["title"] in page.section(h2[0].attrs["id"])
    arts = {a["id"] for s in bundle["sources"] for a in s.get("articles") or []}
    cited = {c for p in bundle["programmes"] for c in p["clauses"]}
    cited |= {c for p in bundle["programmes"] for s in p.get("procedure") or [] for c in s["cites"]}
    cited |= {c for ch in bundle["changes"] for c in ch["cites"]}
    ids = page.ids()
    for cid in cited & arts:
        assert cid in ids, cid


def test_programme_page_states_town_rule_and_law_and_which_applies(site, bundle):
    for p in bundle["programmes"]:
        for d in p.get("differences") or []:
            page = site.page(f"programmes/{p['id']}/")
            links = targets(page)
            for r in d["rules"]:
                assert r["says"] in page.text
                assert any(frag == r["clause"] for _, frag in links), r["clause"]
            now = [t for day, t in sorted(d["applies"].items()) if day <= TODAY.isoformat()]
            assert now and now[-1]["text"] in page.text

"""Principle 8 end to end: the town publishes what the README tells it to, a dated 低保 standard and an
office's phone number with the source that gives it (tests/support/town.py applies the README's
examples to a copy of the live policy_data/), and the site built from that copy (`updated_site`,
tests/support/build.py) shows the phone with its source on the office's page, on the contacts page
and in the calculator's next step, and no longer calls it pending. What is expected is read from the
README's YAML and the copy's files with a plain YAML reader, never from the code under test.

The data invariants on the same copy: tests/test_data_invariants.py (its "readme-updated" data);
the published standard in yuan on every page resting on it: tests/site/test_site_content.py."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.case_loader import load_cases
from tests.support import town

pytestmark = pytest.mark.site

ILL = {"as_of": "2026-12-01", "area": "rural", "monthly_income_yuan": 900,
       "members": [{"age": 68, "sex": "female"}, {"age": 70, "serious_illness": True},
                   {"age": 14, "student": "junior_high"}]}


def _published(updated_site):
    published = town.published_contacts(updated_site.data_dir)
    assert any(item["contact"]["phone"] for _, item, _ in published), \
        "the README no longer publishes a phone number: this test has nothing to check"
    return published


def _row(table, first_cell: str) -> list[str]:
    for tr in table.find("tbody").find_all("tr"):
        cells = [re.sub(r"\s+", " ", td.text).strip() for td in tr.find_all("td")]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r}")


def test_the_published_phone_is_on_the_office_and_contacts_pages_with_its_source(updated_site):
    contacts = updated_site.page("contacts/")
    for ex, item, source in _published(updated_site):
        phone, title = item["contact"]["phone"], source["title"]
        if ex.file == "offices.yaml":
            page = updated_site.page(f"offices/{item['id']}/")
            section = page.section("联系方式")
            table = next(t for t in contacts.article.find_all("table")
                         if [th.text.strip() for th in t.find("thead").find_all("th")] == ["单位", "电话", "地址", "办公时间"])
            row = _row(table, item["full_name"])
            assert row[1] == phone, row
            labels = {"address": 2, "hours": 3}
            for key, i in labels.items():  # what is still unpublished stays pending
                assert (row[i] == "待公布") == (item["contact"][key] is None), row
            sourced = [li for li in contacts.article.find_all("li") if item["full_name"] in li.text and "来源" in li.text]
            assert sourced and title in sourced[0].text, f"contacts page: no source beside {item['full_name']}"
        else:
            section = contacts.section(item["id"])
        assert re.search(rf"电话\s*{re.escape(phone)}", section), section
        assert not re.search(r"电话\s*待公布", section), section
        assert f"联系方式来源：《{title}》" in section, section
        assert "联系方式尚未由镇里公布" not in section, section


def test_the_calculator_of_that_site_offers_the_phone_with_its_source(updated_site):
    """The calculator of the built site (its bundle, data/policy.json) gives the published number in
    the next step (打电话; an access point's also under 到哪里去) with the source's title, for every
    household whose programmes to ask about first are decided by that office."""
    from calculator.bundle import parse
    from calculator.engine import estimate

    bundle = parse((updated_site.root / "data" / "policy.json").read_text(encoding="utf-8"))
    office_of = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["office"]
                 for p in (updated_site.data_dir / "programmes").glob("*.yaml")}
    households = [c["household"] for _, c in load_cases()] + [ILL]
    for ex, item, source in _published(updated_site):
        phone, title = item["contact"]["phone"], source["title"]
        checked = 0
        for household in households:
            rows = {r["label"]: r for r in estimate(household, bundle)["display"]["next"]["rows"]}
            first = rows["先问这几项"].get("programmes", [])
            if ex.file == "offices.yaml" and item["id"] not in {office_of[p] for p in first}:
                continue
            call = [c for c in rows["打电话"]["items"] if phone in c]
            assert call and all(title in c for c in call), (json.dumps(household, ensure_ascii=False), rows["打电话"])
            if ex.file == "access_points.yaml":
                where = [w for w in rows["到哪里去"]["items"] if phone in w]
                assert where and all(title in w for w in where), rows["到哪里去"]
            checked += 1
        assert checked, f"no household of the cases asks first about a programme of {item['id']}"

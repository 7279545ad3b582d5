"""Hostile policy data: markup planted in the policy data (tests/browser/hardening/planted.py puts a
<script>, an <img onerror>, a Markdown link, a {{ jinja }} expression, an autolink and an attr_list
`{: onclick=...}` into programme names, summaries and short names, office names, a parameter
description, a category, a section title, a target group and an access point) comes out as text on
every page of the site built from it, in the search index, in the calculator's results (command line,
API and the page), and never as an element, an attribute, a link or a dialog."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from calculator.bundle import parse
from calculator.engine import estimate
from calculator.report import summary
from calculator.screen import screen_text, to_csv
from tests.conftest import start_server
from tests.browser.hardening.planted import EVIL, plant
from tests.browser.hardening.support import READY_MS, Elements, build_site, site_pages

pytestmark = [pytest.mark.browser, pytest.mark.site]  # builds its own site

HOUSEHOLD = {"as_of": "2025-01-01", "area": "urban", "members": [{"age": 70}], "monthly_income_yuan": 100,
             "assets_within_limits": True, "supporters": "none", "standards": {"urban_dibao_monthly": 1000}}
LINK = "#household=eyJhc19vZiI6IjIwMjUtMDEtMDEiLCJhcmVhIjoidXJiYW4iLCJtZW1iZXJzIjpbeyJhZ2UiOjcwfV0sIm1vbnRobHlfaW5jb21lX3l1YW4iOjEwMCwiYXNzZXRzX3dpdGhpbl9saW1pdHMiOnRydWUsInN1cHBvcnRlcnMiOiJub25lIiwic3RhbmRhcmRzIjp7InVyYmFuX2RpYmFvX21vbnRobHkiOjEwMDB9fQ"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    data = plant(tmp_path_factory.mktemp("planted") / "policy_data")
    root = tmp_path_factory.mktemp("planted_site")
    server = start_server(root)
    build_site(root, server.url, data_dir=data)
    yield type("Planted", (), {"data": data, "root": root, "server": server})
    server.stop()


URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "data", "poster", "xlink:href", "background"}


def no_injected_markup(page: Elements, where: str) -> None:
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            if name in URL_ATTRIBUTES:  # (as text, in a title or aria-label, it is only text)
                assert "evil.example" not in value, f"{where}: <{tag} {name}={value!r}>"
        assert not (tag == "img" and attrs.get("src") == "x"), f"{where}: planted <img> became an element"
    for script in page.scripts:
        assert "alert(" not in script, f"{where}: planted <script> became a script"


def test_every_page_shows_the_planted_text_as_text(planted):
    shown = []
    for url in site_pages(planted.root):
        path = planted.root / (url + "index.html" if url.endswith("/") or url == "" else url)
        page = Elements(path.read_text(encoding="utf-8"))
        no_injected_markup(page, url)
        if EVIL in page.text:
            shown.append(url)
    # the texts are on their pages, and the navigation (planted names) is on every page
    assert len(shown) == len(site_pages(planted.root)), sorted(set(site_pages(planted.root)) - set(shown))
    dibao = Elements((planted.root / "programmes/dibao/index.html").read_text(encoding="utf-8"))
    assert dibao.title.startswith("最低生活保障" + EVIL)
    assert "最低生活保障" + EVIL in dibao.text and "家里每人每月的收入" in dibao.text
    text = {u: Elements((planted.root / u / "index.html").read_text(encoding="utf-8")).text
            for u in ("offices", "standards", "groups", "")}
    assert "民政办" + EVIL in text["offices"]
    assert "城市低保月标准（每人每月）" + EVIL in text["standards"]
    assert "我家是城乡低保对象" + EVIL in text["groups"]
    assert "镇社会救助综合服务平台" + EVIL in dibao.text
    assert "基本生活救助" + EVIL in text[""]


def test_the_search_index_holds_the_planted_text_escaped(planted):
    index = json.loads((planted.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = 0
    for doc in index["docs"]:
        for field in ("title", "text"):
            value = doc.get(field) or ""
            assert "<script" not in value and "<img" not in value, (doc["location"], value[:200])
            found += "&lt;script&gt;alert(1)&lt;/script&gt;" in value
    assert found > 5


def test_the_calculator_shows_the_planted_text_as_text(planted):
    """The wheel built into the planted site holds the planted bundle; its results carry the texts
    exactly (data, not markup), and the command line's summary and the screening CSV print them as text."""
    [wheel] = (planted.root / "assets" / "calculator").glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        bundle = parse(z.read("calculator/data/policy.json").decode("utf-8"))
    result = estimate(HOUSEHOLD, bundle)
    names = {p["id"]: p["name"] for p in result["programmes"]}
    assert names["dibao"] == "最低生活保障" + EVIL
    offices = {p["next_steps"]["office"]["name"] for p in result["programmes"]}
    assert "民政办" + EVIL in offices
    text = summary(result, bundle)
    assert "■ 最低生活保障" + EVIL in text
    csv_text = to_csv(screen_text("户编号,城乡,家庭月收入（元）,年龄\nA,城市,100,70\n", bundle, "csv", "2025-01-01",
                                  {"urban_dibao_monthly": "1000"}))
    assert "最低生活保障" + EVIL.replace('"', '""') in csv_text


def test_the_planted_site_in_the_browser(new_context, planted):
    context = new_context()
    page = context.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    context.on("request", lambda r: requests.append(r.url))
    page.goto(planted.server.url + "programmes/dibao/")
    assert page.inner_text("article h1").startswith("最低生活保障" + EVIL.split("{: ")[0])
    assert page.title().startswith("最低生活保障<script>")
    page.click(".md-search__input") if page.is_visible(".md-search__input") else None
    page.goto(planted.server.url + "?q=" + "最低生活保障")
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    assert "<script>alert(1)</script>" in page.inner_text(".md-search-result")
    page.goto(planted.server.url + "calculator/" + LINK)
    page.wait_for_selector("#calculator-result", state="attached", timeout=READY_MS)
    results = page.inner_text(".calc-results")
    assert "最低生活保障" + EVIL in results
    injected = page.evaluate("""() => ({
        scripts: [...document.querySelectorAll('.calc-results script')].length,
        images: [...document.querySelectorAll('.calc-results img')].length,
        evil: [...document.querySelectorAll('a')].filter(a => a.href.includes('evil.example')).length,
        handlers: [...document.querySelectorAll('.calc-results *')].filter(e =>
            [...e.attributes].some(a => a.name.startsWith('on'))).length})""")
    assert injected == {"scripts": 0, "images": 0, "evil": 0, "handlers": 0}
    page.wait_for_timeout(300)
    assert dialogs == [] and not [u for u in requests if "evil.example" in u]

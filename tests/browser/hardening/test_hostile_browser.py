"""Hostile input through the calculator page (the deployed site, under its Content-Security-Policy):
broken and hostile #household= links (not base64, not UTF-8, not JSON, NaN, an array, 10,000
members, a 1 MB string, a lone surrogate, an RTL override, keys written twice) and hostile text typed
into the form (1,5 as income, negative and full-width ages, NaN, a 1 MB paste, a standard of 0.001).
Each gives a Chinese message beside the field it concerns or, for an unreadable link, above the form;
no script error, no hang, the page stays usable, and no result is shown unless it is the exact result
of what the form shows."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest

from calculator.api import handle
from tests.browser.hardening.support import READY_MS, REPO_ROOT
from tests.support.calculator_page import CalculatorPage

pytestmark = pytest.mark.browser

BASE = {"as_of": "2025-01-01", "area": "urban", "members": [{"age": 40}], "monthly_income_yuan": 100}
UNREADABLE = "无法读取"


def b64(text: str | bytes) -> str:
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def household(**changes) -> str:
    return json.dumps({**BASE, **changes}, ensure_ascii=False)


# (name, fragment after #household=, expected: UNREADABLE or the key paths named)
FRAGMENTS = [
    ("not base64", "%%%不是base64!!", UNREADABLE),
    ("empty", "", UNREADABLE),
    ("not UTF-8", b64(b"\xff\xfe\xfd{"), UNREADABLE),
    ("not JSON", b64("户主 87 岁"), UNREADABLE),
    ("NaN", b64('{"area": "urban", "members": [{"age": 40}], "monthly_income_yuan": NaN}'), UNREADABLE),
    ("a JSON array", b64("[1, 2, 3]"), [""]),
    ("10,000 members", b64(household(members=[{"age": 30}] * 10_000)), ["members"]),
    ("a 1 MB string", b64(household(supporters="有" * 1_000_000)), ["supporters"]),
    ("a lone surrogate", b64('{"as_of": "2025-01-01", "area": "urban", "members": [{"age": 40, "sex": "\\ud800"}], '
                             '"monthly_income_yuan": 100}'), ["members[0].sex"]),
    ("RTL override and 1,5", b64(household(area="\u202eurban", monthly_income_yuan="1,5")),
     ["area", "monthly_income_yuan"]),
    ("wrong types everywhere", b64(household(area=1, members="老人", monthly_income_yuan=[1], standards="x")),
     ["area", "members", "monthly_income_yuan", "standards"]),
]


def errors_shown(page) -> dict:
    return page.evaluate("""() => ({
        summary: document.querySelector('.calc-error-summary').hidden ? '' : document.querySelector('.calc-error-summary').innerText,
        fields: [...document.querySelectorAll('.calc-field-error')].map(e => {
            const f = e.closest('[data-field]'); const m = e.closest('.calc-member');
            return {field: f ? f.dataset.field : '', member: m ? Number(m.dataset.index) : null, text: e.textContent}; }),
        result: !!document.getElementById('calculator-result') && !document.querySelector('.calc-results').hidden,
        state: document.getElementById('calculator').dataset.state,
        members: document.querySelectorAll('.calc-member').length})""")


def reset_messages(page) -> None:
    page.evaluate("""() => { const s = document.querySelector('.calc-error-summary');
        s.hidden = true; s.replaceChildren(); document.querySelectorAll('.calc-field-error').forEach(e => e.remove()); }""")


def test_hostile_links(new_context, deployed):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    calc = CalculatorPage(page, deployed.url).open()
    for name, fragment, expected in FRAGMENTS:
        reset_messages(page)
        before = calc.runs()
        start = time.monotonic()
        page.evaluate("h => { location.hash = h; }", "#household=" + fragment)
        if expected == UNREADABLE:
            page.wait_for_function("() => !document.querySelector('.calc-error-summary').hidden", timeout=15_000)
        else:
            calc.wait_runs_above(before, timeout=30_000)
        seconds = time.monotonic() - start
        shown = errors_shown(page)
        assert shown["state"] == "ready", name
        assert not shown["result"], f"{name}: a result was shown"
        assert shown["members"] <= 30, name
        if expected == UNREADABLE:
            assert UNREADABLE in shown["summary"], (name, shown)
        else:
            text = shown["summary"] + "\n" + "\n".join(f["text"] for f in shown["fields"])
            payload = base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)).decode("utf-8", "surrogatepass")
            answer = json.loads(handle("estimate", payload))
            assert answer["ok"] is False and sorted(f["path"] for f in answer["error"]["fields"]) == sorted(expected)
            for f in answer["error"]["fields"]:
                assert f["message"] in text, (name, f["message"], text[:500])  # the validator's own words
            assert len(text) < 20_000, f"{name}: {len(text)} characters of messages"
        assert seconds < 30, f"{name}: {seconds:.1f} s"
    # the page is still fully usable: a good link gives the CPython result
    calc.fill(BASE, timeout=30_000)
    assert calc.result() == json.loads(handle("estimate", household()))["result"]
    assert errors == [], errors


def test_a_link_with_a_key_written_twice_shows_what_it_computes(new_context, deployed):
    """The browser reads JSON keys written twice as the last one (JSON.parse), before Python sees them:
    the form then shows that value, and the result is exactly the result of what the form shows."""
    page = new_context().new_page()
    text = household()[:-1] + ', "monthly_income_yuan": 2500}'
    page.goto(deployed.url + "calculator/#household=" + b64(text))
    page.wait_for_selector("#calculator-result", state="attached", timeout=READY_MS)
    shown = page.input_value("[data-key=monthly_income_yuan]")
    result = json.loads(page.text_content("#calculator-result"))
    assert shown == "2500" and result["household"]["monthly_income_yuan"] == "2500.00"


# (name, what to type: {selector: text}, the household the form then sends, or None when accepted)
FORM = [
    ("1,5 as income", {"[data-key=monthly_income_yuan]": "1,5"}, {"monthly_income_yuan": "1,5"}),
    ("NaN as income", {"[data-key=monthly_income_yuan]": "NaN"}, {"monthly_income_yuan": "NaN"}),
    ("an RTL override", {"[data-key=monthly_income_yuan]": "\u202e100"}, {"monthly_income_yuan": "\u202e100"}),
    ("a negative age", {".calc-member[data-index='0'] [data-key=age]": "-3"}, {"members": [{"age": "-3"}]}),
    ("a full-width age", {".calc-member[data-index='0'] [data-key=age]": "１２０"}, {"members": [{"age": "１２０"}]}),
    ("a standard of 0.001", {"[data-key='standards.urban_dibao_monthly']": "0.001"},
     {"standards": {"urban_dibao_monthly": "0.001"}}),
    ("a 1 MB paste", {"[data-key=monthly_income_yuan]": "9" * 1_000_000}, {"monthly_income_yuan": "9" * 1_000_000}),
]


def test_hostile_text_in_the_form(new_context, deployed):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    calc = CalculatorPage(page, deployed.url).open()
    page.check("input[data-key=area][value=urban]")
    page.click(".calc-more > summary")
    page.fill("[data-key=as_of]", "2025-01-01")
    for name, typed, sent in FORM:
        page.fill(".calc-member[data-index='0'] [data-key=age]", "40")
        page.fill("[data-key=monthly_income_yuan]", "100")
        page.fill("[data-key='standards.urban_dibao_monthly']", "")
        for selector, text in typed.items():
            page.fill(selector, text)
        start = time.monotonic()
        calc.run(timeout=30_000)
        seconds = time.monotonic() - start
        expected = json.loads(handle("estimate", json.dumps({**BASE, **sent})))
        shown = errors_shown(page)
        assert expected["ok"] is False and not shown["result"], name
        beside = {(f"members[{s['member']}].{s['field']}" if s["member"] is not None else s["field"]): s["text"]
                  for s in shown["fields"]}
        for f in expected["error"]["fields"]:
            assert f["path"] in beside and f["message"] in beside[f["path"]], (name, f, beside)
            assert len(beside[f["path"]]) < 1000
        assert seconds < 30, f"{name}: {seconds:.1f} s"
    # full-width digits and commas, as a Chinese input method types them, are read as written
    page.fill(".calc-member[data-index='0'] [data-key=age]", "40")
    page.fill("[data-key=monthly_income_yuan]", "１，０００")
    calc.run(timeout=30_000)
    assert calc.result()["household"]["monthly_income_yuan"] == "1000.00"
    # a hostile roster through the page's batch screening: the same file as the command line, no
    # formula, no control character
    roster = REPO_ROOT / "scripts" / "samples" / "hostile_files" / "rosters" / "formula_cells.csv"
    page.set_input_files(".calc-batch input[type=file]", str(roster))
    with page.expect_download() as info:
        page.click(".calc-batch button")
    got = Path(info.value.path()).read_bytes().decode("utf-8")
    # the page screens the roster on the form's 测算日期 (filled in above), as its hint says
    expected = json.loads(handle("screen", json.dumps({"text": roster.read_text(encoding="utf-8"), "format": "csv",
                                                       "as_of": "2025-01-01"})))
    assert got == expected["result"]["csv"]
    assert "\n'=HYPERLINK(" in got.replace("\r\n", "\n").replace('"', "") and "\n=" not in got.replace("\r\n", "\n")
    assert errors == [], errors


def test_a_mangled_anchor_on_any_page_is_no_script_error(new_context, deployed):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in ("original/#%%%", "programmes/dibao/#%E4%B8", "#<script>alert(1)</script>", "offices/#\u202e%zz"):
        page.goto(deployed.url + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
    assert errors == [], errors

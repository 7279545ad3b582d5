"""The calculator page (救助测算) in headless Debian chromium, on a site built with
`mkdocs build --strict` into a temporary directory and served on 127.0.0.1.

* parity: every case of tests/cases/*.yaml (and a few households of this file that use the fields
  no case uses) gives, through the page, exactly the JSON that calculator.api gives under CPython,
  both when run from a `#household=` link and when run again from the form the link filled in;
* privacy: every request goes to the local server, no household value is in any request, cookie or
  storage, and other pages never load Pyodide;
* keyboard-only use, validation messages beside their fields, the share link, 清除, the print view,
  offline reload through the service worker, batch screening, instant navigation reusing the worker.

A missing chromium or a failed build is a test failure, never a skip.
"""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from calculator.api import handle
from calculator.screen import roster_template
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, assert_requests_local, start_server
from tests.case_loader import load_cases
from tests.support.browser import READY_MS, wait_until
from tests.support.build import build_or_fail
from tests.support.calculator_page import PREFIX, CalculatorPage, household_link

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]

# Households that use what no case uses (sex, two_cancers, the flags, money as text), so that every
# field of the format goes through the form at least once.
OWN_HOUSEHOLDS = [
    {"as_of": "2025-06-01", "area": "urban",
     "members": [{"age": 52, "sex": "female", "two_cancers": True, "seeking_work": True},
                 {"age": 80, "sex": "male", "veteran": True, "disability": {"kind": "visual", "grade": 2}}],
     "monthly_income_yuan": "1500.5", "supporters": "unable", "assets_within_limits": True,
     "hardship_worker": True, "legal_case": True, "left_behind": True, "poverty_registered": True},
    {"as_of": "2025-06-01", "area": "rural", "members": [{"age": 30, "seeking_work": False}],
     "monthly_income_yuan": 0, "homeless": True, "housing_difficulty": False, "emergency": "accident",
     "standards": {"rural_dibao_monthly": 700.25}},
    {"area": "rural", "members": [{"age": 9, "student": "primary"}, {"age": 67, "serious_illness": True}],
     "monthly_income_yuan": 200, "medical_expenses_yuan": 12000.75, "education_expenses_yuan": 800,
     "emergency": "sudden_illness"},
]


# The resident of issue 13: 68, her husband (70) seriously ill, a grandson (14) at junior high school,
# 900 yuan a month for the three; and a large household, for the printed page.
ILL = {"as_of": "2026-12-01", "area": "rural", "monthly_income_yuan": 900,
       "members": [{"age": 68, "sex": "female"}, {"age": 70, "serious_illness": True},
                   {"age": 14, "student": "junior_high"}]}
LARGE = {"as_of": "2026-12-01", "area": "rural", "monthly_income_yuan": 1500, "supporters": "unable",
         "medical_expenses_yuan": 30000, "education_expenses_yuan": 6000, "emergency": "sudden_illness",
         "housing_difficulty": True, "left_behind": True, "legal_case": True,
         "members": [{"age": 82, "disability": {"kind": "visual", "grade": 1}}, {"age": 79, "serious_illness": True},
                     {"age": 50, "sex": "female", "two_cancers": True}, {"age": 52, "seeking_work": True},
                     {"age": 24, "student": "college"}, {"age": 17, "student": "senior_high"},
                     {"age": 12, "student": "primary", "disability": {"kind": "intellectual", "grade": 2}},
                     {"age": 4, "student": "preschool"}]}


# --------------------------------------------------------------------------- the site under test


def build_site(dest: Path, site_url: str) -> None:
    build_or_fail(dest, site_url=site_url)  # tests/support/build.py
    for need in ("calculator/index.html", "assets/calculator/manifest.json", "sw.js"):
        if not (dest / need).is_file():
            pytest.fail(f"the built site has no {need}: the build must run copy_runtime and "
                        "scripts.calculator_page.form.on_post_build (scripts/calculator_page/hooks.py)")
    # the page's own files, in their content-named directory (scripts/calculator_page/page.py)
    own = json.loads((dest / "assets/calculator/manifest.json").read_text(encoding="utf-8")).get("calculator_base")
    for name in ("calculator.js", "form.json"):
        if not own or not (dest / own / name).is_file():
            pytest.fail(f"the built site has no {own}{name}: scripts/calculator_page/hooks.py must run")


@pytest.fixture(scope="session")
def calc_server(tmp_path_factory, serve_dir):
    """The site built once for these tests, served with site_url = the server (instant navigation)."""
    root = tmp_path_factory.mktemp("calculator_site")
    server = serve_dir(root)
    start = time.monotonic()
    build_site(root, server.url)
    print(f"\nmkdocs build --strict (calculator tests): {time.monotonic() - start:.1f} s")
    return server


@pytest.fixture
def calc(page, calc_server) -> CalculatorPage:
    """The calculator page object (tests/support/calculator_page.py) on this test's page, not opened yet."""
    return CalculatorPage(page, calc_server.url)


def cpython(op: str, payload) -> dict:
    return json.loads(handle(op, json.dumps(payload, ensure_ascii=False)))


def unb64url(text: str):
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8"))


# --------------------------------------------------------------------------- page helpers


def watch_csp(page) -> None:
    """Record every Content-Security-Policy violation of the page in window.__csp."""
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                         " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


# --------------------------------------------------------------------------- parity


def parity_households() -> list[tuple[str, dict]]:
    cases = [(f"{file}: {case['name']}", case["household"]) for file, case in load_cases()]
    return cases + [(f"own household {i + 1}", h) for i, h in enumerate(OWN_HOUSEHOLDS)]


def first_difference(got, want, path="") -> str:
    if isinstance(got, dict) and isinstance(want, dict):
        for key in dict.fromkeys([*want, *got]):
            if got.get(key, "<missing>") != want.get(key, "<missing>"):
                return first_difference(got.get(key, "<missing>"), want.get(key, "<missing>"), f"{path}.{key}")
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for i, (a, b) in enumerate(zip(got, want)):
            if a != b:
                return first_difference(a, b, f"{path}[{i}]")
    return f"{path or 'result'}: page {json.dumps(got, ensure_ascii=False)[:300]} != CPython {json.dumps(want, ensure_ascii=False)[:300]}"


def test_parity_with_cpython(calc):
    """Every case gives the CPython JSON, from the link and again from the form it filled in."""
    households = parity_households()
    assert len(households) >= 10
    calc.open()
    statuses = set()
    problems = []
    for name, household in households:
        expected = cpython("estimate", household)
        assert expected["ok"], f"{name}: {expected}"
        if household.get("as_of") is None:  # both sides run today; keep the comparison same-day
            household = dict(household, as_of=expected["result"]["as_of"])
            expected = cpython("estimate", household)
        got_link = calc.fill(household)
        got_form = calc.run()
        for how, got in (("link", got_link), ("form", got_form)):
            if got != expected["result"]:
                problems.append(f"{name}: from the {how} the page gave other JSON than CPython: "
                                f"{first_difference(got, expected['result'])}")
        statuses |= {p["status"] for p in expected["result"]["programmes"]}
    assert not problems, "\n".join(problems)
    assert statuses == {"likely", "possible", "depends", "unlikely", "unknown"}


def test_results_cite_clauses_and_offices(page, calc, calc_server):
    """Each condition links to its clause on the original-text or national page, and the anchor exists."""
    household = {"as_of": "2025-06-01", "area": "urban", "members": [{"age": 65}], "monthly_income_yuan": 500,
                 "assets_within_limits": True, "supporters": "none", "standards": {"urban_dibao_monthly": 1000}}
    calc.open(household=household)
    links = page.eval_on_selector_all(
        ".calc-results a.calc-cite-link", "as => as.map(a => [a.dataset.clause, a.getAttribute('href')])")
    result = calc.result()
    cited = {c["clause"] for p in result["programmes"] for c in p["conditions"]}
    assert cited <= {cid for cid, _ in links}
    root = Path(calc_server.root)
    for cid, href in links:
        parts = urlsplit(href)
        assert parts.fragment == cid
        target = root / parts.path.lstrip("/") / "index.html"
        assert target.is_file(), href
        assert f'id="{cid}"' in target.read_text(encoding="utf-8"), f"{href}: no element with id {cid}"
    text = page.inner_text(".calc-results")
    assert "民政办" in text and "带什么" in text and result["disclaimer"] in text
    order = page.eval_on_selector_all(".calc-results .calc-group", "gs => gs.map(g => g.className.split('--')[1])")
    assert order == ["likely", "possible", "unknown", "unlikely"], order  # likely programmes first
    # (in a programme below the screen, whose text innerText leaves out until it is reached)
    amounts = page.locator(".calc-results .calc-prog .calc-amount").all_text_contents()
    assert any(re.search(r"每月约 500(\.00)?元", t) for t in amounts), amounts
    assert text.count(result["disclaimer"]) == 1  # said once


# --------------------------------------------------------------------------- loading and instant navigation


def test_progress_shown_while_the_form_is_filled(page, calc):
    calc.open(wait="form")
    state = page.get_attribute("#calculator", "data-state")
    status = page.inner_text(".calc-status")
    assert state == "loading", state
    assert re.search("下载|启动|准备", status), status
    page.fill("[data-key=age]", "70")  # the form works before Python is up
    page.check("input[data-key=area][value=urban]")
    page.fill("[data-key=monthly_income_yuan]", "100")
    result = calc.run()  # queued until the calculator is ready
    assert page.get_attribute("#calculator", "data-state") == "ready"
    steps = [s["step"] for s in page.evaluate("() => window.__shiqiaoCalculator.timeline")]
    assert {"download", "python", "calculator", "ready"} <= set(steps), steps
    assert result["household"]["members"] == 1


def test_instant_navigation_reuses_the_worker(page, calc_server, calc):
    calc.open()
    page.mouse.wheel(0, 300)  # the reader scrolls: the theme's script, and its instant navigation, load
    wait_until(page, "() => !!window.document$ && !!document.querySelector('.md-sidebar--primary a.md-nav__link')")
    page.evaluate("() => { window.__sameDocument = true; window.__shiqiaoCalculator.worker.__tag = 'first'; }")
    wasm_loads = sum("pyodide.asm.wasm" in p for p in calc_server.requests)
    nav = page.locator(".md-sidebar--primary a.md-nav__link")
    nav.filter(has_text="首页").first.click()  # through instant navigation
    page.wait_for_function("() => !document.getElementById('calculator')")
    nav.filter(has_text="救助测算").first.click()
    page.wait_for_selector("#calculator[data-state=ready] .calc-form", timeout=10_000)
    assert page.evaluate("() => window.__sameDocument === true"), "instant navigation did a full reload"
    assert page.evaluate("() => window.__shiqiaoCalculator.worker.__tag") == "first"
    assert sum("pyodide.asm.wasm" in p for p in calc_server.requests) == wasm_loads
    household = {"as_of": "2025-01-01", "area": "urban", "members": [{"age": 66}], "monthly_income_yuan": 10}
    expected = cpython("estimate", household)["result"]
    assert calc.fill(household) == expected
    # Reading a cited clause and coming back shows the same result again (kept in memory only).
    page.evaluate("() => history.replaceState(null, '', location.pathname)")
    page.click(".calc-results a.calc-cite-link")
    page.wait_for_function("() => !document.getElementById('calculator')")
    page.go_back()
    page.wait_for_selector("#calculator-result", state="attached", timeout=10_000)
    assert calc.result() == expected
    assert page.evaluate("() => window.__sameDocument === true")


def test_error_state_when_the_runtime_cannot_load(page, calc):
    page.context.route("**/*.whl", lambda route: route.abort())
    calc.open(wait="form")
    page.wait_for_selector("#calculator[data-state=error]", timeout=READY_MS)
    assert "没能加载" in page.inner_text(".calc-status")


# --------------------------------------------------------------------------- keyboard and errors


def tab_to(page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only(page, calc):
    calc.open()
    tab_to(page, "input[data-key=area]")
    page.keyboard.press("ArrowRight")  # the second choice: 农村
    page.keyboard.press("Space")
    tab_to(page, ".calc-member[data-index='0'] [data-key=age]")
    page.keyboard.type("70")
    tab_to(page, ".calc-member[data-index='0'] [data-key=serious_illness]")  # 不清楚, 是, 否
    page.keyboard.press("ArrowRight")  # 是
    tab_to(page, "button.calc-add")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.matches(\".calc-member[data-index='1'] [data-key=age]\")")
    page.keyboard.type("40")
    tab_to(page, "[data-key=monthly_income_yuan]")
    page.keyboard.type("300")
    result = calc.run(lambda: page.keyboard.press("Enter"))
    household = {"area": "rural", "members": [{"age": 70, "serious_illness": True}, {"age": 40}],
                 "monthly_income_yuan": 300}
    assert result == cpython("estimate", dict(household, as_of=result["as_of"]))["result"]
    assert page.evaluate("() => document.activeElement.id") == "calc-results-title"
    # Removing a member by keyboard moves the focus to a remaining member.
    page.focus(".calc-member[data-index='1'] [data-key=age]")
    tab_to(page, ".calc-member[data-index='1'] .calc-remove")
    page.keyboard.press("Enter")
    assert page.locator(".calc-member").count() == 1
    assert page.evaluate("() => document.activeElement.matches('.calc-member [data-key=age]')")


def test_error_messages_beside_fields(page, calc):
    calc.open()
    calc.run_expecting_errors()  # nothing filled in
    expected = cpython("estimate", {"members": [{}]})["error"]["fields"]
    shown = calc.field_errors()
    assert {(e["path"], e["message"]) for e in expected} == {
        (f"members[{s['member']}].{s['field']}" if s["member"] is not None else s["field"], s["text"][4:])
        for s in shown}
    assert all(s["described"] for s in shown), shown
    assert page.evaluate("() => document.activeElement.matches('input[data-key=area]')")
    assert page.get_attribute("#calculator", "data-state") == "ready"
    assert not calc.has_result()

    # A member's mistake appears in that member's box, the first bad field gets the focus.
    page.check("input[data-key=area][value=urban]")
    page.fill(".calc-member[data-index='0'] [data-key=age]", "44")
    page.select_option(".calc-member[data-index='0'] select[data-key='disability.kind']", "mental")
    page.click("button.calc-add")
    page.fill(".calc-member[data-index='1'] [data-key=age]", "七十")
    page.fill("[data-key=monthly_income_yuan]", "-5")
    calc.run_expecting_errors()
    household = {"area": "urban", "members": [{"age": 44, "disability": {"kind": "mental"}}, {"age": "七十"}],
                 "monthly_income_yuan": "-5"}
    expected = cpython("estimate", household)["error"]["fields"]
    said = {e["path"]: e["message"] for e in expected}  # Python's order is its own; the page's is the form's
    assert sorted(said) == ["members[0].disability.grade", "members[1].age", "monthly_income_yuan"]
    shown = calc.field_errors()
    assert [(s["member"], s["field"], s["text"][4:]) for s in shown] == [
        (0, "disability.grade", said["members[0].disability.grade"]), (1, "age", said["members[1].age"]),
        (None, "monthly_income_yuan", said["monthly_income_yuan"])]
    assert page.evaluate(
        "() => document.activeElement.matches(\".calc-member[data-index='0'] select[data-key='disability.grade']\")")
    summary = page.inner_text(".calc-error-summary")
    assert all(e["message"] in summary for e in expected)


# --------------------------------------------------------------------------- share, clear, print


def test_share_link_round_trip(context, page, calc, calc_server):
    household = OWN_HOUSEHOLDS[1]
    calc.open()
    page.check("input[data-key=area][value=rural]")
    page.fill("[data-key=age]", "30")
    page.fill("[data-key=monthly_income_yuan]", "0")
    page.fill("[data-key='standards.rural_dibao_monthly']", "700.25")
    first = calc.run()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("text=复制分享链接")
    page.wait_for_function("() => (document.querySelector('.calc-share-status') || {}).textContent")  # copied, or not
    link = page.input_value(".calc-share-link")
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    assert link.startswith(calc.url + PREFIX)
    # Honest sharing: the link is the household, and whatever carries it can read it.
    told = page.inner_text(".calc-share")
    for words in ("链接里写着上面填写的家庭情况", "微信、短信", "也能读到"):
        assert words in told, told
    assert "不经过任何服务器" not in page.inner_text("#calculator")
    shared = unb64url(link.split("#household=", 1)[1])
    assert shared == {"as_of": first["as_of"], "area": "rural", "members": [{"age": 30}],
                      "monthly_income_yuan": 0, "standards": {"rural_dibao_monthly": 700.25}}

    assert page.get_attribute(".calc-qr svg", "aria-label") == "分享链接的二维码"

    other = CalculatorPage(context.new_page(), calc_server.url)
    other.open(link.removeprefix(other.url))  # the link as copied, and the run it starts
    assert other.runs() == 1
    assert other.result() == first, other.page.inner_text("#calculator")
    assert other.page.input_value("[data-key=age]") == "30"
    assert other.page.input_value("[data-key='standards.rural_dibao_monthly']") == "700.25"
    assert other.page.is_checked("input[data-key=area][value=rural]")

    # A link made elsewhere (here: by Python, with padding) fills the form and runs it.
    result = other.fill(household)
    assert result == cpython("estimate", household)["result"]
    assert other.page.is_checked(".calc-member input[data-key=seeking_work][value=false]")
    assert other.page.input_value("select[data-key=emergency]") == "accident"
    assert other.fill(OWN_HOUSEHOLDS[0], pad=True) == cpython("estimate", OWN_HOUSEHOLDS[0])["result"]
    # A broken link says so (it never reaches Python: no run is counted).
    other.set_fragment(PREFIX + "not-json")
    other.page.wait_for_selector(".calc-error-summary:not([hidden])")
    assert "无法读取" in other.page.inner_text(".calc-error-summary")


def shared_household(context, page) -> dict:
    """The household the page's share link carries (what the form collected)."""
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("text=复制分享链接")
    page.wait_for_function("() => (document.querySelector('.calc-share-status') || {}).textContent")
    return unb64url(page.input_value(".calc-share-link").split("#household=", 1)[1])


def test_no_disability_and_not_at_school_are_answers_a_blank_is_not(context, page, calc):
    """An untouched 残疾类别 / 在读学段 is 不清楚: nothing is collected, and the result's household says
    未填 where it matters; 没有残疾 and 不在上学 are picked, carried by the link as "none", and shown
    again when the link fills the form."""
    calc.open()
    kind, student = ".calc-member select[data-key='disability.kind']", ".calc-member select[data-key=student]"
    page.check("input[data-key=area][value=rural]")
    page.fill("[data-key=age]", "40")
    page.fill("[data-key=monthly_income_yuan]", "0")
    for select in (kind, student):
        assert page.input_value(select) == ""
        assert page.evaluate("s => document.querySelector(s).selectedOptions[0].textContent", select) == "不清楚"
    result = calc.run()
    assert result == cpython("estimate", {"as_of": result["as_of"], "area": "rural", "members": [{"age": 40}],
                                          "monthly_income_yuan": 0})["result"]
    assert shared_household(context, page)["members"] == [{"age": 40}]
    assert "未填：残疾情况" in page.inner_text("#calculator")

    page.select_option(kind, "none")
    page.select_option(student, "none")
    assert page.is_hidden(".calc-member [data-field='disability.grade']")
    result = calc.run()
    household = {"as_of": result["as_of"], "area": "rural", "monthly_income_yuan": 0,
                 "members": [{"age": 40, "disability": "none", "student": "none"}]}
    assert result == cpython("estimate", household)["result"]
    assert shared_household(context, page)["members"] == household["members"]
    assert "未填：残疾情况" not in page.inner_text("#calculator")

    calc.fill({**household, "members": [{"age": 41, "disability": "none", "student": "none"},
                                                 {"age": 9, "disability": {"kind": "visual", "grade": 3}}]})
    assert page.input_value(".calc-member[data-index='0'] select[data-key='disability.kind']") == "none"
    assert page.input_value(".calc-member[data-index='0'] select[data-key=student]") == "none"
    assert page.input_value(".calc-member[data-index='1'] select[data-key='disability.kind']") == "visual"
    assert page.input_value(".calc-member[data-index='1'] select[data-key=student]") == ""


def test_qr_code_matches_a_reference_encoder(page, calc):
    """qr.js gives, module for module, what the Python package qrcode gives (tests/browser/qr_expected.json)."""
    expected = json.loads((Path(__file__).parent / "qr_expected.json").read_text(encoding="utf-8"))["cases"]
    calc.open(wait="form")
    got = page.evaluate("""async (cases) => {
        const { qrMatrix } = await import(new URL('qr.js', document.querySelector('script[src$="/calculator.js"]').src).href);
        return cases.map(c => { const r = qrMatrix(c.text, {ecl: c.ecl, mask: c.mask, boost: false});
            return {version: r.version, rows: r.modules.map(row => BigInt('0b' + row.map(m => m ? 1 : 0).join('')).toString(16))}; });
    }""", expected)
    for case, mine in zip(expected, got):
        assert mine == {"version": case["version"], "rows": case["rows"]}, case["text"]


def test_clear_empties_everything(context, page, calc):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    assert calc.open(household=OWN_HOUSEHOLDS[0]).result()
    page.click("text=复制分享链接")
    page.wait_for_selector(".calc-qr svg")
    assert "#household=" in page.evaluate("() => navigator.clipboard.readText()")
    page.click("button.calc-clear")
    wait_until(page, "async () => (await navigator.clipboard.readText()) === ''", 30_000)
    state = page.evaluate("""() => ({
        hash: location.hash,
        result: !!document.getElementById('calculator-result'),
        results: document.querySelector('.calc-results').hidden && !document.querySelector('.calc-results').children.length,
        members: document.querySelectorAll('.calc-member').length,
        texts: [...document.querySelectorAll('.calc-form input[type=text], .calc-form input[type=date]')].map(i => i.value).join(''),
        selects: [...document.querySelectorAll('.calc-form select')].map(s => s.value).join(''),
        checked: [...document.querySelectorAll('.calc-form input:checked')].map(i => i.value),
        optional: [...document.querySelectorAll('.calc-form .calc-radios')].filter(f => f.querySelector('input[value=""]')).length,
        errors: document.querySelectorAll('.calc-field-error').length,
        share: document.querySelectorAll('.calc-share-link, .calc-qr svg').length,
        body: document.body.innerText})""")
    body = state.pop("body")
    # every choice back on its 不清楚/不填, none on a value (one per optional choice of the form)
    assert state.pop("checked") == [""] * state.pop("optional")
    assert state == {"hash": "", "result": False, "results": True, "members": 1, "texts": "", "selects": "",
                     "errors": 0, "share": 0}
    assert "1500.5" not in body
    assert "填写的家庭情况" not in body


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_print_view(page, calc):
    """打印结果 prints one sheet made of the result's words: site name, dates, data version, the household
    as entered, the next step, the programmes to ask about first with their conditions and clauses,
    a contact line; one A4 page (two at most for a large household), never a page per programme."""
    calc.open()
    for household, at_most in ((OWN_HOUSEHOLDS[0], 1), (ILL, 1), (LARGE, 2)):
        result = calc.fill(household)
        d = result["display"]
        page.emulate_media(media="print")
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".calc-form", ".calc-batch", ".calc-status",
                       ".calc-actions", ".calc-screen", "h1"):
            assert not page.is_visible(hidden), f"{hidden} is printed"
        sheet = page.inner_text(".calc-results")
        today = page.evaluate("() => new Date().toISOString().slice(0, 10)")
        for text in ("石桥镇社会救助手册", "测算日期", result["as_of"], "政策数据版本", result["data_version"], "打印日期",
                     "填写的家庭情况", "下一步怎么办", "先问这几项", "到哪里去", "村社会救助服务站", "依据",
                     result["disclaimer"], d["contact"]):
            assert text in sheet, text
        assert today[:4] in sheet
        for row in d["household"]["rows"]:  # the household as entered
            for text in row.get("items") or [row["text"]]:
                assert text in sheet, text
        first = next(r for r in d["next"]["rows"] if r["label"] == "先问这几项").get("programmes", [])
        names = {p["id"]: p["name"] for p in result["programmes"]}
        for pid in names:
            assert names[pid] in sheet, f"{names[pid]} is not on the sheet"
        for pid in first:  # asked about first: with its conditions and the clauses they cite
            p = next(p for g in d["groups"] for p in g["programmes"] if p["id"] == pid)
            for c in p["conditions"]:
                assert c["text"] in sheet and c["label"] in sheet
        pdf = page.pdf(prefer_css_page_size=True, print_background=False)
        assert pdf.startswith(b"%PDF")
        box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
        assert box and abs(float(box.group(1)) - 595.3) < 2 and abs(float(box.group(2)) - 841.9) < 2  # A4
        pages = pdf_pages(pdf)
        assert 1 <= pages <= at_most, f"{len(household['members'])} members: {pages} printed pages"
        page.emulate_media(media="screen")


# Runs the household of a link and watches the result being laid out: what is on the page when its
# first screen appears (the observer runs right after the task that shows it, before any later task),
# when the run is counted (data-runs), and, with print=true, right after a beforeprint event sent the
# moment the first screen appears.
_WATCH_RESULT = """([link, print]) => new Promise((resolve) => {
    // (the page may be rendered again on the fragment's change: the calculator is looked up each time)
    const before = document.getElementById('calculator').dataset.runs;
    const state = () => {
        const results = document.querySelector('#calculator .calc-results');
        return {next: !!results.querySelector('.calc-next'), details: results.querySelectorAll('.calc-prog').length,
                sheet: !!results.querySelector('.calc-sheet'), busy: results.getAttribute('aria-busy')};
    };
    const out = {};
    const old = document.querySelector('#calculator .calc-next'); // the last result's, if one is shown
    const observer = new MutationObserver(() => {
        const root = document.getElementById('calculator');
        if (!root) return;
        const next = root.querySelector('.calc-results .calc-next');
        if (!out.first && next && next !== old) {
            out.first = state();
            if (print) {
                window.dispatchEvent(new Event('beforeprint'));
                out.printed = state();
            }
        }
        if (root.dataset.runs !== before) {
            out.counted = state();
            observer.disconnect();
            resolve(out);
        }
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-runs']});
    location.hash = link;
})"""


def test_result_first_screen_first_then_the_details(page, calc):
    """The result's first screen (the next step, the disclaimer, the buttons) is shown at once and its
    details and printed sheet a frame later: the run is counted as shown (data-runs, which every
    test waits for) only once they are there, and printing before then completes the result first."""
    calc.open()
    for household, printing in ((ILL, False), (OWN_HOUSEHOLDS[0], True)):
        seen = page.evaluate(_WATCH_RESULT, [household_link(household), printing])
        assert seen["first"]["next"] and seen["first"]["details"] == 0 and not seen["first"]["sheet"], seen
        assert seen["first"]["busy"] == "true", seen
        assert seen["counted"]["details"] > 0 and seen["counted"]["sheet"] and seen["counted"]["busy"] is None, seen
        if printing:
            assert seen["printed"]["details"] == seen["counted"]["details"] and seen["printed"]["sheet"], seen
            assert seen["printed"]["busy"] is None, seen


@pytest.mark.parametrize("latency", [0, 150])
def test_the_interpreter_is_preloaded_only_on_a_slow_link(context, page, calc, latency):
    """Where the browser estimates a long round trip (here: DevTools' emulated latency), the head
    starts the interpreter's download with the page; elsewhere the worker asks for it itself. Either
    way the calculator works."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": latency, "downloadThroughput": -1, "uploadThroughput": -1})
    calc.open(household=ILL)
    rtt = page.evaluate("navigator.connection.rtt")
    preloads = page.eval_on_selector_all('head link[rel="preload"]', "ls => ls.map((l) => l.href)")
    wasm = [h for h in preloads if h.endswith("/pyodide.asm.wasm")]
    assert (rtt >= 125) == (latency == 150), rtt  # what the page decides on
    if latency:
        assert len(wasm) == 1 and wasm[0].replace("pyodide.asm.wasm", "pyodide.mjs") in preloads, preloads
    else:
        assert not wasm, preloads
    assert calc.result()["programmes"]


def test_programmes_below_the_screen_are_laid_out_when_reached(page, calc):
    """On a wide screen every programme of a result is open; those far below the screen are not laid
    out until the reader comes near them (content-visibility), and are then shown in full."""
    page.set_viewport_size({"width": 1280, "height": 720})
    calc.open(household=ILL)
    probe = """() => [...document.querySelectorAll('#calculator details.calc-prog')].map((d) => ({
        open: d.open, top: d.getBoundingClientRect().top,
        shown: d.querySelector('.calc-conds').checkVisibility({contentVisibilityAuto: true})}))"""
    progs = page.evaluate(probe)
    assert len(progs) > 3 and all(p["open"] for p in progs), progs
    far = [i for i, p in enumerate(progs) if p["top"] > 3 * 720]
    assert far, progs  # the result is long enough for this to mean something
    assert not any(progs[i]["shown"] for i in far), progs
    for which in (0, len(progs) - 1):  # scrolled to, each is laid out and shown in full
        prog = page.locator("#calculator details.calc-prog").nth(which)
        prog.scroll_into_view_if_needed()
        wait_until(page, f"() => document.querySelectorAll('#calculator details.calc-prog')[{which}]"
                         ".querySelector('.calc-conds').checkVisibility({contentVisibilityAuto: true})")
        assert prog.locator(".calc-conds li").first.is_visible()
        box = prog.locator(".calc-clauses").bounding_box()
        assert box and box["height"] > 0


@pytest.fixture
def phone(_playwright, tmp_path):
    """A phone: 360 px wide, the browser's default text size set to 20 px (a resident's large text)."""
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(json.dumps({"webkit": {"webprefs": {"default_font_size": 20}}}))
    ctx = _playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    yield ctx
    ctx.close()


def test_next_step_within_two_phone_screens_at_20px(phone, calc_server):
    """At 360 px and 20 px default text the result starts with the next-step block, all of it within
    the first two screens from where the result begins; the programmes' details follow, collapsed."""
    page = phone.new_page()
    calc = CalculatorPage(page, calc_server.url).open()
    assert page.evaluate("() => { const p = document.createElement('p'); p.style.fontSize = 'medium';"
                         " document.body.append(p); const s = getComputedStyle(p).fontSize; p.remove(); return s; }") == "20px"
    for household in (ILL, OWN_HOUSEHOLDS[0], LARGE):
        assert calc.fill(household)  # fills the form; then the resident presses 开始测算
        assert calc.run()
        m = page.evaluate("""() => {
            const top = (e) => e.getBoundingClientRect().top + scrollY;
            const title = document.getElementById('calc-results-title');
            const next = document.querySelector('.calc-next');
            const texts = [...next.querySelectorAll('p')].map(p => parseFloat(getComputedStyle(p).fontSize));
            const prog = [...document.querySelectorAll('.calc-results details.calc-prog')];
            return {title: top(title), start: top(next), end: top(next) + next.getBoundingClientRect().height,
                    details: top(prog[0] || next), screen: innerHeight, width: innerWidth, smallest: Math.min(...texts),
                    open: prog.filter(d => d.open).length, scrolled: title.getBoundingClientRect().top};
        }""")
        assert m["width"] == 360
        assert m["smallest"] >= 20, m  # the block's text is at least the resident's own size
        assert m["scrolled"] < m["screen"] / 4, m  # the result is brought to the top of the screen
        assert m["title"] < m["start"] < m["details"], m  # the next step comes first
        assert m["end"] - m["title"] <= 2 * m["screen"], f"{len(household['members'])} members: the next step ends " \
            f"{(m['end'] - m['title']) / m['screen']:.2f} screens below the result's start"
        assert m["open"] == 0, "the programmes' details are open on a phone"


# --------------------------------------------------------------------------- batch and offline


def test_batch_screening_download(page, calc, tmp_path):
    watch_csp(page)
    calc.open()
    template = tmp_path / "名单模板.csv"
    template.write_text(roster_template(), encoding="utf-8", newline="")
    page.set_input_files(".calc-batch input[type=file]", str(template))
    with page.expect_download() as info:
        page.click(".calc-batch button")
    download = info.value
    got = Path(download.path()).read_bytes().decode("utf-8")
    expected = cpython("screen", {"text": roster_template(), "format": "csv"})
    assert got == expected["result"]["csv"]
    assert download.suggested_filename.endswith(".csv")
    assert "已筛查 2 户" in page.inner_text(".calc-batch-status")
    # in 跟进顺序 by default (the CSV is Python's: the order is computed once), the roster's order on request
    assert expected["result"]["order"] in page.inner_text(".calc-batch-status")
    page.check(".calc-batch input[type=checkbox]")
    with page.expect_download() as info:
        page.click(".calc-batch button")
    kept = cpython("screen", {"text": roster_template(), "format": "csv", "keep_order": True})
    assert Path(info.value.path()).read_bytes().decode("utf-8") == kept["result"]["csv"]
    assert kept["result"]["order"] in page.inner_text(".calc-batch-status")
    assert calc.fill(OWN_HOUSEHOLDS[0])  # and results, share link and QR code, under the site's policy
    page.click("text=复制分享链接")
    page.wait_for_selector(".calc-qr svg")
    assert page.evaluate("() => window.__csp") == []


def test_offline_after_one_visit(browser, calc_server, tmp_path):
    """With the service worker: visit once, then with no server and no network, reload and compute."""
    server = start_server(Path(calc_server.root))  # a server of its own, stopped below
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        calc = CalculatorPage(page, server.url).open()
        wait_until(page, "async () => { const r = await navigator.serviceWorker.ready;"
                         " return !!r.active && !!navigator.serviceWorker.controller; }")  # the worker took control
        build = json.loads(re.search(r"const BUILD = (\{.*?\n\});", (Path(calc_server.root) / "sw.js")
                                     .read_text(encoding="utf-8"), re.S).group(1))
        cached = page.evaluate("async () => (await caches.keys())")
        assert cached == [f"shiqiao-handbook-{build['build']}"]
        server.stop()
        context.set_offline(True)
        page.reload()
        calc.wait_ready()
        household = {"as_of": "2025-01-01", "area": "rural", "members": [{"age": 75}], "monthly_income_yuan": 100}
        assert calc.fill(household) == cpython("estimate", household)["result"]
        page.goto(server.url + "original/")  # the rest of the site too
        assert "原文" in page.title()
    finally:
        context.close()
        server.stop()


# Records when the page registers its service worker: the runs shown (the root's data-runs), the
# calculator's stage and whether a result's details are on the page then.
_WATCH_REGISTER = """
window.__registered = [];
const register = ServiceWorkerContainer.prototype.register;
ServiceWorkerContainer.prototype.register = function (...args) {
  const root = document.getElementById("calculator");
  const rt = window.__shiqiaoCalculator;
  window.__registered.push({ runs: root && root.getAttribute("data-runs"), state: rt && rt.stage,
                             result: !!document.querySelector(".calc-results:not([hidden]) .calc-details-title") });
  return register.apply(this, args);
};
"""


def test_offline_copy_waits_for_the_links_result(browser, calc_server):
    """The service worker's offline copy (the whole site) starts only once a share link's result is
    shown in full, so that it does not take the CPU from the first estimate; opened without a link,
    it starts as soon as the calculator is ready. Either way it registers once."""
    for fragment, want_runs in ((household_link(ILL), "1"), ("", "0")):
        context = browser.new_context(service_workers="allow")
        try:
            page = context.new_page()
            page.add_init_script(_WATCH_REGISTER)
            calc = CalculatorPage(page, calc_server.url).open(fragment)
            wait_until(page, "() => window.__registered.length > 0")
            page.wait_for_timeout(300)
            seen = page.evaluate("() => window.__registered")
            assert len(seen) == 1, seen
            assert seen[0]["state"] == "ready" and seen[0]["runs"] == want_runs, (fragment[:20], seen)
            assert seen[0]["result"] is bool(fragment), seen
            assert calc.runs() == int(want_runs)
        finally:
            context.close()


# Records every Worker the page starts: its script, the document's readyState then, its name and
# what the page posts to it (a message's type, or a request's op).
_WATCH_WORKERS = """
window.__workers = [];
const NativeWorker = window.Worker;
window.Worker = function (url, options) {
  const worker = new NativeWorker(url, options);
  const seen = { url: String(url), readyState: document.readyState, name: (options && options.name) || "", posted: [] };
  window.__workers.push(seen);
  const post = worker.postMessage.bind(worker);
  worker.postMessage = (m, ...rest) => { seen.posted.push((m && (m.type || m.op)) || "?"); return post(m, ...rest); };
  return worker;
};
window.Worker.prototype = NativeWorker.prototype;
"""


def test_worker_starts_while_the_page_is_parsed(page, calc_server):
    """Loaded in full, the calculator page starts its worker from the head's script while the page is
    still being parsed, once, with the runtime's configuration as the worker's name, and posts it no
    init message (Python starts without one); the form data is in the page itself, the same as
    form.json, so no request for it is made."""
    page.add_init_script(_WATCH_WORKERS)
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    calc = CalculatorPage(page, calc_server.url).open(household_link(ILL))
    assert calc.runs() == 1
    workers = [w for w in page.evaluate("() => window.__workers") if w["url"].endswith("/worker.js")]
    assert len(workers) == 1, workers
    assert workers[0]["readyState"] == "loading", workers
    runtime = json.loads(workers[0]["name"])
    assert runtime["pyodide_base"].startswith("assets/pyodide/") and runtime["wheel"].endswith(".whl"), runtime
    assert "init" not in workers[0]["posted"] and "estimate" in workers[0]["posted"], workers
    # the steps the worker reported before the page's modules ran were kept for them
    steps = [s["step"] for s in page.evaluate("() => window.__shiqiaoCalculator.timeline")]
    assert steps[:1] == ["download"] and {"python", "calculator", "ready"} <= set(steps), steps
    assert not [u for u in urls if u.endswith("/form.json")], urls
    embedded, served = page.evaluate("""async () => {
      const node = document.getElementById("calculator-form");
      const own = [...document.scripts].find((s) => s.src.endsWith("/calculator.js")).src;
      return [JSON.parse(node.content.textContent), await (await fetch(new URL("form.json", own))).json()];
    }""")
    assert embedded == served
    assert page.locator(".calc-form [data-key=age]").count() > 0


# Whether the theme's script has run (window.document$) when the first result appears.
_WATCH_THEME = """
window.__themeAtResult = null;
new MutationObserver((records, observer) => {
  if (!document.getElementById("calculator-result")) return;
  window.__themeAtResult = !!window.document$;
  observer.disconnect();
}).observe(document, { subtree: true, childList: true });
"""


def test_theme_waits_for_the_links_result_then_works(page, calc_server):
    """Opened with a share link, the page shows the link's result before it loads the theme's script;
    then the theme runs as on any page: instant navigation leaves the calculator and comes back to it
    in the same document, and the calculator is mounted again there."""
    page.add_init_script(_WATCH_THEME)
    calc = CalculatorPage(page, calc_server.url).open(household_link(ILL))
    assert calc.runs() == 1
    assert page.evaluate("() => window.__themeAtResult") is False
    wait_until(page, "() => !!window.document$ && !!document.querySelector('.md-sidebar--primary a.md-nav__link')")
    assert page.locator("template#calculator-theme").count() == 0
    page.evaluate("() => { window.__sameDocument = true; }")
    nav = page.locator(".md-sidebar--primary a.md-nav__link")
    nav.filter(has_text="首页").first.click()
    page.wait_for_function("() => !document.getElementById('calculator')")
    nav.filter(has_text="救助测算").first.click()
    page.wait_for_selector("#calculator[data-state=ready] .calc-form", timeout=10_000)
    assert page.evaluate("() => window.__sameDocument === true"), "instant navigation did a full reload"


@pytest.mark.parametrize("reach", ["scroll", "search", "keyboard"])
def test_theme_waits_for_the_reader_without_a_link(page, calc, reach):
    """Opened without a link, the page does not load the theme's script for the form, nor once Python
    is ready: only when the reader reaches for what the theme does (scrolls, the header's search, a
    key outside the calculator). Typing in the form does not load it. The page is marked as one with
    scripts (class js) from the start, as the theme would mark it."""
    page.set_viewport_size({"width": 1280, "height": 2400})  # the field typed in is on screen: no scroll
    calc.open()
    page.focus("[data-key=age]")
    page.keyboard.type("70")
    assert page.input_value("[data-key=age]") == "70"
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 300)))")
    state = page.evaluate("""() => ({theme: !!window.document$, waiting: !!document.getElementById('calculator-theme'),
                                      html: document.documentElement.className})""")
    assert state["theme"] is False and state["waiting"] is True, state
    assert "js" in state["html"].split() and "no-js" not in state["html"].split(), state
    if reach == "scroll":
        page.mouse.wheel(0, 300)
    elif reach == "search":
        page.click(".md-header [data-md-component=search-query]")
    else:
        page.evaluate("() => document.activeElement.blur()")
        page.keyboard.press("Shift")
    wait_until(page, "() => !!window.document$ && !document.getElementById('calculator-theme')")
    # the theme runs as on any page: its header title changes once the page's title is scrolled past
    page.evaluate("() => window.scrollTo(0, document.querySelector('#calculator').offsetTop + 200)")
    wait_until(page, "() => document.querySelector('[data-md-component=header-title]').classList.contains('md-header__title--active')")


# Whether the theme's script is still waiting (its template is in the page) when the result's details
# (every programme, laid out after the result's first screen) are first in the page.
_WATCH_DETAILS = """
window.__themeWaitingAtDetails = null;
new MutationObserver((records, observer) => {
  if (!document.querySelector('.calc-results .calc-prog')) return;
  window.__themeWaitingAtDetails = !!document.getElementById('calculator-theme');
  observer.disconnect();
}).observe(document, { subtree: true, childList: true });
"""


def test_the_results_own_scroll_leaves_the_theme_until_its_details(page, calc):
    """The result scrolls itself into view: that scroll is not the reader's, and the theme's script
    waits until the result is shown in full, then loads."""
    page.add_init_script(_WATCH_DETAILS)
    calc.open()
    assert page.evaluate("() => !!document.getElementById('calculator-theme')")
    assert calc.fill(ILL)
    assert page.evaluate("() => window.__themeWaitingAtDetails") is True
    assert page.evaluate("() => scrollY") > 0, "the result did not scroll into view: this test checks nothing"
    wait_until(page, "() => !!window.document$ && !document.getElementById('calculator-theme')")


# Fields inside each collapsed section (<details>) of the form, at the moment the form is first in
# the page (before a frame has been drawn), and right after that moment's click on the last one.
_WATCH_COLLAPSED = """
window.__collapsed = null;
new MutationObserver((records, observer) => {
  const form = document.querySelector('#calculator .calc-form');
  if (!form) return;
  observer.disconnect();
  const count = () => [...form.querySelectorAll('details')].map((d) => d.querySelectorAll('[data-key]').length);
  const first = count();
  const last = [...form.querySelectorAll('details')].pop();
  last.querySelector(':scope > summary').click();
  window.__collapsed = {first, opened: count(), open: last.open};
}).observe(document, { subtree: true, childList: true });
"""


def test_collapsed_sections_are_built_after_the_form(page, calc, calc_server):
    """The form's collapsed sections come without their fields, which are built after the first
    frame, or at once when a section is opened; in the end every field of form.json is in the
    form, in order."""
    page.add_init_script(_WATCH_COLLAPSED)
    calc.open(wait="form")
    form_json = next(Path(calc_server.root).glob("assets/calculator-*/form.json"))
    spec = json.loads(form_json.read_text(encoding="utf-8"))["form"]
    advanced = [s for s in spec["sections"] if s.get("advanced")]
    assert advanced, "form.json has no collapsed section: this test checks nothing"
    seen = page.evaluate("() => window.__collapsed")
    opened = len(advanced[-1]["fields"])
    assert seen["first"] == [0] * len(seen["first"]), seen
    assert seen["open"] is True and seen["opened"][-1] >= opened, seen
    wait_until(page, "() => ![...document.querySelectorAll('.calc-form details')].some((d) => !d.querySelector('[data-key]'))")
    for s in advanced:
        box = page.locator(f".calc-form details[data-section={s['id']}]").first
        keys = box.evaluate("(d) => [...new Set([...d.querySelectorAll('[data-key]')].map((n) => n.dataset.key))]")
        assert keys == [f["key"] for f in s["fields"]], (s["id"], keys)


def test_service_worker_lists_every_file_with_its_hash(calc_server):
    import hashlib
    root = Path(calc_server.root)
    text = (root / "sw.js").read_text(encoding="utf-8")
    build = json.loads(re.search(r"const BUILD = (\{.*?\n\});", text, re.S).group(1))
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    # not the server's pre-compressed copies (.br, .gz: the browser stores the file itself)
    expected = {f for f in files if f != "sw.js" and not f.endswith((".map", ".br", ".gz"))}
    assert set(build["files"]) == expected
    assert any(f.endswith(".br") for f in files) and any(f.endswith(".gz") for f in files)
    for rel, digest in build["files"].items():
        assert hashlib.sha256((root / rel).read_bytes()).hexdigest() == digest, rel

"""Accessibility of the calculator in the states the handbook tests (tests/site, every page as loaded)
and the page's own tests (its results region) do not reach: axe-core on the whole document with the
form ready, with validation messages shown, with a result, the share link and its QR code open: no
serious or critical violation. Every control of the calculator is reached with Tab alone, each with
a visible focus indicator; the 更多 sections, 复制分享链接 and 清除 work from the keyboard. At 200% zoom
(640 CSS px, device scale 2) and at 320 CSS px (400%), with a result and with errors shown, nothing
scrolls sideways and every control lies fully in the window."""

from __future__ import annotations

import pytest

from tests.browser.hardening.support import AXE
from tests.support.calculator_page import CalculatorPage

pytestmark = pytest.mark.browser

HOUSEHOLD = {"as_of": "2025-06-01", "area": "urban", "members": [{"age": 9, "student": "primary"},
                                                               {"age": 67, "serious_illness": True}],
             "monthly_income_yuan": 200, "medical_expenses_yuan": 12000, "emergency": "sudden_illness",
             "standards": {"urban_dibao_monthly": 1000}}


def axe_problems(page, hover: str | None = None) -> list[str]:
    if hover:
        page.hover(hover)
    else:
        page.mouse.move(0, 0)  # no hover state left from a click
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    page.wait_for_timeout(400)  # the theme's transitions (e.g. the back-to-top button fading in)
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not add_script_tag: the page's CSP blocks inline scripts
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
    }""")


def test_axe_in_every_state_of_the_calculator(new_context, deployed):
    page = new_context().new_page()
    calc = CalculatorPage(page, deployed.url).open()
    problems = {"form ready": axe_problems(page)}
    calc.run_expecting_errors()  # nothing filled in: a message beside each required field
    assert calc.field_errors()
    problems["validation messages"] = axe_problems(page)
    assert calc.fill(HOUSEHOLD)
    page.wait_for_selector(".calc-results:not([hidden])")
    problems["result"] = axe_problems(page)
    page.click("text=复制分享链接")
    page.wait_for_selector(".calc-qr svg", timeout=10_000)
    page.evaluate("() => document.querySelectorAll('.calc-results details').forEach(d => d.open = true)")
    problems["share link, QR code, every section open"] = axe_problems(page)
    # buttons in their hover and keyboard-focus colours
    problems["a button hovered"] = axe_problems(page, hover="button.calc-run")
    page.focus(".calc-share-link")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.matches('button:focus-visible')")
    problems["a button focused from the keyboard"] = axe_problems(page)
    assert not any(problems.values()), problems


# Every control of the calculator that a pointer could use, as a stable description.
CONTROLS = """() => [...document.querySelectorAll('#calculator input, #calculator select, #calculator button, '
    + '#calculator summary, #calculator a[href], #calculator textarea')]
    .filter(e => !e.disabled && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'
                 && !(e.type === 'radio' && !e.checked && document.querySelector(`input[name="${e.name}"]:checked`))
                 && !(e.type === 'radio' && !document.querySelector(`input[name="${e.name}"]:checked`)
                      && e !== document.querySelector(`input[name="${e.name}"]`)))
    .map(e => { if (!e.dataset.a11yId) e.dataset.a11yId = 'c' + Math.random().toString(36).slice(2);
                return e.dataset.a11yId; })"""

FOCUS_STYLE = """(e) => { const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor].join('|'); }"""


def tab_through(page, limit: int = 600) -> dict[str, str]:
    """Tab through the whole page once, from its top until the focus comes round again; {a11y id: style
    while focused} of each calculator control reached."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    reached: dict[str, str] = {}
    seen: set[str] = set()
    previous = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(f"""() => {{ const e = document.activeElement;
            if (!e || e === document.body) return null;
            if (!e.dataset.tabSeen) e.dataset.tabSeen = String(Math.random());
            return {{seen: e.dataset.tabSeen, id: e.closest('#calculator') ? (e.dataset.a11yId || '') : '',
                     style: ({FOCUS_STYLE})(e)}}; }}""")
        if info is None or info["seen"] == previous:
            continue  # the page itself, or the next part of the same control (a date's year, month, day)
        if info["seen"] in seen:
            break  # round the whole page
        seen.add(info["seen"])
        previous = info["seen"]
        if info["id"]:
            reached[info["id"]] = info["style"]
    return reached


def unfocused_styles(page, ids) -> dict[str, str]:
    return page.evaluate(f"""(ids) => {{ document.activeElement && document.activeElement.blur();
        return Object.fromEntries(ids.map(id => [id, ({FOCUS_STYLE})(document.querySelector(`[data-a11y-id="${{id}}"]`))])); }}""",
                         ids)


@pytest.mark.parametrize("state", ["form", "result"])
def test_every_control_is_reached_by_tab_with_a_visible_focus(new_context, deployed, state):
    page = new_context().new_page()
    calc = CalculatorPage(page, deployed.url).open(household=HOUSEHOLD if state == "result" else None)
    if state == "result":
        assert calc.result()
        page.click("text=复制分享链接")
        page.wait_for_selector(".calc-qr svg", timeout=10_000)
    page.evaluate("() => document.querySelectorAll('#calculator details').forEach(d => d.open = true)")
    controls = page.evaluate(CONTROLS)
    assert len(controls) > (30 if state == "result" else 15)
    plain = unfocused_styles(page, controls)
    reached = tab_through(page)
    missed = [page.evaluate("id => { const e = document.querySelector(`[data-a11y-id='${id}']`);"
                            " return e.outerHTML.slice(0, 160); }", c) for c in controls if c not in reached]
    assert not missed, f"not reachable with Tab: {missed}"
    def shows_focus(focused: str, unfocused: str) -> bool:
        outline_style, outline_width, _, shadow, *_ = focused.split("|")
        ring = (outline_style != "none" and outline_width not in ("0px", "")) or shadow != "none"
        return ring and focused != unfocused

    invisible = [c for c in controls if not shows_focus(reached[c], plain[c])]
    assert not invisible, [page.evaluate("id => document.querySelector(`[data-a11y-id='${id}']`).outerHTML.slice(0, 160)", c)
                           for c in invisible]


def test_the_calculator_works_from_the_keyboard(new_context, deployed):
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    calc = CalculatorPage(page, deployed.url).open(household=HOUSEHOLD)
    assert calc.result()
    # the 更多 section of the form opens and closes with Enter
    page.focus(".calc-more > summary")
    was_open = page.evaluate("() => document.querySelector('.calc-more').open")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.querySelector('.calc-more').open") is (not was_open)
    # share by keyboard
    page.focus("button:has-text('复制分享链接')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".calc-share-link")
    assert "#household=" in page.input_value(".calc-share-link")
    # an error message's link in the summary takes the focus to its field
    page.fill("[data-key=monthly_income_yuan]", "1,5")
    page.focus("button.calc-run")
    calc.run_expecting_errors(lambda: page.keyboard.press("Enter"))
    page.wait_for_selector(".calc-error-summary:not([hidden]) a")
    before = page.evaluate("() => [location.hash, history.length]")
    page.focus(".calc-error-summary a")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.matches('[data-key=monthly_income_yuan]')")
    page.wait_for_timeout(500)  # instant navigation (material) would push the link's fragment after the click
    assert page.evaluate("() => [location.hash, history.length]") == before, "the summary's link navigated"
    # 清除 by keyboard empties the form
    page.focus("button.calc-clear")
    page.keyboard.press("Enter")
    assert page.evaluate("() => [...document.querySelectorAll('.calc-form input[type=text]')].every(i => !i.value)")
    assert page.evaluate("() => location.hash") == ""


@pytest.mark.parametrize("width,scale", [(640, 2), (320, 1)], ids=["zoom-200pct", "reflow-320px"])
def test_zoom_without_loss(new_context, deployed, width, scale):
    page = new_context(viewport={"width": width, "height": 700}, device_scale_factor=scale).new_page()
    calc = CalculatorPage(page, deployed.url).open(household=HOUSEHOLD)
    assert calc.result()
    page.click("text=复制分享链接")
    page.wait_for_selector(".calc-qr svg", timeout=10_000)
    page.evaluate("() => document.querySelectorAll('#calculator details').forEach(d => d.open = true)")

    def check(state: str) -> None:
        found = page.evaluate("""() => {
            const width = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > window.innerWidth) out.push('page scrolls sideways: '
                + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
            for (const e of document.querySelectorAll('#calculator input, #calculator select, #calculator button, '
                    + '#calculator summary, #calculator label, #calculator p, #calculator li, #calculator dd')) {
                if (!e.getClientRects().length) continue;
                const r = e.getBoundingClientRect();
                if (r.left < -1 || r.right > width + 1) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.left)
                    + '..' + Math.round(r.right) + ': ' + (e.textContent || e.outerHTML).trim().slice(0, 40));
                const s = getComputedStyle(e);
                if ((s.overflowX === 'hidden' || s.textOverflow === 'ellipsis') && e.scrollWidth > e.clientWidth + 1)
                    out.push('clipped: ' + e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40));
            }
            return out; }""")
        assert not found, f"{state} at {width}px: {found[:10]}"

    check("result")
    page.fill("[data-key=monthly_income_yuan]", "1,5")
    page.fill(".calc-member[data-index='0'] [data-key=age]", "九岁")
    calc.run_expecting_errors()
    assert calc.field_errors()
    check("validation messages")

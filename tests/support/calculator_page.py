"""The one calculator page object of the browser tests: open the calculator page, fill a household
in (through a #household= share link, as the tests do), run it (开始测算) and read the result JSON,
or the validation messages of a run the calculator refused.

A run is waited for by the page's own counter (#calculator[data-runs]), and what it showed (the
result JSON, or the error summary) is read in the same step as the wait: instant navigation may
re-render the page right after. Every wait polls a synchronous predicate: page.wait_for_function
takes the promise an async predicate returns for a true value and returns at once, so it cannot
wait for one (tests/support/browser.py wait_until polls those)."""

from __future__ import annotations

import base64
import json
from typing import Callable

from tests.support.browser import READY_MS

PREFIX = "#household="

# After the run counted `before`: {result: the result JSON} or {error: the error summary's text}.
# One synchronous step: the page shows a run (result or messages) before it counts it.
_SHOWN = """before => {
    const root = document.getElementById('calculator');
    if (!root || Number(root.dataset.runs) <= before) return false;
    const json = document.getElementById('calculator-result');
    if (json) return {result: json.textContent};
    const summary = document.querySelector('.calc-error-summary:not([hidden])');
    return summary ? {error: summary.innerText} : false;
}"""


def household_link(household, pad: bool = False) -> str:
    """The #household= fragment that fills the form with `household`: base64url of its UTF-8 JSON
    (unpadded as the page writes it, or padded as other encoders may)."""
    text = base64.urlsafe_b64encode(json.dumps(household, ensure_ascii=False).encode("utf-8")).decode("ascii")
    return PREFIX + (text if pad else text.rstrip("="))


class CalculatorPage:
    def __init__(self, page, base_url: str):
        self.page = page
        self.url = base_url.rstrip("/") + "/calculator/"
        self.errors: str | None = None  # the error summary of the last run waited for, if it was refused

    # ---- opening

    def open(self, fragment: str = "", *, household=None, wait: str = "ready",
             timeout: int = READY_MS) -> "CalculatorPage":
        """Go to the calculator page (with `fragment`, or the link of `household`) and wait:
        wait="ready" until the calculator is ready (and, when opened from a #household= link, until
        the run the link starts has been shown); wait="form" only until the form is there (Python
        may still be loading)."""
        if household is not None:
            fragment = household_link(household)
        if wait == "form":
            self.page.goto(self.url + fragment, wait_until="domcontentloaded")
            self.page.wait_for_selector(".calc-form [data-key=age]", timeout=timeout)
            return self
        assert wait == "ready", wait
        self.page.goto(self.url + fragment)
        self.wait_ready(timeout)
        if fragment.startswith(PREFIX):
            self._wait_run(0, timeout)
        return self

    def wait_ready(self, timeout: int = READY_MS) -> None:
        """Wait until the calculator is ready: Python loaded, the form shown."""
        self.page.wait_for_selector("#calculator[data-state=ready] .calc-form", timeout=timeout)

    # ---- runs

    def runs(self) -> int:
        return int(self.page.get_attribute("#calculator", "data-runs") or 0)

    def _runs_done(self) -> int:
        """The runs this tab has completed (runtime.js RT.runs): what the next run is counted after.
        Not data-runs: a view that instant navigation has drawn again counts the run it shows again
        only once it has shown it in full (data-runs is one lower meanwhile), and a wait begun then
        would take that re-shown run for the next one."""
        return int(self.page.evaluate("() => (window.__shiqiaoCalculator || {}).runs || 0"))

    def wait_runs_above(self, before: int, timeout: int = READY_MS) -> None:
        self.page.wait_for_function(
            f"() => Number(document.getElementById('calculator').dataset.runs) > {before}",
            timeout=timeout)

    def _wait_run(self, before: int, timeout: int) -> dict | None:
        shown = self.page.wait_for_function(_SHOWN, arg=before, timeout=timeout).json_value()
        self.errors = shown.get("error")
        return json.loads(shown["result"]) if "result" in shown else None

    def set_fragment(self, fragment: str) -> None:
        """Change the page's fragment (as following a link within the page does), without waiting."""
        self.page.evaluate("h => { location.hash = h; }", fragment)

    def fill(self, household, pad: bool = False, timeout: int = READY_MS) -> dict | None:
        """Fill the form with `household` through its share link; the page runs it once. Returns
        that run's result JSON, or None when the calculator refused it (messages in self.errors)."""
        before = self._runs_done()
        self.set_fragment(household_link(household, pad=pad))
        return self._wait_run(before, timeout)

    def run(self, action: Callable[[], None] | None = None, timeout: int = READY_MS) -> dict | None:
        """Press 开始测算 (or do `action`, e.g. Enter on a field) and wait until that run has been
        shown. Returns its result JSON, or None when the calculator refused the input."""
        before = self._runs_done()
        if action is None:
            self.page.click("button.calc-run")
        else:
            action()
        return self._wait_run(before, timeout)

    def run_expecting_errors(self, action: Callable[[], None] | None = None, timeout: int = READY_MS) -> str:
        """As run(), for input the calculator must refuse: fails if a result was shown; returns the
        text of the error summary."""
        result = self.run(action, timeout)
        assert result is None, f"a result was shown where the input should have been refused: {str(result)[:300]}"
        assert self.errors, "the run was refused but the error summary is empty"
        return self.errors

    # ---- reading

    def result(self) -> dict:
        """The result JSON of the last run (#calculator-result); fails when none is shown."""
        text = self.page.evaluate("() => { const e = document.getElementById('calculator-result');"
                                  " return e ? e.textContent : null; }")
        assert text is not None, "no result is shown: " + (self.errors or self.page.inner_text("#calculator")[:500])
        return json.loads(text)

    def has_result(self) -> bool:
        return self.page.evaluate("() => !!document.getElementById('calculator-result')")

    def field_errors(self) -> list[dict]:
        """Each message shown beside a field: its text, the [data-field] it sits in, the member box
        it sits in (index, or None), and whether an invalid input of that field points at it with
        aria-describedby."""
        return self.page.evaluate("""() => [...document.querySelectorAll('.calc-field-error')].map(e => {
            const field = e.closest('[data-field]');
            const member = e.closest('.calc-member');
            const inputs = [...field.querySelectorAll('[aria-invalid=true]')];
            return {text: e.textContent, field: field.dataset.field,
                    member: member ? Number(member.dataset.index) : null,
                    described: inputs.some(i => (i.getAttribute('aria-describedby') || '').split(' ').includes(e.id))};
        })""")

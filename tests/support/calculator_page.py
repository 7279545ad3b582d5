"""The one calculator page object of the browser tests: open the calculator page, fill a household
in (through a #household= share link, as the tests do), run it (开始测算) and read the result JSON.
Every wait polls a synchronous predicate: page.wait_for_function takes the promise an async
predicate returns for a true value and returns at once, so it cannot wait for one."""

from __future__ import annotations

import base64
import json

from tests.support.browser import READY_MS


def household_link(household) -> str:
    """The #household= fragment that fills the form with `household` (unpadded base64url JSON)."""
    return "#household=" + base64.urlsafe_b64encode(json.dumps(household).encode()).decode().rstrip("=")


class CalculatorPage:
    def __init__(self, page, base_url: str):
        self.page = page
        self.url = base_url.rstrip("/") + "/calculator/"

    def open(self, fragment: str = "") -> "CalculatorPage":
        """Go to the calculator page and wait until it is ready."""
        self.page.goto(self.url + fragment)
        self.page.wait_for_selector("#calculator[data-state=ready]", timeout=READY_MS)
        return self

    def runs(self) -> int:
        return int(self.page.get_attribute("#calculator", "data-runs") or 0)

    def wait_runs_above(self, before: int, timeout: int = READY_MS) -> None:
        self.page.wait_for_function(
            f"() => Number(document.getElementById('calculator').dataset.runs) > {before}",
            timeout=timeout)

    def fill(self, household, timeout: int = READY_MS) -> None:
        """Fill the form with `household` through its share link; the page runs it once."""
        before = self.runs()
        self.page.evaluate("h => { location.hash = h; }", household_link(household))
        self.wait_runs_above(before, timeout)

    def run(self, timeout: int = READY_MS) -> None:
        """Press 开始测算 and wait until that run has been shown."""
        before = self.runs()
        self.page.click("button.calc-run")
        self.wait_runs_above(before, timeout)

    def result(self) -> dict:
        """The result JSON of the last run (#calculator-result)."""
        return json.loads(self.page.text_content("#calculator-result"))

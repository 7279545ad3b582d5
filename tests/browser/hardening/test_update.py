"""Update safety: a returning visitor whose browser holds the offline copy (the service worker and its
cache) gets the new policy data after the site is rebuilt and redeployed, never a mix of old and new.

Site A is built from a copy of policy_data/ with the urban 低保 standard pending (whatever the shipped
data says) and served by nginx; a visitor
opens the calculator, the service worker installs, an estimate shows A. The policy data then gets a
published urban standard (1000 元, B), the site is rebuilt into the same directory and nginx is
restarted with the configuration rendered from it. The visitor reloads: the result, the data version
on the page, the form data, the handbook's standards page and every byte the browser received after
the reload are B's; the offline cache then holds B only, and offline the calculator still gives B."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from calculator.bundle import parse
from tests.support.browser import wait_until
from tests.browser.hardening.support import READY_MS, REPO_ROOT, build_site, free_port
from tests.support.calculator_page import CalculatorPage

pytestmark = [pytest.mark.browser, pytest.mark.site]  # builds its own sites

HOUSEHOLD = {"as_of": "2025-06-01", "area": "urban", "members": [{"age": 70}], "monthly_income_yuan": 100,
             "assets_within_limits": True, "supporters": "none"}


def urban_values(data_dir: Path, values: str) -> None:
    """Replace the `values` of the urban 低保 standard in a copy of the data, whatever they are now."""
    dibao = data_dir / "parameters" / "dibao.yaml"
    head, tail = dibao.read_text(encoding="utf-8").split("\nurban_monthly_standard:\n", 1)
    block, rest = re.match(r"((?:[ #].*\n|\n)*)(.*)", tail, re.S).groups()
    block = re.sub(r"  values:.*?(?=\n  \S|\Z)", "  values:" + values, block.rstrip("\n"), count=1, flags=re.S)
    dibao.write_text(head + "\nurban_monthly_standard:\n" + block + "\n" + rest, encoding="utf-8")


def pending_urban_standard(data_dir: Path) -> None:
    """Site A's data: the shipped data with the urban 低保 standard not (yet) published."""
    urban_values(data_dir, " {}")


def publish_urban_standard(data_dir: Path) -> None:
    """A registered source and a dated urban 低保 standard of 1000 元 (as the README tells staff to add)."""
    sources = data_dir / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + (
        "- id: test-update-notice\n  kind: county\n  title: 测试用城市低保标准通知\n  number: 测试〔2025〕7号\n"
        "  issuer: 测试机关\n  articles:\n    - id: test-update-notice-1\n      label: 第一条\n"
        "      summary: 城市低保标准为每人每月一千元。\n"), encoding="utf-8")
    urban_values(data_dir, "\n    2025-01-01:\n      value: 1000\n"
                           "      reference: {source: test-update-notice, article: test-update-notice-1}")


def sw_build(root: Path) -> dict:
    return json.loads(re.search(r"const BUILD = (\{.*?\n\});", (root / "sw.js").read_text(encoding="utf-8"),
                                re.S).group(1))


def wheel_version(root: Path) -> str:
    import zipfile
    [wheel] = (root / "assets" / "calculator").glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        return parse(z.read("calculator/data/policy.json").decode("utf-8"))["data_version"]



def test_a_returning_visitor_gets_the_new_data_and_never_a_mix(browser, nginx_for, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    root = tmp_path / "site"
    data_a = tmp_path / "policy_data_a"
    shutil.copytree(REPO_ROOT / "policy_data", data_a)
    pending_urban_standard(data_a)
    build_site(root, url, data_dir=data_a)
    version_a = wheel_version(root)
    server = nginx_for(root, port)

    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        calc = CalculatorPage(page, url)
        calc.open()
        wait_until(page, "async () => !!navigator.serviceWorker.controller && (await caches.keys()).length === 1")
        calc.fill(HOUSEHOLD)
        a = calc.result()
        dibao = next(p for p in a["programmes"] if p["id"] == "dibao")
        assert a["data_version"] == version_a and a["standards"]["urban_dibao_monthly"]["origin"] == "pending"
        # pending standard: 低保 waits on it (取决于当地标准), with no amount in yuan
        assert dibao["status"] == "depends" and dibao["amount"]["monthly_yuan"] is None

        # the data changes; the site is rebuilt in the same place and redeployed
        data_b = tmp_path / "policy_data_b"
        shutil.copytree(data_a, data_b)
        publish_urban_standard(data_b)
        build_site(root, url, data_dir=data_b)
        version_b = wheel_version(root)
        assert version_b != version_a
        build_b = sw_build(root)
        server.restart()

        # the visitor comes back
        received = {}

        def keep(response):
            path = response.url.replace(url, "").split("#")[0].split("?")[0]
            if response.url.startswith(url) and response.request.method == "GET" and response.status == 200:
                try:
                    received[path or "index.html"] = hashlib.sha256(response.body()).hexdigest()
                except Exception:  # noqa: BLE001 - a body the browser did not keep (e.g. a worker's module)
                    pass

        page.on("response", keep)
        calc.open()
        calc.fill(HOUSEHOLD)
        b = calc.result()
        assert b["data_version"] == version_b
        assert b["standards"]["urban_dibao_monthly"]["value"] == "1000.00"
        assert b["standards"]["urban_dibao_monthly"]["origin"] == "data"
        dibao = next(p for p in b["programmes"] if p["id"] == "dibao")
        assert dibao["status"] == "likely" and dibao["amount"]["monthly_yuan"] == "900.00"  # (1000 − 100) × 1
        shown = page.inner_text(".calc-results")
        assert version_b in shown and version_a not in shown
        form = page.evaluate("async () => (await (await fetch(new URL('form.json', [...document.scripts].find((s) => s.src.endsWith('/calculator.js')).src))).json()).data_version")
        assert form == version_b
        # every byte received since the reload is B's
        files = {(k + "index.html" if k.endswith("/") else k): v for k, v in received.items()}
        known = {k: v for k, v in files.items() if k in build_b["files"]}
        assert len(known) >= 3, files
        stale = {k for k, v in known.items() if v != build_b["files"][k]}
        assert not stale, f"old bytes after the update: {sorted(stale)}"

        # the offline copy becomes B's only, and offline the calculator gives B
        wait_until(page, f"async () => JSON.stringify(await caches.keys()) === "
                         f"JSON.stringify(['shiqiao-handbook-{build_b['build']}'])")
        server.stop()
        context.set_offline(True)
        calc.open()
        calc.fill(HOUSEHOLD)
        offline = calc.result()
        assert offline == b
        page.goto(url + "standards/")
        text = page.inner_text("article")
        assert "1,000元/人·月" in text or "1000元/人·月" in text or "1000 元" in text, text[:2000]
    finally:
        context.close()

"""Dated values everywhere (issue 13): a standard published ahead of its date shows on every
programme page (and leaflet) that uses it, and the nightly rebuild that `make install-rebuild`
installs puts the new state in place on the day: run the installed cron line itself, the day before
and on the date (HANDBOOK_AS_OF stands for the clock), and read what is served.

The future value is planted in a copy of the data, dated 400 days from today, so nothing depends on
today's shipped values."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import start_server
from tests.site.test_leaflets import assert_each_prints_on_one_a4_page

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.site  # every test builds a site
PARAMETER = "dibao.urban_monthly_standard"
FUTURE = dt.date.today() + dt.timedelta(days=400)
VALUE = 1234
SHOWN = "1,234元/人·月"  # calculator.text.format_value's wording of the value (yuan_per_person_month)
SITE_URL = "https://jiuzhu.example.cn/"


def cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", "", html)
    return re.sub(r"\s+", "", text)


def plant_value(data: Path, on: dt.date) -> dict:
    """In a copy of the data: a registered source and a value of PARAMETER dated `on`; returns the
    parameter's entry (its description)."""
    sources = data / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + (
        "- id: test-future-dibao\n"
        "  kind: county\n"
        "  title: 测试用提高城市低保标准的通知\n"
        "  number: 测试〔2099〕1号\n"
        "  issuer: 测试机关\n"
        "  articles:\n"
        "    - id: test-future-dibao-1\n"
        "      label: 第一条\n"
        "      summary: 城市低保标准提高。\n"), encoding="utf-8")
    group, name = PARAMETER.split(".")
    path = data / "parameters" / f"{group}.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    values = params[name].get("values") or {}
    assert not any(str(d) >= on.isoformat() for d in values)
    values[on] = {"value": VALUE, "reference": {"source": "test-future-dibao", "article": "test-future-dibao-1"}}
    params[name]["values"] = values
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return params[name]


@pytest.fixture(scope="module")
def future_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("dated") / "policy_data"
    shutil.copytree(REPO_ROOT / "policy_data", data)
    plant_value(data, FUTURE)
    return data


def users(data: Path) -> list[str]:
    """Programmes whose rule declares the parameter (calculator/programmes/<id>.py PARAMETERS: what it
    reads, its amount spec and its texts' placeholders), as the pages list them."""
    import importlib
    out = []
    for f in sorted((data / "programmes").glob("*.yaml")):
        rule = importlib.import_module(f"calculator.programmes.{f.stem}")
        if PARAMETER in rule.PARAMETERS:
            out.append(f.stem)
    return out


def mkdocs_build(dest: Path, data: Path, as_of: dt.date) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", HANDBOOK_POLICY_DATA=str(data), HANDBOOK_AS_OF=as_of.isoformat(),
               HANDBOOK_SITE_URL=SITE_URL)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.browser
def test_a_future_standard_shows_on_every_page_that_uses_it(future_data, tmp_path, browser):
    site = tmp_path / "site"
    mkdocs_build(site, future_data, dt.date.today())
    announced = f"自{cn(FUTURE)}起为{SHOWN}"
    using = users(future_data)
    assert using, "no programme uses the parameter"
    for pid in using:
        page = plain((site / "programmes" / pid / "index.html").read_text(encoding="utf-8"))
        assert announced in page, pid
        assert "标准将调整" in page, pid
        leaflet = plain((site / "leaflets" / pid / "index.html").read_text(encoding="utf-8"))
        assert f"自{cn(FUTURE)}起" in leaflet and SHOWN in leaflet, pid
    others = [p.stem for p in (future_data / "programmes").glob("*.yaml") if p.stem not in using]
    for pid in others:
        assert f"自{cn(FUTURE)}起" not in plain((site / "programmes" / pid / "index.html").read_text(encoding="utf-8")), pid
    standards = plain((site / "standards" / "index.html").read_text(encoding="utf-8"))
    assert f"将于{cn(FUTURE)}起调整为：{SHOWN}" in standards
    # the leaflets carrying the announcement still fit their sheet
    server = start_server(site)
    try:
        assert_each_prints_on_one_a4_page(browser, server.url, [f"leaflets/{pid}/" for pid in using]
                                          + ["leaflets/temporary/"])
    finally:
        server.stop()


def test_the_installed_daily_rebuild_switches_the_served_site_on_the_date(future_data, tmp_path):
    root = tmp_path / "www" / "shiqiao"
    cron_file = tmp_path / "shiqiao-rebuild"
    log = tmp_path / "rebuild.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HANDBOOK_", "MAKE"))}
    install = subprocess.run(["make", "--no-print-directory", "install-rebuild", f"SITE_URL={SITE_URL}",
                              f"NGINX_ROOT={root}", f"CRON_FILE={cron_file}", f"REBUILD_LOG={log}", "ACCEPT_PENDING=1",
                              f"POLICY_DATA={future_data}"], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert install.returncode == 0, install.stdout + install.stderr
    [line] = [x for x in cron_file.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")
              and "=" not in x.split()[0]]
    fields = line.split(None, 6)
    minute, hour, dom, month, dow, user, command = fields
    assert (dom, month, dow) == ("*", "*", "*") and user == "root"  # every day
    assert 0 <= int(minute) < 60 and 0 <= int(hour) < 24
    assert oct(cron_file.stat().st_mode & 0o777) == "0o644"
    assert "--accept-pending" in shlex.split(command)

    def run_cron(on: dt.date) -> None:
        proc = subprocess.run(["/bin/sh", "-c", command], env=dict(env, HANDBOOK_AS_OF=on.isoformat()),
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, log.read_text(encoding="utf-8") if log.exists() else proc.stderr

    def served(path: str) -> str:
        return plain((root / path / "index.html").read_text(encoding="utf-8"))

    run_cron(FUTURE - dt.timedelta(days=1))
    pid = users(future_data)[0]
    before = served(f"programmes/{pid}")
    assert f"自{cn(FUTURE)}起为{SHOWN}" in before
    (root / "stale-file.txt").write_text("from an old build", encoding="utf-8")

    run_cron(FUTURE)
    after = served(f"programmes/{pid}")
    assert f"自{cn(FUTURE)}起为{SHOWN}" not in after and "标准将调整" not in after
    assert SHOWN in after  # now the standard in force
    standards = served("standards")
    assert f"现行值：{SHOWN}（自{cn(FUTURE)}起施行）" in standards
    assert f"本页按{cn(FUTURE)}施行的标准生成" in standards
    assert not (root / "stale-file.txt").exists()  # the served copy is the new build, nothing else
    assert "已更新" in log.read_text(encoding="utf-8")


def test_the_rebuild_leaves_the_served_site_alone_when_the_build_fails(future_data, tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    (root / "index.html").write_text("served", encoding="utf-8")
    broken = tmp_path / "broken"
    shutil.copytree(future_data, broken)
    (broken / "offices.yaml").write_text("- id: [\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HANDBOOK_", "MAKE"))}
    proc = subprocess.run([sys.executable, "-m", "scripts.deploy.rebuild", "--site-url", SITE_URL, "--root", str(root),
                           "--staging", str(tmp_path / "staging"), "--accept-pending", "--policy-data", str(broken)],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "网站保持原样" in proc.stderr
    assert (root / "index.html").read_text(encoding="utf-8") == "served"


@pytest.mark.browser
def test_the_calculator_result_names_a_change_due_within_the_months_ahead(tmp_path, browser):
    """A value dated 60 days ahead: the calculator's result (the page, from Python's words) names it."""
    import base64
    soon = dt.date.today() + dt.timedelta(days=60)
    data = tmp_path / "policy_data"
    shutil.copytree(REPO_ROOT / "policy_data", data)
    par = plant_value(data, soon)
    site = tmp_path / "site"
    mkdocs_build(site, data, dt.date.today())
    expected = f"自{cn(soon)}起，{par['description']}为{SHOWN}"
    household = {"area": "urban", "members": [{"age": 70}], "monthly_income_yuan": 300}
    fragment = base64.urlsafe_b64encode(json.dumps(household).encode()).decode().rstrip("=")
    server = start_server(site)
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(server.url + "calculator/#household=" + fragment)
        page.wait_for_selector("#calculator-result", state="attached", timeout=120_000)
        result = json.loads(page.text_content("#calculator-result"))
        assert [c["text"] for c in result["upcoming"]] == [expected]
        assert page.inner_text(".calc-upcoming li") == expected
    finally:
        context.close()
        server.stop()

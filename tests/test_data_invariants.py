"""What must hold of WHATEVER policy data is shipped: run on the live policy_data/ and on a copy of it
with every data example of the README applied (tests/support/town.py), so that the town can publish
a standard or a phone number, as the README tells it to, and keep `make test` green.

The expectations come from the YAML files themselves, read here with a plain YAML reader, never
from the loader or the report under test: a parameter is pending when its `values` is empty; a
contact field is pending when it is null; a power is pending while it has a `pending` entry."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tests.support import town

REPO_ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date.today()


@pytest.fixture(scope="module", params=["live", "readme-updated"])
def data(request, tmp_path_factory) -> Path:
    if request.param == "live":
        return town.LIVE_DATA
    return town.updated_data(tmp_path_factory.mktemp("updated") / "policy_data")


def raw(data: Path, rel: str):
    return yaml.safe_load((data / rel).read_text(encoding="utf-8"))


def raw_parameters(data: Path) -> dict[str, dict]:
    """{group.name: the parameter's YAML mapping} from every parameters/*.yaml."""
    out = {}
    for path in sorted((data / "parameters").glob("*.yaml")):
        for name, par in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            out[f"{path.stem}.{name}"] = par
    return out


def in_force(par: dict, on: dt.date):
    """The value of a raw parameter in force on `on` (None: nothing in force yet)."""
    dates = sorted(str(d) for d in (par.get("values") or {}))
    current = [d for d in dates if d <= on.isoformat()]
    return par["values"][_key(par, current[-1])]["value"] if current else None


def _key(par: dict, iso: str):
    return next(k for k in par["values"] if str(k) == iso)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.policydata", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)


def report_lines(data: Path, tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    run = cli("compile", "--data-dir", str(data), "--out", str(tmp_path / "policy.json"), "--report", *extra)
    return run, [line[len("  warning: "):] for line in run.stdout.splitlines() if line.startswith("  warning: ")]


def contacts(data: Path):
    for rel in ("offices.yaml", "access_points.yaml"):
        for o in raw(data, rel):
            yield rel, o


# ------------------------------------------------------------------------------------------ data

def test_data_is_valid(data):
    run = cli("check", "--data-dir", str(data))
    assert run.returncode == 0, run.stdout + run.stderr


def test_report_lists_every_pending_item_and_nothing_published(data, tmp_path):
    run, warnings = report_lines(data, tmp_path)
    assert run.returncode == 0, run.stderr
    for pid, par in raw_parameters(data).items():
        group, name = pid.split(".", 1)
        where = f"policy_data/parameters/{group}.yaml: {name}: "
        listed = [w for w in warnings if w.startswith(where)]
        if par.get("values"):
            assert not listed, f"{pid} is published but the report lists it: {listed}"
        else:
            assert listed == [f"{where}{par['description']}：尚无数值（待公布）"], pid
    labels = {"phone": "电话", "address": "地址", "hours": "办公时间"}
    for rel, o in contacts(data):
        missing = [labels[k] for k in ("phone", "address", "hours") if o["contact"].get(k) is None]
        listed = [w for w in warnings if w.startswith(f"policy_data/{rel}: {o['id']}: ")]
        if missing:
            assert len(listed) == 1 and listed[0].endswith("、".join(missing) + "待公布"), (o["id"], listed)
        else:
            assert not listed, (o["id"], listed)
    # where the law moved a power and the new holder has not published yet: what and who, once each
    for pw in raw(data, "powers.yaml"):
        listed = [w for w in warnings if w.startswith(f"policy_data/powers.yaml: {pw['id']}: ")]
        if pw.get("pending"):
            assert len(listed) == 1, (pw["id"], listed)
            assert pw["pending"]["what"] in listed[0] and f"应由{pw['pending']['who']}公布" in listed[0], listed
        else:
            assert not listed, (pw["id"], listed)
    count = re.search(r"发布检查：(\d+) 项待公布", run.stdout)
    assert (int(count.group(1)) if count else 0) == len(warnings)


def test_strict_fails_while_anything_is_pending(data, tmp_path):
    _, warnings = report_lines(data, tmp_path)
    run, _ = report_lines(data, tmp_path, "--strict")
    assert run.returncode == (1 if warnings else 0), run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    if warnings:
        assert "严格模式" in run.stderr


def test_no_contact_without_a_source(data):
    sources = {s["id"] for s in raw(data, "sources.yaml")}
    for rel, o in contacts(data):
        given = {k: v for k, v in o["contact"].items() if v is not None}
        if given:
            assert o.get("contact_source") in sources, f"{rel} {o['id']}: {sorted(given)} without a registered source"


def test_every_published_value_has_a_date_and_a_source(data):
    sources = {s["id"]: {a["id"] for a in s.get("articles") or []} for s in raw(data, "sources.yaml")}
    for pid, par in raw_parameters(data).items():
        for date, entry in (par.get("values") or {}).items():
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date)), (pid, date)
            ref = entry["reference"]
            assert ref["source"] in sources, (pid, date, ref)
            if "article" in ref:
                assert ref["article"] in sources[ref["source"]], (pid, date, ref)


def test_readme_examples_are_in_the_updated_data(tmp_path):
    """Each README example, applied to a copy of the live data, is there afterwards: its parameter
    has the example's dated values, its office or access point the example's contact details, and
    the report no longer lists what it publishes as pending."""
    data = town.updated_data(tmp_path / "policy_data")
    params = raw_parameters(data)
    _, warnings = report_lines(data, tmp_path)
    for ex in town.readme_examples():
        if ex.item is not None:  # a contact: given as in the README, and no longer listed as pending
            wanted = yaml.safe_load(ex.yaml)
            have = next(i for i in raw(data, ex.file) if i["id"] == ex.item)
            assert {k: have[k] for k in wanted} == wanted, ex.item
            listed = [w for w in warnings if w.startswith(f"policy_data/{ex.file}: {ex.item}: ")]
            labels = {"phone": "电话", "address": "地址", "hours": "办公时间"}
            for key, value in wanted["contact"].items():
                assert (value is None) == any(labels[key] in w for w in listed), (ex.item, key, listed)
            continue
        if ex.parameter is None:
            continue
        pid = f"{Path(ex.file).stem}.{ex.parameter}"
        wanted = yaml.safe_load(ex.yaml)["values"]
        got = params[pid]["values"]
        assert {str(k): v for k, v in wanted.items()}.items() <= {str(k): v for k, v in got.items()}.items(), pid
        assert not any(w.startswith(f"policy_data/{ex.file}: {ex.parameter}: ") for w in warnings), pid


# ------------------------------------------------------------------------------------ calculator

@pytest.mark.parametrize("area, standard", [("urban", "dibao.urban_monthly_standard"),
                                            ("rural", "dibao.rural_monthly_standard")])
def test_dibao_amount_is_given_exactly_when_the_standard_is_published(data, area, standard):
    """One person, 100 yuan a month: the 低保 amount is (standard − 100) × 1 when the standard in force
    is published, and no number at all (never 0) while it is pending."""
    from calculator.bundle import parse
    from calculator.engine import estimate
    from scripts.policydata import dump, load

    bundle = parse(dump(load(data)))
    result = estimate({"as_of": AS_OF.isoformat(), "area": area, "members": [{"age": 40}],
                       "monthly_income_yuan": 100, "supporters": "none", "assets_within_limits": True}, bundle)
    amount = next(p for p in result["programmes"] if p["id"] == "dibao")["amount"]
    value = in_force(raw_parameters(data)[standard], AS_OF)
    if value is None:
        assert amount["monthly_yuan"] is None, amount
    elif Decimal(str(value)) > 100:
        assert Decimal(amount["monthly_yuan"]) == Decimal(str(value)) - 100, amount

"""The programme as the unit: for each programme of policy_data/programmes/ one data file, one rule
(calculator/programmes/<id>.py), one case file (tests/cases/<id>.yaml) and one page, all with the same
id; rules declare what they read (parameters, other programmes' outcomes) and read nothing else; the
amount a page shows and the amount a result gives agree, checked against figures worked out here from
the YAML files themselves.

`unit_problems(repo)` is the check; tests/test_readme_new_programme.py runs it on a copy of the repo
after following the README's steps for a new programme."""

from __future__ import annotations

import copy
import datetime as dt
import re
import types
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from calculator.bundle import load_bundle
from calculator.engine import estimate
from calculator.programmes import MissingRule, rules
from calculator.rules import RuleError
from calculator.text import PLACEHOLDER
from tests.case_loader import load_cases

REPO = Path(__file__).resolve().parents[1]
CASES = load_cases()


def unit_problems(repo: Path, bundle: dict) -> list[str]:
    """Every way the programmes of `repo` fail to be units: a programme without its data file, rule,
    case file or page, or a rule or case file without a programme."""
    from scripts.site.handbook import Handbook

    data = {p.stem for p in (repo / "policy_data" / "programmes").glob("*.yaml")}
    rule_files = {p.stem for p in (repo / "calculator" / "programmes").glob("*.py") if not p.stem.startswith("_")}
    case_files = {p.stem for p in (repo / "tests" / "cases").glob("*.yaml")}
    pages = {s.src_uri for s in Handbook(bundle, dt.date(2025, 1, 1)).page_specs()}
    problems = []
    for pid in sorted(data | rule_files | case_files | {p["id"] for p in bundle["programmes"]}):
        for what, present in (("policy_data/programmes/<id>.yaml", pid in data),
                              ("calculator/programmes/<id>.py", pid in rule_files),
                              ("tests/cases/<id>.yaml", pid in case_files),
                              ("the compiled bundle (make data)", any(p["id"] == pid for p in bundle["programmes"])),
                              ("the page programmes/<id>.md", f"programmes/{pid}.md" in pages)):
            if not present:
                problems.append(f"programme {pid!r}: no {what.replace('<id>', pid)}")
    return problems


@pytest.fixture(scope="module")
def bundle() -> dict:
    return load_bundle()


def test_every_programme_is_a_unit(bundle):
    assert unit_problems(REPO, bundle) == []


def test_the_check_names_what_is_missing(bundle, tmp_path):
    """A repo with one programme's case file and rule taken away fails the check, naming both."""
    for sub in ("policy_data/programmes", "calculator/programmes", "tests/cases"):
        (tmp_path / sub).mkdir(parents=True)
        for f in (REPO / sub).iterdir():
            if f.suffix in (".py", ".yaml") and f.stem != "heating":
                (tmp_path / sub / f.name).write_bytes(f.read_bytes())
    (tmp_path / "policy_data/programmes/heating.yaml").write_bytes((REPO / "policy_data/programmes/heating.yaml").read_bytes())
    assert unit_problems(tmp_path, bundle) == ["programme 'heating': no calculator/programmes/heating.py",
                                               "programme 'heating': no tests/cases/heating.yaml"]


def test_case_files_follow_their_programme(bundle):
    """Each case of tests/cases/<id>.yaml is about <id>, cites a clause that a condition of <id>
    cites in the result, and each file holds a boundary pair: cases on both sides of a condition."""
    statuses: dict[str, set] = {}
    for file, case in CASES:
        pid = Path(file).stem
        assert pid in case["expect"], f"{file}: {case['name']}: does not say what it expects of {pid}"
        result = estimate(case["household"], bundle)
        p = next(x for x in result["programmes"] if x["id"] == pid)
        cited = {c["clause"] for c in p["conditions"]}
        assert case["clause"] in cited, f"{file}: {case['name']}: clause {case['clause']} not among {cited}"
        if "status" in case["expect"][pid]:
            statuses.setdefault(pid, set()).add(case["expect"][pid]["status"] == "unlikely")
    for pid, sides in statuses.items():
        assert sides == {True, False}, f"tests/cases/{pid}.yaml: no boundary pair (all cases on one side)"


# ---- what rules read ------------------------------------------------------------------------------

def placeholders(programme: dict) -> set[str]:
    found = set()

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str):
            found.update(key for kind, key in PLACEHOLDER.findall(v) if kind == "param")
    walk(programme)
    return found


def amount_spec_parameters(spec: dict) -> set[str]:
    """Read from the YAML spec here, not by calculator.amounts."""
    return {v for v in _strings(spec) if "." in v}


def _strings(v):
    if isinstance(v, dict):
        for x in v.values():
            yield from _strings(x)
    elif isinstance(v, str):
        yield v


def test_rules_declare_exactly_what_they_read(bundle):
    """Declared = read by the rule in the cases ∪ its amount spec ∪ its texts' placeholders: nothing
    read undeclared (Context.p refuses it), nothing declared that nothing reads."""
    read: dict[str, set] = {}
    from calculator.engine import evaluate
    from calculator.household import parse_household
    import calculator.rules as R

    original = R.Context.__init__
    contexts = []

    def spy(self, *a, **k):
        original(self, *a, **k)
        contexts.append(self)
    R.Context.__init__ = spy
    try:
        for _, case in CASES:
            evaluate(parse_household(case["household"]), bundle)
    finally:
        R.Context.__init__ = original
    for ctx in contexts:
        for pid, pars in ctx.read.items():
            read.setdefault(pid, set()).update(pars)
    for p in bundle["programmes"]:
        declared = set(rules(bundle)[p["id"]].PARAMETERS)
        needed = placeholders(p) | amount_spec_parameters(p["amount"])
        assert needed <= declared, (f"{p['id']}: its texts or amount use {sorted(needed - declared)}: add them to PARAMETERS in "
                                   f"calculator/programmes/{p['id']}.py (the standards page lists exactly those)")
        assert declared <= needed | read.get(p["id"], set()), \
            f"{p['id']}: declares {declared - needed - read.get(p['id'], set())}, which no case makes it read"


def test_the_standards_page_lists_the_declared_users(bundle):
    """The four parameters the old placeholder scan missed, and severe disability shared by two rules."""
    from scripts.site.handbook import Handbook
    users = Handbook(bundle, dt.date(2025, 1, 1)).param_users
    assert set(users["dibao.severe_disability_grades"]) == {"dibao", "accident_insurance"}
    assert set(users["tekun.no_work_ability_disability_grades"]) == {"tekun"}
    assert set(users["dibao.edge_multiple"]) == {"dibao", "dibao_edge"}
    assert "care_services" in users["tekun.minor_age_limit"]
    assert users["dibao.urban_monthly_standard"] and "temporary_medical" in users["dibao.urban_monthly_standard"]
    for par, progs in users.items():
        for pid in progs:
            assert par in rules(bundle)[pid].PARAMETERS


def fake_rules(bundle, **modules) -> dict:
    out = dict(rules(bundle))
    for pid, (params, reads, fn) in modules.items():
        out[pid] = types.SimpleNamespace(ID=pid, PARAMETERS=params, READS=reads, evaluate=fn)
    return out


def run_with(bundle, table):
    from calculator.household import parse_household
    from calculator.params import Params
    from calculator.rules import Context
    h = parse_household({"as_of": "2025-01-01", "area": "rural", "members": [{"age": 40}], "monthly_income_yuan": 0})
    ctx = Context(h, Params(bundle, dt.date(2025, 1, 1)), bundle, table)
    for pid in table:
        ctx.outcome(pid)
    return ctx


def test_a_rule_reading_an_undeclared_parameter_or_outcome_fails(bundle):
    table = fake_rules(bundle, heating=((), (), lambda ctx: ctx.p("dibao.edge_multiple")))
    with pytest.raises(RuleError, match="heating.*dibao.edge_multiple"):
        run_with(bundle, table)
    table = fake_rules(bundle, heating=((), (), lambda ctx: ctx.outcome("dibao")))
    with pytest.raises(RuleError, match="heating.*'dibao'"):
        run_with(bundle, table)


def test_rules_run_in_the_order_they_read(bundle):
    """Two rules reading each other are a circle, reported; a rule that reads another gets its outcome
    whatever the data's order, and each rule runs once."""
    from calculator.rules import Outcome
    table = fake_rules(bundle, heating=((), ("legal_aid",), lambda ctx: ctx.outcome("legal_aid")),
                       legal_aid=((), ("heating",), lambda ctx: ctx.outcome("heating")))
    with pytest.raises(RuleError, match="circle"):
        run_with(bundle, table)
    runs = []

    def legal_aid(ctx):
        runs.append("legal_aid")
        return Outcome("possible", [], notes=["from legal_aid"])

    def heating(ctx):
        return Outcome("possible", [], notes=ctx.outcome("legal_aid").notes)

    for order in (["heating", "legal_aid"], ["legal_aid", "heating"]):
        runs.clear()
        table = fake_rules(bundle, heating=((), ("legal_aid",), heating), legal_aid=((), (), legal_aid))
        table = {pid: table[pid] for pid in order}
        ctx = run_with(bundle, table)
        assert ctx.results["heating"].notes == ["from legal_aid"] and runs == ["legal_aid"]


def test_a_programme_without_a_rule_is_refused(bundle):
    b = copy.deepcopy(bundle)
    b.pop("_index", None)
    b["programmes"].append({**b["programmes"][0], "id": "no_such_programme"})
    with pytest.raises(MissingRule, match="no_such_programme"):
        rules(b)


# ---- the amount: the page and the result agree, against an oracle worked out here ---------------

STANDARDS = {"urban": Decimal("1000"), "rural": Decimal("800")}
REF = {"source": "nat-a", "article": "nat-a-10"}


def oracle_value(par_id: str) -> Decimal:
    """A parameter's value read from policy_data/parameters/*.yaml directly (the last dated entry up to
    2025-01-01), or the standard this test publishes."""
    group, name = par_id.split(".", 1)
    if par_id in ("dibao.urban_monthly_standard", "dibao.rural_monthly_standard"):
        return STANDARDS[name.split("_")[0]]
    entries = yaml.safe_load((REPO / "policy_data" / "parameters" / f"{group}.yaml").read_text(encoding="utf-8"))[name]["values"]
    dates = sorted(d for d in entries if str(d) <= "2025-01-01")
    return Decimal(str(entries[dates[-1]]["value"]))


def shown(value: Decimal) -> str:
    """The display this test expects: thousands separated, fen only when there are any."""
    q = value.quantize(Decimal("0.01"))
    return (f"{int(q):,}" if q == q.to_integral() else f"{q:,.2f}") + "元"


@pytest.fixture(scope="module")
def published(bundle) -> dict:
    b = copy.deepcopy(bundle)
    b.pop("_index", None)
    for area, value in STANDARDS.items():
        b["parameters"][f"dibao.{area}_monthly_standard"]["values"] = [
            {"date": "2024-01-01", "value": str(value), "reference": REF}]
    return b


def page_text(b: dict, pid: str) -> str:
    from scripts.site.handbook import Handbook
    hb = Handbook(b, dt.date(2025, 1, 1))
    spec = next(s for s in hb.page_specs() if s.src_uri == f"programmes/{pid}.md")
    return hb.render_body(spec).replace("\\", "")


HOUSEHOLDS = {  # one household per amount kind that meets the programme
    "gap": {"members": [{"age": 50}, {"age": 48}, {"age": 12, "student": "primary"}], "monthly_income_yuan": 1000,
            "assets_within_limits": True},
    "floor_multiple": {"members": [{"age": 70}], "monthly_income_yuan": 0, "supporters": "none",
                       "assets_within_limits": True},
    "range_multiple": {"members": [{"age": 45, "serious_illness": True}, {"age": 15, "student": "senior_high"}],
                       "monthly_income_yuan": 500, "assets_within_limits": True, "medical_expenses_yuan": 20000,
                       "education_expenses_yuan": 5000},
}


@pytest.mark.parametrize("area", ["urban", "rural"])
def test_page_and_result_give_the_same_amount(published, area):
    spec_of = {p["id"]: p["amount"] for p in published["programmes"]}
    checked = 0
    for pid, spec in spec_of.items():
        kind = spec["kind"]
        if kind == "none":
            continue
        household = {"as_of": "2025-01-01", "area": area, **HOUSEHOLDS[kind]}
        result = next(p for p in estimate(household, published)["programmes"] if p["id"] == pid)
        assert result["status"] != "unlikely", (pid, result["conditions"])
        a = result["amount"]
        page = page_text(published, pid)
        if kind == "gap":
            std = oracle_value(spec["standard"][area])
            n = len(household["members"])
            expected = std * n - Decimal(household["monthly_income_yuan"])  # (std − income / n) × n
            assert Decimal(a["monthly_yuan"]) == expected, pid
            assert f"{shown(std)}/人·月" in page and f"{shown(std)}/人·月" in a["text"], pid
        elif kind == "floor_multiple":
            floor = oracle_value(spec[area]["base"]) * oracle_value(spec[area]["multiple"])
            assert Decimal(a["min_yuan"]) == floor.quantize(Decimal("0.01")), pid
            assert shown(floor) in page and shown(floor) in a["text"], pid
        else:
            base = oracle_value(spec["base"])
            lo, hi = base * oracle_value(spec["min"]), base * oracle_value(spec["max"])
            assert (Decimal(a["min_yuan"]), Decimal(a["max_yuan"])) == (lo, hi), pid
            for figure in (shown(lo), shown(hi)):
                assert figure in page and figure in a["text"], pid
        checked += 1
    assert checked >= 4


def test_one_money_format_on_a_page(published):
    """No programme page mixes "1000.00元" with "1,000元"."""
    for p in published["programmes"]:
        text = page_text(published, p["id"])
        assert not re.search(r"\d{4,}\.\d\d\s*元", text), (p["id"], re.findall(r"\d{4,}\.\d\d\s*元", text))


# ---- conditional answers: the break-even figure is exact ------------------------------------------

STANDARD_KEY = {"dibao.urban_monthly_standard": "urban_dibao_monthly", "dibao.rural_monthly_standard": "rural_dibao_monthly"}
PENDING = [  # households whose programmes wait on a pending standard, with awkward per-capita incomes
    {"as_of": "2025-01-01", "area": area, "members": [{"age": 70}, {"age": 40}, {"age": 9, "student": "primary"}][:n],
     "monthly_income_yuan": income, "supporters": "none", "assets_within_limits": True}
    for area in ("urban", "rural") for n in (1, 2, 3) for income in (0, 600, 1000, 2999.99)]


def test_a_break_even_figure_is_where_the_condition_turns(bundle):
    """For every condition carrying `needs`: the standard at the figure and one fen past it give the
    two answers the figure promises ("above": not met at it, met past it; "below": met at it, not past)."""
    checked = 0
    for household in PENDING:
        result = estimate(household, bundle)
        for p in result["programmes"]:
            for c in p["conditions"]:
                for need in ([c["needs"]] if isinstance(c.get("needs"), dict) else c.get("needs") or []):
                    figure = Decimal(need.get("above", need.get("below")))
                    for value, expected in ((figure, "below" in need), (figure + Decimal("0.01"), "above" in need)):
                        if value <= 0:  # a standard is at least one fen
                            continue
                        filled = {**household, "standards": {STANDARD_KEY[need["parameter"]]: str(value)}}
                        again = next(x for x in estimate(filled, bundle)["programmes"] if x["id"] == p["id"])
                        turned = next((x for x in again["conditions"] if x["id"] == c["id"]), None)
                        assert turned is not None and turned["met"] is expected, (p["id"], c["id"], need, str(value), turned)
                        checked += 1
    assert checked > 50

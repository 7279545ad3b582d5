"""跟进顺序 of a screened roster (calculator.screen): what holds of the order for whatever data ships.

The expectations are read from the result table's own columns (the statuses, the per-capita income)
and from the rule as the README states it, never from the ranking code: by the best status first among
the programmes of the 基本生活救助 and 急难救助 categories of the data (很可能符合; 可能符合 and
取决于当地标准 alike; 信息不足; the rest), then the household furthest under the 低保 line (per-capita income, or its share of a
standard that is known), ties in the roster's order; households with errors have no number and come last. The standards are emptied where a test needs them pending,
so that a standard the town publishes later cannot turn a case into a no-op."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from calculator.bundle import load_bundle
from calculator.household import parse_household
from calculator.screen import roster_rows, screen_text, to_csv
from scripts.samples import households

BUNDLE = load_bundle()
STANDARDS = ("dibao.rural_monthly_standard", "dibao.urban_monthly_standard")
AS_OF = "2026-12-01"
HEADER = "户编号,城乡,家庭月收入（元）,年龄,财产符合规定,赡养抚养扶养人\r\n"


@pytest.fixture(scope="module")
def pending() -> dict:
    b = copy.deepcopy(BUNDLE)
    for pid in STANDARDS:
        b["parameters"][pid]["values"] = []
    return b


def table(rows: list[list[str]]) -> list[dict]:
    return [dict(zip(rows[0], r)) for r in rows[1:]]


NEED = {p["name"] for c in BUNDLE["categories"] if c["id"] in ("basic_living", "emergency")
        for p in BUNDLE["programmes"] if p["id"] in c["programmes"]}


def tier(row: dict) -> int:
    """The row's best status among the programmes of need, from its own columns (as the README's
    roster section orders them)."""
    for i, cols in enumerate((["很可能符合"], ["可能符合", "取决于当地标准"], ["信息不足"])):
        if any(name in row[col] for col in cols for name in NEED):
            return i
    return 3


def roster(*households: tuple[str, int]) -> str:
    """One rural person aged 40, no supporters, assets within limits, per household (id, income)."""
    return HEADER + "".join(f"{hid},农村,{income},40,是,无\r\n" for hid, income in households)


def check_order(rows: list[dict]) -> None:
    """The invariants of any screened table: numbers 1..n on the screened rows in table order, the bad
    rows last without a number, statuses never better further down."""
    ranked = [r for r in rows if r["跟进顺序"]]
    assert [r["跟进顺序"] for r in ranked] == [str(i) for i in range(1, len(ranked) + 1)]
    assert rows[:len(ranked)] == ranked, "households with errors come after every ranked one"
    assert all(r["错误"] for r in rows[len(ranked):]) and not any(r["错误"] for r in ranked)
    tiers = [tier(r) for r in ranked]
    assert tiers == sorted(tiers), tiers


def test_while_pending_the_household_clearly_under_comes_first(pending):
    """Standards pending: the one whose break-even (the standard it needs) is lowest comes first."""
    rows = table(screen_text(roster(("barely", 1900), ("clearly", 200), ("middle", 700)), pending, "csv", AS_OF))
    check_order(rows)
    by = {r["户编号"]: r for r in rows}
    assert len({tier(r) for r in rows}) == 1, "same household but the income: same status"
    assert [r["户编号"] for r in rows] == ["clearly", "middle", "barely"]
    assert "只要高于200元" in by["clearly"]["建议跟进"] and "只要高于1,900元" in by["barely"]["建议跟进"]


def test_with_a_known_standard_the_household_further_under_comes_first(pending):
    """A standard given for the roster: both are 很可能符合; the one further under the line first."""
    rows = table(screen_text(roster(("barely", 790), ("clearly", 200)), pending, "csv", AS_OF,
                             {"rural_dibao_monthly": 800}))
    check_order(rows)
    assert [tier(r) for r in rows] == [0, 0]
    assert [r["户编号"] for r in rows] == ["clearly", "barely"]


def test_a_service_anyone_may_ask_for_does_not_put_a_household_first(pending):
    """A well-off household that wants a job (就业救助 可能符合, a service of the special programmes) comes
    after a poor one whose 低保 only waits on the pending standard."""
    text = ("户编号,城乡,家庭月收入（元）,年龄,财产符合规定,赡养抚养扶养人,想找工作\r\n"
            "well-off,农村,30000,40,否,有能力,是\r\npoor,农村,200,40,是,无,否\r\n")
    rows = table(screen_text(text, pending, "csv", AS_OF))
    check_order(rows)
    by = {r["户编号"]: r for r in rows}
    assert "就业救助" in by["well-off"]["可能符合"], "the case must keep its meaning"
    assert "最低生活保障" in by["poor"]["取决于当地标准"], "the case must keep its meaning"
    assert [r["户编号"] for r in rows] == ["poor", "well-off"]


def test_the_template_examples_rank_the_poorer_first(pending):
    """The roster template's two examples, standards pending: the 72-year-old alone on 600 yuan (特困
    and 低保 wait on the standard) before the family on 900 yuan a person whose 临时救助 is 可能符合."""
    from calculator.screen import roster_template
    rows = table(screen_text(roster_template(), pending, "csv", AS_OF))
    check_order(rows)
    by = {r["户编号"]: r for r in rows}
    assert Decimal(by["示例1"]["人均月收入（元）"]) < Decimal(by["示例2"]["人均月收入（元）"]), "the examples' meaning"
    assert by["示例1"]["取决于当地标准"] and by["示例2"]["可能符合"], "the examples' meaning"
    assert [r["户编号"] for r in rows] == ["示例1", "示例2"]


def test_ties_keep_the_roster_order_and_keep_order_keeps_every_row(pending):
    text = roster(("b", 500), ("a", 500), ("c", 300), ("d", 500), ("bad", "五百"))
    rows = table(screen_text(text, pending, "csv", AS_OF))
    check_order(rows)
    assert [r["户编号"] for r in rows] == ["c", "b", "a", "d", "bad"]
    kept = table(screen_text(text, pending, "csv", AS_OF, keep_order=True))
    assert [r["户编号"] for r in kept] == ["b", "a", "c", "d", "bad"]
    assert sorted(kept, key=lambda r: r["户编号"]) == sorted(rows, key=lambda r: r["户编号"])


def random_roster(n: int) -> str:
    """Random households of every shape, without standards or a date of their own (so that the
    roster's date and the bundle's standards apply to all)."""
    out = []
    for i, h in enumerate(households(n, seed=23)):
        h = {k: v for k, v in h.items() if k not in ("standards", "as_of")}
        out.append((f"H{i:04d}", "", parse_household(h)))
    return to_csv(roster_rows(out))


@pytest.mark.parametrize("standards", ["pending", "shipped"])
def test_a_random_roster_is_ordered_by_status_then_income(pending, standards):
    """Every shape of household: statuses never better further down; within one status and one area
    while its standard is pending, per-capita income never lower further down."""
    bundle = pending if standards == "pending" else BUNDLE
    text = random_roster(300)
    rows = table(screen_text(text, bundle, "csv", AS_OF))
    check_order(rows)
    areas = {r["户编号"]: r for r in table(screen_text(text, bundle, "csv", AS_OF, keep_order=True))}
    assert set(areas) == {r["户编号"] for r in rows}
    for area, key in (("城市", "dibao.urban_monthly_standard"), ("农村", "dibao.rural_monthly_standard")):
        if bundle["parameters"][key]["values"]:
            continue  # published: the share of the standard orders them (the hand-made cases above)
        for t in range(4):
            incomes = [Decimal(r["人均月收入（元）"]) for r in rows
                       if r["跟进顺序"] and tier(r) == t and area_of(text, r["户编号"]) == area]
            assert incomes == sorted(incomes), (area, t)


def area_of(text: str, hid: str) -> str:
    """The 城乡 cell of a household's first row in the roster."""
    lines = text.lstrip("\ufeff").split("\r\n")
    col = lines[0].split(",").index("城乡")
    return next(line.split(",")[col] for line in lines[1:] if line.startswith(hid + ","))

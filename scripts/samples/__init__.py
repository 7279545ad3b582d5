"""Sample inputs of the calculator, shared by the build tools and the tests (never imported from
tests/): random valid households and rosters in the staff CSV format (the benchmark and the runtime
recorder), the households of the calculator's cases (tests/cases/*.yaml, read as data), and the
hostile-input corpus (scripts/samples/hostile.py).

Nothing here is computed by the calculator: these are inputs, never expectations."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import yaml

from calculator.screen import COLUMNS

REPO_ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = REPO_ROOT / "tests" / "cases"

__all__ = ["CASES_DIR", "case_households", "households", "roster_csv"]


def households(n: int, seed: int = 7) -> list[dict]:
    """`n` random households of the calculator's input format (valid ones, of every shape)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        members = []
        for _ in range(rng.randint(1, 6)):
            m = {"age": rng.randint(0, 95), "serious_illness": rng.random() < 0.1}
            if m["age"] < 25 and rng.random() < 0.6:
                m["student"] = rng.choice(["primary", "junior_high", "senior_high", "vocational", "college"])
            if rng.random() < 0.15:
                m["disability"] = {"kind": rng.choice(["physical", "intellectual", "mental", "visual", "hearing"]),
                                   "grade": rng.randint(1, 4)}
            members.append(m)
        hh = {"as_of": "2026-01-15", "area": rng.choice(["urban", "rural"]), "members": members,
              "monthly_income_yuan": rng.randint(0, 8000), "supporters": rng.choice(["none", "unable", "able"]),
              "assets_within_limits": rng.choice([True, True, False, None]),
              "medical_expenses_yuan": rng.choice([0, 0, 5000, 30000]),
              "education_expenses_yuan": rng.choice([0, 0, 3000])}
        if rng.random() < 0.5:
            hh["standards"] = {"urban_dibao_monthly": 1000, "rural_dibao_monthly": 800}
        if rng.random() < 0.1:
            hh["emergency"] = rng.choice(["disaster", "accident", "fire", "sudden_illness"])
        out.append(hh)
    return out


def roster_csv(n: int, seed: int = 11) -> str:
    """A roster of `n` households in the staff CSV format (Chinese headers, one row per person)."""
    area = {"urban": "城市", "rural": "农村"}
    sup = {"none": "无", "unable": "有但无能力", "able": "有能力"}
    yes = {True: "是", False: "否", None: ""}
    stage = {"primary": "小学", "junior_high": "初中", "senior_high": "高中", "vocational": "中职", "college": "大学"}
    kind = {"physical": "肢体", "intellectual": "智力", "mental": "精神", "visual": "视力", "hearing": "听力"}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([h for _, h, _ in COLUMNS])
    for i, hh in enumerate(households(n, seed)):
        for j, m in enumerate(hh["members"]):
            first = j == 0
            d = m.get("disability") or {}
            w.writerow([f"H{i:05d}", f"村{i % 17}" if first else "",
                        area[hh["area"]] if first else "", hh["monthly_income_yuan"] if first else "",
                        sup[hh["supporters"]] if first else "", yes[hh["assets_within_limits"]] if first else "",
                        hh["medical_expenses_yuan"] if first else "", hh["education_expenses_yuan"] if first else "",
                        "", "", "", m["age"], kind.get(d.get("kind"), ""), d.get("grade", ""),
                        yes[m["serious_illness"]], stage.get(m.get("student"), ""), "", ""])
    return "\ufeff" + out.getvalue()


def case_households(directory: Path = CASES_DIR) -> list[dict]:
    """The `household` of every case in tests/cases/*.yaml (files in name order; the cases' shape is
    checked by tests/case_loader.py, which the tests use)."""
    out = []
    for path in sorted(Path(directory).glob("*.yaml")):
        out += [case["household"] for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    return out

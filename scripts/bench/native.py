"""Calculator core, native (this CPython): `calculator.api.handle("estimate", json)` for random
households (median, p95) beside reading the same JSON into a validated household (the floor); a CSV
roster screened into the results CSV (households per second) beside just reading the CSV."""

from __future__ import annotations

import csv
import io
import json
import random
import time

from calculator.api import handle
from calculator.bundle import load_bundle
from calculator.household import parse_household
from calculator.jsonio import loads
from calculator.screen import COLUMNS, read_csv, screen, to_csv

from .common import LINK_HOUSEHOLD, median, pct


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


def bench_native(n: int, roster: int) -> dict:
    bundle = load_bundle()
    handle("estimate", json.dumps(LINK_HOUSEHOLD))  # warm the imports and the bundle cache
    texts = [json.dumps(h, ensure_ascii=False) for h in households(n)]
    est, parse = [], []
    for t in texts:
        t0 = time.perf_counter()
        parse_household(loads(t))
        t1 = time.perf_counter()
        out = handle("estimate", t)
        t2 = time.perf_counter()
        parse.append(t1 - t0)
        est.append(t2 - t1)
        if not json.loads(out)["ok"]:
            raise RuntimeError(f"a benchmark household was refused: {out[:300]}")
    text = roster_csv(roster)
    t0 = time.perf_counter()
    groups = read_csv(text)
    t1 = time.perf_counter()
    rows = screen(groups, bundle)
    result_csv = to_csv(rows)
    t2 = time.perf_counter()
    errors = [r[-1] for r in rows[1:] if r[-1]]
    if len(rows) != roster + 1 or errors or not result_csv:
        raise RuntimeError(f"the benchmark roster did not screen cleanly: {len(rows) - 1} rows, errors {errors[:3]}")
    t3 = time.perf_counter()
    read_csv(text)
    parse_s = min(t1 - t0, time.perf_counter() - t3)
    screen_s = t2 - t0
    return {"estimate_households": n, "estimate_median_ms": median(est) * 1000,
            "estimate_p95_ms": pct(est, 0.95) * 1000, "parse_median_ms": median(parse) * 1000,
            "estimate_ratio_to_parse": median(est) / median(parse),
            "screen_households": roster, "screen_seconds": screen_s, "screen_households_per_s": roster / screen_s,
            "screen_parse_seconds": parse_s, "screen_ratio_to_parse": screen_s / parse_s}

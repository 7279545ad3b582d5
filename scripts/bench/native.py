"""Calculator core, native (this CPython): `calculator.api.handle("estimate", json)` for random
households (median, p95) beside reading the same JSON into a validated household (the floor); a CSV
roster screened into the results CSV (households per second) beside just reading the CSV."""

from __future__ import annotations

import json
import time

from calculator.api import handle
from calculator.bundle import load_bundle
from calculator.household import parse_household
from calculator.jsonio import loads
from calculator.screen import read_csv, screen, to_csv
from scripts.samples import households, roster_csv  # derived from calculator.fields

from .common import LINK_HOUSEHOLD, median, pct


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

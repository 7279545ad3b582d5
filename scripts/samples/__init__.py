"""Sample inputs of the calculator, shared by the build tools and the tests (build tools never import
tests/): random households and rosters of the calculator's input format, derived from its one
declaration (calculator.fields): every field of every kind, valid by construction (the benchmark,
the runtime recorder and the tests import them; a new field is generated without any edit here);
the households of the calculator's cases (tests/cases/*.yaml, read as data); and the hostile-input
corpus (scripts/samples/hostile.py). Inputs only, never expectations."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from calculator import fields as F
from calculator.household import parse_household
from calculator.screen import roster_rows, to_csv

REPO_ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = REPO_ROOT / "tests" / "cases"
AS_OF = "2026-01-15"  # a date every rule of the data is in force on


def _value(rng: random.Random, f: F.Field):
    """A random valid value of one field (None: left out), mostly the ordinary ones."""
    if f.kind == F.DATE:
        return AS_OF
    if f.kind == F.INTEGER:
        return rng.randint(f.low, min(f.high, 95))
    if f.kind == F.MONEY:
        if f.required:
            return rng.randint(0, 8000)
        if f.positive:
            return rng.choice([None, rng.randint(300, 1500)])
        return rng.choice([None, 0, 0, rng.randint(1, 30000)])
    if f.kind == F.FLAG:
        return True if rng.random() < 0.1 else rng.choice([False, None])
    if f.kind == F.CHOICE:
        return rng.choice(list(f.choices)) if f.required or rng.random() < 0.5 else None
    raise AssertionError(f"no generator for kind {f.kind!r}")  # pragma: no cover


def _object(rng: random.Random, fields) -> dict:
    out: dict = {}
    groups = {f.name for f in fields if "." in f.key}
    present = {g: rng.random() < 0.5 if g == "standards" else rng.random() < 0.15 for g in groups}
    for g in groups:  # a group answered "none" ("disability": "none"), as most members are
        if not present[g] and F.GROUPS[g].none and rng.random() < 0.5:
            out[g] = F.GROUPS[g].none
    for f in fields:
        if "." in f.key and (not present[f.name] or isinstance(out.get(f.name), str)):
            continue
        value = _value(rng, f)
        if value is None and not ("." in f.key and f.required):
            continue
        none = F.GROUPS[f.name].none if "." in f.key else ""
        if value is None or (none and value == none):
            # a group's required field: always given with its group, as one of the group's own values
            value = rng.choice([c for c in f.choices if c != F.NONE])
        name, _, inner = f.key.partition(".")
        if inner:
            out.setdefault(name, {})[inner] = value
        else:
            out[name] = value
    return out


def households(n: int, seed: int = 7) -> list[dict]:
    """`n` random households (JSON objects) of the input format, of every shape, 1 to 6 members."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        h = _object(rng, F.HOUSEHOLD_FIELDS)
        h["members"] = [_object(rng, F.MEMBER_FIELDS) for _ in range(rng.randint(1, 6))]
        out.append(h)
    return out


def roster_csv(n: int, seed: int = 11) -> str:
    """A roster of `n` households in the staff CSV format (every column, by its Chinese header, one row
    per person), as Excel saves it: BOM and CRLF."""
    return to_csv(roster_rows((f"H{i:05d}", f"村{i % 17}", parse_household(h))
                              for i, h in enumerate(households(n, seed))))


def case_households(directory: Path = CASES_DIR) -> list[dict]:
    """The `household` of every case in tests/cases/*.yaml (files in name order; the cases' shape is
    checked by tests/case_loader.py, which the tests use)."""
    out = []
    for path in sorted(Path(directory).glob("*.yaml")):
        out += [case["household"] for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    return out

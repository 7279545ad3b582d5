"""Expectations worked out from the raw policy YAML, independently of the calculator's interpreter
(calculator.amounts): what a page that describes a programme's amount must show."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def raw_value(par_id: str, as_of: dt.date, data_dir: Path = REPO / "policy_data"):
    """(unit, value in force on `as_of` or None) of a parameter, read from its YAML file."""
    group, name = par_id.split(".", 1)
    par = yaml.safe_load((data_dir / "parameters" / f"{group}.yaml").read_text(encoding="utf-8"))[name]
    dates = sorted(d for d in (par.get("values") or {}) if str(d) <= as_of.isoformat())
    return par["unit"], (par["values"][dates[-1]]["value"] if dates else None)


def shown_yuan(value) -> str:
    """Money as every page shows it: thousands separated, fen only when there are any, then 元."""
    q = Decimal(str(value)).quantize(Decimal("0.01"))
    return (f"{int(q):,}" if q == q.to_integral() else f"{q:,.2f}") + "元"


def amount_must_show(spec: dict, as_of: dt.date) -> list[re.Pattern]:
    """Patterns a description of the amount `spec` must contain (whitespace removed): every multiple
    followed by 倍 or 至 (as in 3至12倍), and for every base standard either 待公布 or, once published,
    the figures it gives (the standard for a gap, standard × multiple for a floor or a range)."""
    if spec["kind"] == "none":
        return []
    parts = [spec[a] for a in ("urban", "rural") if isinstance(spec.get(a), dict)] or [spec]
    out = []
    for part in parts:
        ids = [v for k, v in part.items() if isinstance(v, str) and "." in v] + \
              [v for v in (spec.get("standard") or {}).values()]
        bases = [i for i in ids if raw_value(i, as_of)[0] == "yuan_per_person_month"]
        multiples = [raw_value(i, as_of)[1] for i in ids if raw_value(i, as_of)[0] == "multiple"]
        for m in multiples:
            out.append(re.compile(rf"(?<![\d.]){re.escape(str(m))}(?:倍|至)"))
        for b in bases:
            base = raw_value(b, as_of)[1]
            if base is None:
                out.append(re.compile("待公布"))
            elif not multiples:
                out.append(re.compile(re.escape(shown_yuan(base))))
            else:
                for m in multiples:
                    out.append(re.compile(re.escape(shown_yuan(Decimal(str(base)) * Decimal(str(m))))))
    return out

"""Changes due soon: dated parameter values that come into force within UPCOMING_DAYS after the
date of an estimate, each worded once here, so the result can say "自2027年1月1日起，城市低保月标准
为每人每月1,000元" whenever a standard has been published ahead of its date (the pages say the same
from scripts/site)."""

from __future__ import annotations

import datetime as dt

from .params import value_at
from .text import format_value

UPCOMING_DAYS = 183  # about six months


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def changes_due(bundle: dict, as_of: dt.date, users: dict[str, list[str]] | None = None,
                days: int = UPCOMING_DAYS) -> list[dict]:
    """[{date, parameter, programmes, text}] in date order, for values dated after `as_of` and at most
    `days` later. `users`: {parameter id: programme ids that use it} (only those are listed when given)."""
    until = (as_of + dt.timedelta(days=days)).isoformat()
    day = as_of.isoformat()
    out = []
    for pid, par in bundle["parameters"].items():
        if users is not None and not users.get(pid):
            continue
        for entry in par["values"]:
            if day < entry["date"] <= until:
                on = dt.date.fromisoformat(entry["date"])
                value, _ = value_at(bundle, pid, on)
                out.append({"date": entry["date"], "parameter": pid,
                            "programmes": list((users or {}).get(pid, [])),
                            "text": f"自{cn_date(on)}起，{par['description']}为{format_value(bundle, pid, value)}"})
    return sorted(out, key=lambda c: (c["date"], c["parameter"]))

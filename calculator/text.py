"""Placeholders in policy text: `{param:<id>}` renders the value in force with its unit (待公布 when
none; the parameter's `before` text on a date before its first value, where it has one),
`{source:<id>}` the source's 文号 or title. Pages and results render through here, so no amount is
ever retyped."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .bundle import index
from .household import DISABILITY_KINDS
from .money import cn_yuan, plain
from .params import value_at

PLACEHOLDER = re.compile(r"\{(param|source):([^{}]*)\}")
BARE_UNITS = {"multiple"}  # the sentence itself says 倍
GRADE_CN = "〇一二三四"
CADENCE_CN = {"daily": "每日", "weekly": "每周", "monthly": "每月", "quarterly": "每季度", "yearly": "每年"}
LEVEL_CN = {"county": "县级", "town": "镇级", "village": "村级", "agency": "中介机构"}


def format_value(bundle: dict, param_id: str, value) -> str:
    unit = bundle["parameters"][param_id]["unit"]
    if value is None:
        return "待公布"
    if isinstance(value, Decimal):
        if unit in ("yuan", "yuan_per_person_month"):
            return cn_yuan(value, "元" if unit == "yuan" else "元/人·月")
        label = "" if unit in BARE_UNITS else bundle["units"][unit]
        return f"{plain(value)}{label}"
    if unit == "grade_by_kind":  # {"physical": 2, ...}: that grade or more severe
        return "、".join(f"{DISABILITY_KINDS[k]}{GRADE_CN[v]}级" for k, v in value.items())
    if unit == "cadence":  # {"county": "monthly", ...}
        return "、".join(f"{LEVEL_CN.get(k, k)}{CADENCE_CN[v]}" for k, v in value.items())
    return str(value)


def render(text: str, bundle: dict, as_of: dt.date, params=None) -> str:
    """Substitute every placeholder in `text`. `params` (a calculator.params.Params) lets an estimate's
    own standards take part; without it the bundle's values on `as_of` are used."""
    sources = index(bundle, "sources")

    def sub(m: re.Match) -> str:
        kind, key = m.groups()
        if kind == "source":
            s = sources[key]
            return s.get("number") or f"《{s['title']}》"
        value = params.get(key) if params is not None else value_at(bundle, key, as_of)[0]
        par = bundle["parameters"][key]
        if value is None and par.get("before") and par["values"] and as_of.isoformat() < par["values"][0]["date"]:
            return par["before"]  # what applied before the text that set the figure (not 待公布)
        return format_value(bundle, key, value)

    return PLACEHOLDER.sub(sub, text)

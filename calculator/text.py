"""Placeholders in policy text: `{param:<id>}` renders the value in force with its unit (待公布 when
none), `{source:<id>}` the source's 文号 or title. Pages and results render through here, so no amount
is ever retyped."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .bundle import index
from .money import plain
from .params import value_at

PLACEHOLDER = re.compile(r"\{(param|source):([^{}]*)\}")
BARE_UNITS = {"multiple"}  # the sentence itself says 倍


def format_value(bundle: dict, param_id: str, value) -> str:
    unit = bundle["parameters"][param_id]["unit"]
    if value is None:
        return "待公布"
    if isinstance(value, Decimal):
        if unit in ("yuan", "yuan_per_person_month"):
            number = f"{value:,.2f}".rstrip("0").rstrip(".") if value != value.to_integral() else f"{value:,.0f}"
            return f"{number}{'元' if unit == 'yuan' else '元/人·月'}"
        label = "" if unit in BARE_UNITS else bundle["units"][unit]
        return f"{plain(value)}{label}"
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
        return format_value(bundle, key, value)

    return PLACEHOLDER.sub(sub, text)

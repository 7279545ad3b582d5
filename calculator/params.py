"""Parameters in force on a date. Values carry their own reference; numbers are read as Decimal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .bundle import dated, derived
from .money import yuan_str


def value_at(bundle: dict, param_id: str, as_of: dt.date):
    """(value, entry) of the value in force on `as_of`, or (None, None) when none is (待公布).
    Numeric values are Decimal; structured ones (grades by kind, cadence) are returned as they are.
    Found once per bundle, date and parameter (the bundle's dated cache)."""
    day = as_of.isoformat()
    return _in_force(bundle, day, param_id, _day_values(bundle, day))


def _day_values(bundle: dict, day: str) -> dict:
    return dated(bundle, day).setdefault("values", {})


def _in_force(bundle: dict, day: str, param_id: str, values: dict):
    found = values.get(param_id)
    if found is None:
        found = values[param_id] = _find(bundle, param_id, day)
    return found


def _find(bundle: dict, param_id: str, day: str):
    par = bundle["parameters"][param_id]
    chosen = None
    for entry in par["values"]:  # ascending by date: validated by the compiler
        if entry["date"] <= day:
            chosen = entry
    if chosen is None:
        return None, None
    value = chosen["value"]
    return (Decimal(value) if isinstance(value, str) else value), chosen


# Local amounts (the 低保 standards, the 特困 living and care standards) may be pending on any date:
# the rules then work in multiples. Every other parameter that has values is part of a rule, so a
# date before all of them are in force cannot be estimated (the rule would have no threshold). A
# parameter `introduced_with` a later text (say the 2025 刚性支出 办法) does not move that date: the
# rule that uses it exists only from that text's date and says so itself.
PENDING_UNITS = frozenset({"yuan_per_person_month", "yuan_per_person_year"})


def rules_start(bundle: dict) -> str | None:
    """The first date (YYYY-MM-DD) on which every rule parameter of the bundle has a value in force."""
    return derived(bundle, "rules_start", _rules_start)


def _rules_start(bundle: dict) -> str | None:
    firsts = [par["values"][0]["date"] for par in bundle["parameters"].values()
              if par["values"] and par["unit"] not in PENDING_UNITS and not par.get("introduced_with")]
    return max(firsts) if firsts else None


class Params:
    """Parameter look-ups for one estimate: the bundle at one date, plus standards given in the input."""

    STANDARD_KEYS = {"urban_dibao_monthly": "dibao.urban_monthly_standard",
                     "rural_dibao_monthly": "dibao.rural_monthly_standard"}

    def __init__(self, bundle: dict, as_of: dt.date, standards: dict | None = None):
        self.bundle = bundle
        self.as_of = as_of
        self.overrides = {self.STANDARD_KEYS[k]: v for k, v in (standards or {}).items() if v is not None}
        self._day = as_of.isoformat()
        self._values = _day_values(bundle, self._day)  # this date's values in force, shared by every estimate

    def get(self, param_id: str):
        if param_id in self.overrides:
            return self.overrides[param_id]
        return _in_force(self.bundle, self._day, param_id, self._values)[0]

    def origin(self, param_id: str) -> dict:
        """Where a value comes from, for the result: the input, the data (with date and reference), or pending."""
        if param_id in self.overrides:
            return {"parameter": param_id, "value": yuan_str(self.overrides[param_id]), "origin": "input",
                    "effective": None, "reference": None}
        value, entry = _in_force(self.bundle, self._day, param_id, self._values)
        if entry is None:
            return {"parameter": param_id, "value": None, "origin": "pending", "effective": None, "reference": None}
        return {"parameter": param_id, "value": yuan_str(value), "origin": "data", "effective": entry["date"],
                "reference": entry["reference"]}

    def standard(self, area: str) -> Decimal | None:
        return self.get(f"dibao.{area}_monthly_standard")

    def description(self, param_id: str) -> str:
        return self.bundle["parameters"][param_id]["description"]

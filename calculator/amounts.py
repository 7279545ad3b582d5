"""The one interpreter of a programme's `amount` spec (policy_data/programmes/<id>.yaml): the handbook
page describes the amount with it and every rule's result amount is made by it (`Context.amount`), so
the page and the result cannot disagree. Yuan where the standard is known, multiples always, so a
result stays meaningful while the local standard is pending.

Kinds:
- none: the programme gives no amount of its own;
- gap: (standard − per-capita income) × members, paid monthly (the standard by area);
- floor_multiple: at least `multiple` × `base` per person and month (by area);
- range_multiple: from `min` × `base` to `max` × `base`, once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .money import cn_number, cn_yuan, plain, yuan, yuan_str
from .params import Params

AREA_CN = {"urban": "城市", "rural": "农村"}
GAP_FORMULA = "(低保标准 − 家庭人均月收入) × 家庭人数"
KINDS = ("none", "gap", "floor_multiple", "range_multiple")


def household_gap_formula(n: int, income: Decimal) -> str:
    """The gap amount with the household's own numbers, for while the standard is pending:
    "（标准 − 300）× 3"; "标准 × 3 − 1,000" where the per-capita income is not a whole fen."""
    per_capita = Decimal(income) / n
    if per_capita == per_capita.quantize(Decimal("0.01")):
        return f"（标准 − {cn_number(per_capita)}）" + (f"× {n}" if n > 1 else "")
    return f"标准 × {n} − {cn_number(income)}"


def household_gap_sentence(n: int, income: Decimal) -> str:
    """"每月低保金 =（标准 − 300）× 3": the gap amount with the household's numbers, standard pending."""
    formula = household_gap_formula(n, income)
    return f"每月低保金 ={'' if formula.startswith('（') else ' '}{formula}"


def spec_parameters(spec: dict) -> list[str]:
    """Every parameter id an amount spec reads, in order."""
    kind = spec["kind"]
    if kind == "gap":
        return [spec["standard"][a] for a in ("urban", "rural")]
    if kind == "floor_multiple":
        return [par for a in ("urban", "rural") for par in (spec[a]["multiple"], spec[a]["base"])]
    if kind == "range_multiple":
        return [spec["min"], spec["max"], spec["base"]]
    return []


def describe_amount(programme: dict, bundle: dict, as_of: dt.date, area: str | None = None,
                    params=None, household: tuple[int, Decimal] | None = None) -> dict | None:
    """A structured description of `programme["amount"]`, or None for programmes without an amount.
    `area` picks the urban or rural rule where the programme has both; without it both are given (the
    page). `params`: anything with `.get(parameter id)` (a Params, or a rule's Context, which checks
    the rule's declaration). `household`: (members, monthly income), for the result of a gap amount."""
    params = params or Params(bundle, as_of)
    spec = programme["amount"]
    kind = spec["kind"]
    if kind == "none":
        return None
    areas = [area] if area else ["urban", "rural"]
    if kind == "gap":
        parts = []
        for a in areas:
            std = params.get(spec["standard"][a])
            parts.append(f"{AREA_CN[a]}低保标准{'（' + cn_yuan(std, '元/人·月') + '）' if std is not None else '（待公布）'}")
        out = {"kind": kind, "text": f"按月发放：({'或'.join(parts)} − 家庭人均月收入) × 家庭人数",
               "formula": GAP_FORMULA, "parameters": [spec["standard"][a] for a in areas],
               "min_yuan": None, "max_yuan": None}
        if area:
            out["parameter"] = spec["standard"][area]
        if area and household is not None:
            n, income = household
            std = params.get(spec["standard"][area])
            # (standard − per-capita income) × members = standard × members − income: exact, rounded once
            out.update(monthly_yuan=None if std is None else yuan_str(yuan(std * n - income)), members=n)
            if std is None:
                out["household_formula"] = household_gap_sentence(n, income) + "（元）"
        return out
    if kind == "floor_multiple":
        texts, out = [], {"kind": kind, "parameters": [], "by_area": {}}
        for a in areas:
            m = params.get(spec[a]["multiple"])
            base = params.get(spec[a]["base"])
            floor = None if base is None or m is None else base * m
            out["parameters"] += [spec[a]["multiple"], spec[a]["base"]]
            out["by_area"][a] = {"multiple": plain(m) if m is not None else None, "base_parameter": spec[a]["base"],
                                 "min_yuan": yuan_str(floor), "max_yuan": None}
            texts.append(f"{AREA_CN[a]}不低于{AREA_CN[a]}低保月标准的{plain(m)}倍"
                         + (f"，即每人每月不低于{cn_yuan(floor)}" if floor is not None
                            else f"（{AREA_CN[a]}低保标准待公布）"))
        out["text"] = "；".join(texts)
        if area:
            out.update(min_yuan=out["by_area"][area]["min_yuan"], max_yuan=None, per="person_month",
                       multiple=out["by_area"][area]["multiple"], multiple_parameter=spec[area]["multiple"],
                       parameter=spec[area]["base"])
        return out
    if kind == "range_multiple":
        lo, hi, base = params.get(spec["min"]), params.get(spec["max"]), params.get(spec["base"])
        min_y = None if base is None else base * lo
        max_y = None if base is None else base * hi
        text = f"城市低保月标准的{plain(lo)}至{plain(hi)}倍"
        text += f"，即{cn_yuan(min_y)}至{cn_yuan(max_y)}" if base is not None else "（城市低保标准待公布）"
        return {"kind": kind, "text": text, "min_multiple": plain(lo), "max_multiple": plain(hi),
                "base_parameter": spec["base"], "parameter": spec["base"],
                "multiple_parameters": [spec["min"], spec["max"]],
                "parameters": [spec["min"], spec["max"], spec["base"]],
                "min_yuan": yuan_str(min_y), "max_yuan": yuan_str(max_y)}
    raise ValueError(f"unknown amount kind {kind!r}")

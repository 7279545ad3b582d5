"""What a programme gives, in yuan where the standard is known and in multiples always, so a result
stays meaningful while the local standard is pending."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .money import plain, yuan_str
from .params import Params

AREA_CN = {"urban": "城市", "rural": "农村"}


def describe_amount(programme: dict, bundle: dict, as_of: dt.date, area: str | None = None,
                    params: Params | None = None) -> dict | None:
    """A structured description of `programme["amount"]`, or None for programmes without an amount rule.
    `area` picks the urban or rural rule where the programme has both (特困); without it both are given."""
    params = params or Params(bundle, as_of)
    spec = programme["amount"]
    kind = spec["kind"]
    if kind == "none":
        return None
    if kind == "gap":
        areas = [area] if area else ["urban", "rural"]
        parts = []
        for a in areas:
            std = params.get(spec["standard"][a])
            parts.append(f"{AREA_CN[a]}低保标准{'（' + yuan_str(std) + '元/人·月）' if std is not None else '（待公布）'}")
        return {"kind": kind, "text": f"按月发放：({'或'.join(parts)} − 家庭人均月收入) × 家庭人数",
                "parameters": [spec["standard"][a] for a in areas], "min_yuan": None, "max_yuan": None}
    if kind == "floor_multiple":
        areas = [area] if area else ["urban", "rural"]
        texts, out = [], {"kind": kind, "parameters": [], "by_area": {}}
        for a in areas:
            m = params.get(spec[a]["multiple"])
            base = params.get(spec[a]["base"])
            floor = None if base is None or m is None else base * m
            out["parameters"] += [spec[a]["multiple"], spec[a]["base"]]
            out["by_area"][a] = {"multiple": plain(m) if m is not None else None, "base_parameter": spec[a]["base"],
                                 "min_yuan": yuan_str(floor), "max_yuan": None}
            texts.append(f"{AREA_CN[a]}不低于{AREA_CN[a]}低保月标准的{plain(m)}倍"
                         + (f"，即每人每月不低于{yuan_str(floor)}元" if floor is not None
                            else f"（{AREA_CN[a]}低保标准待公布）"))
        out["text"] = "；".join(texts)
        if area:
            out.update(min_yuan=out["by_area"][area]["min_yuan"], max_yuan=None,
                       multiple=out["by_area"][area]["multiple"])
        return out
    if kind == "range_multiple":
        lo, hi, base = params.get(spec["min"]), params.get(spec["max"]), params.get(spec["base"])
        min_y = None if base is None else base * lo
        max_y = None if base is None else base * hi
        text = f"城市低保月标准的{plain(lo)}至{plain(hi)}倍"
        text += f"，即{yuan_str(min_y)}元至{yuan_str(max_y)}元" if base is not None else "（城市低保标准待公布）"
        return {"kind": kind, "text": text, "min_multiple": plain(lo), "max_multiple": plain(hi),
                "base_parameter": spec["base"], "parameters": [spec["min"], spec["max"], spec["base"]],
                "min_yuan": yuan_str(min_y), "max_yuan": yuan_str(max_y)}
    raise ValueError(f"unknown amount kind {kind!r}")

"""The expense-type 临时救助 (支出型) shared by two programmes: a range of multiples of the URBAN monthly
低保 standard, whatever the household's area (town document 五, clause s5-expense)."""

from __future__ import annotations

from ..money import plain, yuan_str
from ..rules import Context


def urban_range(ctx: Context, low_param: str, high_param: str) -> dict:
    lo, hi = ctx.p(low_param), ctx.p(high_param)
    base = ctx.standard("urban")
    return {"min_yuan": yuan_str(None if base is None else base * lo),
            "max_yuan": yuan_str(None if base is None else base * hi),
            "min_multiple": plain(lo), "max_multiple": plain(hi),
            "parameter": "dibao.urban_monthly_standard", "multiple_parameters": [low_param, high_param],
            "text": f"城市低保月标准的{plain(lo)}至{plain(hi)}倍（不分城乡，都按城市标准）"
                    + ("" if base is not None else "；城市低保标准待公布，暂只能给出倍数")}

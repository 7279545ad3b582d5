"""Money is decimal.Decimal, never float. One rounding rule, applied once at the end of each amount:
to the fen (0.01 yuan), half up (四舍五入). Serialised as a plain string such as "1234.50".

One display format for every amount a person reads, on the pages, in the results and on the command
line: `cn_yuan` ("1,000元", "1,234.50元")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def yuan(value: Decimal) -> Decimal:
    """Round an amount to the fen, half up."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan_str(value: Decimal | None) -> str | None:
    """The machine form of an amount (JSON, CSV): "1234.50"."""
    return None if value is None else format(yuan(value), "f")


def plain(value: Decimal) -> str:
    """A multiple or count without trailing zeros: Decimal('1.50') -> '1.5', Decimal('12') -> '12'."""
    text = format(value.normalize(), "f")
    return text


def cn_number(value: Decimal) -> str:
    """An amount's figure for reading: thousands separated, fen only when there are any ("1,000",
    "1,234.50")."""
    v = yuan(Decimal(value))
    if v != v.to_integral():
        return f"{v:,.2f}"
    return f"{v:,.0f}" if v.is_signed() else f"{int(v):,}"  # the same text; an int formats faster ("-0": signed)


def cn_yuan(value: Decimal | None, unit: str = "元") -> str:
    """The one display of an amount: '1,000元', '1,234.50元', or 待公布. `unit` e.g. '元/人·月'."""
    if value is None:
        return "待公布"
    return f"{cn_number(value)}{unit}"

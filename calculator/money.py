"""Money is decimal.Decimal, never float. One rounding rule, applied once at the end of each amount:
to the fen (0.01 yuan), half up (四舍五入). Serialised as a plain string such as "1234.50"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def yuan(value: Decimal) -> Decimal:
    """Round an amount to the fen, half up."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan_str(value: Decimal | None) -> str | None:
    return None if value is None else format(yuan(value), "f")


def plain(value: Decimal) -> str:
    """A multiple or count without trailing zeros: Decimal('1.50') -> '1.5', Decimal('12') -> '12'."""
    text = format(value.normalize(), "f")
    return text


def cn_yuan(value: Decimal | None) -> str:
    """Chinese display of an amount: '1,234.50元', or 待公布."""
    if value is None:
        return "待公布"
    return f"{yuan(value):,.2f}元"

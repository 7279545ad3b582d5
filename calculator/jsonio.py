"""Strict JSON reading for household input: NaN and Infinity (which Python's json accepts) are
rejected, as are oversized or absurdly nested documents. Errors are InputErrors in Chinese."""

from __future__ import annotations

import json

from .household import FieldError, InputError

MAX_CHARS = 1_000_000


class NonFinite:
    """Stands for NaN / Infinity in parsed input, so the validator can name the field it sits in."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


def _non_finite(name: str) -> NonFinite:
    return NonFinite(name)


def loads(text: str, what: str = "输入") -> object:
    if len(text) > MAX_CHARS:
        raise InputError([FieldError("", what, f"内容过大（超过 {MAX_CHARS:,} 个字符）")])
    try:
        return json.loads(text, parse_constant=_non_finite)
    except json.JSONDecodeError as exc:
        raise InputError([FieldError("", what, f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}")]) from None
    except ValueError as exc:
        raise InputError([FieldError("", what, str(exc))]) from None
    except RecursionError:
        raise InputError([FieldError("", what, "JSON 嵌套层数过多")]) from None


def dumps(obj, pretty: bool = False) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None, allow_nan=False)

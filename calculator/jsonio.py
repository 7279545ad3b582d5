"""Strict JSON reading for household input: NaN and Infinity (which Python's json accepts) are
rejected, as are oversized or absurdly nested documents, integers too long to be a real number and
keys written twice in one object. Errors are InputErrors in Chinese."""

from __future__ import annotations

import json
import re

from .memo import kept_by_identity
from .household import FieldError, InputError

MAX_CHARS = 4_000_000  # far above any household (a few KB); a 1 MB text in a field is still named
MAX_INT_DIGITS = 30  # no field takes an integer anywhere near this long

# json's own messages, in Chinese (the position is given separately).
JSON_MESSAGES = [
    ("Expecting value", "此处缺少一个值"),
    ("Expecting property name enclosed in double quotes", "字段名应写在双引号里"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    ("Unterminated string starting at", "字符串没有结束（缺少右引号）"),
    ("Invalid control character at", "字符串里有控制字符"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义"),
    ("Invalid \\escape", "无效的反斜杠转义"),
    ("Extra data", "JSON 结束后还有多余的内容"),
    ("Unexpected UTF-8 BOM", "开头有 UTF-8 BOM 标记"),
]


class NonFinite:
    """Stands for NaN / Infinity in parsed input, so the validator can name the field it sits in."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


class HugeNumber:
    """Stands for an integer literal too long to be any real value (Python refuses to convert those
    past 4300 digits), so the validator can name the field it sits in."""

    def __init__(self, digits: str):
        self.digits = len(digits)

    def __repr__(self) -> str:
        return f"<{self.digits}位的数字>"


class DupDict(dict):
    """A JSON object; `duplicates` lists the keys written more than once (the validator reports them:
    which of two values was meant cannot be guessed)."""

    duplicates: tuple = ()


def _non_finite(name: str) -> NonFinite:
    return NonFinite(name)


def _parse_int(text: str):
    digits = text.lstrip("-")
    return HugeNumber(digits) if len(digits) > MAX_INT_DIGITS else int(text)


def _object(pairs) -> dict:
    obj = DupDict(pairs)
    if len(obj) != len(pairs):
        seen: set = set()
        obj.duplicates = tuple(dict.fromkeys(k for k, _ in pairs if k in seen or seen.add(k)))
    return obj


def json_message(msg: str) -> str:
    for english, chinese in JSON_MESSAGES:
        if msg.startswith(english):
            return chinese
    return "格式错误"


def loads(text: str, what: str = "输入") -> object:
    if len(text) > MAX_CHARS:
        raise InputError([FieldError("", what, f"内容过大（超过 {MAX_CHARS:,} 个字符）")])
    try:
        return json.loads(text, parse_constant=_non_finite, parse_int=_parse_int, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise InputError([FieldError("", what, f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，"
                                               f"{json_message(exc.msg)}")]) from None
    except RecursionError:
        raise InputError([FieldError("", what, "JSON 嵌套层数过多")]) from None
    except ValueError:
        raise InputError([FieldError("", what, "不是有效的 JSON：含有无法读取的数字")]) from None


def dumps(obj, pretty: bool = False) -> str:
    # no check for circular references: no document written here has one (and Python's own recursion
    # limit still stops one), and the check costs a sixth of the time of a large result. Not pretty:
    # no space after "," and ":" (the text goes to a program, the page's JSON.parse): a quarter less
    # time to write an estimate's text than with the spaces (0.32 -> 0.24 ms in CPython).
    if pretty:
        return json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False, check_circular=False)
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False)


HOLE = "\x00"  # dumps_filled: a hole in a document, the string HOLE + "<n>", is filled with the n-th text
_HOLES = re.compile(r'"\\u0000([0-9]+)"')  # a hole as dumps() writes it
_ONCE: dict = {}


def encoded(obj) -> str:
    """dumps(obj) for a read-only part that many documents share (a date's next steps of a programme),
    encoded once (calculator.memo.kept_by_identity)."""
    return kept_by_identity(_ONCE, obj, dumps)


def dumps_filled(obj, fills: list[str]) -> str | None:
    """The text of dumps() of a document, made from `obj`, which holds the string HOLE + str(n) in place
    of its n-th shared part, and `fills`, the parts' texts (encoded()). None when a hole cannot be told
    apart from the document's own text (a string of its own that reads like one): then dumps() the
    whole. (A hole is always a whole value, after "[", ":" or ",", so a string of the document can
    add a match but never hide one: as many matches as fills means every match is a hole.)"""
    parts = _HOLES.split(dumps(obj))
    if len(parts) != 2 * len(fills) + 1:
        return None
    parts[1::2] = [fills[int(n)] for n in parts[1::2]]
    return "".join(parts)

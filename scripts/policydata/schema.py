"""A small strict schema checker. Each file's shape is declared as nested `Record`s; checking
collects every error (file, key path, line, what was expected) and every cross-reference, which is
resolved once all files are read. Unknown keys are errors: a misplaced `reference` must not load
silently."""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import DataError
from .yamlload import LineDict, LineList

IDENT = re.compile(r"^[a-z][a-z0-9_-]*$")
PLACEHOLDER = re.compile(r"\{(param|source):([^{}]*)\}")


@dataclass
class Ref:
    kind: str  # office, clause, source, programme, parameter, paragraph, section, article, town_clause
    value: str
    file: str
    path: str
    line: int | None


@dataclass
class Ctx:
    file: str
    errors: list = field(default_factory=list)
    refs: list = field(default_factory=list)

    def error(self, path: str, message: str, line: int | None) -> None:
        self.errors.append(DataError(self.file, path, message, line))

    def ref(self, kind: str, value: str, path: str, line: int | None) -> None:
        self.refs.append(Ref(kind, value, self.file, path, line))


def line_of(container: Any, key: Any) -> int | None:
    if isinstance(container, LineDict):
        return container.key_lines.get(key, container.line)
    if isinstance(container, LineList) and isinstance(key, int) and key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", None)


def join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


# A checker takes (ctx, value, path, line) and returns the normalised value (or None after an error).
Checker = Callable[[Ctx, Any, str, "int | None"], Any]


def text(ctx: Ctx, value, path, line):
    if not isinstance(value, str) or not value.strip():
        ctx.error(path, f"应为非空文本，实际是 {value!r}", line)
        return None
    for m in PLACEHOLDER.finditer(value):
        ctx.ref("parameter" if m.group(1) == "param" else "source", m.group(2), path, line)
    return value


def verbatim(ctx: Ctx, value, path, line):
    """Text quoted from the source: no placeholders are interpreted."""
    if not isinstance(value, str) or not value.strip():
        ctx.error(path, f"应为非空文本，实际是 {value!r}", line)
        return None
    return value


def ident(ctx: Ctx, value, path, line):
    if not isinstance(value, str) or not IDENT.match(value):
        ctx.error(path, f"应为小写英文标识（字母开头，只含 a-z 0-9 _ -），实际是 {value!r}", line)
        return None
    return value


def iso_date(ctx: Ctx, value, path, line):
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        ctx.error(path, f"应为 ISO 日期 YYYY-MM-DD，实际是 {value!r}", line)
        return None
    return value.isoformat()


def boolean(ctx: Ctx, value, path, line):
    if not isinstance(value, bool):
        ctx.error(path, f"应为 true 或 false，实际是 {value!r}", line)
        return None
    return value


def number(ctx: Ctx, value, path, line):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        ctx.error(path, f"应为有限数值，实际是 {value!r}", line)
        return None
    if value < 0:
        ctx.error(path, f"不应为负数，实际是 {value!r}", line)
        return None
    # Decimal-safe: the bundle carries numbers as strings, read with Decimal by the calculator.
    return repr(value) if isinstance(value, float) else str(value)


def enum(*choices: str) -> Checker:
    def check(ctx: Ctx, value, path, line):
        if value not in choices:
            ctx.error(path, f"应为 {' / '.join(choices)} 之一，实际是 {value!r}", line)
            return None
        return value
    return check


def ref(kind: str, base: Checker = ident) -> Checker:
    def check(ctx: Ctx, value, path, line):
        value = base(ctx, value, path, line)
        if value is not None:
            ctx.ref(kind, value, path, line)
        return value
    return check


def nullable(checker: Checker) -> Checker:
    def check(ctx: Ctx, value, path, line):
        return None if value is None else checker(ctx, value, path, line)
    return check


def list_of(checker: Checker, non_empty: bool = False, unique: bool = True) -> Checker:
    def check(ctx: Ctx, value, path, line):
        if not isinstance(value, list):
            ctx.error(path, f"应为列表，实际是 {type(value).__name__}", line)
            return None
        if non_empty and not value:
            ctx.error(path, "列表不能为空", line)
        out = []
        seen = set()
        for i, item in enumerate(value):
            p, ln = join(path, i), line_of(value, i)
            if unique and isinstance(item, str):
                if item in seen:
                    ctx.error(p, f"重复的条目 {item!r}", ln)
                seen.add(item)
            out.append(checker(ctx, item, p, ln))
        return out
    return check


def mapping_of(key_checker: Checker, value_checker: Checker) -> Checker:
    def check(ctx: Ctx, value, path, line):
        if not isinstance(value, dict):
            ctx.error(path, f"应为键值映射，实际是 {type(value).__name__}", line)
            return None
        out = {}
        for key, item in value.items():
            p, ln = join(path, str(key)), line_of(value, key)
            k = key_checker(ctx, key, p, ln)
            if k is None:
                # A bad key (say a misplaced `reference:` among dated values) is reported once; its
                # value is not checked against a shape it was never meant to have.
                continue
            out[k] = value_checker(ctx, item, p, ln)
        return out
    return check


class Record:
    """A mapping with declared keys: `required` and `optional` map key -> checker."""

    def __init__(self, required: dict[str, Checker], optional: dict[str, Checker] | None = None,
                 check: Callable[[Ctx, dict, Any, str], None] | None = None):
        self.required = required
        self.optional = optional or {}
        self.extra_check = check

    def __call__(self, ctx: Ctx, value, path, line):
        if not isinstance(value, dict):
            ctx.error(path, f"应为键值映射，实际是 {type(value).__name__}", line)
            return None
        out = {}
        for key in value:
            if key not in self.required and key not in self.optional:
                allowed = ", ".join(list(self.required) + list(self.optional))
                ctx.error(join(path, str(key)), f"未知的键 {key!r}；允许的键：{allowed}", line_of(value, key))
        for key, checker in self.required.items():
            if key not in value:
                # the line of the entry that lacks the key (its own key's line when it has one)
                ctx.error(join(path, key), f"缺少必填的键 {key!r}", line or getattr(value, "line", None))
                continue
            out[key] = checker(ctx, value[key], join(path, key), line_of(value, key))
        for key, checker in self.optional.items():
            if key in value:
                out[key] = checker(ctx, value[key], join(path, key), line_of(value, key))
        if self.extra_check:
            self.extra_check(ctx, out, value, path)
        return out

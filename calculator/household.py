"""The household input: a JSON object (the public format that the command line reads, staff save and
share, and the browser form produces). `parse_household` checks every field and returns a Household,
or raises InputError listing each bad field by its key path (e.g. `members[1].age`), its Chinese
label, what is wrong and what is allowed. Nothing is silently dropped: an unknown key is an error."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

from . import fields as F
from .fields import AREAS, DISABILITY_KINDS, EMERGENCIES, GRADES, MAX_AGE, MAX_MEMBERS, SEXES, STUDENT_STAGES, SUPPORTERS  # noqa: F401
from .record import REQUIRED, factory, make_record, record

MAX_YUAN = Decimal("100000000")  # 1亿元: anything larger is a typing slip, not a household
MAX_TEXT = 100

# An amount typed as text: digits with an optional decimal part, optionally grouped by thousands
# (1,234.50). Full-width digits and commas are read as their ASCII forms. Anything else (1,5 or
# 1_000 or 1e5) is refused rather than guessed at.
AMOUNT_TEXT = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?|[+-]?\.[0-9]+")
DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What a Chinese input method types in full width: read as ASCII. Other digits (², ①, ٣) are refused.
FULL_WIDTH = str.maketrans("０１２３４５６７８９，．＋－", "0123456789,.+-")

LABELS = F.labels()


def _model(name: str, level: str) -> type:
    """A frozen record (calculator.record) with one attribute per key of the level (a group counts
    once): the required ones first, then the others, None where not given (unknown; the household's
    members: a tuple of Member; its standards: {} where none is given)."""
    required, optional = [], []
    for key in F.names(level):
        f = next((f for f in F.FIELDS if f.level == level and f.name == key), None)
        if key == "members":
            required.append((key, REQUIRED))
        elif key in GROUP_DEFAULTS:
            optional.append((key, factory(GROUP_DEFAULTS[key])))
        elif f.required and "." not in f.key:
            required.append((key, REQUIRED))
        else:
            optional.append((key, None))
    return make_record(name, required + optional, frozen=True, module=__name__)


GROUP_DEFAULTS = {"standards": dict}  # a group left out: {} (standards, the ones in force) or None (unknown)
# A member's disability: None (not given: unknown), NONE ("disability": "none", 没有残疾) or a Disability.
Disability = make_record("Disability", F.group_keys("disability"), frozen=True, module=__name__)
NONE = F.NONE

Member = _model("Member", F.MEMBER)
Household = _model("Household", F.HOUSEHOLD)


@record
class FieldError:
    path: str
    label: str
    message: str

    def as_dict(self) -> dict:
        return {"path": self.path, "label": self.label, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path}（{self.label}）：{self.message}" if self.path else f"{self.label}：{self.message}"


class InputError(ValueError):
    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

    def as_dict(self) -> dict:
        return {"message": f"输入有 {len(self.errors)} 处问题，请修改后再试。",
                "fields": [e.as_dict() for e in self.errors]}


def label_for(path: str) -> str:
    """The Chinese label of a key path: members[1].disability.grade -> 第2位家庭成员·残疾等级."""
    if path.startswith("members["):
        close = path.index("]")
        try:
            n = int(path[8:close]) + 1
            who = f"第{n}位家庭成员"
        except ValueError:
            who = "家庭成员"
        rest = path[close + 2:]
        return f"{who}·{LABELS.get(rest, rest)}" if rest else who
    return LABELS.get(path, path)


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


_KINDS = {"dict": "对象", "DupDict": "对象", "list": "列表", "str": "文本", "int": "整数", "float": "数字",
          "bool": "true/false", "NoneType": "null（空）", "NonFinite": "NaN 或无穷大", "HugeNumber": "超长的数字"}


def _kind(value) -> str:
    """What a JSON value is, in Chinese: 对象, 列表, 文本, ... (followed by the value when short)."""
    kind = _KINDS.get(type(value).__name__, type(value).__name__)
    return kind if isinstance(value, (dict, list, type(None))) else f"{kind} {_show(value)}"


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff]")


def safe_text(text: str) -> str:
    """Text from the input that is echoed in output (an unknown key, a household id, a village):
    control characters, bidirectional overrides and lone surrogates are written as visible escapes
    (\\x1b, \\u202e), so they can neither drive a terminal nor reorder what a clerk reads, and the
    text always encodes as UTF-8."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)


def _is_non_finite_text(text: str) -> bool:
    try:
        return not Decimal(text).is_finite()
    except InvalidOperation:
        return False


class _Checker:
    def __init__(self):
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, label_for(path), message))

    def keys(self, obj: dict, path: str, allowed) -> None:
        for key in getattr(obj, "duplicates", ()):  # calculator.jsonio.DupDict: a key written twice
            where = f"{path}.{key}" if path else str(key)
            label = label_for(where) if key in allowed else "重复字段"
            self.errors.append(FieldError(where[:200], label, f"字段 {_show(key)} 写了不止一次，无法确定用哪一个值"))
        for key in obj:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                shown = key if isinstance(key, str) and len(key) <= MAX_TEXT else _show(key)
                self.errors.append(FieldError(where[:200], "未知字段", f"不认识字段 {shown!r}；可用的字段：{'、'.join(allowed)}"))

    def choice(self, obj: dict, key: str, path: str, choices: dict, required=False, nullable=True):
        if key not in obj or (obj[key] is None and nullable and not required):
            if required:
                self.fail(path, f"必须填写，可选：{self._choices(choices)}")
            return None
        value = obj[key]
        if not isinstance(value, str) or value not in choices:  # str first: a list or object is unhashable
            self.fail(path, f"应为 {self._choices(choices)} 之一，实际是 {_show(value)}")
            return None
        return value

    @staticmethod
    def _choices(choices: dict) -> str:
        return "、".join(f"{k}（{v}）" for k, v in choices.items())

    def boolean(self, obj: dict, key: str, path: str):
        """true / false; None where left out or null (not given)."""
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.fail(path, f"应为 true（是）或 false（否）或 null（不清楚），实际是 {_show(value)}")
            return None
        return value

    def money(self, obj: dict, key: str, path: str, required=False):
        if key not in obj or obj[key] is None:
            if required:
                self.fail(path, "必须填写，单位元，可填 0")
            return None
        value = obj[key]
        if isinstance(value, bool):
            self.fail(path, f"应为金额（元），实际是 {_show(value)}")
            return None
        if (isinstance(value, float) and not math.isfinite(value)) or type(value).__name__ == "NonFinite":
            self.fail(path, "应为有限的金额，不能是 NaN 或无穷大")
            return None
        if type(value).__name__ == "HugeNumber":  # calculator.jsonio: an integer of 30+ digits
            self.fail(path, f"金额过大（超过 {MAX_YUAN:,} 元），请核对")
            return None
        if isinstance(value, (int, float)):
            amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        elif isinstance(value, str) and len(value) <= 30:
            text = value.translate(FULL_WIDTH).strip()
            if not AMOUNT_TEXT.fullmatch(text):
                if _is_non_finite_text(text):
                    self.fail(path, "应为有限的金额，不能是 NaN 或无穷大")
                else:
                    self.fail(path, f"应为金额数字（元），如 1500 或 1,500.50，实际是 {_show(value)}")
                return None
            try:
                amount = Decimal(text.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - AMOUNT_TEXT admits only what Decimal reads
                self.fail(path, f"应为金额数字（元），实际是 {_show(value)}")
                return None
        else:
            self.fail(path, f"应为金额数字（元），实际是 {_show(value)}")
            return None
        if not amount.is_finite():
            self.fail(path, "应为有限的金额，不能是 NaN 或无穷大")
            return None
        if amount < 0:
            self.fail(path, f"不能为负数，实际是 {value}")
            return None
        if amount > MAX_YUAN:
            self.fail(path, f"金额过大（超过 {MAX_YUAN:,} 元），请核对")
            return None
        return amount if amount else Decimal(0)  # -0 and 0.000 are 0


HOUSEHOLD_KEYS = F.names(F.HOUSEHOLD)
MEMBER_KEYS = F.names(F.MEMBER)
GROUP_EXAMPLES = {"standards": "应为对象，如 {\"urban_dibao_monthly\": 1000}",
                  "disability": "应为 \"none\"（没有残疾）、null（不清楚）或对象，如 {\"kind\": \"physical\", \"grade\": 2}"}


def _field_value(c: _Checker, obj: dict, f: F.Field, path: str):
    """Check one declared field in its object (`path`: its key path); the value, or None where not
    given (unknown)."""
    key = f.key.rsplit(".", 1)[-1]
    if f.kind == F.CHOICE:
        choices = f.choices
        group = F.GROUPS.get(f.name) if "." in f.key else None
        if group is not None and group.none and group.none in choices:
            # "none" of a group is the group's own value ("disability": "none"), never inside its object
            choices = {k: v for k, v in choices.items() if k != group.none}
            if obj.get(key) == group.none:
                c.fail(path, f"{choices_word(f, group.none)}请写成 \"{f.name}\": \"{group.none}\"，"
                             f"不要写在对象里；有{group.label.removesuffix('情况')}的，应为 {c._choices(choices)} 之一")
                return None
        return c.choice(obj, key, path, choices, required=f.required)
    if f.kind == F.FLAG:
        return c.boolean(obj, key, path)
    if f.kind == F.MONEY:
        value = c.money(obj, key, path, required=f.required)
        if f.positive and value is not None and value < Decimal("0.005"):  # 0.00 yuan once rounded to the fen
            c.fail(path, f"应大于 0（至少 0.01 元），实际是 {_show(obj.get(key))}")
            return None
        return value
    if f.kind == F.INTEGER:
        value = obj.get(key)
        if value is None:
            if f.required:
                c.fail(path, f"必须填写，{f.low} 到 {f.high} 的整数")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not f.low <= value <= f.high:
            words = "（一级最重）" if f.choices and f.key == "disability.grade" else ""
            c.fail(path, f"应为 {f.low} 到 {f.high} 之间的整数{words}，实际是 {_show(value)}")
            return None
        return value
    if f.kind == F.DATE:
        raw = obj.get(key)
        if raw is None:
            return None
        try:
            if not isinstance(raw, str) or not DATE_TEXT.fullmatch(raw):  # not 2025-W01-1 nor ２０２５-…
                raise ValueError
            return dt.date.fromisoformat(raw)
        except ValueError:
            c.fail(path, f"应为日期 YYYY-MM-DD（如 2026-01-31），实际是 {_show(raw)}")
            return None
    raise AssertionError(f"unknown kind {f.kind!r} of {f.key}")  # pragma: no cover - fields.py is fixed


def _level(c: _Checker, obj: dict, level_fields, path: str, members=None) -> dict:
    """Every declared field of one object (household or member), groups included, checked in the
    order of its keys (`members`: the check of the household's members list): {attribute: value}."""
    prefix = f"{path}." if path else ""
    names = F.names(level_fields[0].level)
    c.keys(obj, path, names)
    values = {}
    for name in names:
        if name == "members":
            values[name] = members(obj.get(name))
            continue
        inside = F.by_name(level_fields[0].level).get(name, [])
        if "." not in inside[0].key:
            values[name] = _field_value(c, obj, inside[0], prefix + name)
            continue
        raw = obj.get(name)
        none = F.GROUPS[name].none
        if raw is None:
            values[name] = GROUP_DEFAULTS.get(name, lambda: None)()
        elif none and raw == none:
            values[name] = none
        elif not isinstance(raw, dict):
            c.fail(prefix + name, f"{GROUP_EXAMPLES[name]}，实际是 {_kind(raw) if name == 'standards' else _show(raw)}")
            values[name] = GROUP_DEFAULTS.get(name, lambda: None)()
        else:
            c.keys(raw, prefix + name, F.group_keys(name))
            before = len(c.errors)
            inner = {g.key.split(".", 1)[1]: _field_value(c, raw, g, prefix + g.key) for g in inside}
            if name == "disability":
                values[name] = Disability(**inner) if len(c.errors) == before else None
            else:
                values[name] = {k: v for k, v in inner.items() if v is not None}
    return values


def choices_word(f: F.Field, value) -> str:
    return f.choices.get(value, str(value))


def parse_household(data) -> Household:
    """Check the input object and build a Household; raise InputError naming every bad field."""
    c = _Checker()
    if not isinstance(data, dict):
        raise InputError([FieldError("", "输入", f"应为一个 JSON 对象（{{...}}），实际是 {_kind(data)}")])

    def members(raw_members) -> tuple:
        out = []
        if raw_members is None:
            c.fail("members", "必须填写，至少一位家庭成员")
        elif not isinstance(raw_members, list):
            c.fail("members", f"应为成员列表，实际是 {_kind(raw_members)}")
        elif not raw_members:
            c.fail("members", "至少要有一位家庭成员")
        elif len(raw_members) > MAX_MEMBERS:
            c.fail("members", f"家庭成员最多 {MAX_MEMBERS} 人，实际是 {len(raw_members)} 人")
        else:
            for i, m in enumerate(raw_members):
                path = f"members[{i}]"
                if not isinstance(m, dict):
                    c.fail(path, f"应为对象，如 {{\"age\": 65}}，实际是 {_kind(m)}")
                    continue
                before = len(c.errors)
                member = _level(c, m, F.MEMBER_FIELDS, path)
                if len(c.errors) == before:
                    out.append(Member(**member))
        return tuple(out)

    values = _level(c, data, F.HOUSEHOLD_FIELDS, "", members)
    if c.errors:
        raise InputError(c.errors)
    return Household(**values)

"""The household input: a JSON object (the public format that the command line reads, staff save and
share, and the browser form produces). `parse_household` checks every field and returns a Household,
or raises InputError listing each bad field by its key path (e.g. `members[1].age`), its Chinese
label, what is wrong and what is allowed. Nothing is silently dropped: an unknown key is an error."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

AREAS = {"urban": "城市（城镇）", "rural": "农村"}
SUPPORTERS = {"none": "没有赡养抚养扶养义务人", "unable": "有，但没有赡养抚养扶养能力", "able": "有，且有能力赡养抚养扶养"}
DISABILITY_KINDS = {"physical": "肢体残疾", "intellectual": "智力残疾", "mental": "精神残疾", "visual": "视力残疾",
                    "hearing": "听力残疾", "speech": "言语残疾", "multiple": "多重残疾"}
STUDENT_STAGES = {"preschool": "学前教育", "primary": "小学", "junior_high": "初中", "senior_high": "高中",
                  "vocational": "中职（中专、技校）", "college": "大学（大专、本科）"}
EMERGENCIES = {"disaster": "自然灾害", "accident": "意外事故（交通事故等）", "fire": "火灾", "sudden_illness": "突发重病"}
SEXES = {"female": "女", "male": "男"}

MAX_MEMBERS = 30
MAX_AGE = 130
MAX_YUAN = Decimal("100000000")  # 1亿元: anything larger is a typing slip, not a household
MAX_TEXT = 100

# An amount typed as text: digits with an optional decimal part, optionally grouped by thousands
# (1,234.50). Full-width digits and commas are read as their ASCII forms. Anything else (1,5 or
# 1_000 or 1e5) is refused rather than guessed at.
AMOUNT_TEXT = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?|[+-]?\.[0-9]+")
DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What a Chinese input method types in full width: read as ASCII. Other digits (², ①, ٣) are refused.
FULL_WIDTH = str.maketrans("０１２３４５６７８９，．＋－", "0123456789,.+-")

LABELS = {
    "as_of": "测算日期", "area": "户籍所在地类别（城市/农村）", "members": "家庭成员",
    "monthly_income_yuan": "家庭月收入（元，全家合计）", "supporters": "法定赡养抚养扶养义务人",
    "assets_within_limits": "家庭财产是否符合规定", "medical_expenses_yuan": "近12个月自付医疗费用（元）",
    "education_expenses_yuan": "近12个月自付教育费用（元）", "emergency": "突发急难情况",
    "standards": "低保标准（自行填写）", "standards.urban_dibao_monthly": "城市低保月标准（元/人·月）",
    "standards.rural_dibao_monthly": "农村低保月标准（元/人·月）",
    "housing_difficulty": "住房是否困难（无房、危房等）", "poverty_registered": "是否建档立卡贫困户",
    "hardship_worker": "家中是否有困难职工", "legal_case": "是否涉案涉法、因案致困", "homeless": "是否生活无着、流浪乞讨",
    "left_behind": "是否“三留守”家庭（留守老人、妇女、儿童）",
    "age": "年龄（周岁）", "disability": "残疾情况", "disability.kind": "残疾类别", "disability.grade": "残疾等级",
    "serious_illness": "是否患重特大疾病", "student": "在读学段", "sex": "性别", "veteran": "是否退役军人",
    "seeking_work": "是否未就业且想找工作", "two_cancers": "是否患宫颈癌或乳腺癌",
}


@dataclass(frozen=True)
class Disability:
    kind: str
    grade: int


@dataclass(frozen=True)
class Member:
    age: int
    disability: Disability | None = None
    serious_illness: bool = False
    student: str | None = None
    sex: str | None = None
    veteran: bool = False
    seeking_work: bool | None = None
    two_cancers: bool = False


@dataclass(frozen=True)
class Household:
    area: str
    members: tuple[Member, ...]
    monthly_income_yuan: Decimal
    supporters: str | None = None
    assets_within_limits: bool | None = None
    medical_expenses_yuan: Decimal = Decimal(0)
    education_expenses_yuan: Decimal = Decimal(0)
    emergency: str | None = None
    as_of: dt.date | None = None
    standards: dict = field(default_factory=dict)
    housing_difficulty: bool | None = None
    poverty_registered: bool = False
    hardship_worker: bool = False
    legal_case: bool = False
    homeless: bool = False
    left_behind: bool = False


@dataclass
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

    def boolean(self, obj: dict, key: str, path: str, default=False, nullable=False):
        if key not in obj:
            return default
        value = obj[key]
        if value is None and nullable:
            return None
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(path, f"应为 true（是）或 false（否）{'或 null（不清楚）' if nullable else ''}，实际是 {_show(value)}")
            return default
        return value

    def money(self, obj: dict, key: str, path: str, required=False, default=Decimal(0)):
        if key not in obj or obj[key] is None:
            if required:
                self.fail(path, "必须填写，单位元，可填 0")
            return None if required else default
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


HOUSEHOLD_KEYS = ("as_of", "area", "members", "monthly_income_yuan", "supporters", "assets_within_limits",
                  "medical_expenses_yuan", "education_expenses_yuan", "emergency", "standards",
                  "housing_difficulty", "poverty_registered", "hardship_worker", "legal_case", "homeless",
                  "left_behind")
MEMBER_KEYS = ("age", "disability", "serious_illness", "student", "sex", "veteran", "seeking_work", "two_cancers")


def parse_household(data) -> Household:
    """Check the input object and build a Household; raise InputError naming every bad field."""
    c = _Checker()
    if not isinstance(data, dict):
        raise InputError([FieldError("", "输入", f"应为一个 JSON 对象（{{...}}），实际是 {_kind(data)}")])
    c.keys(data, "", HOUSEHOLD_KEYS)

    as_of = None
    if data.get("as_of") is not None:
        raw = data["as_of"]
        try:
            if not isinstance(raw, str) or not DATE_TEXT.fullmatch(raw):  # not 2025-W01-1 nor ２０２５-…
                raise ValueError
            as_of = dt.date.fromisoformat(raw)
        except ValueError:
            c.fail("as_of", f"应为日期 YYYY-MM-DD（如 2026-01-31），实际是 {_show(raw)}")

    area = c.choice(data, "area", "area", AREAS, required=True)
    members = []
    raw_members = data.get("members")
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
            member = _member(c, m, f"members[{i}]")
            if member is not None:
                members.append(member)

    income = c.money(data, "monthly_income_yuan", "monthly_income_yuan", required=True)
    supporters = c.choice(data, "supporters", "supporters", SUPPORTERS)
    assets = c.boolean(data, "assets_within_limits", "assets_within_limits", default=None, nullable=True)
    medical = c.money(data, "medical_expenses_yuan", "medical_expenses_yuan")
    education = c.money(data, "education_expenses_yuan", "education_expenses_yuan")
    emergency = c.choice(data, "emergency", "emergency", EMERGENCIES)

    standards = {}
    raw_std = data.get("standards")
    if raw_std is not None:
        if not isinstance(raw_std, dict):
            c.fail("standards", f"应为对象，如 {{\"urban_dibao_monthly\": 1000}}，实际是 {_kind(raw_std)}")
        else:
            c.keys(raw_std, "standards", ("urban_dibao_monthly", "rural_dibao_monthly"))
            for key in ("urban_dibao_monthly", "rural_dibao_monthly"):
                if raw_std.get(key) is not None:
                    value = c.money(raw_std, key, f"standards.{key}")
                    if value is not None and value < Decimal("0.005"):  # 0.00 yuan once rounded to the fen
                        c.fail(f"standards.{key}", "低保标准应大于 0（至少 0.01 元）")
                    elif value is not None:
                        standards[key] = value

    flags = {k: c.boolean(data, k, k) for k in ("poverty_registered", "hardship_worker", "legal_case",
                                                 "homeless", "left_behind")}
    housing = c.boolean(data, "housing_difficulty", "housing_difficulty", default=None, nullable=True)
    if c.errors:
        raise InputError(c.errors)
    return Household(area=area, members=tuple(members), monthly_income_yuan=income, supporters=supporters,
                     assets_within_limits=assets, medical_expenses_yuan=medical, education_expenses_yuan=education,
                     emergency=emergency, as_of=as_of, standards=standards, housing_difficulty=housing, **flags)


def _member(c: _Checker, m, path: str) -> Member | None:
    if not isinstance(m, dict):
        c.fail(path, f"应为对象，如 {{\"age\": 65}}，实际是 {_kind(m)}")
        return None
    before = len(c.errors)
    c.keys(m, path, MEMBER_KEYS)
    age = m.get("age")
    if age is None:
        c.fail(f"{path}.age", "必须填写，整数周岁")
    elif isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE:
        c.fail(f"{path}.age", f"应为 0 到 {MAX_AGE} 之间的整数周岁，实际是 {_show(age)}")
    disability = None
    d = m.get("disability")
    if d is not None:
        if not isinstance(d, dict):
            c.fail(f"{path}.disability", f"应为 null（无残疾）或对象，如 {{\"kind\": \"physical\", \"grade\": 2}}，实际是 {_show(d)}")
        else:
            c.keys(d, f"{path}.disability", ("kind", "grade"))
            kind = c.choice(d, "kind", f"{path}.disability.kind", DISABILITY_KINDS, required=True)
            grade = d.get("grade")
            if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
                c.fail(f"{path}.disability.grade", f"应为 1 到 4 的整数（一级最重），实际是 {_show(grade)}")
            elif kind:
                disability = Disability(kind, grade)
    student = c.choice(m, "student", f"{path}.student", STUDENT_STAGES)
    sex = c.choice(m, "sex", f"{path}.sex", SEXES)
    serious = c.boolean(m, "serious_illness", f"{path}.serious_illness")
    veteran = c.boolean(m, "veteran", f"{path}.veteran")
    seeking = c.boolean(m, "seeking_work", f"{path}.seeking_work", default=None, nullable=True)
    cancers = c.boolean(m, "two_cancers", f"{path}.two_cancers")
    if len(c.errors) > before:
        return None
    return Member(age=age, disability=disability, serious_illness=serious, student=student, sex=sex,
                  veteran=veteran, seeking_work=seeking, two_cancers=cancers)

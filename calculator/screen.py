"""政策找人: screen a village roster. One row per person (CSV, UTF-8 with or without the BOM Excel
writes, Chinese or English headers), grouped into households by 户编号; or JSON Lines, one household
object per line (with an optional "id"). Out: one row per household with the programmes to follow
up and why. A bad row is reported with its row number and field; the other households are still
screened."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from .engine import evaluate
from .household import (DISABILITY_KINDS, EMERGENCIES, STUDENT_STAGES, SUPPORTERS, FieldError, InputError,
                        FULL_WIDTH, parse_household, safe_text)
from .jsonio import loads
from .rules import STATUS_ORDER

# CSV column: (key, Chinese header, level). Household-level columns may be filled on the first row of
# a household only; if they are filled on several rows, they must agree.
COLUMNS = [
    ("id", "户编号", "household"), ("village", "村", "household"), ("area", "城乡", "household"),
    ("monthly_income_yuan", "家庭月收入（元）", "household"), ("supporters", "赡养抚养扶养人", "household"),
    ("assets_within_limits", "财产符合规定", "household"), ("medical_expenses_yuan", "近12个月自付医疗费（元）", "household"),
    ("education_expenses_yuan", "近12个月自付教育费（元）", "household"), ("emergency", "突发急难", "household"),
    ("housing_difficulty", "住房困难", "household"), ("poverty_registered", "建档立卡", "household"),
    ("age", "年龄", "member"), ("disability_kind", "残疾类别", "member"), ("disability_grade", "残疾等级", "member"),
    ("serious_illness", "重特大疾病", "member"), ("student", "在读学段", "member"), ("sex", "性别", "member"),
    ("seeking_work", "想找工作", "member"),
]
HEADER_TO_KEY = {h: k for k, h, _ in COLUMNS} | {k: k for k, _, _ in COLUMNS}
LEVEL = {k: lvl for k, _, lvl in COLUMNS}
CN = {k: h for k, h, _ in COLUMNS}

YES = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "无", "没有", "n", "no", "false", "0", "×"}
WORDS = {
    "area": {"城市": "urban", "城镇": "urban", "农村": "rural", "urban": "urban", "rural": "rural"},
    "supporters": {"无": "none", "没有": "none", "有但无能力": "unable", "无能力": "unable", "有能力": "able",
                   "有": "able"} | {k: k for k in SUPPORTERS},
    "disability_kind": {v.replace("残疾", ""): k for k, v in DISABILITY_KINDS.items()}
                       | {v: k for k, v in DISABILITY_KINDS.items()} | {k: k for k in DISABILITY_KINDS},
    "student": {"学前": "preschool", "幼儿园": "preschool", "小学": "primary", "初中": "junior_high",
                "高中": "senior_high", "中职": "vocational", "中专": "vocational", "技校": "vocational",
                "大学": "college", "大专": "college", "本科": "college"}
               | {v: k for k, v in STUDENT_STAGES.items()} | {k: k for k in STUDENT_STAGES},
    "emergency": {"自然灾害": "disaster", "受灾": "disaster", "意外事故": "accident", "交通事故": "accident",
                  "火灾": "fire", "突发重病": "sudden_illness"} | {k: k for k in EMERGENCIES},
    "sex": {"女": "female", "男": "male", "female": "female", "male": "male"},
}
# A town's roster is a few thousand rows; far more is a wrong file (and would keep a browser busy).
MAX_ROWS = 50_000
MAX_ID = 100  # characters of a 户编号 or 村 kept in the output

# The csv module's messages, in Chinese.
CSV_MESSAGES = [
    ("field larger than field limit", f"某一格内容过长（超过 {csv.field_size_limit():,} 个字符），可能是引号没有配对"),
    ("unexpected end of data", "文件在引号中间结束，可能是引号没有配对"),
    ("new-line character seen in unquoted field", "换行符的位置不对"),
    ("line contains NUL", "含有 NUL 字符"),
]
# A cell that a spreadsheet would run as a formula (=, +, -, @, or a leading tab or return).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

OUT_HEADER = ["户编号", "村", "人数", "人均月收入（元）", "建议跟进", "很可能符合", "可能符合", "信息不足",
              "需补充的信息", "低保月金额估算（元）", "负责单位", "错误"]


class RosterError(Exception):
    pass


def _csv_message(exc: csv.Error) -> str:
    text = str(exc)
    return next((cn for en, cn in CSV_MESSAGES if en in text), "格式错误")


@dataclass
class Group:
    id: str
    village: str = ""
    first_row: int = 0
    household: dict = field(default_factory=dict)
    members: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _cell(key: str, raw: str, row: int, errors: list) -> object:
    """Convert one CSV cell; '' means not given."""
    text = raw.strip()
    if text == "":
        return None
    if key in WORDS:
        value = WORDS[key].get(text) or WORDS[key].get(text.lower())
        if value is None:
            errors.append(f"第{row}行 {CN[key]}（{key}）：不认识 {_short(text)!r}，可填：{'、'.join(dict.fromkeys(WORDS[key]))}")
        return value
    if key in ("assets_within_limits", "housing_difficulty", "poverty_registered", "serious_illness", "seeking_work"):
        low = text.lower()
        if low in YES:
            return True
        if low in NO:
            return False
        errors.append(f"第{row}行 {CN[key]}（{key}）：应填 是 或 否，实际是 {_short(text)!r}")
        return None
    if key in ("age", "disability_grade"):
        digits = text.translate(FULL_WIDTH)
        if re.fullmatch("[0-9]{1,3}", digits):
            return int(digits)
        errors.append(f"第{row}行 {CN[key]}（{key}）：应为整数，实际是 {_short(text)!r}")
        return None
    return text  # money: validated by the household parser


def read_csv(text: str) -> list[Group]:
    text = text.lstrip("\ufeff")
    # newline="": the csv module sees every line ending as written (\r\n, \n or a lone \r).
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RosterError("名单是空的：第1行应为表头") from None
    except csv.Error as exc:
        raise RosterError(f"第1行不是有效的 CSV：{_csv_message(exc)}") from None
    keys = []
    for i, h in enumerate(header):
        key = HEADER_TO_KEY.get(h.strip())
        if key is None:
            raise RosterError(f"第1行表头第{i + 1}列 {_short(h.strip())!r} 不认识；可用的列：{'、'.join(CN.values())}")
        if key in keys:
            raise RosterError(f"第1行表头第{i + 1}列 {CN[key]} 与第{keys.index(key) + 1}列重复：每一列只能出现一次")
        keys.append(key)
    for required in ("id", "area", "monthly_income_yuan", "age"):
        if required not in keys:
            raise RosterError(f"表头缺少必需的列：{CN[required]}")
    groups: dict[str, Group] = {}
    row = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row += 1
            groups[f"第{row}行"] = Group(f"第{row}行", first_row=row,
                                        errors=[f"第{row}行不是有效的 CSV：{_csv_message(exc)}"])
            continue
        row = reader.line_num
        if row > MAX_ROWS + 1:
            raise RosterError(f"名单过大：超过 {MAX_ROWS:,} 行，请分成几个文件")
        if not any(c.strip() for c in cells):
            continue
        errors: list[str] = []
        if len(cells) != len(keys):
            errors.append(f"第{row}行：有 {len(cells)} 列，表头有 {len(keys)} 列")
        values = {k: _cell(k, c, row, errors) for k, c in zip(keys, cells)}
        hid = _short(safe_text(str(values.get("id") or f"第{row}行")))
        g = groups.setdefault(hid, Group(hid, first_row=row))
        g.errors += errors
        if values.get("village"):
            g.village = _short(safe_text(str(values["village"])))
        for k, v in values.items():
            if v is None or k in ("id", "village"):
                continue
            if LEVEL[k] == "household":
                if k in g.household and g.household[k] != v:
                    g.errors.append(f"第{row}行 {CN[k]}（{k}）：与本户前面的行不一致（{g.household[k]!r} 与 {v!r}）")
                g.household[k] = v
        member = {"age": values.get("age")}
        if values.get("disability_kind") or values.get("disability_grade") is not None:
            member["disability"] = {"kind": values.get("disability_kind"), "grade": values.get("disability_grade")}
        for k in ("serious_illness", "student", "sex", "seeking_work"):
            if values.get(k) is not None:
                member[k] = values[k]
        g.members.append((row, member))
    return list(groups.values())


def _short(text: str) -> str:
    return text if len(text) <= MAX_ID else text[:MAX_ID - 1] + "…"


def read_jsonl(text: str) -> list[Group]:
    groups = []
    for n, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        line = line.rstrip("\r")
        if n > MAX_ROWS:
            raise RosterError(f"名单过大：超过 {MAX_ROWS:,} 行，请分成几个文件")
        if not line.strip():
            continue
        g = Group(f"第{n}行", first_row=n)
        try:
            obj = loads(line, f"第{n}行")
        except InputError as exc:
            g.errors.append(f"第{n}行：{exc.errors[0].message}")
            groups.append(g)
            continue
        if isinstance(obj, dict):
            for key in getattr(obj, "duplicates", ()):  # lost by the copy below: report them now
                g.errors.append(f"第{n}行 {key!r}：字段写了不止一次，无法确定用哪一个值")
            obj = dict(obj)
            g.id = _short(safe_text(str(obj.pop("id", g.id))))
            g.village = _short(safe_text(str(obj.pop("village", "") or "")))
        g.household = obj
        g.members = None
        groups.append(g)
    return groups


def _household_input(g: Group, as_of, standards) -> dict:
    if g.members is None:
        data = g.household
        if isinstance(data, dict):
            data = dict(data)
    else:
        data = dict(g.household, members=[m for _, m in g.members])
    if isinstance(data, dict):
        if as_of:
            data["as_of"] = as_of
        own = data.get("standards")
        if standards and (own is None or isinstance(own, dict)):
            data["standards"] = dict(own or {}, **standards)
        # else: a household's own non-object "standards" is left for the validator to name
    return data


def _field_error_text(g: Group, e: FieldError) -> str:
    """Name the roster row of a member error (members[2] -> that member's CSV row)."""
    if g.members is not None and e.path.startswith("members["):
        idx = int(e.path[8:e.path.index("]")])
        return f"第{g.members[idx][0]}行 {e.label}（{e.path}）：{e.message}"
    return f"第{g.first_row}行 {e}"


def screen(groups: list[Group], bundle: dict, as_of: str | None = None, standards: dict | None = None,
           today: dt.date | None = None) -> list[list[str]]:
    rows = [OUT_HEADER]
    names = {p["id"]: p["name"] for p in bundle["programmes"]}
    for g in groups:
        errors = list(g.errors)
        result = None
        if not errors:
            try:
                result = evaluate(parse_household(_household_input(g, as_of, standards)), bundle, today)
            except InputError as exc:
                errors = [_field_error_text(g, e) for e in exc.errors]
        if result is None:
            rows.append([g.id, g.village, "", "", "", "", "", "", "", "", "", "；".join(errors)])
            continue
        progs = sorted(result["programmes"], key=lambda p: STATUS_ORDER[p["status"]])
        by = {s: [p for p in progs if p["status"] == s] for s in STATUS_ORDER}
        follow = by["likely"] + by["possible"]
        dibao = next(p for p in progs if p["id"] == "dibao")
        monthly = (dibao["amount"] or {}).get("monthly_yuan") if dibao["status"] == "likely" else None
        missing = list(dict.fromkeys(m for p in by["unknown"] for m in p["missing"]))
        offices = list(dict.fromkeys(p["next_steps"]["office"]["name"] for p in follow))
        why = [f"{p['name']}：{'；'.join(c['text'] for c in p['conditions'] if c['met'])}" for p in follow]
        rows.append([g.id, g.village, str(result["household"]["members"]), result["household"]["per_capita_income_yuan"],
                     " | ".join(why), "、".join(names[p["id"]] for p in by["likely"]),
                     "、".join(names[p["id"]] for p in by["possible"]),
                     "、".join(names[p["id"]] for p in by["unknown"]), "；".join(missing), monthly or "",
                     "、".join(offices), ""])
    return rows


def screen_text(text: str, bundle: dict, fmt: str = "csv", as_of: str | None = None,
                standards: dict | None = None, today: dt.date | None = None) -> list[list[str]]:
    """Screen a roster given as text: the header row, then one row per household."""
    groups = read_jsonl(text) if fmt == "jsonl" else read_csv(text)
    return screen(groups, bundle, as_of, standards, today)


def _cell_out(value) -> str:
    """A cell as written: escaped like calculator.household.safe_text, and never a formula (a cell
    starting with = + - @ gets a leading apostrophe, as spreadsheets themselves write text)."""
    text = safe_text(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: list[list[str]]) -> str:
    """CSV text with a BOM, so Excel opens the Chinese correctly."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[_cell_out(c) for c in row] for row in rows])
    return "\ufeff" + out.getvalue()

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
from decimal import Decimal

from . import fields as F
from .engine import evaluate
from .household import HOUSEHOLD_KEYS, FieldError, InputError, FULL_WIDTH, label_for, parse_household, safe_text
from .jsonio import loads
from .money import cn_yuan, yuan_str
from .record import factory, record
from .rules import STATUS_ORDER

# CSV column: (key, Chinese header, level), one for every declared field (calculator.fields), after
# the household's id and village. Household-level columns may be filled on the first row of a
# household only; if they are filled on several rows, they must agree. Columns are found by their
# header (the Chinese header, the field's label or its key), in any order; any may be left out but
# the required ones.
ID_COLUMNS = [("id", "户编号", F.HOUSEHOLD), ("village", "村", F.HOUSEHOLD)]
COLUMNS = ID_COLUMNS + [(f.key, f.header, f.level) for f in F.FIELDS]
FIELD = {(f.key): f for f in F.FIELDS}
REQUIRED = ["id"] + [f.key for f in F.FIELDS if f.required and "." not in f.key]
LEVEL = {k: lvl for k, _, lvl in COLUMNS}
CN = {k: h for k, h, _ in COLUMNS}
_PUNCT = str.maketrans("，（）：；、", ",():;,", " \u3000")


def _norm(text: str) -> str:
    """A header or a word as compared: full-width punctuation as ASCII, no spaces, lower case."""
    return text.translate(FULL_WIDTH).translate(_PUNCT).replace(" ", "").lower()


HEADER_TO_KEY = {_norm(w): k for k, h, _ in COLUMNS for w in (k, h)} \
    | {_norm(f.label): f.key for f in F.FIELDS}
WORDS = {f.key: {_norm(w): v for w, v in f.words.items()} for f in F.FIELDS if f.words}
AMBIGUOUS = {f.key: {_norm(w): why for w, why in f.ambiguous.items()} for f in F.FIELDS if f.ambiguous}
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

RANK = "跟进顺序"
OUT_HEADER = ["户编号", "村", "人数", "人均月收入（元）", RANK, "建议跟进", "很可能符合", "可能符合", "取决于当地标准", "信息不足",
              "需补充的信息", "低保月金额估算（元）", "负责单位", "错误"]


class RosterError(Exception):
    pass


def _csv_message(exc: csv.Error) -> str:
    text = str(exc)
    return next((cn for en, cn in CSV_MESSAGES if en in text), "格式错误")


@record
class Group:
    id: str
    village: str = ""
    first_row: int = 0
    household: dict = factory(dict)
    members: list = factory(list)
    errors: list = factory(list)
    failed: set = factory(set)  # key paths of cells already reported as unreadable


def _msg(key: str, row: int, text: str) -> str:
    """A cell's message: the Chinese column and the row first, the developer key last."""
    return f"{CN[key]}（第{row}行）：{text}（{key}）"


def allowed_words(f: F.Field) -> list[str]:
    """The words a roster cell of this field may hold, the form's own words first."""
    words = [w for w in f.words if not w.isascii() or f.kind == F.INTEGER]
    return list(dict.fromkeys(str(w) for w in words))


def _cell(key: str, raw: str, row: int, errors: list) -> object:
    """Convert one CSV cell; '' (and 不清楚) means not given. A word that cannot be read is reported
    (in `errors`) and read as not given: _FAILED tells the caller the cell was bad."""
    text = raw.strip()
    if text == "":
        return None
    if key in ("id", "village"):
        return text
    f = FIELD[key]
    word = _norm(text)
    if word in AMBIGUOUS.get(key, {}):
        errors.append(_msg(key, row, f"{_short(text)!r} 有歧义：{AMBIGUOUS[key][word]}"))
        return _FAILED
    if word in WORDS.get(key, {}):
        return WORDS[key][word]
    if f.kind == F.INTEGER:
        digits = text.translate(FULL_WIDTH)
        if re.fullmatch("[0-9]{1,3}", digits):
            return int(digits)
        errors.append(_msg(key, row, f"应为整数，实际是 {_short(text)!r}"
                                     + (f"；可填：{'、'.join(allowed_words(f))}" if f.choices else "")))
        return _FAILED
    if f.kind in (F.MONEY, F.DATE):
        return text  # validated by the household parser
    errors.append(_msg(key, row, f"不认识 {_short(text)!r}，可填：{'、'.join(allowed_words(f))}"))
    return _FAILED


_FAILED = object()


def _put(obj: dict, key: str, value) -> None:
    """obj["disability"]["kind"] = value for key "disability.kind"."""
    *groups, last = key.split(".")
    for g in groups:
        obj = obj.setdefault(g, {})
    obj[last] = value


def _none_groups(obj: dict, row: int, errors: list) -> None:
    """A group answered "none" in its first column (残疾类别：没有残疾) is the group's JSON value "none"
    ("disability": "none"); its other columns must then be empty."""
    for name, group in F.GROUPS.items():
        inner = obj.get(name)
        if not group.none or not isinstance(inner, dict):
            continue
        first, *rest = F.group_fields(name)
        if inner.get(first.key.split(".", 1)[1]) != group.none:
            continue
        for f in rest:
            if f.key.split(".", 1)[1] in inner:
                errors.append(_msg(f.key, row, f"{first.header}填的是“{first.choices[group.none]}”，{f.header}应留空"))
        obj[name] = group.none


def _header_keys(header: list[str]) -> list[str]:
    keys = []
    for i, h in enumerate(header):
        key = HEADER_TO_KEY.get(_norm(h))
        if key is None:
            raise RosterError(f"第1行表头第{i + 1}列 {_short(h.strip())!r} 不认识；可用的列：{'、'.join(CN.values())}")
        if key in keys:
            raise RosterError(f"第1行表头第{i + 1}列 {CN[key]} 与第{keys.index(key) + 1}列重复：每一列只能出现一次")
        keys.append(key)
    for required in REQUIRED:
        if required not in keys:
            raise RosterError(f"表头缺少必需的列：{CN[required]}")
    return keys


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
    keys = _header_keys(header)
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
        member: dict = {}
        index = len(g.members)
        for k, v in values.items():
            if k in ("id", "village"):
                continue
            if LEVEL[k] == F.HOUSEHOLD:
                if v is _FAILED:
                    g.failed.add(k)
                elif v is not None:
                    if k in g.household and g.household[k] != v:
                        g.errors.append(_msg(k, row, f"与本户前面的行不一致（{g.household[k]!r} 与 {v!r}）"))
                    g.household[k] = v
            elif v is _FAILED:
                g.failed.add(f"members[{index}].{k}")
            elif v is not None:
                _put(member, k, v)
        _none_groups(member, row, g.errors)
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
                label = label_for(key) if isinstance(key, str) and key in HOUSEHOLD_KEYS else "重复字段"
                g.errors.append(f"{label}（第{n}行）：字段写了不止一次，无法确定用哪一个值（{_short(safe_text(str(key)))}）")
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
        data = {}
        for key, value in g.household.items():
            _put(data, key, value)
        data["members"] = [m for _, m in g.members]
    if isinstance(data, dict):
        if as_of:
            data["as_of"] = as_of
        own = data.get("standards")
        if standards and (own is None or isinstance(own, dict)):
            data["standards"] = dict(own or {}, **standards)
        # else: a household's own non-object "standards" is left for the validator to name
    return data


def _field_error_text(g: Group, e: FieldError) -> str:
    """A validator message as a roster message: the Chinese column (or label) and the row first, the
    key path last (members[2] -> that member's CSV row)."""
    if g.members is None:
        return f"{e.label}（第{g.first_row}行）：{e.message}（{e.path}）" if e.path else f"第{g.first_row}行：{e.message}"
    if e.path.startswith("members["):
        idx = int(e.path[8:e.path.index("]")])
        key = e.path[e.path.index("]") + 2:]
        return f"{CN.get(key, e.label)}（第{g.members[idx][0]}行）：{e.message}（{e.path}）"
    return f"{CN.get(e.path, e.label)}（第{g.first_row}行）：{e.message}（{e.path}）"


def _reported(g: Group, path: str) -> bool:
    """Was this key path's cell already reported as unreadable?"""
    return any(path == p or path.startswith(p + ".") for p in g.failed)


def _break_even(p: dict, bundle: dict) -> str:
    """建议跟进 for a programme that waits on pending standards: "最低生活保障：农村低保月标准只要高于
    200元即符合收入条件" (one phrase per condition that carries `needs`)."""
    parts = []
    for c in p["conditions"]:
        needs = c.get("needs")
        for n in ([needs] if isinstance(needs, dict) else needs or []):
            name = bundle["parameters"][n["parameter"]]["description"].split("（")[0]
            what = "收入条件" if "income" in c["id"] else "这一条件"
            if n.get("above") is not None:
                parts.append(f"{name}只要高于{cn_yuan(Decimal(n['above']))}即符合{what}")
            elif n.get("below") is not None:
                parts.append(f"{name}只要不高于{cn_yuan(Decimal(n['below']))}即符合{what}")
    return f"{p['name']}：{'；'.join(dict.fromkeys(parts))}" if parts else ""


# 跟进顺序: who to visit first. By the household's best status among the programmes of need, 基本生活救助
# and 急难救助 (NEED_CATEGORIES): 很可能符合, then 可能符合 and 取决于当地标准 as one (TIER: a programme
# waiting only on the standard the town will publish is as much worth a visit as one the office may
# grant; ranked apart, a household with a 临时救助 that is 可能符合 at best would come before the 72-year-old
# alone on 600 yuan whose 特困 waits on the standard), then 信息不足, then the rest; within one, the
# household furthest under the 低保 line first: by per-capita income as a share of its area's standard
# where that is known (published, or given for the roster), else (the standard pending) by per-capita
# income itself, which is the figure the 建议跟进 text says the standard would have to exceed, so the
# lower it is the more clearly the household qualifies; then by the best status among the other
# programmes. The special programmes and 社会力量 are left to the last place because some are open to
# anyone who asks (春风行动 for whoever wants a job): counted first, they would put a well-off household
# that wants work before a poor one whose 低保 waits on the standard. Ties keep the roster's order. A
# household whose rows have errors gets no number and comes last.
NEED_CATEGORIES = ("basic_living", "emergency")
TIER = {"likely": 0, "possible": 1, "depends": 1, "unknown": 2}
UNRANKED = max(TIER.values()) + 1  # none of the programmes may fit
ORDER_NOTE = ("结果按“跟进顺序”排列（1 = 最先跟进），先看基本生活救助和急难救助项目（低保、特困、临时救助等）："
              "先是其中有很可能符合的，再是可能符合或取决于当地标准的、信息不足的，最后是都不符合的；同一类中，"
              "家庭人均月收入离低保标准越远的越靠前（标准已知的按人均收入占标准的比例，标准待公布的按人均收入，"
              "也就是“低保标准只要高于多少元”的那个数），再看其他专项救助；相同的保持名单原来的顺序；"
              "信息有误的户没有顺序号，排在最后。")
KEEP_ORDER_LABEL = "保持名单原来的顺序（不按跟进顺序排列）"
ORDER_NOTE_INPUT = "结果按名单原来的顺序排列；“跟进顺序”一列（1 = 最先跟进）给出建议的走访顺序，可在 Excel 中按这一列排序。"


def _each_once(items) -> list[str]:
    """What is missing, each thing once: a programme's item may name several things (joined by ；; not
    split at 、, which labels themselves contain: 是否涉案涉法、因案致困), and one thing may come with or
    without its hint in brackets (农村低保月标准（可在…填写…）): the first wording is kept."""
    out: dict[str, str] = {}
    for item in items:
        for part in item.split("；"):
            out.setdefault(part.split("（")[0], part)
    return list(out.values())


def follow_up_key(result: dict) -> tuple:
    """The sort key of a screened household (smaller = follow up sooner): its tier among the programmes
    of need, how far it is under the 低保 line, its tier among the others (see NEED_CATEGORIES above)."""
    def tier(need: bool) -> int:
        return min((TIER[p["status"]] for p in result["programmes"]
                    if (p["category"] in NEED_CATEGORIES) == need and p["status"] in TIER), default=UNRANKED)

    need, other = tier(True), tier(False)
    pc = result["household"]["per_capita_income_yuan"]
    if pc is None:
        return (need, 2, Decimal(0), other)
    area = result["household"]["area"]
    std = next((v["value"] for k, v in result["standards"].items() if k.startswith(area) and v["value"]), None)
    if std is not None and Decimal(std) > 0:
        return (need, 0, Decimal(pc) / Decimal(std), other)
    return (need, 1, Decimal(pc), other)


def screen(groups: list[Group], bundle: dict, as_of: str | None = None, standards: dict | None = None,
           today: dt.date | None = None, keep_order: bool = False) -> list[list[str]]:
    """The result table: the header, then one row per household, sorted by its 跟进顺序 column
    (`keep_order`: in the roster's order, the column still filled)."""
    rows = []
    keys = []
    names = {p["id"]: p["name"] for p in bundle["programmes"]}
    for g in groups:
        errors = list(g.errors)
        result = None
        try:  # run even after a bad cell, so that every error of a row is reported at once
            household = parse_household(_household_input(g, as_of, standards))
            if not errors:
                result = evaluate(household, bundle, today)
        except InputError as exc:
            errors += [_field_error_text(g, e) for e in exc.errors if not _reported(g, e.path)]
        if result is None:
            rows.append([g.id, g.village, "", "", "", "", "", "", "", "", "", "", "；".join(errors)])
            keys.append(None)
            continue
        keys.append(follow_up_key(result))
        progs = sorted(result["programmes"], key=lambda p: STATUS_ORDER[p["status"]])
        by = {s: [p for p in progs if p["status"] == s] for s in STATUS_ORDER}
        follow = by["likely"] + by["possible"]
        dibao = next(p for p in progs if p["id"] == "dibao")
        monthly = (dibao["amount"] or {}).get("monthly_yuan") if dibao["status"] == "likely" else None
        missing = _each_once(m for p in by["depends"] + by["unknown"] for m in p["missing"])
        # 取决于当地标准: each programme with the break-even figures its conditions carry (calculator.rules)
        depends = [f"{names[p['id']]}（{'；'.join(c['text'] for c in p['conditions'] if c.get('needs'))}）"
                   for p in by["depends"]]
        offices = list(dict.fromkeys(p["next_steps"]["office"]["name"] for p in follow + by["depends"]))
        why = [f"{p['name']}：{'；'.join(c['text'] for c in p['conditions'] if c['met'])}" for p in follow]
        # while a standard is pending, the households it would take in are still followed up: by the
        # break-even figure of each programme that waits on it (the same `needs` as the result's)
        why += [text for p in by["depends"] if (text := _break_even(p, bundle))]
        rows.append([g.id, g.village, str(result["household"]["members"]), result["household"]["per_capita_income_yuan"],
                     " | ".join(why), "、".join(names[p["id"]] for p in by["likely"]),
                     "、".join(names[p["id"]] for p in by["possible"]), " | ".join(depends),
                     "、".join(names[p["id"]] for p in by["unknown"]), "；".join(missing), monthly or "",
                     "、".join(offices), ""])
    ranked = sorted((k, i) for i, k in enumerate(keys) if k is not None)  # i: ties keep the roster's order
    rank = {i: str(n) for n, (_, i) in enumerate(ranked, start=1)}
    order = list(range(len(rows))) if keep_order else [i for _, i in ranked] + [i for i, k in enumerate(keys) if k is None]
    at = OUT_HEADER.index(RANK)
    return [OUT_HEADER] + [rows[i][:at] + [rank.get(i, "")] + rows[i][at:] for i in order]


def screen_text(text: str, bundle: dict, fmt: str = "csv", as_of: str | None = None,
                standards: dict | None = None, today: dt.date | None = None,
                keep_order: bool = False) -> list[list[str]]:
    """Screen a roster given as text: the header row, then one row per household (see screen())."""
    groups = read_jsonl(text) if fmt == "jsonl" else read_csv(text)
    return screen(groups, bundle, as_of, standards, today, keep_order)


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


# ------------------------------------------------------------------------------ writing a roster

def _attr(obj, key: str):
    """The value of a field's key in a Household or Member ("standards.urban_dibao_monthly",
    "disability.kind"): None where not given."""
    name, _, inner = key.partition(".")
    value = getattr(obj, name)
    if not inner or value is None:
        return value
    if isinstance(value, str):  # a group answered "none" ("disability": "none"): in its first column
        return value if F.group_fields(name)[0].key == key else None
    return value.get(inner) if isinstance(value, dict) else getattr(value, inner)


def cell_word(f: F.Field, value) -> str:
    """A field's value as the roster writes it: the form's own words (是/否, 农村, 二级), money and
    dates as plain text; '' where not given."""
    if value is None:
        return ""
    if f.kind == F.FLAG:
        return F.YES_NO[value]
    if f.choices:
        return f.choices[value]
    if f.kind == F.MONEY:
        return format(value, "f")
    if f.kind == F.DATE:
        return value.isoformat()
    return str(value)


def roster_rows(households) -> list[list[str]]:
    """The roster of [(户编号, 村, Household), ...]: the header, then a row per person, every column by
    its header; the household's columns on its first row only."""
    rows = [[h for _, h, _ in COLUMNS]]
    for hid, village, h in households:
        for j, m in enumerate(h.members):
            row = []
            for key, _, level in COLUMNS:
                if key == "id":
                    row.append(hid)
                elif key == "village":
                    row.append(village if j == 0 else "")
                elif level == F.HOUSEHOLD:
                    row.append(cell_word(FIELD[key], _attr(h, key)) if j == 0 else "")
                else:
                    row.append(cell_word(FIELD[key], _attr(m, key)))
            rows.append(row)
    return rows


# The households of the roster template: what a village station's list looks like.
TEMPLATE_EXAMPLES = [
    ("示例1", "示例村", {"area": "rural", "monthly_income_yuan": 600, "supporters": "none", "assets_within_limits": True,
                     "medical_expenses_yuan": 0, "education_expenses_yuan": 0, "housing_difficulty": False,
                     "emergency": "none", "poverty_registered": False,
                     "members": [{"age": 72, "disability": "none", "student": "none", "serious_illness": False,
                                  "sex": "male"}]}),
    ("示例2", "示例村", {"area": "urban", "monthly_income_yuan": 1800, "supporters": "able", "assets_within_limits": True,
                     "medical_expenses_yuan": 25000, "education_expenses_yuan": 3000, "housing_difficulty": False,
                     "emergency": "none", "poverty_registered": False,
                     "members": [{"age": 45, "disability": {"kind": "physical", "grade": 4}, "student": "none",
                                  "serious_illness": True, "sex": "female", "seeking_work": False},
                                 {"age": 15, "disability": "none", "serious_illness": False, "student": "senior_high",
                                  "sex": "female"}]}),
]


def roster_template() -> str:
    """The roster template (CSV with a BOM, so that Excel on Chinese Windows opens it): every column,
    two example households."""
    return to_csv(roster_rows((hid, village, parse_household(h)) for hid, village, h in TEMPLATE_EXAMPLES))


GUIDE_HEADER = ["列名", "填在哪一行", "是否必填", "可填的内容", "示例", "说明"]


def _opens_group(f: F.Field) -> bool:
    """The first field of a group (残疾类别): left empty, the whole group is not given."""
    return "." in f.key and F.group_fields(f.name)[0] is f


def _allowed_text(f: F.Field) -> str:
    # a blank is never an answer: an optional column left empty (or 不清楚) is not given, unknown
    blank = "；不清楚的留空，或填“不清楚”" if f.optional or _opens_group(f) else ""
    if f.kind == F.DATE:
        blank = "；留空按当天测算"
    if f.name in F.GROUPS and F.GROUPS[f.name].none and _opens_group(f):
        group = F.GROUPS[f.name]
        blank += (f"；“{f.choices[group.none]}”（或“{'”“'.join(F.NONE_WORDS)}”）表示{f.choices[group.none]}，"
                  f"这时{'、'.join(g.header for g in F.group_fields(f.name)[1:])}留空")
    elif F.NONE in f.choices and f.kind == F.CHOICE:
        blank += f"；“{f.choices[F.NONE]}”（或“{'”“'.join(F.NONE_WORDS)}”）表示{f.choices[F.NONE]}"
    if f.kind == F.MONEY:
        return "金额（元），如 1500 或 1,500.50" + ("，须大于 0" if f.positive else "，没有填 0") + blank
    if f.kind == F.DATE:
        return "日期，格式 YYYY-MM-DD，如 2026-12-01" + blank
    if f.kind == F.INTEGER and not f.choices:
        return f"{f.low} 到 {f.high} 的整数" + blank
    words = "、".join(f"“{w}”" for w in allowed_words(f) if w not in F.UNKNOWN_WORDS and w != f.empty
                     and not (F.NONE in f.choices and w in F.NONE_WORDS))
    refused = "".join(f"；不能只填“{w}”（{why}）" for w, why in f.ambiguous.items())
    return words + blank + refused


def roster_guide() -> str:
    """名单填写说明 (CSV with a BOM, opened beside the template): every column of the roster, the row it
    goes on, whether it is required, the values it accepts and an example, from calculator.fields."""
    rows = [GUIDE_HEADER,
            ["户编号", "每一行", "必填", "任意文字；同一户的人填相同的户编号", "H001", "用来把同一户的人归在一起"],
            ["村", "本户第一行", "选填", "任意文字", "示例村", "写在结果表里，方便分村跟进"]]
    for f in F.FIELDS:
        where = "本户第一行（整户只填一次）" if f.level == F.HOUSEHOLD else "每人一行"
        required = ("必填" if f.required and "." not in f.key else
                    f"有{F.GROUPS[f.name].label.removesuffix('情况')}的必填" if f.required and not _opens_group(f) else "选填")
        note = "。".join(t.rstrip("。") for t in (f.label, f.hint) if t)
        if f.name == "standards" or f.key == "as_of":
            note += "。一般不填：筛查时可为整份名单统一填写"
        rows.append([f.header, where, required, _allowed_text(f), f.example or "", note])
    rows.append(["（筛查结果的顺序）", "", "", ORDER_NOTE, "",
                 f"要保持名单原来的顺序：网页上勾选“{KEEP_ORDER_LABEL.split('（')[0]}”，命令行加 --keep-order"])
    rows.append(["（说明）", "", "", "列的顺序可以调换，选填的列可以删去；表头也可以写字段名（如 area）", "", 
                 "保存时请选“CSV UTF-8（逗号分隔）”"])
    return to_csv(rows)

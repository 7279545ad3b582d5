"""The declared shape of every file in policy_data/."""

from __future__ import annotations

from .schema import (Ctx, Record, boolean, enum, iso_date, list_of, mapping_of, nullable, number, ref,
                     text, verbatim, ident, line_of, join, Checker)

UNITS = {
    # unit id: (kind of value, how a value reads in Chinese)
    "yuan_per_person_month": ("number", "元/人·月"),
    "yuan_per_person_year": ("number", "元/人·年"),
    "yuan": ("number", "元"),
    "multiple": ("number", "倍"),
    "age": ("number", "周岁"),
    "years": ("number", "年"),
    "months": ("number", "个月"),
    "days": ("number", "天"),
    "working_days": ("number", "个工作日"),
    "hours": ("number", "小时"),
    "persons": ("number", "人"),
    "percent": ("number", "%"),
    "grade_by_kind": ("grades", "级"),
    "cadence": ("cadence", ""),
}
DISABILITY_KINDS = ("physical", "intellectual", "mental", "visual", "hearing", "speech", "multiple")
# law: 《社会救助法》; national: State Council and ministry rules; city, county, town: local documents;
# guidance: the handbook's own notes (never a rule).
SOURCE_KINDS = ("law", "national", "city", "county", "town", "guidance")
# Generated pages (other than programme pages) a change may affect: see scripts/site/handbook.py.
CHANGE_PAGES = ("procedures", "national", "standards", "contacts", "groups")
CADENCES = ("daily", "weekly", "monthly", "quarterly", "yearly")

contact = Record({"phone": nullable(text), "address": nullable(text), "hours": nullable(text)})


def _contact_needs_source(ctx: Ctx, out: dict, raw, path: str) -> None:
    values = out.get("contact") or {}
    if any(v is not None for v in values.values()) and out.get("contact_source") is None:
        ctx.error(f"{path}.contact_source", "填写了联系方式，就必须写明来源（contact_source：来源 id）",
                  line_of(raw, "contact"))


def year(ctx: Ctx, value, path, line):
    """A year of issue (for a source whose exact date no text gives)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2100:
        ctx.error(path, f"应为四位数的年份，如 2023，实际是 {value!r}", line)
        return None
    return value


# `date` (of issue) and `in_force` only where a text gives them; a source whose copy gives no exact
# date has its `year` and a `note` saying so, and the 政策更新 page lists it as such (never silently).
source = Record(
    {"id": ident, "kind": enum(*SOURCE_KINDS), "title": text},
    {"issuer": text, "notice_title": text, "number": text, "date": iso_date, "in_force": iso_date, "issued": text,
     "year": year,
     "recipients": text, "file": text, "copy": text, "note": text, "cited_in": list_of(ref("paragraph")),
     "articles": list_of(Record({"id": ident, "label": text, "summary": text}, {"text": verbatim}))},
)

document = Record({
    "source": ref("source"),
    "file": text,
    "paragraphs": list_of(Record({"id": ident, "part": enum("notice", "opinion", "attachment"),
                                  "text": verbatim}), non_empty=True),
    "clauses": list_of(Record({"id": ident, "paragraph": ref("paragraph"), "quote": verbatim})),
    "errata": list_of(Record({"paragraph": ref("paragraph"), "text": verbatim, "correction": verbatim,
                              "note": text}), unique=False),
    "artefacts": list_of(Record({"line": verbatim, "note": text}), unique=False),
})

office = Record(
    {"id": ident, "name": text, "full_name": text, "contact": contact,
     "contact_source": nullable(ref("source"))},
    {"role": text},
    check=_contact_needs_source,
)

access_point = Record(
    {"id": ident, "name": text, "long_name": text, "does": text,
     "clauses": list_of(ref("clause"), non_empty=True), "contact": contact,
     "contact_source": nullable(ref("source"))},
    check=_contact_needs_source,
)

section = Record(
    {"id": ref("paragraph"), "number": text, "title": text,
     "paragraphs": list_of(ref("paragraph"), non_empty=True), "list_in": ref("paragraph"),
     "lead": list_of(ref("office"), non_empty=True), "responsible": list_of(ref("office"), non_empty=True)},
    {"notes": list_of(Record({"kind": enum("lead_and_responsible"), "offices": list_of(ref("office")),
                              "text": text}), unique=False),
     "parts": list_of(Record({"id": ref("paragraph"), "number": text, "title": text}), unique=False)},
)

category = Record({"id": ident, "name": text, "role": text,
                   "programmes": list_of(ref("programme"), non_empty=True)})

target_group = Record({"id": ident, "name": text, "i_am": text,
                       "programmes": list_of(ref("programme"), non_empty=True)})




def amount(ctx: Ctx, value, path, line):
    kind = value.get("kind") if isinstance(value, dict) else None
    shapes = {
        "none": Record({"kind": text}),
        "gap": Record({"kind": text, "standard": Record({"urban": ref("parameter", text),
                                                         "rural": ref("parameter", text)})}),
        "floor_multiple": Record({"kind": text,
                                  "urban": Record({"multiple": ref("parameter", text), "base": ref("parameter", text)}),
                                  "rural": Record({"multiple": ref("parameter", text), "base": ref("parameter", text)})}),
        "range_multiple": Record({"kind": text, "base": ref("parameter", text), "min": ref("parameter", text),
                                  "max": ref("parameter", text)}),
    }
    if kind not in shapes:
        ctx.error(f"{path}.kind", f"应为 {' / '.join(shapes)} 之一，实际是 {kind!r}", line)
        return None
    return shapes[kind](ctx, value, path, line)


def _versions(ctx: Ctx, out: list, raw, path: str, what: str) -> None:
    """Dated versions of one id: a later version replaces an earlier one from its `from` date on; two
    versions of one id never start on the same day, and `until` is never before `from`."""
    starts: dict = {}
    for i, item in enumerate(out or []):
        if not item or not item.get("id"):
            continue
        start = item.get("from") or ""
        if start in starts.setdefault(item["id"], set()):
            ctx.error(join(path, i) + ".from", f"{what} {item['id']!r} 有两个版本同日开始（{start or '无 from'}）",
                      line_of(raw, i))
        starts[item["id"]].add(start)
        if item.get("from") and item.get("until") and item["until"] < item["from"]:
            ctx.error(join(path, i) + ".until", f"until（{item['until']}）早于 from（{item['from']}）", line_of(raw, i))


def versioned_list(item: Record, what: str) -> Checker:
    base = list_of(item, non_empty=True, unique=False)

    def check(ctx: Ctx, value, path, line):
        out = base(ctx, value, path, line)
        if out is not None:
            _versions(ctx, out, value, path, what)
        return out
    return check


procedure_step = Record({"id": ident, "title": text, "text": text, "cites": list_of(ref("clause"), non_empty=True)},
                        {"from": iso_date, "until": iso_date})

difference = Record({
    "topic": text,
    "rules": list_of(Record({"clause": ref("clause"), "says": text}), non_empty=True, unique=False),
    "applies": mapping_of(iso_date, Record({"text": text, "cites": list_of(ref("clause"), non_empty=True)})),
})

programme = Record(
    {"id": ident, "name": text, "summary": text, "for_whom": text, "gives": text, "amount": amount,
     "office": ref("office"),
     "apply": Record({"how": text, "bring": list_of(text), "bring_source": ref("source")},
                     {"time_limit": text}),
     "sections": list_of(ref("section")), "clauses": list_of(ref("clause"), non_empty=True),
     "related": list_of(ref("programme"))},
    {"short_name": text, "partners": list_of(ref("office")),
     "procedure": versioned_list(procedure_step, "办理步骤"), "procedure_same_as": ref("programme"),
     "differences": list_of(difference, non_empty=True, unique=False)},
)

reference = Record({"source": ref("source")}, {"clause": ref("town_clause"), "article": ref("article"),
                                               "note": text},
                   check=lambda ctx, out, raw, path: None if ("clause" in out) != ("article" in out) else
                   ctx.error(path, "引用须写 clause（本镇文件条款 id）或 article（国家规定条款 id）之一",
                             getattr(raw, "line", None)))

parameter_value = Record({"value": lambda ctx, v, p, l: v, "reference": reference}, {"note": text})

parameter = Record(
    {"description": text, "unit": enum(*UNITS), "values": mapping_of(iso_date, parameter_value)},
    {"note": text, "reference": reference, "base": ref("parameter", text), "set_by": ref("power"),
     "introduced_with": ref("source"), "before": text},
)

power = Record(
    {"id": ident, "title": text,
     "holders": mapping_of(iso_date, Record({"who": text, "reference": reference}))},
    {"parameters": list_of(ref("parameter", text)), "programmes": list_of(ref("programme")),
     "pending": nullable(Record({"what": text, "who": text}))},
)


def _hotline_status(ctx: Ctx, out: dict, raw, path: str) -> None:
    status, number = out.get("status"), out.get("number")
    if status == "pending" and number is not None:
        ctx.error(f"{path}.number", "status 为 pending（待公布）的热线不能有号码", line_of(raw, "number"))
    if status in ("local", "national_rule") and number is None:
        ctx.error(f"{path}.number", f"status 为 {status} 的热线须写号码", line_of(raw, "status"))


hotline = Record(
    {"id": ident, "number": nullable(text), "name": text, "status": enum("local", "national_rule", "pending"),
     "what": text, "reference": reference},
    check=_hotline_status,
)

right = Record({"id": ident, "title": text, "text": text, "cites": list_of(ref("clause"), non_empty=True)},
               {"from": iso_date})

change = Record(
    {"id": ident, "date": iso_date, "title": text, "text": text, "cites": list_of(ref("clause"), non_empty=True)},
    {"programmes": list_of(ref("programme")), "pages": list_of(enum(*CHANGE_PAGES)),
     "powers": list_of(ref("power")), "parameters": list_of(ref("parameter", text))},
)

working_group_member = Record({"role": enum("leader", "deputy", "member"), "name": text, "title": text,
                               "paragraph": ref("paragraph")})

working_group = Record({
    "name": text, "seat": ref("office"), "seat_clause": ref("paragraph"), "office_director": text,
    "office_director_clause": ref("paragraph"), "temporary": boolean, "dissolution": verbatim,
    "members": list_of(working_group_member, non_empty=True, unique=False),
})


def check_parameter_value(ctx: Ctx, unit: str, value, path: str, line) -> object:
    kind = UNITS[unit][0]
    if kind == "number":
        return number(ctx, value, path, line)
    if kind == "grades":
        def grade(ctx, v, p, l):
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 4:
                ctx.error(p, f"残疾等级应为 1 到 4 的整数，实际是 {v!r}", l)
                return None
            return v
        return mapping_of(enum(*DISABILITY_KINDS), grade)(ctx, value, path, line)
    return mapping_of(text, enum(*CADENCES))(ctx, value, path, line)

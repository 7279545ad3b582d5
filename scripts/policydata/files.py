"""The declared shape of every file in policy_data/."""

from __future__ import annotations

from .schema import (Ctx, Record, boolean, enum, iso_date, list_of, mapping_of, nullable, number, ref,
                     text, verbatim, ident, line_of)

UNITS = {
    # unit id: (kind of value, how a value reads in Chinese)
    "yuan_per_person_month": ("number", "元/人·月"),
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
CADENCES = ("daily", "weekly", "monthly", "quarterly", "yearly")

contact = Record({"phone": nullable(text), "address": nullable(text), "hours": nullable(text)})


def _contact_needs_source(ctx: Ctx, out: dict, raw, path: str) -> None:
    values = out.get("contact") or {}
    if any(v is not None for v in values.values()) and out.get("contact_source") is None:
        ctx.error(f"{path}.contact_source", "填写了联系方式，就必须写明来源（contact_source：来源 id）",
                  line_of(raw, "contact"))


source = Record(
    {"id": ident, "kind": enum("town", "county", "national", "guidance"), "title": text},
    {"issuer": text, "notice_title": text, "number": text, "date": iso_date, "in_force": iso_date, "issued": text,
     "recipients": text, "file": text, "note": text, "cited_in": list_of(ref("paragraph")),
     "articles": list_of(Record({"id": ident, "label": text, "summary": text}))},
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


programme = Record(
    {"id": ident, "name": text, "summary": text, "for_whom": text, "gives": text, "amount": amount,
     "office": ref("office"),
     "apply": Record({"how": text, "bring": list_of(text), "bring_source": ref("source")},
                     {"time_limit": text}),
     "sections": list_of(ref("section")), "clauses": list_of(ref("clause"), non_empty=True),
     "related": list_of(ref("programme"))},
    {"short_name": text, "partners": list_of(ref("office"))},
)

reference = Record({"source": ref("source")}, {"clause": ref("town_clause"), "article": ref("article"),
                                               "note": text},
                   check=lambda ctx, out, raw, path: None if ("clause" in out) != ("article" in out) else
                   ctx.error(path, "引用须写 clause（本镇文件条款 id）或 article（国家规定条款 id）之一",
                             getattr(raw, "line", None)))

parameter_value = Record({"value": lambda ctx, v, p, l: v, "reference": reference}, {"note": text})

parameter = Record(
    {"description": text, "unit": enum(*UNITS), "values": mapping_of(iso_date, parameter_value)},
    {"note": text, "reference": reference, "base": ref("parameter", text)},
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

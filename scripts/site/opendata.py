"""Open data: the compiled bundle as JSON, and its tables as CSV, written into the built site under
data/. CSV files are UTF-8 with a byte-order mark so that spreadsheet programs read the Chinese
correctly; lists inside a cell are joined with ";". Column names are the bundle's own keys.

A function of (bundle, date) alone: the pages (handbook.py) list these files, this module knows
nothing of the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io

from calculator.amounts import describe_amount
from calculator.bundle import index
from calculator.text import render as calc_render

# Where the site publishes the compiled bundle: the later build steps (the runtime, the calculator
# page) read it there, so that they use the very bundle the pages were made from.
BUNDLE_FILE = "data/policy.json"

# (file, what it holds) in the order the open-data page lists them; the columns come from TABLES.
DESCRIPTIONS = {
    "policy.json": "全部政策数据（与测算器使用的数据包相同）",
    "programmes.csv": "救助项目：适用对象、救助内容、金额说明、主办和配合单位、依据条款",
    "parameters.csv": "标准与参数：每个参数的每个生效值（待公布的参数占一行，数值为空）",
    "offices.csv": "单位：名称、联系方式（待公布为空）",
    "office_roles.csv": "各部分的牵头单位和责任单位（每行一个单位在一个部分中的角色）",
    "target_groups.csv": "救助对象的各个类别及可关注的救助项目",
    "working_group.csv": "工作专班成员",
    "paragraphs.csv": "镇文件原文，逐段",
    "clauses.csv": "镇文件中被引用的条款（所在段落和起止位置）",
    "articles.csv": "国家规定等来源的条款要点",
}


def _csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else (";".join(map(str, v)) if isinstance(v, list) else v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def tables(b: dict, as_of: dt.date) -> dict[str, tuple[list[str], list[list]]]:
    offices = index(b, "offices")

    def render(text: str) -> str:
        return calc_render(text, b, as_of)

    out = {}
    rows = []
    for p in b["programmes"]:
        amount = describe_amount(p, b, as_of)
        rows.append([p["id"], p["name"], p.get("short_name"), p["category"], render(p["summary"]),
                     render(p["for_whom"]), render(p["gives"]), amount["text"] if amount else None,
                     amount.get("min_yuan") if amount else None, amount.get("max_yuan") if amount else None,
                     p["office"], p.get("partners") or [], render(p["apply"]["how"]), p["apply"]["bring"],
                     p["apply"]["bring_source"], p["sections"], p["clauses"], p["related"],
                     f"programmes/{p['id']}/"])
    out["programmes.csv"] = (["id", "name", "short_name", "category", "summary", "for_whom", "gives", "amount_text",
                              "min_yuan", "max_yuan", "office", "partners", "apply_how", "apply_bring",
                              "bring_source", "sections", "clauses", "related", "page"], rows)
    rows = []
    for pid, par in b["parameters"].items():
        ref = par.get("reference") or {}
        if not par["values"]:
            rows.append([pid, par["description"], par["unit"], None, None, "pending", ref.get("source"),
                         ref.get("clause") or ref.get("article"), par.get("note")])
        for e in par["values"]:
            value = e["value"]
            if isinstance(value, dict):
                value = ";".join(f"{k}={v}" for k, v in value.items())
            r = e["reference"]
            rows.append([pid, par["description"], par["unit"], e["date"], value, "published", r["source"],
                         r.get("clause") or r.get("article"), e.get("note") or par.get("note")])
    out["parameters.csv"] = (["id", "description", "unit", "date", "value", "status", "source", "clause",
                              "note"], rows)
    out["offices.csv"] = (["id", "name", "full_name", "role", "phone", "address", "hours", "contact_source"],
                          [[o["id"], o["name"], o["full_name"], o.get("role"), o["contact"]["phone"],
                            o["contact"]["address"], o["contact"]["hours"], o["contact_source"]]
                           for o in b["offices"]])
    rows = []
    for s in b["sections"]:
        for key in ("lead", "responsible"):
            for oid in s[key]:
                rows.append([s["id"], s["number"], s["title"], oid, offices[oid]["name"], key, s["list_in"]])
    out["office_roles.csv"] = (["section", "number", "title", "office", "office_name", "role", "paragraph"], rows)
    out["target_groups.csv"] = (["id", "name", "i_am", "programmes"],
                                [[g["id"], g["name"], g["i_am"], g["programmes"]] for g in b["target_groups"]])
    out["working_group.csv"] = (["role", "name", "title", "paragraph"],
                                [[m["role"], m["name"], m["title"], m["paragraph"]]
                                 for m in b["working_group"]["members"]])
    out["paragraphs.csv"] = (["id", "part", "text"],
                             [[p["id"], p["part"], p["text"]] for p in b["document"]["paragraphs"]])
    out["clauses.csv"] = (["id", "paragraph", "start", "end", "quote"],
                          [[c["id"], c["paragraph"], c["start"], c["end"], c["quote"]]
                           for c in b["document"]["clauses"]])
    out["articles.csv"] = (["id", "source", "source_title", "label", "summary"],
                           [[a["id"], s["id"], s["title"], a["label"], a["summary"]]
                            for s in b["sources"] for a in s.get("articles") or []])
    return out


def files(b: dict, as_of: dt.date, bundle_json: str) -> dict[str, bytes]:
    """{src_uri: content} of every open-data file."""
    out = {BUNDLE_FILE: bundle_json.encode("utf-8")}
    for name, (header, rows) in tables(b, as_of).items():
        out[f"data/{name}"] = _csv(header, rows)
    return out


def listing(b: dict, as_of: dt.date) -> list[dict]:
    """For the open-data page: each file with what it holds, its columns and its row count."""
    t = tables(b, as_of)
    out = [{"name": "policy.json", "what": DESCRIPTIONS["policy.json"], "columns": [], "rows": None}]
    for name, (header, rows) in t.items():
        out.append({"name": name, "what": DESCRIPTIONS[name], "columns": header, "rows": len(rows)})
    return out

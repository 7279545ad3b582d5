"""The handbook's pages, generated from the compiled policy bundle with the Jinja2 templates in
scripts/site/templates/. Pure functions of (bundle, date): the mkdocs hook (scripts/site/hooks.py)
calls them on every build, so a page can never be stale and no `--check` mode is needed.

Every text field goes through `calculator.text.render` (placeholders) and every amount through
`calculator.amounts.describe_amount` / `calculator.text.format_value`: no number is formatted here.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from calculator.amounts import describe_amount
from calculator.bundle import clause_index, index
from calculator.citations import citation, paragraph_label
from calculator.params import value_at
from calculator.programmes import rules
from calculator.text import format_value, render

from . import leaflets, opendata
from .words import PARAMETER_GROUP_CN, front_matter as _front_matter, html_title  # noqa: F401

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Hand-written pages in docs/ that belong in the navigation, after the home page. The calculator page
# is the one that loads the Pyodide runtime (scripts/runtime/) and its form (scripts/calculator_page/).
CALCULATOR_PAGE = "calculator.md"
HAND_WRITTEN = {"救助测算": CALCULATOR_PAGE}

# Links between the data and the town document that the data files state only in comments.
CATEGORIES_CLAUSE = "s1-system"     # categories.yaml: "The four layers of the relief system (clause s1-system)"
GROUPS_CLAUSE = "s2-groups"         # target_groups.yaml: "The ten kinds of 救助对象 of section 二 (clause s2-groups)"
EMERGENCY_PARAMETER = "temporary.emergency_hours"

# The generated pages a change (changes.yaml `pages`) may name, with their titles.
CHANGE_PAGES = {"procedures": ("procedures.md", "办理流程"), "national": ("national.md", "国家规定"),
                "standards": ("standards.md", "标准与参数"), "contacts": ("contacts.md", "工作专班与联系"),
                "groups": ("groups.md", "我是……")}
# Source kinds on the national-rules page, in the order shown: the law first.
SOURCE_KIND_ORDER = [("law", "法律"), ("national", "国家规定（国务院、民政部等）"), ("city", "市级文件"),
                     ("county", "县级文件"), ("town", "本镇文件"), ("guidance", "其他")]
RECENT_DAYS = 365  # the home page links to 政策更新 while a change is less than a year old
ROLE_CN = {"leader": "组长", "deputy": "副组长", "member": "成员"}
PART_CN = {"notice": "印发通知", "opinion": "实施意见", "attachment": "附件"}

# `{` and `}` too: attr_list would read "text{: onclick=...}" at the end of a heading or cell as attributes.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#{}])")


def md(text) -> str:
    """Data text made safe for Markdown: it is shown as written, never read as markup."""
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def cn_date(iso: str | dt.date | None) -> str:
    if not iso:
        return ""
    d = dt.date.fromisoformat(str(iso))
    return f"{d.year}年{d.month}月{d.day}日"


def newest_source(bundle: dict) -> dict | None:
    """What the public sees as the data's date: the newest registered source (by its date of issue,
    else its date in force) — a fact of the data's content, like the data version (a digest of the
    data files), and never of the working copy (commits, file times, uncommitted edits)."""
    dated = [(str(s.get("date") or s.get("in_force")), s) for s in bundle["sources"] if s.get("date") or s.get("in_force")]
    if not dated:
        return None
    when, source = max(dated, key=lambda pair: pair[0])
    return {"date": when, "how": "issued" if source.get("date") else "in_force", "title": source["title"],
            "number": source.get("number")}


@dataclass
class PageSpec:
    src_uri: str
    template: str
    title: str
    context: dict
    meta: dict


class Handbook:
    def __init__(self, bundle: dict, as_of: dt.date, bundle_json: str = "", site_name: str = ""):
        self.b = bundle
        self.site_name = site_name
        self.as_of = as_of
        self.newest_source = newest_source(bundle)
        self.bundle_json = bundle_json
        self.programmes = index(bundle, "programmes")
        self.offices = index(bundle, "offices")
        self.sections = index(bundle, "sections")
        self.categories = index(bundle, "categories")
        self.sources = index(bundle, "sources")
        self.groups = index(bundle, "target_groups")
        self.access_points = index(bundle, "access_points")
        self.paragraphs = {p["id"]: p for p in bundle["document"]["paragraphs"]}
        self.clauses = clause_index(bundle)
        self.parameters = bundle["parameters"]
        self.groups_of = {pid: [g for g in bundle["target_groups"] if pid in g["programmes"]]
                          for pid in self.programmes}
        self.param_users = self._parameter_users()
        for needed in (CATEGORIES_CLAUSE, GROUPS_CLAUSE):
            if needed not in self.clauses:
                raise KeyError(f"scripts/site/handbook.py: clause {needed!r} is not in policy_data/document.yaml")
        if EMERGENCY_PARAMETER not in self.parameters:
            raise KeyError(f"scripts/site/handbook.py: parameter {EMERGENCY_PARAMETER!r} is not in policy_data/parameters/")
        self.env = self._environment()

    # ---- data helpers ---------------------------------------------------------------------------

    def _parameter_users(self) -> dict:
        """{parameter id: programme ids whose rule declares it (calculator/programmes/<id>.py PARAMETERS)}."""
        users: dict[str, list[str]] = {pid: [] for pid in self.parameters}
        for pid, rule in rules(self.b).items():
            for par in rule.PARAMETERS:
                users[par].append(pid)
        return users

    def programme_parameters(self, pid: str) -> list[str]:
        return [par for par, users in self.param_users.items() if pid in users]

    def text(self, value) -> str:
        """A data text with its placeholders rendered by the calculator, made Markdown-safe."""
        return md(render(value or "", self.b, self.as_of))

    def value_text(self, par_id: str, value) -> str:
        """One parameter value for display, worded by the calculator."""
        return format_value(self.b, par_id, value)

    def current(self, par_id: str) -> dict:
        """The value in force on the handbook's date (or 待公布), and any dated change still to come."""
        value, entry = value_at(self.b, par_id, self.as_of)
        upcoming = [h for h in self.history(par_id) if h["entry"]["date"] > self.as_of.isoformat()]
        return {"pending": entry is None, "text": "待公布" if entry is None else self.value_text(par_id, value),
                "entry": entry, "upcoming": upcoming}

    def history(self, par_id: str) -> list[dict]:
        """Every dated value, oldest first, each formatted as of its own date."""
        _, in_force = value_at(self.b, par_id, self.as_of)
        out = []
        for e in self.parameters[par_id]["values"]:
            value, _ = value_at(self.b, par_id, dt.date.fromisoformat(e["date"]))
            out.append({"entry": e, "text": self.value_text(par_id, value), "in_force": e is in_force})
        return out

    def parameter_groups(self) -> list[tuple[str, list[dict]]]:
        """Parameters grouped by data file, in the bundle's order (the order of the files' entries)."""
        out: dict[str, list[dict]] = {}
        for par in self.parameters.values():
            out.setdefault(par["group"], []).append(par)
        return list(out.items())

    def citing_programmes(self, cid: str) -> list[dict]:
        return [p for p in self.b["programmes"] if cid in p["clauses"]]

    def document_parts(self) -> list[tuple[str, list[dict]]]:
        """The document's paragraphs grouped by part (notice, opinion, attachment), in order."""
        out: list[tuple[str, list[dict]]] = []
        for p in self.b["document"]["paragraphs"]:
            if not out or out[-1][0] != p["part"]:
                out.append((p["part"], []))
            out[-1][1].append(p)
        return out

    def amount(self, pid: str) -> dict | None:
        return describe_amount(self.programmes[pid], self.b, self.as_of)

    def upcoming(self, pid: str) -> list[dict]:
        """The dated changes after the handbook's date of the parameters a programme uses, in date order,
        each with the programme's amount from that date when it differs from today's: a standard
        published ahead of its date shows on every page that uses it."""
        out = []
        today = self.amount(pid)
        for par in self.programme_parameters(pid):
            for h in self.current(par)["upcoming"]:
                on = dt.date.fromisoformat(h["entry"]["date"])
                amount = describe_amount(self.programmes[pid], self.b, on)
                out.append({"date": h["entry"]["date"], "parameter": par, "text": h["text"],
                            "reference": h["entry"].get("reference"),
                            "amount": amount if amount and (not today or amount["text"] != today["text"]) else None})
        return sorted(out, key=lambda e: (e["date"], e["parameter"]))

    # ---- the law in force: changes, powers, procedures ----------------------------------------------

    def in_force(self, items: list[dict], key: str = "date") -> dict | None:
        """The last of dated items (ascending) whose date is not after the handbook's date."""
        day = self.as_of.isoformat()
        chosen = None
        for item in sorted(items, key=lambda i: i.get(key) or ""):
            if (item.get(key) or "") <= day:
                chosen = item
        return chosen

    def changes(self) -> list[dict]:
        """Every change, newest first, each with whether it is in force on the handbook's date."""
        day = self.as_of.isoformat()
        items = list(self.b.get("changes") or [])
        # A dated value later than the town document that no change lists (say a standard the town
        # publishes) is an update too: it shows as its own entry, citing the value's reference.
        town = self.sources[self.b["document"]["source"]].get("date") or ""
        listed = {(pid, c["date"]) for c in items for pid in c.get("parameters") or []}
        for pid, par in self.parameters.items():
            for e in par["values"]:
                if e["date"] > town and (pid, e["date"]) not in listed:
                    ref = e["reference"]
                    items.append({"id": f"value-{pid.replace('.', '-')}-{e['date']}", "date": e["date"],
                                  "title": f"{par['description']}：{self.value_text(pid, value_at(self.b, pid, dt.date.fromisoformat(e['date']))[0])}",
                                  "text": e.get("note") or par["description"],
                                  "cites": [ref.get("clause") or ref.get("article")], "parameters": [pid],
                                  "programmes": self.param_users.get(pid, [])})
        return [dict(c, upcoming=c["date"] > day) for c in sorted(items, key=lambda c: c["date"], reverse=True)]

    def undated_sources(self) -> list[dict]:
        """Laws and national texts whose copy gives no exact date and that may be later than the town
        document (their `year` is not before its year, or unknown; the texts the town document itself
        cites are older): the 政策更新 page lists them by year, saying why, instead of leaving them out."""
        town = self.sources[self.b["document"]["source"]]
        year = int(town["date"][:4]) if town.get("date") else 0
        return [s for s in self.b["sources"] if s["kind"] in ("law", "national") and not (s.get("date") or s.get("in_force"))
                and not s.get("cited_in") and (s.get("year") is None or s["year"] >= year)]

    def recent_changes(self) -> list[dict]:
        """Changes in force for less than RECENT_DAYS on the handbook's date (the home page's link)."""
        since = (self.as_of - dt.timedelta(days=RECENT_DAYS)).isoformat()
        day = self.as_of.isoformat()
        return [c for c in self.changes() if since < c["date"] <= day]

    def changes_for(self, pid: str) -> list[dict]:
        return [c for c in self.changes() if pid in (c.get("programmes") or [])]

    def change_pages(self, c: dict) -> list[tuple[str, str]]:
        return [CHANGE_PAGES[k] for k in c.get("pages") or []]

    def powers_for(self, pid: str | None = None, par: str | None = None) -> list[dict]:
        """Powers over a programme (named, or over one of its parameters) or over one parameter, each
        with the holder in force, the holder to come and what is pending."""
        pars = set(self.programme_parameters(pid)) if pid else {par}
        out = []
        for pw in self.b.get("powers") or []:
            if (pid and pid in (pw.get("programmes") or [])) or pars & set(pw.get("parameters") or []):
                day = self.as_of.isoformat()
                out.append({"power": pw, "now": self.in_force(pw["holders"]),
                            "upcoming": [h for h in pw["holders"] if h["date"] > day]})
        return out

    def has_procedure(self, pid: str) -> bool:
        p = self.programmes[pid]
        return bool(p.get("procedure") or p.get("procedure_same_as"))

    def procedure(self, pid: str) -> list[dict]:
        """The steps in force on the handbook's date, in the order of their first version, each with the
        version in force (`now`, None if the step starts later) and later versions (`upcoming`)."""
        return self._versions(self.programmes[pid].get("procedure") or [])

    def rights(self) -> list[dict]:
        """rights.yaml as {id, now, upcoming}, like procedure steps."""
        return self._versions(self.b.get("rights") or [])

    def _versions(self, items: list[dict]) -> list[dict]:
        order = list(dict.fromkeys(s["id"] for s in items))
        day = self.as_of.isoformat()
        out = []
        for sid in order:
            versions = sorted((s for s in items if s["id"] == sid), key=lambda s: s.get("from") or "")
            now = self.in_force([dict(v, date=v.get("from") or "") for v in versions])
            out.append({"id": sid, "now": now, "upcoming": [v for v in versions if (v.get("from") or "") > day],
                        "earlier": [v for v in versions if now is not None and (v.get("from") or "") < (now.get("from") or "")]})
        return out

    def difference_now(self, diff: dict) -> dict:
        items = [dict(v, date=d) for d, v in diff["applies"].items()]
        day = self.as_of.isoformat()
        return {"now": self.in_force(items), "upcoming": [i for i in items if i["date"] > day]}

    def national_sources(self) -> list[tuple[str, list[dict]]]:
        """Sources by kind, the law first; within a kind, by the date they took effect."""
        from scripts.policydata.loader import source_start
        out = []
        for kind, label in SOURCE_KIND_ORDER:
            items = [s for s in self.b["sources"] if s["kind"] == kind]
            items.sort(key=lambda s: source_start(s) or s.get("issued") or "")
            if items:
                out.append((label, items))
        return out

    def clause_where(self, cid: str) -> dict:
        """Where a citable id lives: the one citation (calculator.citations.citation)."""
        return citation(self.b, cid)

    def paragraph_label(self, para: str) -> str:
        return paragraph_label(self.b, para)

    def reference_where(self, ref: dict | None) -> dict | None:
        if not ref:
            return None
        cid = ref.get("clause") or ref.get("article")
        return self.clause_where(cid)

    def office_roles(self, oid: str) -> dict:
        lead = [s for s in self.b["sections"] if oid in s["lead"]]
        responsible = [s for s in self.b["sections"] if oid in s["responsible"]]
        notes = [(s, n) for s in self.b["sections"] for n in s.get("notes") or [] if oid in n["offices"]]
        return {"lead": lead, "responsible": responsible, "notes": notes,
                "programmes": [p for p in self.b["programmes"] if p["office"] == oid],
                "partner_of": [p for p in self.b["programmes"] if oid in (p.get("partners") or [])]}

    def matrix(self) -> dict:
        """Sections by offices: for each office (rows, in offices.yaml order) and section (columns), the
        roles the section's 【…】 list gives it."""
        rows = []
        for o in self.b["offices"]:
            cells = []
            for s in self.b["sections"]:
                roles = [r for r, key in (("牵头", "lead"), ("责任", "responsible")) if o["id"] in s[key]]
                note = next((n for n in s.get("notes") or [] if o["id"] in n["offices"]), None)
                cells.append({"section": s, "roles": roles, "note": note})
            rows.append({"office": o, "cells": cells})
        return {"sections": self.b["sections"], "rows": rows,
                "notes": [(s, n) for s in self.b["sections"] for n in s.get("notes") or []]}

    def original_html(self, para: str) -> str:
        """One paragraph, verbatim and escaped, each clause wrapped in an element whose id is the clause
        id, each erratum marked where it stands (the text is never corrected)."""
        text = self.paragraphs[para]["text"]
        clauses = sorted((c for c in self.b["document"]["clauses"] if c["paragraph"] == para),
                         key=lambda c: c["start"])
        errata = []
        for i, e in enumerate(self.b["document"].get("errata") or []):
            if e["paragraph"] != para:
                continue
            start = text.find(e["text"])
            while start >= 0:
                errata.append((start, start + len(e["text"]), i))
                start = text.find(e["text"], start + 1)
        cuts = {0, len(text)}
        for c in clauses:
            cuts |= {c["start"], c["end"]}
        for s, e, _ in errata:
            cuts |= {s, e}
        cuts = sorted(cuts)
        out = []
        open_clause = None
        for a, b in zip(cuts, cuts[1:]):
            clause = next((c for c in clauses if c["start"] <= a and b <= c["end"]), None)
            if clause is not open_clause:
                if open_clause is not None:
                    out.append("</span>")
                if clause is not None:
                    out.append(f'<span class="clause" id="{html.escape(clause["id"])}">')
                open_clause = clause
            piece = html.escape(text[a:b], quote=False)
            err = next((i for s, e, i in errata if s <= a and b <= e), None)
            if err is not None:
                piece = f'<mark class="erratum" title="勘误 {err + 1}">{piece}</mark>'
            out.append(piece)
        if open_clause is not None:
            out.append("</span>")
        return "".join(out)

    def errata_of(self, para: str) -> list[tuple[int, dict]]:
        return [(i + 1, e) for i, e in enumerate(self.b["document"].get("errata") or []) if e["paragraph"] == para]

    def clauses_of(self, para: str) -> list[dict]:
        return sorted((c for c in self.b["document"]["clauses"] if c["paragraph"] == para), key=lambda c: c["start"])

    # ---- templates ------------------------------------------------------------------------------

    def _environment(self) -> jinja2.Environment:
        # Comments are <# ... #>: "{#" starts a Markdown heading id ({#anchor}) in these templates.
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                                 comment_start_string="<#", comment_end_string="#>", autoescape=False, keep_trailing_newline=True, trim_blocks=True,
                                 lstrip_blocks=True)
        env.filters.update(md=md, t=self.text, cn_date=cn_date, e=lambda s: html.escape(str(s)))
        env.globals.update(leaflets_of=lambda pid: leaflets.of_programme(self, pid), hb=self, b=self.b, as_of=self.as_of, newest_source=self.newest_source, site_name=self.site_name, link=_link, clause=_clause_link,
                           office=_office_link, programme=_programme_link, param=_param_link,
                           ROLE_CN=ROLE_CN, PART_CN=PART_CN, PARAMETER_GROUP_CN=PARAMETER_GROUP_CN,
                           CATEGORIES_CLAUSE=CATEGORIES_CLAUSE, GROUPS_CLAUSE=GROUPS_CLAUSE,
                           EMERGENCY_PARAMETER=EMERGENCY_PARAMETER)
        return env

    def page_specs(self) -> list[PageSpec]:
        t = self.b["working_group"]
        specs = [
            PageSpec("index.md", "home.md.j2", "首页", {}, {"search": {"boost": 0.5}}),
            PageSpec("programmes/index.md", "programmes_index.md.j2", "救助项目", {}, {}),
        ]
        for p in self.b["programmes"]:
            specs.append(PageSpec(f"programmes/{p['id']}.md", "programme.md.j2", p["name"], {"p": p},
                                  {"search": {"boost": self.search_boost(p["id"])}}))
        specs.append(PageSpec("groups.md", "groups.md.j2", "我是……", {}, {}))
        specs.append(PageSpec("offices/index.md", "offices_index.md.j2", "经办单位", {}, {}))
        for o in self.b["offices"]:
            specs.append(PageSpec(f"offices/{o['id']}.md", "office.md.j2", o["full_name"], {"o": o},
                                  {"search": {"boost": 4}, "tags": [o["name"]]}))
        specs += [
            PageSpec("contacts.md", "contacts.md.j2", t["name"], {},
                     {"search": {"boost": 4}, "tags": [m["name"] for m in t["members"]]}),
            PageSpec("standards.md", "standards.md.j2", "标准与参数", {}, {}),
            PageSpec("original.md", "original.md.j2", "原文", {}, {"search": {"boost": 0.5}}),
            PageSpec("national.md", "national.md.j2", "法律、国家规定与其他依据", {}, {}),
            PageSpec("updates.md", "updates.md.j2", "政策更新", {}, {"search": {"boost": 2}}),
            PageSpec("procedures.md", "procedures.md.j2", "办理流程", {}, {"search": {"boost": 2}}),
            PageSpec("data.md", "data.md.j2", "开放数据", {"files": opendata.listing(self.b, self.as_of)}, {}),
        ]
        return specs

    def render_body(self, spec: PageSpec, page_uri: str | None = None) -> str:
        template = self.env.get_template(spec.template)
        return template.render(page_uri=page_uri or spec.src_uri, **spec.context)

    def pages(self) -> dict[str, str]:
        """{src_uri: Markdown with front matter} for every generated page."""
        out = {}
        specs = self.page_specs()
        for spec in specs:
            out[spec.src_uri] = _front_matter({"title": html_title(spec.title), **spec.meta}) + self.render_body(spec)
        printed = [s for s in specs if s.src_uri not in ("data.md",)]
        parts = [shift_headings(self.render_body(s, page_uri="print.md"), 1) for s in printed]
        body = self.env.get_template("print.md.j2").render(page_uri="print.md", parts=parts)
        out["print.md"] = _front_matter({"title": "打印全部", "search": {"exclude": True}}) + body
        return out

    def data_files(self) -> dict[str, bytes]:
        return opendata.files(self.b, self.as_of, self.bundle_json)

    def nav(self, extra_pages: dict[str, str]) -> list:
        """The site navigation, in the data's order. `extra_pages` are hand-written pages to include
        ({title: src_uri}), e.g. the calculator."""
        cats = []
        for c in self.b["categories"]:
            cats.append({html_title(c["name"]): [{html_title(self.programmes[p].get("short_name") or self.programmes[p]["name"]):
                                      f"programmes/{p}.md"} for p in c["programmes"]]})
        nav = [{"首页": "index.md"}]
        nav += [{title: uri} for title, uri in extra_pages.items()]
        nav += [
            {"救助项目": ["programmes/index.md", *cats]},
            {"我是……": "groups.md"},
            {"经办单位": ["offices/index.md", *[{html_title(o["name"]): f"offices/{o['id']}.md"} for o in self.b["offices"]]]},
            {"办理流程": "procedures.md"},
            {"政策更新": "updates.md"},
            {"工作专班与联系": "contacts.md"},
            {"标准与参数": "standards.md"},
            {"原文": "original.md"},
            {"国家规定": "national.md"},
            {"开放数据": "data.md"},
            {"打印全部": "print.md"},
        ]
        return nav

    def search_boost(self, pid: str) -> float:
        """Programme pages rank above the other pages that mention them; within a category, the
        programme listed first (categories.yaml lists the fundamental one first) wins a tie, so that
        the query 低保 finds 最低生活保障 before 低保边缘家庭, whose title repeats the word."""
        cat = self.categories[self.programmes[pid]["category"]]
        return round(4 * (1 - 0.05 * cat["programmes"].index(pid)), 2)

    def search_words(self) -> list[str]:
        """Names a Chinese word segmenter must keep whole (people, offices). Programme names are left to
        the segmenter: "低保边缘" kept whole would outrank the 低保 page itself for the query 低保."""
        words = [m["name"] for m in self.b["working_group"]["members"]]
        words.append(self.b["working_group"]["office_director"])
        words += [o["name"] for o in self.b["offices"]]
        han = re.compile(r"^[\u4e00-\u9fff]+$")
        return sorted({w for w in words if han.match(w)})


def shift_headings(markdown: str, by: int) -> str:
    """Demote every ATX heading by `by` levels (the generated Markdown has no code blocks)."""
    return re.sub(r"^(#{1,6}) ", lambda m: "#" * min(6, len(m.group(1)) + by) + " ", markdown, flags=re.M)


# ---- template helpers (need the page being rendered, for relative links) -------------------------

def _rel(page_uri: str, target: str) -> str:
    base = posixpath.dirname(page_uri)
    return posixpath.relpath(target, base or ".")


@jinja2.pass_context
def _link(ctx, target: str, anchor: str | None = None) -> str:
    url = _rel(ctx["page_uri"], target)
    return f"{url}#{anchor}" if anchor else url


@jinja2.pass_context
def _clause_link(ctx, cid: str, with_text: bool = False) -> str:
    hb: Handbook = ctx["hb"]
    w = hb.clause_where(cid)
    out = f"[{md(w['label'])}]({_rel(ctx['page_uri'], w['page'])}#{w['anchor']})"
    if with_text:
        out += f"：“{md(w['text'])}”" if w["kind"] != "article" else f"：{md(w['text'])}（要点）"
    return out


@jinja2.pass_context
def _office_link(ctx, oid: str, full: bool = False) -> str:
    o = ctx["hb"].offices[oid]
    return f"[{md(o['full_name'] if full else o['name'])}]({_rel(ctx['page_uri'], f'offices/{oid}.md')})"


@jinja2.pass_context
def _programme_link(ctx, pid: str) -> str:
    p = ctx["hb"].programmes[pid]
    return f"[{md(p['name'])}]({_rel(ctx['page_uri'], f'programmes/{pid}.md')})"


@jinja2.pass_context
def _param_link(ctx, par_id: str) -> str:
    par = ctx["hb"].parameters[par_id]
    return f"[{md(par['description'])}]({_rel(ctx['page_uri'], 'standards.md')}#{par_id})"

"""Read policy_data/, check it strictly, and compile it into the one JSON bundle that the calculator
and the site both read. Every problem is reported with the file, the key path and the line."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from . import files as F
from .errors import DataError, DataErrors
from .schema import Ctx, join, line_of
from .yamlload import load_yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_ROOT / "policy_data"
BUNDLE_SCHEMA = 1


class Reader:
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.errors: list[DataError] = []
        self.refs = []
        self.digest = hashlib.sha256()
        # Files that could not be read at all (missing, bad YAML, wrong top-level shape): references
        # to what they define are not reported again as "unknown", so one slip gives one error.
        self.failed: set[str] = set()
        self.value_lines: dict = {}  # (file, parameter, date) -> line of that dated value

    def display(self, path: Path) -> str:
        try:
            return str(Path("policy_data") / path.relative_to(self.data_dir))
        except ValueError:
            return str(path)

    def read(self, rel: str | Path, shape):
        path = self.data_dir / rel
        name = self.display(path)
        if not path.is_file():
            self.errors.append(DataError(name, "", "文件不存在"))
            self.failed.add(str(rel))
            return None, name
        self.digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
        try:
            raw = load_yaml(path, name)
        except DataError as exc:
            self.errors.append(exc)
            self.failed.add(str(rel))
            return None, name
        ctx = Ctx(name)
        out = shape(ctx, raw, "", getattr(raw, "line", 1))
        self.errors.extend(ctx.errors)
        self.refs.extend(ctx.refs)
        if out is None:
            self.failed.add(str(rel))
        return (raw, out), name


def _list_shape(item):
    from .schema import list_of
    return list_of(item, non_empty=True, unique=False)


def _unique_ids(reader: Reader, name: str, raw, items, path="") -> dict:
    seen = {}
    for i, item in enumerate(items or []):
        if not item or item.get("id") is None:
            continue
        if item["id"] in seen:
            reader.errors.append(DataError(name, join(path, i) + ".id", f"重复的 id {item['id']!r}",
                                           line_of(raw, i)))
        seen[item["id"]] = item
    return seen


def load(data_dir: Path | str = DEFAULT_DATA_DIR) -> dict:
    """Validate policy_data/ and return the compiled bundle. Raises DataErrors listing every problem."""
    r = Reader(Path(data_dir))
    E = r.errors.append

    got, src_name = r.read("sources.yaml", _list_shape(F.source))
    sources_raw, sources = got or (None, [])
    got, doc_name = r.read("document.yaml", F.document)
    doc_raw, document = got or (None, {})
    got, off_name = r.read("offices.yaml", _list_shape(F.office))
    offices_raw, offices = got or (None, [])
    got, acc_name = r.read("access_points.yaml", _list_shape(F.access_point))
    access_raw, access = got or (None, [])
    got, sec_name = r.read("sections.yaml", _list_shape(F.section))
    sections_raw, sections = got or (None, [])
    got, cat_name = r.read("categories.yaml", _list_shape(F.category))
    cats_raw, categories = got or (None, [])
    got, tg_name = r.read("target_groups.yaml", _list_shape(F.target_group))
    tg_raw, target_groups = got or (None, [])
    got, wg_name = r.read("working_group.yaml", F.working_group)
    wg_raw, working_group = got or (None, {})
    got, pow_name = r.read("powers.yaml", _list_shape(F.power))
    powers_raw, powers = got or (None, [])
    got, hot_name = r.read("hotlines.yaml", _list_shape(F.hotline))
    hot_raw, hotlines = got or (None, [])
    got, chg_name = r.read("changes.yaml", _list_shape(F.change))
    changes_raw, changes = got or (None, [])
    got, rights_name = r.read("rights.yaml", F.versioned_list(F.right, "权利"))
    rights_raw, rights = got or (None, [])

    programmes = {}
    prog_dir = r.data_dir / "programmes"
    for path in sorted(prog_dir.glob("*.yaml")) if prog_dir.is_dir() else []:
        got, name = r.read(path.relative_to(r.data_dir), F.programme)
        if not got or not got[1]:
            continue
        raw, prog = got
        if prog.get("id") != path.stem:
            E(DataError(name, "id", f"id 应与文件名一致：{path.stem!r}，实际是 {prog.get('id')!r}",
                        line_of(raw, "id")))
        prog["_file"] = name
        programmes[path.stem] = prog  # the file name is the id others refer to
    if not programmes:
        E(DataError(r.display(prog_dir), "", "没有任何救助项目文件（programmes/*.yaml）"))

    parameters = {}
    broken_parameters: set[str] = set()
    par_dir = r.data_dir / "parameters"
    for path in sorted(par_dir.glob("*.yaml")) if par_dir.is_dir() else []:
        rel = path.relative_to(r.data_dir)
        from .schema import mapping_of
        got, name = r.read(rel, mapping_of(F.ident, F.parameter))
        if not got or not got[1]:
            continue
        raw, group = got
        for key, par in group.items():
            if par is None:
                broken_parameters.add(f"{path.stem}.{key}")
                continue
            _check_parameter(r, name, raw, key, par)
            pid = f"{path.stem}.{key}"
            par.update({"id": pid, "group": path.stem, "name": key, "_file": name})
            parameters[pid] = par

    # ---- identifiers and cross-references -------------------------------------------------------
    source_by_id = _unique_ids(r, src_name, sources_raw, sources)
    articles = {}
    for s in sources or []:
        for a in (s or {}).get("articles") or []:
            if a and a.get("id"):
                if a["id"] in articles:
                    E(DataError(src_name, f"{s['id']}.articles", f"重复的条款 id {a['id']!r}"))
                articles[a["id"]] = {**a, "source": s["id"]}
    paragraphs = _unique_ids(r, doc_name, (doc_raw or {}).get("paragraphs"), document.get("paragraphs"),
                             "paragraphs")
    town_clauses = _unique_ids(r, doc_name, (doc_raw or {}).get("clauses"), document.get("clauses"), "clauses")
    office_by_id = _unique_ids(r, off_name, offices_raw, offices)
    _unique_ids(r, acc_name, access_raw, access)
    section_by_id = _unique_ids(r, sec_name, sections_raw, sections)
    _unique_ids(r, cat_name, cats_raw, categories)
    _unique_ids(r, tg_name, tg_raw, target_groups)
    power_by_id = _unique_ids(r, pow_name, powers_raw, powers)
    _unique_ids(r, hot_name, hot_raw, hotlines)
    _unique_ids(r, chg_name, changes_raw, changes)
    for pw in powers or []:
        if pw and isinstance(pw.get("holders"), dict):
            pw["holders"] = [dict(h, date=d) for d, h in pw["holders"].items() if h is not None]

    all_clauses = {}
    for table in (paragraphs, town_clauses, articles):
        for cid in table:
            if cid in all_clauses:
                E(DataError(doc_name, "", f"条款 id {cid!r} 在段落、条款和国家规定条款中重复"))
            all_clauses[cid] = table[cid]

    known = {
        "source": source_by_id, "paragraph": paragraphs, "office": office_by_id, "section": section_by_id,
        "programme": programmes, "parameter": parameters, "article": articles, "clause": all_clauses,
        "town_clause": {**paragraphs, **town_clauses}, "power": power_by_id,
    }
    labels = {"source": "来源（sources.yaml）", "paragraph": "原文段落（document.yaml）",
              "office": "单位（offices.yaml）", "section": "部分（sections.yaml）",
              "programme": "救助项目（programmes/）", "parameter": "参数（parameters/）",
              "article": "国家规定条款（sources.yaml 的 articles）",
              "clause": "条款（document.yaml 的段落或条款，或 sources.yaml 的 articles）",
              "town_clause": "本镇文件的段落或条款（document.yaml）", "power": "权限（powers.yaml）"}
    unreadable = {kind for kind, files in _DEFINED_IN.items() if r.failed & files}
    broken_programmes = {Path(f).stem for f in r.failed if Path(f).parent.name == "programmes"}
    broken_groups = {Path(f).stem for f in r.failed if Path(f).parent.name == "parameters"}
    for ref in r.refs:
        if ref.kind in unreadable or (ref.kind == "programme" and ref.value in broken_programmes) or \
                (ref.kind == "parameter" and (ref.value in broken_parameters
                                              or ref.value.split(".")[0] in broken_groups)):
            continue  # what it points to sits in a file that already has an error
        if ref.value not in known[ref.kind]:
            E(DataError(ref.file, ref.path, f"引用了不存在的{labels[ref.kind]} {ref.value!r}", ref.line))

    _check_article_texts(r, src_name, sources_raw, sources)
    _check_document(r, doc_name, doc_raw, document, paragraphs)
    _check_source_text(r, doc_name, doc_raw, document)
    if "categories.yaml" not in r.failed:
        _check_categories(r, cat_name, cats_raw, categories, programmes)
    _check_working_group(r, wg_name, wg_raw, working_group, paragraphs)
    for pid, par in parameters.items():
        for v in par.get("values") or []:
            _check_reference_pair(r, par["_file"], pid, v.get("reference"), articles)
            _check_reference_in_force(r, par["_file"], f"{par['name']}.values.{v['date']}.reference",
                                      v.get("reference"), v["date"], source_by_id,
                                      r.value_lines.get((par["_file"], par["name"], v["date"])))
        _check_reference_pair(r, par["_file"], pid, par.get("reference"), articles)

    for i, pw in enumerate(powers or []):
        for h in (pw or {}).get("holders") or []:
            _check_reference_pair(r, pow_name, f"[{i}].holders.{h['date']}", h.get("reference"), articles)
            _check_reference_in_force(r, pow_name, f"[{i}].holders.{h['date']}.reference", h.get("reference"),
                                      h["date"], source_by_id, line_of(powers_raw[i], "holders"))
    for i, h in enumerate(hotlines or []):
        _check_reference_pair(r, hot_name, f"[{i}]", (h or {}).get("reference"), articles)
        src = source_by_id.get(((h or {}).get("reference") or {}).get("source"))
        if h and src and h.get("status") == "local" and src["kind"] not in ("city", "county", "town"):
            r.errors.append(DataError(hot_name, f"[{i}].status", f"本地号码（local）须有本地来源（市、县或镇的文件），"
                                      f"《{src['title']}》是 {src['kind']}", line_of(hot_raw[i], "status")))
        if h and src and h.get("status") == "national_rule" and src["kind"] not in ("law", "national"):
            r.errors.append(DataError(hot_name, f"[{i}].status", "national_rule 须引用法律或国家规定",
                                      line_of(hot_raw[i], "status")))
    for pid, par in parameters.items():
        src = source_by_id.get(par.get("introduced_with"))
        if src and par.get("values") and par["values"][0]["date"] != source_start(src):
            r.errors.append(DataError(par["_file"], f"{par['name']}.introduced_with",
                                      f"参数随《{src['title']}》（{source_start(src)}）设立，第一个数值应自该日起，"
                                      f"实际是 {par['values'][0]['date']}", None))
    for p in programmes.values():
        for j, step in enumerate(p.get("procedure") or []):
            for cid in (step or {}).get("cites") or []:
                _check_cite_in_force(r, p["_file"], f"procedure[{j}].cites", cid, step.get("until"),
                                     all_clauses, source_by_id)
    for i, right in enumerate(rights or []):
        for cid in (right or {}).get("cites") or []:
            begin = _clause_start(cid, all_clauses, source_by_id)
            if begin and right.get("from") and right["from"] < begin:
                r.errors.append(DataError(rights_name, f"[{i}].cites", f"自 {right['from']} 起的条目引用了 "
                                          f"{begin} 才施行的条款 {cid!r}：请写 from: {begin}", line_of(rights_raw[i], "cites")))
    town_date = (source_by_id.get(document.get("source")) or {}).get("date")
    if town_date and changes is not None and "changes.yaml" not in r.failed:
        _check_changes(r, chg_name, changes_raw, changes, town_date, parameters, powers, all_clauses, source_by_id)

    if r.errors:
        raise DataErrors(r.errors)

    for p in programmes.values():
        p.pop("_file", None)
    for p in parameters.values():
        p.pop("_file", None)
    category_of = {pid: c["id"] for c in categories for pid in c["programmes"]}
    ordered = [dict(programmes[pid], category=category_of[pid]) for c in categories for pid in c["programmes"]]
    return {
        "schema": BUNDLE_SCHEMA,
        "data_version": r.digest.hexdigest()[:12],
        "sources": sources,
        "document": document,
        "offices": offices,
        "access_points": access,
        "sections": sections,
        "categories": categories,
        "programmes": ordered,
        "target_groups": target_groups,
        "parameters": parameters,  # file order (files by name), as the clerk wrote them
        "working_group": working_group,
        "powers": powers,
        "hotlines": hotlines,
        "changes": sorted(changes, key=lambda c: c["date"]),
        "rights": rights,
        "units": {u: label for u, (_, label) in F.UNITS.items()},
    }


# Which file defines each kind of reference target (see `known` in load()).
_DEFINED_IN = {
    "source": {"sources.yaml"}, "article": {"sources.yaml"}, "paragraph": {"document.yaml"},
    "town_clause": {"document.yaml"}, "clause": {"document.yaml", "sources.yaml"},
    "office": {"offices.yaml"}, "section": {"sections.yaml"}, "power": {"powers.yaml"},
}


def _check_parameter(r: Reader, name: str, raw, key: str, par: dict) -> None:
    values = par.get("values") or {}
    raw_values = (raw.get(key) or {}).get("values") if isinstance(raw.get(key), dict) else None
    dates = list(values)

    def raw_key(d: str):
        return next((k for k in (raw_values or {}) if str(k) == d), d)
    early = next((i for i in range(1, len(dates)) if dates[i] < dates[i - 1]), None)
    if early is not None:
        r.errors.append(DataError(name, f"{key}.values",
                                  f"生效日期应从早到晚排列：{dates[early]} 排在了 {dates[early - 1]} 之后"
                                  f"（实际顺序是 {', '.join(dates)}）", line_of(raw_values, raw_key(dates[early]))))
    ctx = Ctx(name)
    for d, entry in values.items():
        if entry is None:
            continue
        raw_entry = (raw_values or {}).get(raw_key(d))
        r.value_lines[(name, key, d)] = line_of(raw_values, raw_key(d))
        entry["value"] = F.check_parameter_value(ctx, par.get("unit") or "multiple", entry.get("value"),
                                                 f"{key}.values.{d}.value", line_of(raw_entry, "value"))
    r.errors.extend(ctx.errors)
    par["values"] = [dict(entry, date=d) for d, entry in values.items() if entry is not None]


def source_start(source: dict) -> str | None:
    """The first day a source applies: its date of entry into force, else its date (None if unknown)."""
    return source.get("in_force") or source.get("date")


def _check_reference_in_force(r: Reader, file: str, path: str, ref: dict | None, date: str, sources: dict,
                              line) -> None:
    """A dated value cites a text that is in force on that date: never a rule from the future."""
    src = sources.get((ref or {}).get("source"))
    start = source_start(src) if src else None
    if start and date < start:
        r.errors.append(DataError(file, path, f"自 {date} 起的数值引用了 {start} 才施行的《{src['title']}》："
                                              "数值须引用其生效日已施行的规定", line))


# Emphasis marks of the transcriptions (the copies' *bold* and <u>underline</u>), dropped in `text`.
_COPY_MARKUP = ("*", "<u>", "</u>")


def copy_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for mark in _COPY_MARKUP:
        text = text.replace(mark, "")
    return text


def _check_article_texts(r: Reader, name: str, raw, sources: list) -> None:
    """Every paragraph of an article's `text` occurs verbatim in its source's `file`."""
    for i, s in enumerate(sources or []):
        if not s or not any(a and a.get("text") for a in s.get("articles") or []):
            continue
        raw_s = raw[i]
        if not s.get("file"):
            r.errors.append(DataError(name, f"[{i}].file", f"来源 {s['id']} 的条款有原文 text，须写明转录文件 file",
                                      line_of(raw_s, "id")))
            continue
        path = r.data_dir / s["file"]
        if not path.is_file():
            r.errors.append(DataError(name, f"[{i}].file", f"转录文件 {s['file']} 不存在（路径相对于 policy_data/）",
                                      line_of(raw_s, "file")))
            continue
        whole = copy_text(path)
        for j, a in enumerate(s["articles"]):
            for k, para in enumerate((a or {}).get("text", "").split("\n") if a and a.get("text") else []):
                if para.strip() and para.strip() not in whole:
                    r.errors.append(DataError(
                        name, f"[{i}].articles[{j}].text", f"条款 {a['id']} 原文第 {k + 1} 段不在 {s['file']} 中："
                        f"{para.strip()[:20]!r}……原文须逐字照录", line_of(raw_s["articles"][j], "text")))


def _clause_start(cid: str, clauses: dict, sources: dict) -> str | None:
    """When a national article's text took effect (None for the town document's clauses)."""
    src = sources.get((clauses.get(cid) or {}).get("source"))
    return source_start(src) if src else None


def _check_cite_in_force(r: Reader, file: str, path: str, cid: str, until: str | None, clauses: dict,
                         sources: dict) -> None:
    """A step that ends before a text took effect cannot cite it."""
    start = _clause_start(cid, clauses, sources)
    if start and until and until < start:
        r.errors.append(DataError(file, path, f"截至 {until} 的步骤引用了 {start} 才施行的条款 {cid!r}", None))


def _check_changes(r: Reader, name: str, raw, changes: list, town_date: str, parameters: dict, powers: list,
                   clauses: dict, sources: dict) -> None:
    """The update log is complete and dated: every move of a power later than the town document is listed
    under a change of the same date, and no change cites a text that was not yet in force on its date.
    (A dated value not listed in a change, say a standard the town publishes, shows on the 政策更新 page
    by itself: see scripts/site/handbook.py.)"""
    listed_powers = {(pw, c["date"]) for c in changes if c for pw in c.get("powers") or []}
    for pw in powers or []:
        for h in (pw or {}).get("holders") or []:
            if h["date"] > town_date and (pw["id"], h["date"]) not in listed_powers:
                r.errors.append(DataError("policy_data/powers.yaml", f"{pw['id']}.holders.{h['date']}",
                                          f"镇文件（{town_date}）之后的权限变化须列入 changes.yaml 中同日的一项更新"
                                          f"（powers: [{pw['id']}]）"))
    # every law or national text that took effect after the town document is on the 政策更新 page: a
    # change of its date cites it (a text whose copy gives no exact date is listed there by its year)
    cited = {(clauses.get(cid) or {}).get("source") for c in changes if c for cid in c.get("cites") or []}
    for sid, src in sources.items():
        start = source_start(src)
        if src.get("kind") in ("law", "national") and start and start > town_date and sid not in cited:
            r.errors.append(DataError("policy_data/sources.yaml", sid,
                                      f"《{src['title']}》（{start}）在镇文件（{town_date}）之后施行，须列入 changes.yaml："
                                      f"一项同日的更新引用它的条款"))
    power_dates = {(pw["id"], h["date"]) for pw in powers or [] if pw for h in pw.get("holders") or []}
    for i, c in enumerate(changes):
        if not c:
            continue
        for cid in c.get("cites") or []:
            start = _clause_start(cid, clauses, sources)
            if start and start > c["date"]:
                r.errors.append(DataError(name, f"[{i}].cites", f"{c['date']} 的更新引用了 {start} 才施行的条款 {cid!r}",
                                          line_of(raw[i], "cites")))
        for pw in c.get("powers") or []:
            if (pw, c["date"]) not in power_dates and any(p and p["id"] == pw for p in powers or []):
                r.errors.append(DataError(name, f"[{i}].powers", f"权限 {pw!r} 没有 {c['date']} 的变化",
                                          line_of(raw[i], "powers")))
        for pid in c.get("parameters") or []:
            if pid in parameters and not any(v["date"] == c["date"] for v in parameters[pid]["values"]):
                r.errors.append(DataError(name, f"[{i}].parameters", f"参数 {pid!r} 没有 {c['date']} 的数值",
                                          line_of(raw[i], "parameters")))


def _check_reference_pair(r: Reader, file: str, pid: str, ref: dict | None, articles: dict) -> None:
    if not ref or "article" not in ref or ref.get("article") not in articles:
        return
    if articles[ref["article"]]["source"] != ref.get("source"):
        r.errors.append(DataError(file, f"{pid}.reference", f"条款 {ref['article']!r} 不属于来源 {ref.get('source')!r}"))


def _check_document(r: Reader, name: str, raw, document: dict, paragraphs: dict) -> None:
    spans: dict[str, list] = {}
    for i, c in enumerate(document.get("clauses") or []):
        if not c or c.get("paragraph") not in paragraphs or not c.get("quote"):
            continue
        text = paragraphs[c["paragraph"]]["text"] or ""
        n = text.count(c["quote"])
        if n != 1:
            r.errors.append(DataError(name, f"clauses[{i}].quote",
                                      f"引文应在段落 {c['paragraph']} 中恰好出现一次，实际出现 {n} 次",
                                      line_of(raw["clauses"], i)))
            continue
        start = text.index(c["quote"])
        c["start"], c["end"] = start, start + len(c["quote"])
        spans.setdefault(c["paragraph"], []).append((start, start + len(c["quote"]), c["id"], i))
    for pid, items in spans.items():
        items.sort()
        for (s1, e1, id1, _), (s2, e2, id2, i2) in zip(items, items[1:]):
            if s2 < e1:
                r.errors.append(DataError(name, f"clauses[{i2}].quote",
                                          f"条款 {id2} 与 {id1} 在段落 {pid} 中重叠；条款不能重叠",
                                          line_of(raw["clauses"], i2)))
    for i, e in enumerate(document.get("errata") or []):
        if e and e.get("paragraph") in paragraphs and e.get("text") and \
                e["text"] not in (paragraphs[e["paragraph"]]["text"] or ""):
            r.errors.append(DataError(name, f"errata[{i}].text", f"勘误原文 {e['text']!r} 不在段落 {e['paragraph']} 中",
                                      line_of(raw["errata"], i)))


# Whitespace that only lays out the source file: line breaks and the indentation or padding at either
# end of a line (spaces, no-break spaces U+00A0, ideographic spaces U+3000, tabs, carriage returns).
# Whitespace inside a line is text and is kept.
LAYOUT_WHITESPACE = " \t\r\u00a0\u3000"


def source_text(path: Path, dropped_lines=()) -> str:
    """The source file as one string: every line stripped of LAYOUT_WHITESPACE at both ends, blank
    lines and conversion artefacts (`dropped_lines`, e.g. "[bookmark: _GoBack]") left out, the rest
    joined with nothing between them. The document's paragraphs, concatenated, must equal this."""
    dropped = set(dropped_lines)
    lines = (line.strip(LAYOUT_WHITESPACE) for line in path.read_text(encoding="utf-8").split("\n"))
    return "".join(line for line in lines if line and line not in dropped)


def _check_source_text(r: Reader, name: str, raw, document: dict) -> None:
    rel, paragraphs = document.get("file"), document.get("paragraphs") or []
    if not rel or not paragraphs or any(p is None or p.get("text") is None for p in paragraphs):
        return
    path = r.data_dir / rel
    if not path.is_file():
        r.errors.append(DataError(name, "file", f"原文文件 {rel} 不存在（路径相对于 policy_data/）", line_of(raw, "file")))
        return
    dropped = [a["line"] for a in document.get("artefacts") or [] if a and a.get("line")]
    source = source_text(path, dropped)
    offset = 0
    for i, p in enumerate(paragraphs):
        text = p["text"]
        if source[offset:offset + len(text)] != text:
            k = next((j for j, (a, b) in enumerate(zip(source[offset:], text)) if a != b), len(source) - offset)
            r.errors.append(DataError(
                name, f"paragraphs[{i}].text",
                f"段落 {p.get('id')} 与原文 {rel} 不符：从第 {k + 1} 个字起，原文是 {source[offset + k:offset + k + 15]!r}，"
                f"这里是 {text[k:k + 15]!r}。原文须逐字照录，错字记在 errata 中",
                line_of(raw["paragraphs"][i], "text")))
            return
        offset += len(text)
    if offset != len(source):
        r.errors.append(DataError(name, "paragraphs", f"原文 {rel} 末尾还有没有收录的文字：{source[offset:offset + 20]!r}",
                                  line_of(raw, "paragraphs")))


def _check_categories(r: Reader, name: str, raw, categories: list, programmes: dict) -> None:
    count = {}
    for c in categories or []:
        for pid in (c or {}).get("programmes") or []:
            count[pid] = count.get(pid, 0) + 1
    for pid in programmes:
        if count.get(pid, 0) != 1:
            r.errors.append(DataError(name, "programmes", f"救助项目 {pid!r} 应恰好属于一个类别，实际属于 {count.get(pid, 0)} 个",
                                      getattr(raw, "line", None)))


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def _check_working_group(r: Reader, name: str, raw, wg: dict, paragraphs: dict) -> None:
    for i, m in enumerate(wg.get("members") or []):
        if not m or m.get("paragraph") not in paragraphs:
            continue
        line = _squeeze(paragraphs[m["paragraph"]]["text"])
        for key in ("name", "title"):
            if m.get(key) and _squeeze(m[key]) not in line:
                r.errors.append(DataError(name, f"members[{i}].{key}",
                                          f"{m[key]!r} 与原文段落 {m['paragraph']} 不符", line_of(raw["members"], i)))
    names = [m.get("name") for m in wg.get("members") or [] if m]
    if wg.get("office_director") and wg["office_director"] not in names:
        r.errors.append(DataError(name, "office_director", "办公室主任应是专班成员之一", line_of(raw, "office_director")))
    clause = wg.get("office_director_clause")
    if clause in paragraphs and wg.get("dissolution") and wg["dissolution"] not in paragraphs[clause]["text"]:
        r.errors.append(DataError(name, "dissolution", f"应逐字引自段落 {clause}", line_of(raw, "dissolution")))


def dump(bundle: dict) -> str:
    return json.dumps(bundle, ensure_ascii=False, sort_keys=False, separators=(",", ":"))

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
            return None, name
        self.digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
        try:
            raw = load_yaml(path, name)
        except DataError as exc:
            self.errors.append(exc)
            return None, name
        ctx = Ctx(name)
        out = shape(ctx, raw, "", getattr(raw, "line", 1))
        self.errors.extend(ctx.errors)
        self.refs.extend(ctx.refs)
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
        programmes[prog.get("id") or path.stem] = prog
    if not programmes:
        E(DataError(r.display(prog_dir), "", "没有任何救助项目文件（programmes/*.yaml）"))

    parameters = {}
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

    all_clauses = {}
    for table in (paragraphs, town_clauses, articles):
        for cid in table:
            if cid in all_clauses:
                E(DataError(doc_name, "", f"条款 id {cid!r} 在段落、条款和国家规定条款中重复"))
            all_clauses[cid] = table[cid]

    known = {
        "source": source_by_id, "paragraph": paragraphs, "office": office_by_id, "section": section_by_id,
        "programme": programmes, "parameter": parameters, "article": articles, "clause": all_clauses,
        "town_clause": {**paragraphs, **town_clauses},
    }
    labels = {"source": "来源（sources.yaml）", "paragraph": "原文段落（document.yaml）",
              "office": "单位（offices.yaml）", "section": "部分（sections.yaml）",
              "programme": "救助项目（programmes/）", "parameter": "参数（parameters/）",
              "article": "国家规定条款（sources.yaml 的 articles）",
              "clause": "条款（document.yaml 的段落或条款，或 sources.yaml 的 articles）",
              "town_clause": "本镇文件的段落或条款（document.yaml）"}
    for ref in r.refs:
        if ref.value not in known[ref.kind]:
            E(DataError(ref.file, ref.path, f"引用了不存在的{labels[ref.kind]} {ref.value!r}", ref.line))

    _check_document(r, doc_name, doc_raw, document, paragraphs)
    _check_categories(r, cat_name, cats_raw, categories, programmes)
    _check_working_group(r, wg_name, wg_raw, working_group, paragraphs)
    for pid, par in parameters.items():
        for v in par.get("values") or []:
            _check_reference_pair(r, par["_file"], pid, v.get("reference"), articles)
        _check_reference_pair(r, par["_file"], pid, par.get("reference"), articles)

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
        "parameters": dict(sorted(parameters.items())),
        "working_group": working_group,
        "units": {u: label for u, (_, label) in F.UNITS.items()},
    }


def _check_parameter(r: Reader, name: str, raw, key: str, par: dict) -> None:
    values = par.get("values") or {}
    raw_values = (raw.get(key) or {}).get("values") if isinstance(raw.get(key), dict) else None
    dates = list(values)
    if dates != sorted(dates):
        r.errors.append(DataError(name, f"{key}.values", f"生效日期应从早到晚排列，实际顺序是 {', '.join(dates)}",
                                  getattr(raw_values, "line", None)))
    ctx = Ctx(name)
    for d, entry in values.items():
        if entry is None:
            continue
        raw_key = next((k for k in (raw_values or {}) if str(k) == d), d)
        entry["value"] = F.check_parameter_value(ctx, par.get("unit") or "multiple", entry.get("value"),
                                                 f"{key}.values.{d}.value", line_of(raw_values, raw_key))
    r.errors.extend(ctx.errors)
    par["values"] = [dict(entry, date=d) for d, entry in values.items() if entry is not None]


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

"""The calculator page's build step, run by the site's ``on_post_build`` hook after the Pyodide runtime
has been copied (``scripts.site.pyodide_assets.copy_runtime``)::

    from scripts.site import calculator_site
    calculator_site.on_post_build(config)

It writes, below ``site_dir``:

* ``assets/calculator/form.json``: what the page's JavaScript needs to draw the form and to cite
  clauses, all taken from Python: the choices and labels of the household format
  (``calculator.household``), the hints shown under the fields, the order and words of the statuses
  (``calculator.rules``), and for every clause id its citation (``calculator.citations.cite``, the
  same words as the command line) and its address on the original-text pages. No threshold and no
  eligibility rule is in it: those stay in the wheel.
* ``assets/calculator/roster_template.csv``: the staff roster template (``calculator/data/``).
* ``sw.js`` at the site root: the offline service worker. It is generated last and lists every file
  of the build with its sha256, so its bytes change whenever any file changes, the browser installs
  the new worker, and a policy-data update is never served from an old cache (see ``SW_TEMPLATE``).

Everything is a pure function of the built site and the packaged policy bundle, so it is rebuilt on
every build and cannot be stale.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path, PurePosixPath

from calculator import household as H
from calculator.bundle import clause_index, load_bundle
from calculator.citations import cite
from calculator.rules import STATUS_CN, STATUS_ORDER

from .pyodide_assets import _sha256  # the runtime copy's file hash, reused for the precache list

__all__ = ["HINTS", "SW_NAME", "form_data", "on_post_build", "precache_list", "write_service_worker"]

CALCULATOR_DIR = "assets/calculator"
FORM_NAME = "form.json"
ROSTER_TEMPLATE = Path(H.__file__).resolve().parent / "data" / "roster_template.csv"
SW_NAME = "sw.js"
SW_TEMPLATE = Path(__file__).resolve().parent / "calculator_sw.js"

# household.py accepts disability grades 1 to 4 (一级最重).
GRADES = {1: "一级（最重）", 2: "二级", 3: "三级", 4: "四级"}

# The hint under each field: how to fill it in, in plain words. Labels (with units) come from
# calculator.household.LABELS; these only explain. No threshold or amount may appear here.
HINTS = {
    "area": "按户口登记的类别选。",
    "monthly_income_yuan": "全家每月的收入加在一起，单位元：工资、经营、养老金、种地等收入都算。没有收入填 0。",
    "supporters": "子女、父母、配偶等依法应当赡养、抚养、扶养的人。",
    "assets_within_limits": "存款、车辆、房屋等是否在当地规定的范围内。不清楚可以不选。",
    "medical_expenses_yuan": "近12个月看病自己花的钱（报销以后的部分），单位元。",
    "education_expenses_yuan": "近12个月孩子上学自己花的钱，单位元。",
    "emergency": "最近遇到的突发困难。",
    "standards": "已经公布的标准会自动使用。结果里显示“待公布”时，可向民政办问清当地标准后填写，"
                 "测算就能给出金额。",
    "standards.urban_dibao_monthly": "单位：元/人·月。",
    "standards.rural_dibao_monthly": "单位：元/人·月。",
    "as_of": "不填就按今天测算。",
    "housing_difficulty": "没有住房、住危房等。",
    "age": "按周岁填整数。",
    "disability": "有残疾人证的，按证上的类别和等级选。",
    "serious_illness": "如癌症、尿毒症等重大疾病。",
    "student": "正在上学的，选所在学段。",
    "seeking_work": "处于就业年龄、目前没有工作并且想找工作。",
}

# Where the site puts each kind of citable id (scripts/site/handbook.py, Handbook.clause_where).
ARTICLE_PAGE = "national.md"
ORIGINAL_PAGE = "original.md"


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The site-root-relative URL of a Markdown page, as mkdocs writes it."""
    path = PurePosixPath(src_uri)
    if not use_directory_urls:
        return str(path.with_suffix(".html"))
    if path.name == "index.md":
        parent = str(path.parent)
        return "" if parent == "." else parent + "/"
    return str(path.with_suffix("")) + "/"


def form_data(bundle: dict, use_directory_urls: bool = True, site_name: str = "") -> dict:
    """The form's choices, labels and hints, the statuses, and every clause's citation and address."""
    clauses = {}
    for cid, info in clause_index(bundle).items():
        page = ARTICLE_PAGE if info["kind"] == "article" else ORIGINAL_PAGE
        clauses[cid] = {"label": cite(bundle, cid), "href": f"{page_url(page, use_directory_urls)}#{cid}"}
    return {
        "site_name": site_name,  # the printed result's heading
        "data_version": bundle["data_version"],
        "labels": H.LABELS,
        "hints": HINTS,
        "choices": {
            "area": H.AREAS, "supporters": H.SUPPORTERS, "disability.kind": H.DISABILITY_KINDS,
            "disability.grade": {str(k): v for k, v in GRADES.items()}, "student": H.STUDENT_STAGES,
            "emergency": H.EMERGENCIES, "sex": H.SEXES,
        },
        "household_keys": list(H.HOUSEHOLD_KEYS),
        "member_keys": list(H.MEMBER_KEYS),
        "max_members": H.MAX_MEMBERS,
        "max_age": H.MAX_AGE,
        "status": {"order": sorted(STATUS_ORDER, key=STATUS_ORDER.get), "text": STATUS_CN},
        "clauses": clauses,
        "offices": {o["id"]: page_url(f"offices/{o['id']}.md", use_directory_urls) for o in bundle["offices"]},
        "programmes": {p["id"]: page_url(f"programmes/{p['id']}.md", use_directory_urls)
                       for p in bundle["programmes"]},
        "roster_template": f"{CALCULATOR_DIR}/{ROSTER_TEMPLATE.name}",
    }


# ------------------------------------------------------------------------------ the service worker

# Never precached: source maps (only developers open them) and the worker itself.
SKIP_SUFFIXES = (".map",)


def precache_list(site_dir: Path) -> dict[str, str]:
    """{site-root-relative path: sha256} of every file the offline site needs, sorted."""
    site_dir = Path(site_dir)
    out = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or rel == SW_NAME or rel.endswith(SKIP_SUFFIXES) or "/." in f"/{rel}":
            continue
        out[rel] = _sha256(path)
    return out


def write_service_worker(site_dir: Path) -> dict:
    """Write ``sw.js``: the template with the build's file list and build id filled in."""
    site_dir = Path(site_dir)
    files = precache_list(site_dir)
    build = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    manifest = {"build": build, "files": files}
    template = SW_TEMPLATE.read_text(encoding="utf-8")
    marker = "/*@BUILD@*/null"
    if template.count(marker) != 1:
        raise RuntimeError(f"{SW_TEMPLATE} must contain {marker!r} exactly once")
    text = template.replace(marker, json.dumps(manifest, indent=1, sort_keys=True))
    (site_dir / SW_NAME).write_text(text, encoding="utf-8")
    return manifest


def write_assets(site_dir: Path, use_directory_urls: bool = True, bundle: dict | None = None,
                 site_name: str = "") -> None:
    """The page's form data and the roster template (no service worker)."""
    out = Path(site_dir) / CALCULATOR_DIR
    out.mkdir(parents=True, exist_ok=True)
    data = form_data(bundle or load_bundle(), use_directory_urls, site_name)
    runtime = out / "manifest.json"  # written by copy_runtime: what a first visit downloads
    if runtime.is_file():
        data["runtime_bytes"] = json.loads(runtime.read_text(encoding="utf-8"))["bytes"]
    (out / FORM_NAME).write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copyfile(ROSTER_TEMPLATE, out / ROSTER_TEMPLATE.name)


def on_post_build(config, bundle: dict | None = None) -> dict:
    """The mkdocs step: form data, roster template, then (last) the service worker. Returns the
    service worker's manifest ({"build", "files"}). `bundle`: the policy bundle the pages were built
    from (default: the packaged one)."""
    site_dir = Path(config["site_dir"])
    write_assets(site_dir, bool(config.get("use_directory_urls", True)), bundle, str(config.get("site_name") or ""))
    return write_service_worker(site_dir)

"""The calculator page's build step, run by the mkdocs hook scripts/calculator_page/hooks.py after the
Pyodide runtime has been copied (scripts/runtime/hooks.py)::

    from scripts.calculator_page import form
    form.on_post_build(config, bundle)

It writes, below ``site_dir``:

* ``assets/calculator/form.json``: what the page's JavaScript needs to draw the form and to cite
  clauses, all taken from Python: the choices and labels of the household format
  (``calculator.household``), the hints shown under the fields, the order and words of the statuses
  (``calculator.rules``), and for every clause id its citation (``calculator.citations.citation``:
  the same label, page and anchor as the handbook's pages and the command line). No threshold and no
  eligibility rule is in it: those stay in the wheel.
* ``assets/calculator/roster_template.csv`` and ``roster_guide.csv``: the staff roster template and its
  填写说明 (every column, its allowed values, an example), both from ``calculator.fields`` through
  ``calculator.screen``.

The offline service worker, written after this, is scripts/offline/.

Everything is a pure function of the built site and the packaged policy bundle, so it is rebuilt on
every build and cannot be stale.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from calculator import fields as F
from calculator import household as H
from calculator.bundle import clause_index, load_bundle
from calculator.citations import citation
from calculator.rules import STATUS_CN, STATUS_ORDER
from calculator.screen import KEEP_ORDER_LABEL, ORDER_NOTE, roster_guide, roster_template

__all__ = ["HINTS", "form_data", "on_post_build", "write_assets"]

CALCULATOR_DIR = "assets/calculator"
FORM_NAME = "form.json"
ROSTER_TEMPLATE = "roster_template.csv"
ROSTER_GUIDE = "roster_guide.csv"

# The hint under each field, from the one declaration of the household format (calculator.fields).
HINTS = F.hints()

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
    for cid in clause_index(bundle):
        c = citation(bundle, cid)
        clauses[cid] = {"label": c["label"], "href": f"{page_url(c['page'], use_directory_urls)}#{c['anchor']}"}
    return {
        "site_name": site_name,  # the printed result's heading
        "data_version": bundle["data_version"],
        "labels": H.LABELS,
        "hints": HINTS,
        "choices": {f.key: {str(k): v for k, v in f.choices.items()} for f in F.FIELDS
                    if f.choices and f.kind != F.FLAG},
        "form": F.form_fields(),
        "household_keys": list(H.HOUSEHOLD_KEYS),
        "member_keys": list(H.MEMBER_KEYS),
        "max_members": H.MAX_MEMBERS,
        "max_age": H.MAX_AGE,
        "status": {"order": sorted(STATUS_ORDER, key=STATUS_ORDER.get), "text": STATUS_CN},
        "clauses": clauses,
        "offices": {o["id"]: page_url(f"offices/{o['id']}.md", use_directory_urls) for o in bundle["offices"]},
        "programmes": {p["id"]: page_url(f"programmes/{p['id']}.md", use_directory_urls)
                       for p in bundle["programmes"]},
        "roster_template": f"{CALCULATOR_DIR}/{ROSTER_TEMPLATE}",
        "roster_guide": f"{CALCULATOR_DIR}/{ROSTER_GUIDE}",
        # the batch screening's words about the order of its result (calculator.screen)
        "batch": {"keep_order": KEEP_ORDER_LABEL, "order": ORDER_NOTE},
    }


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
    (out / ROSTER_TEMPLATE).write_text(roster_template(), encoding="utf-8", newline="")
    (out / ROSTER_GUIDE).write_text(roster_guide(), encoding="utf-8", newline="")


def on_post_build(config, bundle: dict | None = None) -> None:
    """The mkdocs step: form data and roster template. `bundle`: the policy bundle the pages were built
    from (default: the packaged one)."""
    write_assets(Path(config["site_dir"]), bool(config.get("use_directory_urls", True)), bundle,
                 str(config.get("site_name") or ""))

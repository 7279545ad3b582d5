"""The one entry point the browser calls (through the Pyodide worker): `handle(op, payload_json)`
returns a JSON string. The same functions serve the command line; JavaScript only moves data.

Ops:
- "version"  -> {"ok": true, "result": {"data_version", "calculator", "python"}}
- "estimate" payload: the household object -> {"ok": true, "result": <the --json output>} or
  {"ok": false, "error": {"message", "fields": [{"path", "label", "message"}]}}
- "screen"   payload: {"text": roster, "format": "csv"|"jsonl", "as_of"?, "standards"?, "keep_order"?}
  -> {"ok": true, "result": {"csv": text, "households": n, "errors": n}}
- "options"  -> the choices and labels of the household format, for building forms."""

from __future__ import annotations

import datetime as dt
import sys

from . import household as H
from .bundle import load_bundle
from .engine import estimate
from .fields import form_fields
from .jsonio import HOLE, dumps, dumps_filled, encoded, loads

VERSION = "0.1.0"
SCREEN_KEYS = ("text", "format", "as_of", "standards", "keep_order")


def _ok(result) -> str:
    return dumps({"ok": True, "result": result})


def _error(message: str, fields=()) -> str:
    return dumps({"ok": False, "error": {"message": message, "fields": list(fields)}})


def _ok_estimate(result: dict) -> str:
    """_ok(result) for an estimate, written faster: the parts that are the same for every household of
    the date (each programme's clauses and next steps, calculator.engine.next_steps, and their words on
    the page, calculator.report) are encoded once, not in every result."""
    fills: list[str] = []

    def hole(part) -> str:
        fills.append(encoded(part))
        return f"{HOLE}{len(fills) - 1}"

    holed = dict(result, programmes=[dict(p, clauses=hole(p["clauses"]), next_steps=hole(p["next_steps"]))
                                     for p in result["programmes"]])
    display = result.get("display")
    if display is not None:
        groups = [dict(g, programmes=[dict(p, steps=hole(p["steps"]), clauses=hole(p["clauses"])) if "steps" in p else p
                                      for p in g["programmes"]]) for g in display["groups"]]
        holed["display"] = dict(display, groups=groups)
    text = dumps_filled({"ok": True, "result": holed}, fills)
    return _ok(result) if text is None else text


def run_estimate(payload: str, bundle: dict | None = None, today: dt.date | None = None) -> str:
    try:
        return _ok_estimate(estimate(loads(payload), bundle, today))
    except H.InputError as exc:
        return dumps({"ok": False, "error": exc.as_dict()})


def run_screen(payload: str, bundle: dict | None = None) -> str:
    # Imported here: a household's estimate, the page's first answer, does not wait for the roster's
    # reader and its tables (about a tenth of importing the calculator in Pyodide).
    from .screen import ORDER_NOTE, ORDER_NOTE_INPUT, RosterError, screen_text, to_csv

    try:
        req = loads(payload)
    except H.InputError as exc:
        return dumps({"ok": False, "error": exc.as_dict()})
    if not isinstance(req, dict) or not isinstance(req.get("text"), str):
        return _error("名单格式不对：应提供名单文本", [{"path": "text", "label": "名单", "message": "缺少名单文本"}])
    unknown = [k for k in req if k not in SCREEN_KEYS]
    if unknown:
        return _error("名单请求有不认识的字段", [{"path": k[:100], "label": "未知字段",
                                                 "message": f"不认识字段 {k[:100]!r}；可用的字段：{'、'.join(SCREEN_KEYS)}"}
                                                for k in unknown])
    fmt = req.get("format", "csv")
    if fmt not in ("csv", "jsonl"):
        return _error("名单格式应为 csv 或 jsonl", [{"path": "format", "label": "名单格式", "message": f"不支持 {fmt!r}"}])
    if req.get("as_of") is not None and not isinstance(req["as_of"], str):
        return _error("测算日期格式不对", [{"path": "as_of", "label": H.LABELS["as_of"],
                                           "message": "应为日期 YYYY-MM-DD（如 2026-01-31）"}])
    if req.get("standards") is not None and not isinstance(req["standards"], dict):
        return _error("低保标准格式不对", [{"path": "standards", "label": H.LABELS["standards"],
                                           "message": "应为对象，如 {\"urban_dibao_monthly\": 1000}"}])
    keep = req.get("keep_order", False)
    if not isinstance(keep, bool):
        return _error("名单顺序格式不对", [{"path": "keep_order", "label": "保持名单原来的顺序",
                                           "message": "应为 true 或 false"}])
    try:
        rows = screen_text(req["text"], bundle or load_bundle(), fmt, req.get("as_of"), req.get("standards"),
                           keep_order=keep)
    except RosterError as exc:
        return _error(str(exc))
    return _ok({"csv": to_csv(rows), "households": len(rows) - 1, "errors": sum(1 for r in rows[1:] if r[-1]),
                "order": ORDER_NOTE_INPUT if keep else ORDER_NOTE})


def options() -> dict:
    """The household format as the form draws it (calculator.fields.form_fields), with the labels and,
    under their old names, the choices of each choice field."""
    return {"labels": H.LABELS, "areas": H.AREAS, "supporters": H.SUPPORTERS, "disability_kinds": H.DISABILITY_KINDS,
            "student_stages": H.STUDENT_STAGES, "emergencies": H.EMERGENCIES, "sexes": H.SEXES,
            "max_members": H.MAX_MEMBERS, "form": form_fields()}


def handle(op: str, payload_json: str) -> str:
    if op in ("estimate", "screen") and not isinstance(payload_json, str):
        return _error(f"请求内容应为 JSON 文本，实际是 {type(payload_json).__name__}")
    if op == "estimate":
        return run_estimate(payload_json)
    if op == "screen":
        return run_screen(payload_json)
    if op == "version":
        b = load_bundle()
        return _ok({"data_version": b["data_version"], "calculator": VERSION,
                    "python": ".".join(map(str, sys.version_info[:3]))})
    if op == "options":
        return _ok(options())
    return _error(f"未知的操作 {op!r}")

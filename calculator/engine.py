"""estimate(): one household in, every programme of the policy data out, each with its status,
amount, the conditions checked (each citing its clause), what is missing, and where to go.

Each programme is one unit with one id: policy_data/programmes/<id>.yaml (its data and its `amount`
spec), calculator/programmes/<id>.py (its rule, found by the id), tests/cases/<id>.yaml (its cases)
and the page programmes/<id>.md. Rules are evaluated through `Context.outcome(id)`, memoised, so a
rule that reads another's outcome (declared in its READS) runs after it; the amount is made by
calculator.amounts, the same interpreter the page uses.

The result (JSON; every figure a string, yuan to the fen):

    as_of, data_version, standards {urban_dibao_monthly, rural_dibao_monthly: {parameter, value, origin,
      effective, reference}}, household {area, members, monthly_income_yuan, per_capita_income_yuan},
    programmes: [{
      id, name, category,
      status:      likely | possible | depends | unknown | unlikely (STATUS_ORDER; depends = 取决于当地
                   标准: every open condition waits only on a pending parameter, and says on what figure)
      status_text: the Chinese of the status
      amount:      null, or the amount interpreter's object (text, min_yuan/max_yuan or monthly_yuan,
                   household_formula while the standard is pending, persons for 特困)
      conditions:  [{id, met: true|false|null, text, clause, missing?, needs?}], where
                   needs = {"parameter": <id>, "above": "<yuan>"} — met once the parameter is greater
                   than the figure — or {"parameter": <id>, "below": "<yuan>"} — met while it is not
                   greater; a list of both where a condition has two bounds. The text says the same
                   with the household's own numbers ("只要当地农村低保标准高于每人每月300元……")
      needs:       every break-even of the programme's open conditions (for grouping and the roster)
      missing, notes,
      persons:     null, or for a programme decided member by member (特困) [{member (0-based), name,
                   no_work_ability: true|null, why}]
      alternatives: [{id, text}]: programmes that are the other choice, never to be added up
      upcoming:    texts of dated values this programme uses that take effect within changes.UPCOMING_DAYS
      clauses, next_steps {office, partners, apply_at, how, bring, bring_note, time_limit, decides, one_case?}
    }],
    alternatives: [{programmes: [id, id], text}], upcoming: [{date, parameter, programmes, text}] (calculator.changes),
    disclaimer"""

from __future__ import annotations

import datetime as dt

from .bundle import dated, derived, index, load_bundle
from .changes import changes_due
from .household import FieldError, Household, InputError, label_for, parse_household
from .params import Params, rules_start
from .programmes import rules
from .rules import DEPENDS, LIKELY, POSSIBLE, STATUS_CN, Context
from .report import present
from .text import PLACEHOLDER, render
from .money import yuan_str

DISCLAIMER = ("以上是根据填写的信息作出的估算，不是审批决定。能否获得救助、给予多少，"
              "由镇民政办和相关部门按规定审核决定。")
ONE_CASE = "对于重大生活困难的，镇“一事一议”领导小组可“一事一议”适度提高临时救助标准。"
TEMPORARY = ("temporary_emergency", "temporary_medical", "temporary_education")


def in_force_versions(items: list[dict], as_of: dt.date) -> list[dict]:
    """Dated versions (procedure steps, rights): for each id, in first-appearance order, the last
    version whose `from` is not after `as_of`; ids whose first version starts later are left out."""
    day = as_of.isoformat()
    chosen: dict[str, dict] = {}
    for item in sorted(items, key=lambda i: i.get("from") or ""):
        if (item.get("from") or "") <= day:
            chosen[item["id"]] = item
    order = list(dict.fromkeys(i["id"] for i in items))
    return [chosen[i] for i in order if i in chosen]


STEP_CACHE_KEPT = 32  # sets of input standards whose next steps are kept per date


def _step_parameters(bundle: dict) -> frozenset:
    """The parameters that the texts of the next steps (how, time limit, procedures, rights) name in
    their placeholders: the only input standards that can change their words."""
    return derived(bundle, "step_parameters", _named_parameters)


def _named_parameters(bundle: dict) -> frozenset:
    texts = [r["text"] for r in bundle.get("rights") or []]
    for p in bundle["programmes"]:
        texts += [p["apply"]["how"], p["apply"].get("time_limit") or ""]
        texts += [s["text"] for s in p.get("procedure") or []]
    return frozenset(m.group(2) for t in texts for m in PLACEHOLDER.finditer(t) if m.group(1) == "param")


def next_steps(bundle: dict, as_of: dt.date, params: Params) -> dict[str, dict]:
    """{programme id: its next steps} on one date: the office, where and how to apply, what to bring,
    the time limit, the procedure and the rights in force, the local hotlines. They are the same for
    every household of that date (and of the same input standards, where a text names one), so they
    are worded once per bundle and date and shared by the results, which never change them."""
    used = _step_parameters(bundle)
    key = tuple(sorted((k, str(v)) for k, v in params.overrides.items() if k in used))
    cache = dated(bundle, as_of.isoformat()).setdefault("next_steps", {})
    if key not in cache:
        if len(cache) >= STEP_CACHE_KEPT:
            cache.pop(next(iter(cache)))
        cache[key] = _word_next_steps(bundle, as_of, params)
    return cache[key]


def _word_next_steps(bundle: dict, as_of: dt.date, params: Params) -> dict[str, dict]:
    by_id = index(bundle, "programmes")
    offices = index(bundle, "offices")
    access = bundle["access_points"]
    guidance = {s["id"]: s for s in bundle["sources"] if s["kind"] == "guidance"}
    # what every applicant may rely on (rights.yaml) and the local hotlines: the same for every programme
    rights = [_step(bundle, r, as_of, params) for r in in_force_versions(bundle.get("rights") or [], as_of)]
    hotlines = [{"number": h["number"], "name": h["name"], "status": h["status"]}
                for h in bundle.get("hotlines") or [] if h["status"] == "local"]
    out = {}
    for p in bundle["programmes"]:
        apply = p["apply"]
        office = offices[p["office"]]
        steps = {
            "office": {"id": office["id"], "name": office["name"], "full_name": office["full_name"],
                       "contact": office["contact"]},
            "partners": [{"id": k, "name": offices[k]["name"]} for k in p.get("partners", [])],
            "apply_at": [{"id": a["id"], "name": a["name"], "contact": a["contact"]} for a in access],
            "how": render(apply["how"], bundle, as_of, params),
            "bring": list(apply["bring"]),
            "bring_note": guidance[apply["bring_source"]]["note"] if apply["bring_source"] in guidance else None,
            "time_limit": render(apply["time_limit"], bundle, as_of, params) if apply.get("time_limit") else None,
            "decides": DISCLAIMER,
        }
        if p["id"] in TEMPORARY:
            steps["one_case"] = ONE_CASE
        # The procedure in force on the date asked (the programme's own, or the one it shares), and
        # what every applicant may rely on (rights.yaml): the law's next steps from the law's date.
        proc = p.get("procedure") or by_id.get(p.get("procedure_same_as"), {}).get("procedure") or []
        steps["procedure"] = [_step(bundle, s, as_of, params) for s in in_force_versions(proc, as_of)]
        steps["apply"] = next((s for s in steps["procedure"] if s["id"] == "apply"), None)
        steps["rights"] = rights
        steps["hotlines"] = hotlines
        out[p["id"]] = steps
    return out


def _step(bundle: dict, item: dict, as_of: dt.date, params) -> dict:
    from .citations import citation
    return {"id": item["id"], "title": item["title"], "text": render(item["text"], bundle, as_of, params),
            "cites": list(item["cites"]), "citations": [citation(bundle, c) for c in item["cites"]]}


def estimate(data: dict, bundle: dict | None = None, today: dt.date | None = None) -> dict:
    """The result for one household input object (see calculator.household). Raises InputError."""
    household = parse_household(data)
    bundle = bundle or load_bundle()
    result = evaluate(household, bundle, today)
    result["display"] = present(result, household, bundle)  # the words, for the page and the command line
    return result


def evaluate(household: Household, bundle: dict, today: dt.date | None = None) -> dict:
    as_of = household.as_of or today or dt.date.today()
    start = rules_start(bundle)
    if start is not None and as_of.isoformat() < start:
        raise InputError([FieldError("as_of", label_for("as_of"),
                                     f"应不早于 {start}：政策数据中的规则自该日起才全部生效，更早的日期无法测算，"
                                     f"实际是 {as_of.isoformat()}")])
    params = Params(bundle, as_of, household.standards)
    table = rules(bundle)
    ctx = Context(household, params, bundle, table)
    programmes = bundle["programmes"]
    for p in programmes:  # each outcome is computed on first demand: a rule's READS run before it
        ctx.outcome(p["id"])
    outcomes = ctx.results  # every programme's, computed above
    alternatives = []
    for pid, rule in table.items():
        for other, text in getattr(rule, "ALTERNATIVES", {}).items():
            if {outcomes[pid].status, outcomes[other].status} <= {LIKELY, POSSIBLE, DEPENDS}:
                alternatives.append({"programmes": [other, pid], "text": text})
                for x in (other, pid):  # the words, where the page and the command line show a programme's notes
                    outcomes[x].notes.append(text)
    upcoming = _upcoming(bundle, as_of)

    steps = next_steps(bundle, as_of, params)
    clauses = _clauses(bundle)
    out = []
    for p in programmes:
        o = outcomes[p["id"]]
        out.append({
            "id": p["id"], "name": p["name"], "category": p["category"],
            "status": o.status, "status_text": STATUS_CN[o.status],
            "amount": o.amount,
            "conditions": [c.as_dict() for c in o.conditions],
            "missing": o.missing,
            "notes": o.notes,
            "needs": o.needs(),
            "persons": o.persons,
            "alternatives": [{"id": next(x for x in a["programmes"] if x != p["id"]), "text": a["text"]}
                             for a in alternatives if p["id"] in a["programmes"]],
            "upcoming": [u["text"] for u in upcoming if p["id"] in u["programmes"]],
            "clauses": clauses[p["id"]],
            "next_steps": steps[p["id"]],
        })
    return {
        "as_of": as_of.isoformat(),
        "data_version": bundle["data_version"],
        "standards": {"urban_dibao_monthly": params.origin("dibao.urban_monthly_standard"),
                      "rural_dibao_monthly": params.origin("dibao.rural_monthly_standard")},
        "household": {"area": household.area, "members": ctx.n,
                      "monthly_income_yuan": yuan_str(household.monthly_income_yuan),
                      "per_capita_income_yuan": yuan_str(ctx.per_capita)},
        "programmes": out,
        "alternatives": alternatives,
        # standards published ahead of their date, due within the next months (calculator/changes.py)
        "upcoming": upcoming,
        "disclaimer": DISCLAIMER,
    }


def _clauses(bundle: dict) -> dict[str, list[str]]:
    """{programme id: the clauses it cites}, one list per bundle, shared by the results (read-only)."""
    return derived(bundle, "programme_clauses", lambda b: {p["id"]: list(p["clauses"]) for p in b["programmes"]})


def _upcoming(bundle: dict, as_of: dt.date) -> list[dict]:
    """The changes due soon after `as_of` (calculator.changes), found once per date (a new list each time)."""
    day = dated(bundle, as_of.isoformat())
    if "upcoming" not in day:
        day["upcoming"] = changes_due(bundle, as_of, _parameter_users(bundle))
    return list(day["upcoming"])


def _parameter_users(bundle: dict) -> dict[str, list[str]]:
    return derived(bundle, "parameter_users", _users)


def _users(bundle: dict) -> dict[str, list[str]]:
    users: dict[str, list[str]] = {}
    for pid, rule in rules(bundle).items():
        for par in rule.PARAMETERS:
            users.setdefault(par, []).append(pid)
    return users

"""The calculator's cases in tests/cases/*.yaml, shared by every runner of them: tests/test_cases.py runs
them through `calculator.engine.estimate()` under CPython, the browser parity test runs the same cases
through the page. Import it as `from tests.case_loader import load_cases, check`.

There is one case file per programme, tests/cases/<programme id>.yaml (the same id as its data file,
its rule and its page), with boundary pairs: at the limit and just past it. A case file is a YAML
list; each case is a mapping with exactly these keys:

    name:      a Chinese sentence naming the situation and the outcome
    clause:    the id of the clause the case follows (a condition of the file's programme cites it)
    household: the input object of the public format, always with a fixed `as_of` (a quoted string)
    expect:    {programme id: {what the case is about}}, where each entry may hold
                 status:      likely | possible | depends | unlikely | unknown
                 amount:      null            (the programme gives no amount in this situation)
                 conditions:  {condition id: true | false | null}
                 missing:     [text that must appear among what is missing]
                 needs:       {condition id: {parameter: <id>, above|below: "<yuan>"}}: the break-even
                              figure of a condition waiting on a pending parameter, exactly
                 <any other key>: a field of the programme's `amount` object, compared exactly
                              (yuan and multiples are strings such as "1100.00" and "1.5"; null
                              when the standard is pending)

The comment above each case gives the arithmetic and the clause it follows."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).resolve().parent / "cases"
CASE_KEYS = ("name", "clause", "household", "expect")
STATUSES = ("likely", "possible", "depends", "unlikely", "unknown")
SPECIAL_KEYS = ("status", "amount", "conditions", "missing", "needs")


class CaseFileError(ValueError):
    pass


def check_case_shape(file: str, i: int, case) -> None:
    where = f"{file} case {i + 1}"
    if not isinstance(case, dict) or set(case) != set(CASE_KEYS):
        got = sorted(case) if isinstance(case, dict) else type(case).__name__
        raise CaseFileError(f"{where}: a case has exactly the keys {CASE_KEYS}, got {got}")
    if not isinstance(case["name"], str) or not case["name"].strip():
        raise CaseFileError(f"{where}: name must be a sentence")
    if not isinstance(case["clause"], str) or not case["clause"].strip():
        raise CaseFileError(f"{where} ({case['name']}): clause must be a clause id")
    household = case["household"]
    if not isinstance(household, dict) or not isinstance(household.get("as_of"), str):
        raise CaseFileError(f"{where} ({case['name']}): household needs a fixed as_of, quoted as a string "
                            "(an unquoted YAML date is not JSON)")
    try:
        json.dumps(household, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise CaseFileError(f"{where} ({case['name']}): household is not plain JSON: {exc}") from None
    expect = case["expect"]
    if not isinstance(expect, dict) or not expect:
        raise CaseFileError(f"{where} ({case['name']}): expect maps programme ids to expectations")
    for pid, exp in expect.items():
        if not isinstance(exp, dict) or not exp:
            raise CaseFileError(f"{where} ({case['name']}): expect.{pid} must be a non-empty mapping")
        if "status" in exp and exp["status"] not in STATUSES:
            raise CaseFileError(f"{where} ({case['name']}): expect.{pid}.status must be one of {STATUSES}")
        if "amount" in exp and exp["amount"] is not None:
            raise CaseFileError(f"{where} ({case['name']}): expect.{pid}.amount may only be null; "
                                "name amount fields directly (monthly_yuan, min_yuan, ...)")
        if "conditions" in exp and not isinstance(exp["conditions"], dict):
            raise CaseFileError(f"{where} ({case['name']}): expect.{pid}.conditions maps condition ids to met")
        if "needs" in exp and not (isinstance(exp["needs"], dict)
                                   and all(isinstance(v, (dict, list)) for v in exp["needs"].values())):
            raise CaseFileError(f"{where} ({case['name']}): expect.{pid}.needs maps condition ids to "
                                "{parameter, above|below}")
        if "missing" in exp and not (isinstance(exp["missing"], list)
                                     and all(isinstance(m, str) for m in exp["missing"])):
            raise CaseFileError(f"{where} ({case['name']}): expect.{pid}.missing is a list of texts")


def load_cases(directory: Path | str = CASES_DIR) -> list[tuple[str, dict]]:
    """Every case as (file name, case), files in name order, cases in file order."""
    out = []
    for path in sorted(Path(directory).glob("*.yaml")):
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(cases, list) or not cases:
            raise CaseFileError(f"{path.name}: a case file is a non-empty YAML list of cases")
        for i, case in enumerate(cases):
            check_case_shape(path.name, i, case)
            out.append((path.name, case))
    return out


def case_id(file: str, index_in_file: int) -> str:
    """A stable ASCII test id: dibao-03 for the third case of dibao.yaml."""
    return f"{Path(file).stem}-{index_in_file + 1:02d}"


def case_ids(cases: list[tuple[str, dict]]) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for file, _ in cases:
        seen[file] = seen.get(file, -1) + 1
        ids.append(case_id(file, seen[file]))
    return ids


def check(expect: dict, result: dict) -> list[str]:
    """What differs between a case's `expect` and an estimate result: [] when the case holds."""
    problems = []
    by_id = {p["id"]: p for p in result["programmes"]}
    for pid, exp in expect.items():
        p = by_id.get(pid)
        if p is None:
            problems.append(f"{pid}: no such programme in the result")
            continue
        if "status" in exp and p["status"] != exp["status"]:
            failed = [f"{c['id']}={c['met']}" for c in p["conditions"]]
            problems.append(f"{pid}.status: expected {exp['status']}, got {p['status']} (conditions {failed})")
        if "amount" in exp and p["amount"] is not None:
            problems.append(f"{pid}.amount: expected null, got {p['amount']}")
        for cid, met in (exp.get("conditions") or {}).items():
            found = [c for c in p["conditions"] if c["id"] == cid]
            if not found:
                problems.append(f"{pid}.conditions.{cid}: not checked (have {[c['id'] for c in p['conditions']]})")
            elif found[0]["met"] is not met:
                problems.append(f"{pid}.conditions.{cid}: expected met={met}, got {found[0]['met']} "
                                f"({found[0]['text']})")
        for cid, need in (exp.get("needs") or {}).items():
            found = [c for c in p["conditions"] if c["id"] == cid]
            if not found:
                problems.append(f"{pid}.needs.{cid}: not checked (have {[c['id'] for c in p['conditions']]})")
            elif found[0].get("needs") != need:
                problems.append(f"{pid}.needs.{cid}: expected {need}, got {found[0].get('needs')} ({found[0]['text']})")
        said = "；".join(p["missing"])
        for text in exp.get("missing") or []:
            if text not in said:
                problems.append(f"{pid}.missing: expected to mention {text!r}, got {p['missing']}")
        for key, value in exp.items():
            if key in SPECIAL_KEYS:
                continue
            amount = p["amount"]
            if not isinstance(amount, dict) or key not in amount:
                problems.append(f"{pid}.amount.{key}: expected {value!r}, the amount is {amount}")
            elif amount[key] != value:
                problems.append(f"{pid}.amount.{key}: expected {value!r}, got {amount[key]!r}")
    return problems

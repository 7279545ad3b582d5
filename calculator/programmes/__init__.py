"""One rule per programme: calculator/programmes/<id>.py for every programme id of policy_data/programmes/,
found by that id (no hand-kept list). A rule module has

    ID:         its programme id (the file name)
    PARAMETERS: every parameter id it reads (ctx.p, its amount spec, its texts' placeholders); the
                standards page lists exactly these, and Context.p refuses any other
    READS:      the programme ids whose outcome it reads with ctx.outcome() ("*": all the others)
    evaluate(ctx) -> Outcome

Order follows from READS: ctx.outcome(id) computes a programme on first demand and memoises it.
Modules whose names start with "_" are shared helpers, not programmes."""

from __future__ import annotations

import importlib


class MissingRule(RuntimeError):
    pass


_CACHE: dict[tuple, dict] = {}  # programme ids -> their rules (modules cannot live in the JSON bundle)


def rules(bundle: dict) -> dict:
    """{programme id: rule module} for every programme of the bundle, in the bundle's order."""
    key = tuple((p["id"] for p in bundle["programmes"]))
    if key in _CACHE:
        return _CACHE[key]
    out, missing = {}, []
    for p in bundle["programmes"]:
        pid = p["id"]
        try:
            module = importlib.import_module(f"{__name__}.{pid}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{pid}":
                raise
            missing.append(pid)
            continue
        for attr in ("ID", "PARAMETERS", "evaluate"):
            if not hasattr(module, attr):
                raise MissingRule(f"calculator/programmes/{pid}.py has no {attr}")
        if module.ID != pid:
            raise MissingRule(f"calculator/programmes/{pid}.py says ID = {module.ID!r}, not {pid!r}")
        unknown = [par for par in module.PARAMETERS if par not in bundle["parameters"]]
        if unknown:
            raise MissingRule(f"calculator/programmes/{pid}.py declares unknown parameters {unknown}")
        out[pid] = module
    if missing:
        raise MissingRule(f"no calculator rule for programme(s) {missing}: add calculator/programmes/<id>.py")
    _CACHE[key] = out
    return out

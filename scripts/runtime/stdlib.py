"""The standard library the calculator's Pyodide loads: Pyodide's python_stdlib.zip trimmed to the
modules that Pyodide's own start-up and the calculator import, and precompiled to bytecode by that
same Pyodide. Called by scripts.runtime.assets.copy_runtime, which writes the result as
assets/pyodide/python_stdlib.zip in place of the stock file.

Why (profiled with `make bench` and Pyodide in Node; figures in scripts/bench_budget.json's notes):
Pyodide imports about 190 modules before it is ready, and every one of them was compiled from
source on every page load, which was most of Pyodide's start-up; and the stock zip (2.5 MB, sent as
it is) carries some 600 modules of which the calculator needs about 215.

* Trimmed to the modules listed in scripts/runtime/stdlib.txt. The list is recorded, not
  guessed::

      .venv/bin/python -m scripts.runtime.stdlib record

  runs Pyodide in Node with the full standard library (``stdlib.mjs record``), imports the
  calculator wheel as the page's worker does, runs ``calculator.api.handle`` on every request of
  ``requests()`` (the samples of scripts/samples: every case's household, the hostile-input corpus,
  generated households and rosters in both formats, the roster template, every op and its error paths), lets
  a Python error reach JavaScript, and writes the modules then in ``sys.modules`` that the zip
  holds. tests/test_pyodide_stdlib.py records again and fails when a module is missing from the
  list, so a change to the calculator that imports another module cannot ship without it; and the
  browser parity suite (tests/browser/test_calculator_page.py) runs on the trimmed runtime.
* Precompiled: `pyodide py-compile` (pyodide-build 0.25.1) would compile with the host's Python
  3.11, whose bytecode Pyodide 314's Python 3.14 rejects; so ``stdlib.mjs build`` compiles
  inside Pyodide itself (the Python it runs there is scripts/runtime/in_pyodide.py), run by Node at build time (unchecked hash-based .pyc files, no source in
  the zip: tracebacks of standard-library frames show no source line).
* Cached: the build runs Node once per (stdlib zip, list, script) and keeps the result in
  scripts/npm/node_modules/.cache/shiqiao-stdlib/ (which `npm ci` clears with the runtime itself).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["MODULES_FILE", "StdlibError", "kept_modules", "package_index", "record", "requests", "run_node", "stdlib_zip"]

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
MODULES_FILE = HERE / "stdlib.txt"
SCRIPT = HERE / "stdlib.mjs"
IN_PYODIDE = HERE / "in_pyodide.py"  # the Python SCRIPT runs inside Pyodide
CACHE_DIR = Path("scripts/npm/node_modules/.cache/shiqiao-stdlib")
NODE_TIMEOUT = 300
# Hostile inputs left out of the recording: 100,000 levels of nesting overflow Node's JavaScript stack
# (Node's default stack is smaller than a browser worker's), a fatal error that ends the recording.
NOT_IN_NODE = {"gen:deep_nesting"}


class StdlibError(RuntimeError):
    """The trimmed standard library could not be made (no Node, a module not in the zip, ...)."""


def kept_modules(path: Path = MODULES_FILE) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.split("#", 1)[0].strip()]


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise StdlibError("node not found: the site build runs Pyodide in Node to compile its standard library "
                          "(Node comes with npm, which `make` needs anyway)")
    return node


def run_node(args: list[str]) -> str:
    """Run `node stdlib.mjs <args>` (also for scripts/runtime/bytecode.py); its standard output."""
    proc = subprocess.run([_node(), str(SCRIPT), *args], capture_output=True, text=True, timeout=NODE_TIMEOUT)
    if proc.returncode != 0:
        raise StdlibError(f"node {SCRIPT.name} {args[0]} failed: {proc.stderr.strip()[-2000:]}")
    return proc.stdout


def stdlib_zip(pyodide_dir: Path, repo_root: Path = REPO_ROOT, modules_file: Path = MODULES_FILE) -> Path:
    """The trimmed, precompiled python_stdlib.zip for the Pyodide in ``pyodide_dir`` (a cached file:
    copy it, do not change it)."""
    pyodide_dir = Path(pyodide_dir)
    h = hashlib.sha256(b"shiqiao-stdlib-v1\0")
    for part in (pyodide_dir / "python_stdlib.zip", pyodide_dir / "package.json", modules_file, SCRIPT, IN_PYODIDE):
        h.update(hashlib.sha256(part.read_bytes()).digest())
    cache = Path(repo_root) / CACHE_DIR
    out = cache / f"python_stdlib-{h.hexdigest()[:16]}.zip"
    if out.is_file():
        return out
    cache.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".zip", dir=cache)
    os.close(fd)
    try:
        run_node(["build", str(pyodide_dir), str(modules_file), tmp])
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    for old in cache.glob("python_stdlib-*.zip"):  # keep only the current one
        if old != out:
            old.unlink(missing_ok=True)
    return out


def package_index(pyodide_dir: Path, repo_root: Path = REPO_ROOT) -> Path:
    """pyodide-lock.json without its package list: loadPyodide always fetches and checks it (its
    "info", the ABI version), but the calculator loads no Pyodide package, and the stock index is
    119 kB of JSON (27 kB compressed) parsed on every start. A cached file: copy it."""
    src = Path(pyodide_dir) / "pyodide-lock.json"
    lock = json.loads(src.read_text(encoding="utf-8"))
    text = json.dumps({"info": lock["info"], "packages": {}}, sort_keys=True) + "\n"
    cache = Path(repo_root) / CACHE_DIR
    out = cache / f"pyodide-lock-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
    if not out.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return out


# ------------------------------------------------------------------------------------- recording

def requests() -> list[list[str]]:
    """[op, payload_json] for every path through calculator.api the page can take."""
    from scripts.samples import case_households, households, roster_csv
    from scripts.samples.hostile import all_cases

    out: list[list[str]] = [["version", "{}"], ["options", "{}"], ["nonsense", "{}"], ["estimate", "[1, 2]"],
                            ["estimate", "{"], ["screen", "{}"], ["screen", '{"text": "", "format": "xml"}']]
    for hh in case_households():
        out.append(["estimate", json.dumps(hh, ensure_ascii=False)])
    for hh in households(300):
        out.append(["estimate", json.dumps(hh, ensure_ascii=False)])
    for case in all_cases():
        if case.name in NOT_IN_NODE:
            continue
        text = case.data.decode("utf-8", errors="replace")
        if case.kind == "household":
            out.append(["estimate", text])
        else:
            out.append(["screen", json.dumps({"text": text, "format": case.fmt}, ensure_ascii=False)])
    roster = roster_csv(200)
    from calculator.screen import roster_template
    template = roster_template()
    jsonl = "\n".join(json.dumps(dict(h, id=f"h{i}"), ensure_ascii=False) for i, h in enumerate(households(50)))
    for text, fmt in ((roster, "csv"), (template, "csv"), (jsonl, "jsonl")):
        out.append(["screen", json.dumps({"text": text, "format": fmt}, ensure_ascii=False)])
        out.append(["screen", json.dumps({"text": text, "format": fmt, "as_of": "2025-01-01",
                                          "standards": {"urban_dibao_monthly": 1000}}, ensure_ascii=False)])
    return out


def record(pyodide_dir: Path | None = None, stdlib: Path | None = None, reqs: list | None = None,
           bytecode=None) -> dict:
    """Run every request (default ``requests()``) in Pyodide (Node) on its full standard library, or on
    ``stdlib`` (a trimmed zip), with the calculator's source or, given ``bytecode`` (build_wheel's, as
    scripts/runtime/bytecode.compile_modules), its wheel of bytecode as the site ships it:
    {"modules": the standard-library modules loaded from the zip, "all": every module the zip holds,
    "answers": sha256 of each answer, "failures": exceptions out of handle}."""
    from scripts.build_wheel import build_wheel

    pyodide_dir = Path(pyodide_dir or REPO_ROOT / "scripts" / "npm" / "node_modules" / "pyodide")
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(REPO_ROOT, Path(tmp), bytecode=bytecode)
        path = Path(tmp) / "requests.json"
        path.write_text(json.dumps(requests() if reqs is None else reqs, ensure_ascii=False), encoding="utf-8")
        result = json.loads(run_node(["record", str(pyodide_dir), str(wheel), str(path)]
                                 + ([str(stdlib)] if stdlib else [])))
    return {"modules": result["modules"], "all": result["stdlib"], "answers": result["answers"],
            "failures": result["failures"]}


HEADER = """\
# The standard-library modules the calculator's Pyodide ships (scripts/runtime/stdlib.py):
# those Pyodide's start-up and the calculator import, recorded in Pyodide by
#     .venv/bin/python -m scripts.runtime.stdlib record
# Do not edit by hand; tests/test_pyodide_stdlib.py fails when a recorded module is missing.
"""


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m scripts.runtime.stdlib")
    ap.add_argument("command", choices=["record"])
    ap.parse_args(argv)
    result = record()
    if result["failures"]:
        print(f"calculator.api.handle raised on {result['failures']} requests", file=sys.stderr)
        return 1
    MODULES_FILE.write_text(HEADER + "\n".join(result["modules"]) + "\n", encoding="utf-8")
    print(f"{len(result['modules'])} of {len(result['all'])} modules kept; written {MODULES_FILE.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

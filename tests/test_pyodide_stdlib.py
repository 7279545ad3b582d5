"""The trimmed, precompiled standard library of the calculator's Pyodide (scripts/runtime/stdlib.py).

Pyodide runs in Node here (no browser): every request of stdlib.requests() (every case, the
hostile corpus, rosters in both formats, every op and error path) is run once on Pyodide's full
python_stdlib.zip with the calculator's source, and once as the site ships it, on the trimmed zip with
the calculator's wheel of bytecode (scripts/runtime/bytecode.py); the answers must be identical, and
every module the full run loads from the zip must be in scripts/runtime/stdlib.txt. The browser parity
suite (tests/browser/test_calculator_page.py) runs on the trimmed runtime too."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from scripts.runtime import stdlib as ps
from scripts.runtime.bytecode import compile_modules

REPO_ROOT = Path(__file__).resolve().parents[1]
PYODIDE = REPO_ROOT / "scripts" / "npm" / "node_modules" / "pyodide"
RECORD = "run `.venv/bin/python -m scripts.runtime.stdlib record` and commit scripts/runtime/stdlib.txt"


@pytest.fixture(scope="module")
def requests():
    return ps.requests()


@pytest.fixture(scope="module")
def full(requests):
    if shutil.which("node") is None:
        pytest.fail("node not found (it comes with npm, which `make` needs)")
    return ps.record(reqs=requests)


@pytest.mark.pyodide
def test_every_module_loaded_is_kept(full):
    assert full["failures"] == 0
    missing = sorted(set(full["modules"]) - set(ps.kept_modules()))
    assert not missing, f"the calculator now loads {missing} from the standard library: {RECORD}"
    unknown = sorted(set(ps.kept_modules()) - set(full["all"]))
    assert not unknown, f"{unknown} are not in Pyodide's python_stdlib.zip: {RECORD}"


@pytest.mark.pyodide
def test_trimmed_stdlib_gives_the_same_answers(full, requests):
    """What the site ships, the trimmed standard library and the calculator's wheel of bytecode, answers
    as the full standard library and the calculator's source do."""
    trimmed = ps.record(stdlib=ps.stdlib_zip(PYODIDE), reqs=requests,
                        bytecode=lambda sources: compile_modules(PYODIDE, sources))
    assert trimmed["failures"] == 0
    assert len(trimmed["answers"]) == len(requests)
    differ = [requests[i][0] + " " + requests[i][1][:120]
              for i, (a, b) in enumerate(zip(full["answers"], trimmed["answers"])) if a != b]
    assert not differ, f"{len(differ)} answers differ on the trimmed standard library, e.g. {differ[:3]}"
    assert set(trimmed["modules"]) <= set(ps.kept_modules())


@pytest.mark.pyodide
def test_trimmed_zip_holds_exactly_the_kept_modules_as_bytecode():
    path = ps.stdlib_zip(PYODIDE)
    assert ps.stdlib_zip(PYODIDE) == path  # cached
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert names == sorted(names)
        assert all(n.endswith(".pyc") for n in names), [n for n in names if not n.endswith(".pyc")][:5]
        modules = {n[:-4].replace("/", ".").removesuffix(".__init__") for n in names}
        assert modules == set(ps.kept_modules())
        magic = {z.read(n)[:4] for n in names}
        assert len(magic) == 1  # one Python compiled them all
        assert all(z.getinfo(n).date_time == (1980, 1, 1, 0, 0, 0) for n in names)
        # stored, so that the server's brotli compresses the whole zip (deflated members it cannot)
        assert all(z.getinfo(n).compress_type == zipfile.ZIP_STORED for n in names)
    import brotli
    stock = (PYODIDE / "python_stdlib.zip").stat().st_size  # deflated members: sent as it is
    assert len(brotli.compress(path.read_bytes(), quality=5)) < stock / 2


def test_package_index_keeps_the_info_and_no_packages():
    lock = json.loads(ps.package_index(PYODIDE).read_text(encoding="utf-8"))
    stock = json.loads((PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert lock == {"info": stock["info"], "packages": {}}


# ------------------------------------------------- the Python stdlib.mjs runs inside Pyodide, on the host

def test_in_pyodide_module_names():
    from scripts.runtime.in_pyodide import module_of
    assert module_of("json/decoder.py") == "json.decoder"
    assert module_of("json/__init__.py") == "json"
    assert module_of("LICENSE.txt") is None


def test_in_pyodide_compiles_a_zip_that_imports(tmp_path, monkeypatch):
    """compile_zip on the host's own Python: the listed modules only, as bytecode without source, that
    this Python imports from the zip; an unlisted module is left out and a missing one is named."""
    import importlib
    import sys

    from scripts.runtime.in_pyodide import compile_zip
    src = tmp_path / "src.zip"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("shiqiao_probe/__init__.py", "VALUE = 6 * 7\n")
        z.writestr("shiqiao_probe/left_out.py", "raise SystemExit('must not ship')\n")
    out = tmp_path / "out.zip"
    out.write_bytes(compile_zip(str(src), ["shiqiao_probe"]))
    assert zipfile.ZipFile(out).namelist() == ["shiqiao_probe/__init__.pyc"]
    monkeypatch.syspath_prepend(str(out))
    monkeypatch.delitem(sys.modules, "shiqiao_probe", raising=False)
    assert importlib.import_module("shiqiao_probe").VALUE == 42
    with pytest.raises(SystemExit, match="not in python_stdlib.zip: nowhere"):
        compile_zip(str(src), ["shiqiao_probe", "nowhere"])



def test_the_record_starts_python_as_the_worker_does():
    """stdlib.mjs records the modules loaded with Python started as the page's worker starts it: it
    reads the worker's own PYTHON_ARGS (e.g. -S) rather than a copy of them, so the trimmed standard
    library is what the page needs."""
    worker = (REPO_ROOT / "docs" / "assets" / "calculator" / "worker.js").read_text(encoding="utf-8")
    record = (REPO_ROOT / "scripts" / "runtime" / "stdlib.mjs").read_text(encoding="utf-8")
    assert re.search(r"^const PYTHON_ARGS = \[[^\]\n]*\];", worker, re.M), "worker.js: no `const PYTHON_ARGS = [...];`"
    assert "args: PYTHON_ARGS" in worker
    body = re.search(r"async function record\(\) \{.*?\n\}", record, re.S).group(0)
    assert "args: workerPythonArgs()" in body and "-S" not in body

"""The calculator's modules as bytecode for the site's Pyodide, so that the browser imports them
without compiling them: the wheel the calculator page loads carries ``calculator/api.pyc`` in place of
``calculator/api.py`` (scripts/build_wheel.py, ``bytecode=``), called by
scripts.runtime.assets.copy_runtime.

Why (Pyodide in Node, the calculator's 45 modules): compiling their source took about 0.2 s of the
first result, 0.23 s of importing calculator.api and 0.04 s more of the first estimate, which imports
the programmes' rules; loading the same code from bytecode takes under 0.01 s.

As the standard library (scripts/runtime/stdlib.py), the bytecode is made by the Pyodide that runs
it (``stdlib.mjs compile``; the host's Python 3.11 writes bytecode Pyodide's 3.14 rejects), as
`python -OO` would and without column tables: the calculator reads no docstring and has no
``assert`` (tests/test_build_wheel.py checks both), so its answers are those of its source
(tests/test_pyodide_stdlib.py compares them). Cached by the sources' content in
scripts/npm/node_modules/.cache/shiqiao-stdlib/, so Node runs once per change of the calculator.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from pathlib import Path

from scripts.runtime.stdlib import CACHE_DIR, IN_PYODIDE, REPO_ROOT, SCRIPT, run_node

__all__ = ["compile_modules"]

KEEP = 8  # compiled sets kept in the cache (the tests build copies of the calculator with changes)


def compile_modules(pyodide_dir: Path, sources: list[tuple[str, bytes]],
                    repo_root: Path = REPO_ROOT) -> tuple[str, dict[str, bytes]]:
    """(the wheel tag of the runtime's Python, e.g. "cp314", {"calculator/api.py": its .pyc, ...}) for
    the (archive path, source) pairs ``sources``."""
    pyodide_dir = Path(pyodide_dir)
    h = hashlib.sha256(b"shiqiao-bytecode-v1\0")
    for part in (pyodide_dir / "package.json", SCRIPT, IN_PYODIDE):
        h.update(hashlib.sha256(part.read_bytes()).digest())
    for name, data in sources:
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    cache = Path(repo_root) / CACHE_DIR
    out = cache / f"bytecode-{h.hexdigest()[:16]}.json"
    if not out.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".tmp-", dir=cache) as tmp:
            src = Path(tmp) / "sources.json"
            src.write_text(json.dumps({n: d.decode("utf-8") for n, d in sources}), encoding="utf-8")
            run_node(["compile", str(pyodide_dir), str(src), str(Path(tmp) / "out.json")])
            os.replace(Path(tmp) / "out.json", out)
        for old in sorted(cache.glob("bytecode-*.json"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
    else:
        os.utime(out)  # recently used: kept
    got = json.loads(out.read_text(encoding="utf-8"))
    pyc = {name: base64.b64decode(data) for name, data in got["pyc"].items()}
    if set(pyc) != {name for name, _ in sources}:
        raise RuntimeError(f"{out}: compiled modules do not match the sources")
    return got["tag"], pyc

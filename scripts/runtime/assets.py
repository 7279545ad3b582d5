"""Copy the self-hosted Pyodide runtime and the calculator wheel into the built site.

Called from the mkdocs ``on_post_build`` hook of scripts/runtime/hooks.py::

    from scripts.runtime.assets import copy_runtime
    manifest = copy_runtime(Path(config["site_dir"]), repo_root)

Layout written below ``site_dir``::

    assets/pyodide/<runtime>/pyodide.mjs         loader (ES module) the worker imports
    assets/pyodide/<runtime>/pyodide.asm.mjs     Emscripten glue, imported by pyodide.mjs
    assets/pyodide/<runtime>/pyodide.asm.wasm    the interpreter
    assets/pyodide/<runtime>/python_stdlib.zip   the standard library, trimmed and precompiled
                                                 (scripts/runtime/stdlib.py)
    assets/pyodide/<runtime>/pyodide-lock.json   package index, with no packages
                                                 (scripts/runtime/stdlib.py)
    assets/calculator/shiqiao_calculator-<version>+<hash>-cp314-none-any.whl
                                                 the calculator as bytecode of the runtime's
                                                 Python (scripts/runtime/bytecode.py)
    assets/calculator/manifest.json              the returned manifest

``<runtime>`` is 16 hex digits of a sha256 over the five files: another Pyodide version or another
standard library is another path, so the server keeps these files a year, immutable
(scripts/deploy/nginx.conf), and a returning visitor's browser asks for none of them again. Earlier
runtime directories are removed. No Pyodide package wheels are copied: the calculator needs only the
standard library. The worker (``docs/assets/calculator/worker.js``) gets the runtime's directory, the
wheel and the lock file's contents from the calculator page (scripts/calculator_page/) or from
``manifest.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from scripts.build_wheel import build_wheel
from scripts.runtime.bytecode import compile_modules
from scripts.runtime.stdlib import StdlibError, package_index, stdlib_zip

__all__ = ["PYODIDE_FILES", "RuntimeAssetsMissing", "copy_runtime"]

# What pyodide 314.0.7 fetches to start an interpreter with no packages
# (checked against the requests a browser makes; see tests/browser/test_pyodide_runtime.py).
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
PYODIDE_DIR = "assets/pyodide"
CALCULATOR_DIR = "assets/calculator"
MANIFEST_NAME = "manifest.json"
NPM_DIR = Path("scripts/npm")


class RuntimeAssetsMissing(RuntimeError):
    """The npm-installed Pyodide runtime is missing or does not match scripts/npm/package.json."""


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _pyodide_source(repo_root: Path) -> tuple[Path, str]:
    """The node_modules/pyodide directory and its version, checked against the pin."""
    npm_dir = repo_root / NPM_DIR
    src = npm_dir / "node_modules" / "pyodide"
    hint = f"run `make` (it runs `npm ci --prefix {NPM_DIR.as_posix()}`) to install it"
    missing = [name for name in PYODIDE_FILES if not (src / name).is_file()]
    if not (src / "package.json").is_file() or missing:
        what = ", ".join(missing) if missing and (src / "package.json").is_file() else "the pyodide npm package"
        raise RuntimeAssetsMissing(f"Pyodide runtime not found in {src} (missing {what}); {hint}.")
    try:
        installed = json.loads((src / "package.json").read_text(encoding="utf-8"))["version"]
        pinned = json.loads((npm_dir / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeAssetsMissing(f"cannot read the pyodide version pin ({exc}); {hint}.") from exc
    if installed != pinned:
        raise RuntimeAssetsMissing(
            f"{src} holds pyodide {installed} but {npm_dir / 'package.json'} pins {pinned}; {hint}."
        )
    return src, installed


def _copy_if_changed(src: Path, dst: Path, digest: str) -> int:
    """Copy ``src`` to ``dst`` unless an identical file is already there. Returns bytes written."""
    if dst.is_file() and dst.stat().st_size == src.stat().st_size and _sha256(dst) == digest:
        return 0
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=dst.parent)
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return src.stat().st_size


def copy_runtime(site_dir: Path, repo_root: Path, *, wheel_src: Path | None = None) -> dict:
    """Copy the Pyodide core files and build the calculator wheel into ``site_dir``.

    ``wheel_src`` is the directory containing the ``calculator`` package to
    package (default: ``repo_root``). Returns, and writes to
    ``site_dir/assets/calculator/manifest.json``::

        {"pyodide_base": "assets/pyodide/<runtime>/",
         "pyodide_version": "314.0.7",
         "wheel": "assets/calculator/<name>.whl",
         "lock": <the contents of pyodide-lock.json, for loadPyodide's lockFileContents>,
         "files": {"assets/pyodide/<runtime>/pyodide.mjs": "<sha256>", ...},
         "bytes": <total size of the files listed>}

    All paths are relative to the site root. Raises ``RuntimeAssetsMissing``
    (with a "run `make`" hint) when ``scripts/npm/node_modules`` is missing or stale.
    """
    site_dir = Path(site_dir)
    repo_root = Path(repo_root)
    src, version = _pyodide_source(repo_root)
    sources: dict[str, tuple[Path, str]] = {}
    for name in PYODIDE_FILES:
        source = src / name
        if name == "python_stdlib.zip":
            try:
                source = stdlib_zip(src, repo_root)
            except StdlibError as exc:
                raise RuntimeAssetsMissing(str(exc)) from exc
        elif name == "pyodide-lock.json":
            source = package_index(src, repo_root)
        sources[name] = (source, _sha256(source))
    runtime = hashlib.sha256(json.dumps({n: d for n, (_, d) in sources.items()}, sort_keys=True).encode()).hexdigest()
    runtime_dir = f"{PYODIDE_DIR}/{runtime[:16]}"
    files: dict[str, str] = {}
    total = 0
    for name, (source, digest) in sources.items():
        _copy_if_changed(source, site_dir / runtime_dir / name, digest)
        files[f"{runtime_dir}/{name}"] = digest
        total += source.stat().st_size
    # Only the current runtime (earlier builds', e.g. under `mkdocs serve` or a --dirty build, go).
    for old in (site_dir / PYODIDE_DIR).iterdir():
        if old.name != runtime[:16]:
            shutil.rmtree(old) if old.is_dir() else old.unlink()

    calc_dir = site_dir / CALCULATOR_DIR
    try:
        wheel = build_wheel(wheel_src if wheel_src is not None else repo_root, calc_dir,
                            bytecode=lambda sources: compile_modules(src, sources, repo_root))
    except StdlibError as exc:
        raise RuntimeAssetsMissing(str(exc)) from exc
    # Drop wheels of earlier builds (e.g. under `mkdocs serve`), keep only the current one.
    for old in calc_dir.glob("shiqiao_calculator-*.whl"):
        if old != wheel:
            old.unlink()
    wheel_rel = f"{CALCULATOR_DIR}/{wheel.name}"
    files[wheel_rel] = _sha256(wheel)
    total += wheel.stat().st_size

    manifest = {
        "pyodide_base": f"{runtime_dir}/",
        "pyodide_version": version,
        "wheel": wheel_rel,
        "lock": json.loads(sources["pyodide-lock.json"][0].read_text(encoding="utf-8")),
        "files": files,
        "bytes": total,
    }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    manifest_path = calc_dir / MANIFEST_NAME
    if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != text:
        manifest_path.write_text(text, encoding="utf-8")
    return manifest

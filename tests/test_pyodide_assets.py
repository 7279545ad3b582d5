"""Tests for scripts/runtime/assets.py (no browser needed)."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest

from scripts.runtime.assets import PYODIDE_FILES, RuntimeAssetsMissing, copy_runtime

REPO_ROOT = Path(__file__).resolve().parents[1]


def make_stub_package(root: Path) -> Path:
    pkg = root / "calculator"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "api.py").write_text("def handle(op, payload_json):\n    return '{}'\n", encoding="utf-8")
    return root


def test_copy_runtime_manifest(tmp_path):
    site = tmp_path / "site"
    manifest = copy_runtime(site, REPO_ROOT, wheel_src=make_stub_package(tmp_path / "stub"))
    # The runtime in a directory named by its content: 16 hex digits of a hash over its files' hashes.
    base = manifest["pyodide_base"]
    assert re.fullmatch(r"assets/pyodide/[0-9a-f]{16}/", base), base
    runtime = {n: manifest["files"][base + n] for n in PYODIDE_FILES}
    assert base == f"assets/pyodide/{hashlib.sha256(json.dumps(runtime, sort_keys=True).encode()).hexdigest()[:16]}/"
    assert manifest["wheel"].startswith("assets/calculator/shiqiao_calculator-")
    assert json.loads((site / "assets/calculator/manifest.json").read_text()) == manifest
    assert [p.name for p in (site / "assets/pyodide").iterdir()] == [base.split("/")[2]]
    assert sorted(p.name for p in (site / base).iterdir()) == sorted(PYODIDE_FILES)
    assert set(manifest["files"]) == {base + n for n in PYODIDE_FILES} | {manifest["wheel"]}
    assert manifest["bytes"] == sum((site / p).stat().st_size for p in manifest["files"])
    for path, digest in manifest["files"].items():
        assert hashlib.sha256((site / path).read_bytes()).hexdigest() == digest, path
    # The calculator as bytecode of the runtime's own Python (scripts/runtime/bytecode.py): nothing to
    # compile in the browser.
    major, minor = manifest["lock"]["info"]["python"].split(".")[:2]
    assert manifest["wheel"].endswith(f"-cp{major}{minor}-none-any.whl"), manifest["wheel"]
    with zipfile.ZipFile(site / manifest["wheel"]) as zf:
        names = zf.namelist()
    assert {"calculator/__init__.pyc", "calculator/api.pyc"} <= set(names)
    assert not [n for n in names if n.endswith(".py")], names
    # Pyodide's lock file, for lockFileContents: the very file served
    assert manifest["lock"] == json.loads((site / base / "pyodide-lock.json").read_text(encoding="utf-8"))
    # An earlier runtime directory is removed.
    (site / "assets/pyodide/0123456789abcdef").mkdir()
    assert copy_runtime(site, REPO_ROOT, wheel_src=tmp_path / "stub") == manifest
    assert [p.name for p in (site / "assets/pyodide").iterdir()] == [base.split("/")[2]]
    # Idempotent, and a changed package replaces the old wheel.
    assert copy_runtime(site, REPO_ROOT, wheel_src=tmp_path / "stub") == manifest
    (tmp_path / "stub" / "calculator" / "extra.py").write_text("X = 1\n")
    changed = copy_runtime(site, REPO_ROOT, wheel_src=tmp_path / "stub")
    assert changed["wheel"] != manifest["wheel"]
    assert [p.name for p in (site / "assets/calculator").glob("*.whl")] == [Path(changed["wheel"]).name]


def test_copy_runtime_without_node_modules(tmp_path):
    fake_repo = tmp_path / "repo"
    (fake_repo / "scripts" / "npm").mkdir(parents=True)
    with pytest.raises(RuntimeAssetsMissing, match=r"run `make`"):
        copy_runtime(tmp_path / "site", fake_repo, wheel_src=make_stub_package(tmp_path / "stub"))

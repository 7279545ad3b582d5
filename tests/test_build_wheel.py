"""Tests for scripts/build_wheel.py: a correct, deterministic, importable pure-Python wheel."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scripts.build_wheel import build_wheel, main

REPO_ROOT = Path(__file__).resolve().parents[1]
WHEEL_NAME_RE = re.compile(r"^shiqiao_calculator-(\d+\.\d+\.\d+)\+([0-9a-f]{8})-py3-none-any\.whl$")


def _project_version() -> str:
    import tomllib

    with (REPO_ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def make_package(root: Path, marker: str = "one") -> Path:
    """A small stand-in for calculator/: subpackage, data JSON, and things that must be left out."""
    pkg = root / "calculator"
    (pkg / "programmes").mkdir(parents=True)
    (pkg / "data").mkdir()
    (pkg / "__pycache__").mkdir()
    (pkg / "__init__.py").write_text('"""Stub calculator."""\n', encoding="utf-8")
    (pkg / "api.py").write_text(
        "import json\n"
        f"MARKER = {marker!r}\n"
        "def handle(op, payload_json):\n"
        "    from calculator.programmes import dibao\n"
        "    return json.dumps({'op': op, 'marker': MARKER, 'programme': dibao.NAME,\n"
        "                       'data': load_data()})\n"
        "def load_data():\n"
        "    from importlib import resources\n"
        "    return json.loads(resources.files('calculator').joinpath('data/policy.json').read_text('utf-8'))\n",
        encoding="utf-8",
    )
    (pkg / "programmes" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "programmes" / "dibao.py").write_text("NAME = '低保'\n", encoding="utf-8")
    (pkg / "data" / "policy.json").write_text(json.dumps({"标准": 780}, ensure_ascii=False), encoding="utf-8")
    (pkg / "data" / "notes.txt").write_text("not shipped\n", encoding="utf-8")
    (pkg / "__pycache__" / "api.cpython-311.pyc").write_bytes(b"\0junk")
    (pkg / "README.md").write_text("not shipped\n", encoding="utf-8")
    return root


def _sources() -> list:
    params = [pytest.param("stub", id="stub-package")]
    if (REPO_ROOT / "calculator" / "__init__.py").is_file():
        params.append(pytest.param("repo", id="repo-calculator"))
    return params


@pytest.fixture(params=_sources())
def src_dir(request, tmp_path: Path) -> Path:
    if request.param == "repo":
        return REPO_ROOT
    return make_package(tmp_path / "src")


def _read_record(zf: zipfile.ZipFile) -> tuple[str, list[list[str]]]:
    [record_name] = [n for n in zf.namelist() if n.endswith(".dist-info/RECORD")]
    rows = list(csv.reader(io.StringIO(zf.read(record_name).decode("utf-8"))))
    return record_name, rows


def test_wheel_name_and_layout(src_dir: Path, tmp_path: Path) -> None:
    wheel = build_wheel(src_dir, tmp_path / "out")
    assert wheel.parent == tmp_path / "out"
    m = WHEEL_NAME_RE.match(wheel.name)
    assert m, wheel.name
    assert m.group(1) == _project_version()
    full_version = f"{m.group(1)}+{m.group(2)}"
    dist_info = f"shiqiao_calculator-{full_version}.dist-info"

    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
        metadata = zf.read(f"{dist_info}/METADATA").decode()
        wheel_meta = zf.read(f"{dist_info}/WHEEL").decode()

    pkg_names = [n for n in names if not n.startswith(dist_info + "/")]
    assert pkg_names == sorted(pkg_names)
    assert all(n.startswith("calculator/") for n in pkg_names)
    assert all(n.endswith(".py") or re.fullmatch(r"calculator/data/[^/]+\.json", n) for n in pkg_names)
    assert not any("__pycache__" in n for n in names)
    assert names[-1] == f"{dist_info}/RECORD"
    assert "calculator/__init__.py" in names

    # Every .py and data/*.json on disk is shipped.
    pkg = src_dir / "calculator"
    on_disk = sorted(
        p.relative_to(src_dir).as_posix()
        for p in list(pkg.rglob("*.py")) + list((pkg / "data").glob("*.json"))
        if "__pycache__" not in p.parts
    )
    assert pkg_names == on_disk

    assert "Metadata-Version: 2.1\n" in metadata
    assert re.search(r"^Name: shiqiao[-_]calculator$", metadata, re.M)
    assert f"\nVersion: {full_version}\n" in metadata
    assert "Root-Is-Purelib: true\n" in wheel_meta
    assert "Tag: py3-none-any\n" in wheel_meta
    assert wheel_meta.startswith("Wheel-Version: 1.0\n")


def test_stub_excludes_non_package_files(tmp_path: Path) -> None:
    wheel = build_wheel(make_package(tmp_path / "src"), tmp_path / "out")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert "calculator/data/policy.json" in names
    assert "calculator/programmes/dibao.py" in names
    assert "calculator/data/notes.txt" not in names
    assert "calculator/README.md" not in names


def test_record_hashes_match(src_dir: Path, tmp_path: Path) -> None:
    wheel = build_wheel(src_dir, tmp_path / "out")
    with zipfile.ZipFile(wheel) as zf:
        record_name, rows = _read_record(zf)
        names = zf.namelist()
        listed = [row[0] for row in rows]
        assert sorted(listed) == sorted(names)
        assert len(listed) == len(set(listed))
        for path, digest, size in rows:
            if path == record_name:
                assert digest == "" and size == ""
                continue
            data = zf.read(path)
            algo, _, b64 = digest.partition("=")
            assert algo == "sha256"
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert b64 == expected, path
            assert int(size) == len(data), path


def test_zip_entries_are_normalised(src_dir: Path, tmp_path: Path) -> None:
    wheel = build_wheel(src_dir, tmp_path / "out")
    with zipfile.ZipFile(wheel) as zf:
        for info in zf.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0), info.filename
            assert (info.external_attr >> 16) == 0o100644, info.filename
            assert info.compress_type == zipfile.ZIP_DEFLATED


def test_deterministic(src_dir: Path, tmp_path: Path) -> None:
    first = build_wheel(src_dir, tmp_path / "a")
    # Touching mtimes must not change anything.
    for p in (src_dir / "calculator").rglob("*.py"):
        if src_dir != REPO_ROOT:
            os.utime(p, (1_700_000_000, 1_700_000_000))
    second = build_wheel(src_dir, tmp_path / "b")
    assert first.name == second.name
    assert first.read_bytes() == second.read_bytes()
    # Rebuilding into the same directory keeps the same file.
    third = build_wheel(src_dir, tmp_path / "a")
    assert third == first and third.read_bytes() == second.read_bytes()


def test_content_change_changes_name(tmp_path: Path) -> None:
    a = build_wheel(make_package(tmp_path / "a", marker="one"), tmp_path / "out")
    b = build_wheel(make_package(tmp_path / "b", marker="two"), tmp_path / "out")
    assert a.name != b.name
    assert WHEEL_NAME_RE.match(a.name) and WHEEL_NAME_RE.match(b.name)
    # Same contents in another directory give the same name and bytes.
    c = build_wheel(make_package(tmp_path / "c", marker="one"), tmp_path / "out2")
    assert c.name == a.name and c.read_bytes() == a.read_bytes()


def test_explicit_version(tmp_path: Path) -> None:
    wheel = build_wheel(make_package(tmp_path / "src"), tmp_path / "out", version="2.3.4")
    assert wheel.name.startswith("shiqiao_calculator-2.3.4+")


def test_missing_package_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="calculator"):
        build_wheel(tmp_path, tmp_path / "out")
    assert main(["--src", str(tmp_path), "--out", str(tmp_path / "out")]) == 1


def test_imports_from_wheel_in_fresh_interpreter(tmp_path: Path) -> None:
    wheel = build_wheel(make_package(tmp_path / "src"), tmp_path / "out")
    code = (
        "import sys, json\n"
        f"sys.path.insert(0, {str(wheel)!r})\n"
        "import calculator.api\n"
        "assert calculator.api.__file__.startswith(sys.path[0]), calculator.api.__file__\n"
        "print(calculator.api.handle('version', '{}'))\n"
    )
    # Run from an empty directory with no PYTHONPATH so only the wheel can provide `calculator`.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    assert result == {"op": "version", "marker": "one", "programme": "低保", "data": {"标准": 780}}


def test_package_imports_from_wheel(src_dir: Path, tmp_path: Path) -> None:
    """Whatever is being packaged (stub or the real calculator/) imports from the wheel alone."""
    wheel = build_wheel(src_dir, tmp_path / "out")
    with zipfile.ZipFile(wheel) as zf:
        has_api = "calculator/api.py" in zf.namelist()
    code = (
        "import sys, importlib\n"
        f"sys.path.insert(0, {str(wheel)!r})\n"
        "mod = importlib.import_module(sys.argv[1])\n"
        "assert mod.__file__.startswith(sys.path[0]), mod.__file__\n"
    )
    module = "calculator.api" if has_api else "calculator"
    subprocess.run(
        [sys.executable, "-I", "-c", code, module], cwd=tmp_path, capture_output=True, text=True, check=True
    )


def test_cli(tmp_path: Path, capsys) -> None:
    src = make_package(tmp_path / "src")
    assert main(["--src", str(src), "--out", str(tmp_path / "out")]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.is_file() and WHEEL_NAME_RE.match(printed.name)


# ---------------------------------------------------------------------------------- bytecode wheel

def _fake_bytecode(sources):
    """A stand-in for scripts/runtime/bytecode.compile_modules: a recognisable 'pyc' per source."""
    return "cp314", {name: b"PYC " + hashlib.sha256(data).digest() for name, data in sources}


def test_bytecode_wheel_replaces_every_module_by_its_pyc(tmp_path: Path) -> None:
    src = make_package(tmp_path / "src")
    source = build_wheel(src, tmp_path / "source")
    wheel = build_wheel(src, tmp_path / "out", bytecode=_fake_bytecode)
    assert re.fullmatch(r"shiqiao_calculator-\d+\.\d+\.\d+\+[0-9a-f]{8}-cp314-none-any\.whl", wheel.name), wheel.name
    with zipfile.ZipFile(source) as zf:
        modules = {n: zf.read(n) for n in zf.namelist() if n.endswith(".py")}
    assert "calculator/api.py" in modules
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert not [n for n in names if n.endswith(".py")]
        for name, text in modules.items():
            assert zf.read(name + "c") == b"PYC " + hashlib.sha256(text).digest(), name
        assert json.loads(zf.read("calculator/data/policy.json")) == {"标准": 780}
        # stored: the server compresses the whole file (brotli across members)
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
        [meta] = [n for n in names if n.endswith(".dist-info/WHEEL")]
        assert "Tag: cp314-none-any\n" in zf.read(meta).decode()
        record_name, rows = _read_record(zf)
        assert sorted(r[0] for r in rows) == sorted(names)
        for path, digest, size in rows:
            if path != record_name:
                data = zf.read(path)
                assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                assert int(size) == len(data)
    assert build_wheel(src, tmp_path / "again", bytecode=_fake_bytecode).read_bytes() == wheel.read_bytes()


def test_bytecode_of_another_python_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="py3"):
        build_wheel(make_package(tmp_path / "src"), tmp_path / "out",
                    bytecode=lambda sources: ("py3", {n: b"" for n, _ in sources}))


def test_the_calculator_runs_alike_compiled_as_python_oo() -> None:
    """The site's wheel is compiled as `python -OO` would (scripts/runtime/bytecode.py): no module of the
    calculator may depend on an assert or a docstring."""
    import ast

    found = []
    for path in sorted((REPO_ROOT / "calculator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assert) or (isinstance(node, (ast.Name, ast.Attribute))
                                                and getattr(node, "id", getattr(node, "attr", None)) == "__doc__"):
                found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    assert not found, f"asserts or __doc__, which the browser's bytecode (-OO) drops: {found}"

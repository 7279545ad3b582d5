"""Build a deterministic pure-Python wheel of the ``calculator`` package.

Standard library only. The browser (Pyodide) imports this wheel as a zip on
``sys.path`` (docs/assets/calculator/worker.js), so it has to be a plain, correct
wheel; it never goes through pip or micropip.

* Contents: every ``calculator/**/*.py`` and ``calculator/data/*.json`` below
  ``src_dir`` (``__pycache__`` is ignored), plus ``*.dist-info/METADATA``,
  ``WHEEL``, ``top_level.txt`` and ``RECORD`` (sha256 of every file).
* Deterministic: sorted entries, fixed timestamps and permissions, fixed
  compression level, so the same inputs give byte-identical output.
* Cache-friendly: the version carries a local label made of the first 8 hex
  digits of a sha256 over the package contents, e.g.
  ``shiqiao_calculator-0.1.0+1a2b3c4d-py3-none-any.whl``; a changed package
  gets a new file name, so the site can serve wheels as immutable.

For the browser, ``bytecode=`` (a function of the package's ``(path, source)`` pairs returning the
wheel tag of the Python that compiled them and ``{path: .pyc}``, scripts/runtime/bytecode.py) gives a
wheel of bytecode for that one Python, ``…-cp314-none-any.whl``: ``calculator/api.pyc`` in place of
``calculator/api.py`` (Python imports a ``.pyc`` with no source beside it), so Pyodide compiles
nothing; its members are stored, not deflated, because the server sends the whole file compressed
(brotli compresses bytecode and data across files better than deflate does file by file).

CLI::

    python scripts/build_wheel.py [--src DIR] [--out DIR] [--version X.Y.Z]
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import os
import re
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

__all__ = ["build_wheel", "collect_package_files", "content_hash", "wheel_version", "main"]

PACKAGE = "calculator"
DIST_NAME = "shiqiao_calculator"  # normalised distribution name used in file names
PROJECT_NAME = "shiqiao-calculator"  # name as written in pyproject.toml
REPO_ROOT = Path(__file__).resolve().parents[1]

# 1980-01-01 00:00:00 is the earliest time a zip file can record.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # regular file, rw-r--r--
COMPRESSLEVEL = 9
HASH_LEN = 8

_HASH_PREFIX = b"shiqiao-calculator-wheel-v1\0"


def _project_info(src_dir: Path) -> dict:
    """The [project] table of the pyproject.toml beside the package, or of this repository."""
    for candidate in (src_dir / "pyproject.toml", REPO_ROOT / "pyproject.toml"):
        if candidate.is_file():
            with candidate.open("rb") as fh:
                return tomllib.load(fh).get("project", {})
    return {}


def wheel_version(src_dir: Path) -> str:
    """The base version (without the local content label) from pyproject.toml."""
    version = _project_info(Path(src_dir)).get("version")
    if not version:
        raise ValueError(f"no [project] version found in {src_dir / 'pyproject.toml'} or {REPO_ROOT / 'pyproject.toml'}")
    return str(version)


def _package_root(src_dir: Path) -> Path:
    """The directory that contains ``calculator/`` (``src_dir`` may also be the package itself)."""
    src_dir = Path(src_dir).resolve()
    if (src_dir / PACKAGE / "__init__.py").is_file():
        return src_dir
    if src_dir.name == PACKAGE and (src_dir / "__init__.py").is_file():
        return src_dir.parent
    raise FileNotFoundError(
        f"no Python package {PACKAGE!r} found: expected {src_dir / PACKAGE / '__init__.py'}"
    )


def collect_package_files(src_dir: Path) -> list[tuple[str, bytes]]:
    """Sorted ``(archive path, content)`` pairs for the calculator package below ``src_dir``."""
    root = _package_root(src_dir)
    pkg = root / PACKAGE
    paths = [p for p in pkg.rglob("*.py") if "__pycache__" not in p.relative_to(pkg).parts]
    data_dir = pkg / "data"
    if data_dir.is_dir():
        paths += [p for p in data_dir.glob("*.json") if p.is_file()]
    files = []
    for path in paths:
        if not path.is_file():
            continue
        arcname = path.relative_to(root).as_posix()
        files.append((arcname, path.read_bytes()))
    files.sort(key=lambda item: item[0])
    return files


def content_hash(files: list[tuple[str, bytes]], base_version: str) -> str:
    """Short hex digest over the base version and every (path, content) pair."""
    h = hashlib.sha256(_HASH_PREFIX)
    h.update(base_version.encode() + b"\0")
    for name, data in files:
        h.update(name.encode("utf-8") + b"\0")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:HASH_LEN]


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _metadata(project: dict, version: str) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project.get('name', PROJECT_NAME)}",
        f"Version: {version}",
    ]
    if project.get("description"):
        lines.append(f"Summary: {project['description']}")
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    return "\n".join(lines) + "\n"


def _wheel_file(tag: str) -> str:
    return (
        "Wheel-Version: 1.0\n"
        "Generator: shiqiao scripts/build_wheel.py\n"
        "Root-Is-Purelib: true\n"
        f"Tag: {tag}\n"
    )


def _zipinfo(name: str, compress_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = compress_type
    info.external_attr = FILE_MODE << 16
    info.create_system = 3  # Unix, so the mode bits above are meaningful everywhere
    return info


def build_wheel(src_dir: Path, out_dir: Path, *, version: str | None = None, bytecode=None) -> Path:
    """Write the wheel of ``src_dir/calculator`` into ``out_dir`` and return its path.

    ``src_dir`` is the directory that contains the ``calculator`` package (the
    repository root for the real build). ``version`` defaults to the
    ``[project] version`` of ``src_dir/pyproject.toml`` (falling back to this
    repository's). ``bytecode``: see the module's docstring. The same inputs
    always produce a byte-identical file.
    """
    src_dir = Path(src_dir)
    out_dir = Path(out_dir)
    files = collect_package_files(src_dir)
    python_tag, compress = "py3", zipfile.ZIP_DEFLATED
    if bytecode is not None:
        python_tag, pyc = bytecode([(n, d) for n, d in files if n.endswith(".py")])
        if not re.fullmatch(r"cp3[0-9]+", python_tag):
            raise ValueError(f"unexpected Python tag {python_tag!r} for bytecode")
        files = sorted(((n + "c", pyc[n]) if n.endswith(".py") else (n, d) for n, d in files),
                       key=lambda item: item[0])
        compress = zipfile.ZIP_STORED
    project = _project_info(src_dir)
    base_version = version or wheel_version(src_dir)
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*([a-z0-9.]*)", base_version):
        raise ValueError(f"unsupported version {base_version!r}: expected a plain public version like 0.1.0")
    full_version = f"{base_version}+{content_hash(files, base_version)}"
    dist_info = f"{DIST_NAME}-{full_version}.dist-info"
    tag = f"{python_tag}-none-any"
    wheel_name = f"{DIST_NAME}-{full_version}-{tag}.whl"

    entries = list(files)
    entries.append((f"{dist_info}/METADATA", _metadata(project, full_version).encode("utf-8")))
    entries.append((f"{dist_info}/WHEEL", _wheel_file(tag).encode("utf-8")))
    entries.append((f"{dist_info}/top_level.txt", f"{PACKAGE}\n".encode("utf-8")))

    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data in entries:
        writer.writerow([name, _record_hash(data), len(data)])
    writer.writerow([f"{dist_info}/RECORD", "", ""])
    entries.append((f"{dist_info}/RECORD", record.getvalue().encode("utf-8")))

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress, compresslevel=COMPRESSLEVEL) as zf:
        for name, data in entries:
            zf.writestr(_zipinfo(name, compress), data, compress_type=compress, compresslevel=COMPRESSLEVEL)

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / wheel_name
    payload = buf.getvalue()
    if target.is_file() and target.read_bytes() == payload:
        return target
    # Write atomically so a concurrent reader (e.g. a dev server) never sees half a wheel.
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".whl", dir=out_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the deterministic calculator wheel.")
    parser.add_argument("--src", type=Path, default=REPO_ROOT, help="directory containing calculator/ (default: repository root)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build", help="output directory (default: build/)")
    parser.add_argument("--version", default=None, help="base version (default: from pyproject.toml)")
    args = parser.parse_args(argv)
    try:
        path = build_wheel(args.src, args.out, version=args.version)
    except (FileNotFoundError, ValueError) as exc:
        print(f"build_wheel: error: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

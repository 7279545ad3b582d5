"""Python that runs inside Pyodide at build time, on Pyodide's own Python (3.14), driven by
scripts/runtime/stdlib.mjs, which reads this file and calls its functions. It imports only the
standard library, so the host's Python can run it too (tests/test_pyodide_stdlib.py does, on a zip of
its own).

* ``loaded_modules(zip_path)``: the standard-library modules loaded from the zip so far, and every
  module the zip holds (for ``stdlib.mjs record``).
* ``compile_zip(src_zip, wanted)``: the zip of the ``wanted`` modules, compiled to bytecode by the
  running Python (for ``stdlib.mjs build``).
* ``compile_sources(sources)``: the calculator's modules compiled the same way (for ``stdlib.mjs
  compile``, scripts/runtime/bytecode.py).
"""

from __future__ import annotations

import io
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc


def module_of(name: str) -> str | None:
    """The module of a file in the stdlib zip ("json/decoder.py" -> "json.decoder"), or None."""
    if not name.endswith(".py"):
        return None
    mod = name[:-3].replace("/", ".")
    return mod[:-9] if mod.endswith(".__init__") else mod


def stdlib_zip_path() -> str:
    """The python_stdlib.zip on sys.path."""
    return next(p for p in sys.path if p.endswith(".zip"))


def loaded_modules(zip_path: str) -> dict:
    """{"modules": the modules in sys.modules loaded from the zip, "stdlib": every module the zip holds}.
    Only what was loaded from the zip counts: modules frozen into the interpreter (importlib._bootstrap,
    os, codecs, site, ...) have a copy in the zip that is never read."""
    names = zipfile.ZipFile(zip_path).namelist()
    loaded = [name for name, m in list(sys.modules.items())
              if (getattr(getattr(m, "__spec__", None), "origin", None) or "").startswith(zip_path + "/")]
    return {"modules": sorted(loaded), "stdlib": sorted(m for m in map(module_of, names) if m)}


def _pyc(source: bytes, filename: str) -> bytes:
    """An unchecked hash-based .pyc of ``source``, compiled as `python -OO` would."""
    code = compile(source, filename, "exec", dont_inherit=True, optimize=2)
    return bytes(_code_to_hash_pyc(code, b"\0" * 8, checked=False))


def compile_sources(sources) -> dict:
    """{"tag": the wheel tag of this Python ("cp314"), "pyc": {name: the .pyc of sources[name]}} for
    {"calculator/api.py": source text, ...}; each code object is named by its archive path."""
    tag = "cp" + sys.implementation.cache_tag.rsplit("-", 1)[1]
    return {"tag": tag, "pyc": {name: _pyc(text.encode("utf-8"), name) for name, text in sources.items()}}


def compile_zip(src_zip: str, wanted) -> bytes:
    """The modules ``wanted`` of ``src_zip``, compiled by this Python as `python -OO` would, as unchecked
    hash-based .pyc files, stored (not deflated: the server sends the whole zip in brotli, 0.60 MB,
    where deflated members came to 0.87 MB that neither brotli nor gzip can shrink, and importing
    from it inflates nothing), in sorted order with fixed timestamps. A wanted module the zip
    does not hold raises SystemExit naming it."""
    wanted = set(wanted)
    src = zipfile.ZipFile(src_zip)
    by_module = {module_of(n): n for n in src.namelist() if module_of(n)}
    missing = sorted(wanted - set(by_module))
    if missing:
        raise SystemExit("not in python_stdlib.zip: " + ", ".join(missing))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for mod in sorted(wanted, key=lambda m: by_module[m]):
            name = by_module[mod]
            info = zipfile.ZipInfo(name + "c", (1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o100644 << 16
            z.writestr(info, _pyc(src.read(name), src.filename + "/" + name), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()

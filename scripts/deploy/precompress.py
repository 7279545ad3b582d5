"""Pre-compressed copies of the built site, for nginx's brotli_static and gzip_static (scripts/deploy/):
next to every compressible file (pages, JSON, JavaScript, CSS, SVG, CSV, the Pyodide runtime with its
WebAssembly and its standard-library zip, the calculator's wheel of bytecode: the members of these
two zips are stored) it writes ``file.br`` (brotli, quality 11) and ``file.gz`` (gzip, level 9),
unless compressing saves less than 5 %. nginx then sends the brotli file to a browser that accepts
br, the gzip file to one that accepts only gzip, and spends no CPU compressing: ``pyodide.asm.wasm``
is 9.6 MB, 2.7 MB in brotli and 3.5 MB in gzip.

The last step of the build (the mkdocs hook listed last in mkdocs.yml, so its on_post_build runs
after every other, when the pages carry their Content-Security-Policy and sw.js is written). Skipped by
``mkdocs serve``, whose server ignores these files. Compressing the runtime at quality 11 takes tens
of seconds and the pages several seconds more, so the compressed bytes of every file are kept in
scripts/npm/node_modules/.cache/shiqiao-precompress/ by their sha256 (`npm ci` clears it with the
runtime; a copy no build has used for a week is removed): a build compresses only what changed.
The service worker never lists these files (scripts/offline/service_worker.py).
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.precompress")

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = REPO_ROOT / "scripts" / "npm" / "node_modules" / ".cache" / "shiqiao-precompress"
SUFFIXES = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".csv", ".txt", ".zip", ".whl", ".webmanifest")
COMPRESSED = (".br", ".gz")
MIN_SIZE = 256      # as nginx's gzip_min_length: smaller files are sent as they are
MIN_SAVING = 0.05   # a copy that saves less than 5 % is not written (a zip of deflated members)
CACHE_DAYS = 7     # cached copies not used for a week are removed (prune_cache)

_state: dict = {}


def _encode(data: bytes, suffix: str) -> bytes:
    if suffix == ".br":
        import brotli  # PyPI `brotli`, pinned in pyproject.toml
        return brotli.compress(data, quality=11, mode=brotli.MODE_GENERIC)
    return gzip.compress(data, compresslevel=9, mtime=0)


def compressed(data: bytes, suffix: str) -> bytes:
    """`data` in brotli (suffix .br) or gzip (.gz), from the cache when this content was compressed
    before (by any build: the tests build the same pages many times)."""
    cached = CACHE_DIR / (hashlib.sha256(data).hexdigest() + suffix)
    if cached.is_file():
        try:
            os.utime(cached)  # in use: kept by prune_cache
            return cached.read_bytes()
        except FileNotFoundError:  # pruned meanwhile by another build
            pass
    out = _encode(data, suffix)
    if CACHE_DIR.parent.is_dir():  # only inside an installed node_modules (npm ci clears it)
        CACHE_DIR.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=CACHE_DIR, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(out)
        os.replace(tmp, cached)
    return out


def compress_file(path: Path, suffix: str) -> bool:
    """Write path + suffix when it saves enough; remove a stale one otherwise. True when written."""
    path = Path(path)
    target = path.with_name(path.name + suffix)
    data = path.read_bytes()
    out = compressed(data, suffix) if len(data) >= MIN_SIZE else None
    if out is None or len(out) > len(data) * (1 - MIN_SAVING):
        target.unlink(missing_ok=True)
        return False
    if not (target.is_file() and target.read_bytes() == out):
        target.write_bytes(out)
    return True


def compressible(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUFFIXES


def precompress(site_dir: Path) -> dict:
    """Compress every compressible file of `site_dir`; drop .br/.gz files whose original is gone.
    Returns {"files": n, "bytes": original total, "br": brotli total, "gz": gzip total}. The files are
    compressed on every CPU at once (brotli and zlib let go of the GIL while they work: brotli 11 of
    the 150 pages under 64 kB took 5.7 s on one of two cores, 2.9 s on both)."""
    site_dir = Path(site_dir)
    stats = {"files": 0, "bytes": 0, "br": 0, "gz": 0}
    paths = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix in COMPRESSED and path.is_file():
            if not Path(str(path)[: -len(path.suffix)]).is_file():
                path.unlink()
            continue
        if compressible(path):
            paths.append(path)
    jobs = [(path, suffix) for path in paths for suffix in COMPRESSED]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        written = dict(zip(jobs, pool.map(lambda job: compress_file(*job), jobs)))
    for path in paths:
        size = path.stat().st_size
        stats["files"] += 1
        stats["bytes"] += size
        for suffix in COMPRESSED:
            stats[suffix[1:]] += path.with_name(path.name + suffix).stat().st_size if written[path, suffix] else size
    return stats


def prune_cache(days: float = CACHE_DAYS) -> int:
    """Remove cached copies no build has used for `days`; returns how many."""
    if not CACHE_DIR.is_dir():
        return 0
    cutoff, removed = time.time() - days * 86400, 0
    for path in CACHE_DIR.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed


def on_startup(command, dirty):
    _state["command"] = command


def on_post_build(config):
    if _state.get("command") == "serve":
        return
    stats = precompress(Path(config["site_dir"]))
    prune_cache()
    log.info(f"预压缩：{stats['files']} 个文件 {stats['bytes'] / 1e6:.1f} MB，"
             f"brotli {stats['br'] / 1e6:.1f} MB，gzip {stats['gz'] / 1e6:.1f} MB")

"""The offline service worker: ``sw.js`` at the site root, written by the mkdocs hook
scripts/offline/hooks.py, the last step of the build. It lists every file of the build with its
sha256, so its bytes change whenever any file changes, the browser installs the new worker, and a
policy-data update is never served from an old cache (see ``SW_TEMPLATE``, scripts/offline/sw.js).

A pure function of the built site: rebuilt on every build, it cannot be stale.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = ["SW_NAME", "on_post_build", "precache_list", "write_service_worker"]

SW_NAME = "sw.js"
SW_TEMPLATE = Path(__file__).resolve().parent / "sw.js"

# Never precached: source maps (only developers open them) and the worker itself.
SKIP_SUFFIXES = (".map", ".br", ".gz")  # .br/.gz: the server's pre-compressed copies (scripts/deploy/precompress.py)


def precache_list(site_dir: Path) -> dict[str, str]:
    """{site-root-relative path: sha256} of every file the offline site needs, sorted."""
    site_dir = Path(site_dir)
    out = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or rel == SW_NAME or rel.endswith(SKIP_SUFFIXES) or "/." in f"/{rel}":
            continue
        with path.open("rb") as fh:
            out[rel] = hashlib.file_digest(fh, "sha256").hexdigest()
    return out


def write_service_worker(site_dir: Path) -> dict:
    """Write ``sw.js``: the template with the build's file list and build id filled in."""
    site_dir = Path(site_dir)
    files = precache_list(site_dir)
    build = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    manifest = {"build": build, "files": files}
    template = SW_TEMPLATE.read_text(encoding="utf-8")
    marker = "/*@BUILD@*/null"
    if template.count(marker) != 1:
        raise RuntimeError(f"{SW_TEMPLATE} must contain {marker!r} exactly once")
    text = template.replace(marker, json.dumps(manifest, indent=1, sort_keys=True))
    (site_dir / SW_NAME).write_text(text, encoding="utf-8")
    return manifest



def on_post_build(config) -> dict:
    """The mkdocs step, after every other: returns the service worker's manifest ({"build", "files"})."""
    return write_service_worker(Path(config["site_dir"]))

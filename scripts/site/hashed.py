"""The handbook's own stylesheets and script (mkdocs.yml extra_css, extra_javascript: files of docs/),
written under names that carry their content hash, as mkdocs-material names its own bundles:
``stylesheets/handbook.css`` becomes ``stylesheets/handbook.<8 hex>.css``. Every page links them, so
under their plain names a returning visitor's browser revalidated them on every page; now nginx keeps
them a year as immutable and the service worker serves them from its cache first (both match
``.<8 hex>.css`` and ``.<8 hex>.js``: scripts/deploy/nginx.conf, scripts/offline/sw.js), and another
build of one is another name.

Called from scripts/site/hooks.py: ``rename_extras(config)`` in on_config (the pages link the new
names), ``move_files(files, renamed)`` in on_files (mkdocs writes the files there).
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

__all__ = ["hashed_name", "move_files", "rename_extras"]


def hashed_name(uri: str, content: bytes) -> str:
    path = PurePosixPath(uri)
    return str(path.with_name(f"{path.stem}.{hashlib.sha256(content).hexdigest()[:8]}{path.suffix}"))


def rename_extras(config) -> dict[str, str]:
    """Point extra_css and extra_javascript at the hashed names; returns {docs uri: hashed uri}."""
    docs = Path(config.docs_dir)
    renamed: dict[str, str] = {}

    def rename(uri: str) -> str:
        source = docs / uri
        if "://" in uri or uri.startswith("/") or not source.is_file():
            return uri
        renamed[uri] = hashed_name(uri, source.read_bytes())
        return renamed[uri]

    config.extra_css = [rename(str(uri)) for uri in config.extra_css]
    for i, script in enumerate(config.extra_javascript):
        if isinstance(script, str):
            config.extra_javascript[i] = rename(script)
        else:
            script.path = rename(script.path)
    return renamed


def move_files(files, renamed: dict[str, str]) -> None:
    for uri, new in renamed.items():
        file = files.get_file_from_path(uri)
        if file is None:
            continue
        file.dest_uri = new
        for cached in ("url", "abs_dest_path"):  # derived from dest_uri, computed on first use
            file.__dict__.pop(cached, None)

"""mkdocs hook, last in mkdocs.yml: the offline service worker (scripts.offline.service_worker), which
lists every file of the build with its hash, so it runs after every other step has written its files
(the pages with their Content-Security-Policy, the runtime, the calculator page's data)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# mkdocs loads a hook by its path and restores sys.path afterwards: import the repository now.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from scripts.offline import service_worker  # noqa: E402


def on_post_build(config):
    service_worker.on_post_build(config)

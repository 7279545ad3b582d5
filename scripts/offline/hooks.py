"""mkdocs hook, last in mkdocs.yml: the offline service worker (scripts.offline.service_worker), which
lists every file of the build with its hash, so it runs after every other step has written its files
(the pages with their Content-Security-Policy, the runtime, the calculator page's data)."""

from __future__ import annotations

from scripts.offline import service_worker


def on_post_build(config):
    service_worker.on_post_build(config)

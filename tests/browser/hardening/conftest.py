"""Fixtures for the hardening tests (issue 7). The browser, Debian's chromium that resolves no host
but 127.0.0.1, comes from tests/conftest.py.

* ``deployed``: the site built once (``mkdocs build --strict`` with mkdocs.yml, so with the
  Content-Security-Policy hook) and served by Debian's nginx with the shipped configuration
  (scripts/deploy/nginx.conf, rendered by scripts/deploy/nginx.py), on a free loopback port, from a
  temporary prefix: what is deployed is what is tested.
* ``static_host``: the same build served by Python's plain http.server (no headers at all), where
  only the pages' <meta> policy protects them.
* ``nginx_for(root)``: another nginx on another built directory (the update test rebuilds its own).

nginx comes from Debian's package, installed by ``make test`` (``make chromium``); a missing nginx
is a failure, never a skip.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import start_server
from tests.browser.hardening.support import NGINX, Nginx, build_site, free_port


def _need_nginx() -> None:
    if not (os.path.isfile(NGINX) and os.access(NGINX, os.X_OK)):
        pytest.fail(f"nginx not found ({NGINX}): run `make test`, which installs Debian's nginx (`make chromium`)")


@pytest.fixture(scope="session")
def nginx_for(tmp_path_factory):
    """Factory: ``nginx_for(root, port=None) -> Nginx`` serving `root` (already built); all stop at the end."""
    _need_nginx()
    started: list[Nginx] = []

    def _start(root: Path, port: int | None = None) -> Nginx:
        server = Nginx(Path(root), tmp_path_factory.mktemp("nginx"), port or free_port())
        started.append(server)
        return server.start()

    yield _start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def deployed(tmp_path_factory, nginx_for) -> Nginx:
    """The site, built once with site_url = its nginx address, served by nginx."""
    _need_nginx()
    port = free_port()
    root = tmp_path_factory.mktemp("deployed_site")
    start = time.monotonic()
    build_site(root, f"http://127.0.0.1:{port}/")
    print(f"\nmkdocs build --strict (hardening tests): {time.monotonic() - start:.1f} s")
    return nginx_for(root, port)


@pytest.fixture(scope="session")
def static_host(deployed):
    """The same built site behind Python's http.server, which sends no security header."""
    server = start_server(deployed.root)
    yield server
    server.stop()


@pytest.fixture
def new_context(browser):
    """new_context(**options): fresh browser contexts, closed after the test."""
    contexts = []

    def _new(**options):
        options.setdefault("service_workers", "block")
        ctx = browser.new_context(**options)
        contexts.append(ctx)
        return ctx

    yield _new
    for ctx in contexts:
        ctx.close()

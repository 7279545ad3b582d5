"""The browser fixtures live in tests/conftest.py, so that tests/browser and tests/site share one
Playwright instance and one chromium in a single pytest session (two session-scoped Playwright
fixtures in one process fail with "Sync API inside the asyncio loop"). The helpers are re-exported
here for the modules that import them from this path; no fixture is defined or imported here."""

from tests.conftest import (CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, LocalServer, RequestLog,  # noqa: F401
                            assert_requests_local, start_server)

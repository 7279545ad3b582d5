"""The one set of browser constants of the tests: Debian's chromium, the flags every test launches
it with (headless, no sandbox, no network but 127.0.0.1), and how long a page may take to get the
calculator ready on this (shared, slow) machine. (make bench keeps its own copy: the benchmark never
imports the tests.)"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Every host name but 127.0.0.1 fails to resolve: nothing can leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
# How long the calculator may take to get ready in a test (a limit against a hang, not a timing).
READY_MS = 90_000


def wait_until(page, predicate: str, timeout_ms: int = READY_MS) -> None:
    """Poll a (possibly async) predicate until it is true. page.wait_for_function takes the promise an
    async function returns for a true value and returns at once, so it cannot wait for one."""
    import time
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"timed out waiting for {predicate}"
        time.sleep(0.1)

"""Debian's nginx on loopback with the shipped configuration: one place for the tests and `make bench`.

    from scripts.deploy.local import LocalNginx, free_port
    with LocalNginx(site_dir, prefix_dir, free_port()) as server:
        ... server.url ... server.requests() ...

renders the complete configuration with `python -m scripts.deploy.nginx --standalone` (the very
server block that is deployed, inside an http block for an unprivileged nginx run from `prefix`),
checks it with `nginx -t` and runs `nginx -g 'daemon off;'` until stopped. Standard library only:
neither the build nor the benchmark may import the tests, and the tests import this.

A missing nginx, a configuration nginx refuses, an nginx that exits or never listens raise
NginxError with nginx's own message.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# The standalone access log (scripts/deploy/nginx.py, log_format privacy): request line, status,
# body bytes sent, referrer, user agent, cookie, the time the response was finished (Unix seconds,
# the clock the browser's performance.timeOrigin uses) and the Content-Encoding nginx sent.
LOG_LINE = re.compile(r'^(?P<addr>\S+) "(?P<method>[A-Z]+) (?P<uri>\S+) [^"]*" (?P<status>\d{3}) (?P<sent>\d+) '
                      r'"[^"]*" "[^"]*" "[^"]*" (?P<msec>[\d.]+) "(?P<encoding>[^"]*)"')


class NginxError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def have_nginx() -> bool:
    return os.path.isfile(NGINX) and os.access(NGINX, os.X_OK)


@dataclass
class LocalNginx:
    root: Path
    prefix: Path
    port: int
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    @property
    def conf(self) -> Path:
        return self.prefix / "nginx.conf"

    @property
    def error_log(self) -> Path:
        return self.prefix / "error.log"

    def render(self) -> str:
        """Write and check prefix/nginx.conf for the (built) root; returns its text."""
        if not have_nginx():
            raise NginxError(f"nginx not found ({NGINX}): run `make chromium`, which installs Debian's nginx")
        self.prefix.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([sys.executable, "-m", "scripts.deploy.nginx", "--site", str(self.root), "--standalone",
                               "--prefix", str(self.prefix), "--listen", f"127.0.0.1:{self.port}"],
                              cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise NginxError(f"scripts.deploy.nginx --standalone failed: {proc.stderr}")
        self.conf.write_text(proc.stdout, encoding="utf-8")
        check = subprocess.run([NGINX, "-t", "-q", "-p", str(self.prefix), "-c", str(self.conf), "-e",
                                str(self.error_log)], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise NginxError(f"nginx -t: {check.stderr}")
        return proc.stdout

    def start(self) -> "LocalNginx":
        self.render()
        self.proc = subprocess.Popen([NGINX, "-p", str(self.prefix), "-c", str(self.conf), "-e", str(self.error_log),
                                      "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.error_log.read_text() if self.error_log.exists() else ""
                raise NginxError(f"nginx exited ({self.proc.returncode}): {self.proc.stderr.read().decode()}{log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise NginxError(f"nginx did not listen on {self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def restart(self) -> "LocalNginx":
        """Stop, render the configuration again from the (rebuilt) site, start: a deployment."""
        self.stop()
        return self.start()

    def __enter__(self) -> "LocalNginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_lines(self) -> list[str]:
        return self.access_log.read_text(encoding="utf-8", errors="replace").splitlines() \
            if self.access_log.exists() else []

    def file_for(self, uri: str) -> Path | None:
        """The file of the root a request URI was answered from (None when there is none)."""
        path = unquote(urlsplit(uri).path).lstrip("/")
        candidate = self.root / path
        if path == "" or path.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def requests(self, since: int = 0) -> list[dict]:
        """The access log from line `since` on, one dict per request: url, file (relative to the root,
        or None), status, sent (body bytes as nginx sent them), raw (the file's own size when its body
        was sent, else 0), encoding ("br", "gzip" or ""), t (Unix seconds when the response ended)."""
        out = []
        for line in self.log_lines()[since:]:
            m = LOG_LINE.match(line)
            if not m:
                continue
            file = self.file_for(m["uri"])
            status, sent = int(m["status"]), int(m["sent"])
            out.append({"url": m["uri"], "status": status, "sent": sent, "encoding": m["encoding"].strip("-"),
                        "t": float(m["msec"]),
                        "file": file.relative_to(self.root).as_posix() if file else None,
                        "raw": file.stat().st_size if (file and status == 200) else 0})
        return out

    def mark(self) -> int:
        return len(self.log_lines())

"""The nginx configuration as a server that hosts other sites too sees it (issue 14): the rendered
file holds exactly one server {} block and no directive outside it, and Debian's nginx, with this
site beside a second, plain site (same port, another server_name; and another port), sends this
site's security headers only for this site.

The site here is a one-page directory with a Content-Security-Policy <meta>, which is all the
renderer reads from a build (tests/browser/hardening/test_nginx.py serves the real build)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scripts.deploy import nginx as deploy_nginx

REPO_ROOT = Path(__file__).resolve().parents[2]
NGINX = "/usr/sbin/nginx"
THIS_SITE_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
                     "X-Frame-Options", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy")
CSP = "default-src 'none'; script-src 'self'; style-src 'self'"


def make_site(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    meta = CSP.replace("'", "&#39;")
    (root / "index.html").write_text(f'<!doctype html><html><head><meta http-equiv="Content-Security-Policy" '
                                     f'content="{meta}"><title>石桥镇</title></head><body>石桥镇</body></html>',
                                     encoding="utf-8")
    (root / "404.html").write_text((root / "index.html").read_text(encoding="utf-8"), encoding="utf-8")
    return root


def render(site: Path, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "scripts.deploy.nginx", "--site", str(site), *args],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# An nginx configuration reader written for this test (not the renderer's): comments, quotes,
# blocks and statements, as nginx reads them.
def parse(text: str):
    tokens = re.findall(r"""#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{};]|[^\s{};"'#][^\s{};]*""", text)
    root: list = []
    stack, words = [root], []
    for tok in tokens:
        if tok.startswith("#"):
            continue
        if tok == ";":
            stack[-1].append((words[0], words[1:], None))
            words = []
        elif tok == "{":
            block: list = []
            stack[-1].append((words[0], words[1:], block))
            stack.append(block)
            words = []
        elif tok == "}":
            assert not words, f"statement without ';' before '}}': {words}"
            stack.pop()
        else:
            words.append(tok)
    assert not words and len(stack) == 1, "the configuration ends inside a block or a statement"
    return root


def walk(tree, depth=0):
    for name, args, children in tree:
        yield depth, name, args
        if children is not None:
            yield from walk(children, depth + 1)


def test_nothing_stands_outside_the_server_block(tmp_path):
    text = render(make_site(tmp_path / "site"), "--root", "/var/www/shiqiao", "--listen", "127.0.0.1:8080",
                  "--server-name", "shiqiao.example")
    tree = parse(text)
    assert [(name, children is not None) for name, _, children in tree] == [("server", True)], \
        [name for name, _, _ in tree]
    server = tree[0][2]
    headers = [(depth, args) for depth, name, args in walk(server) if name == "add_header"]
    assert headers, "no add_header at all"
    # every security header sits in every location that serves files (nginx drops inherited add_header lines in a
    # block that has its own), and none at a level where it would be inherited inconsistently
    locations = [children for name, _, children in server if name == "location"
                 and any(n == "try_files" for n, _, _ in children)]
    assert locations
    for block in locations:
        names = {args[0] for name, args, _ in block if name == "add_header"}
        assert set(THIS_SITE_HEADERS) <= names, names
    # every placeholder filled, the values given on the command line used
    assert not re.search(r"@[A-Z_]+@", "\n".join(line for line in text.splitlines()
                                                 if not line.lstrip().startswith("#")))
    assert ("listen", ["127.0.0.1:8080"]) in [(n, a) for n, a, _ in server]
    assert ("server_name", ["shiqiao.example"]) in [(n, a) for n, a, _ in server]
    assert ("root", ["/var/www/shiqiao"]) in [(n, a) for n, a, _ in server]
    # the comments of the template stay comments
    template_comments = [line.strip() for line in deploy_nginx.TEMPLATE.read_text(encoding="utf-8").splitlines()
                         if line.strip().startswith("#")]
    assert template_comments and all(c in text for c in template_comments)


def test_a_template_with_a_directive_outside_server_is_refused(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site")
    bad = tmp_path / "nginx.conf"
    for text in ("add_header X-Test \"1\" always;\nserver {\n    listen @LISTEN@;\n}\n",
                 "# @SECURITY_HEADERS@\nserver {\n    listen @LISTEN@;\n}\nhttp {\n}\n",
                 "server {\n    listen @LISTEN@;\n    @SECURITY_HEADERS@\n"):
        bad.write_text(text, encoding="utf-8")
        monkeypatch.setattr(deploy_nginx, "TEMPLATE", bad)
        with pytest.raises(deploy_nginx.SiteError):
            deploy_nginx.server_block(site, site)
    # a placeholder in a comment is left alone, never filled
    bad.write_text("# @SECURITY_HEADERS@ and @LISTEN@\nserver {\n    listen @LISTEN@;\n    @SECURITY_HEADERS@\n}\n",
                   encoding="utf-8")
    out = deploy_nginx.server_block(site, site, listen="127.0.0.1:9")
    assert out.splitlines()[0] == "# @SECURITY_HEADERS@ and @LISTEN@"
    assert [name for name, _, _ in parse(out)] == ["server"]


@pytest.mark.parametrize("option", ["--listen", "--server-name"])
def test_command_line_values_that_would_break_the_block_are_refused(tmp_path, option):
    site = make_site(tmp_path / "site")
    proc = subprocess.run([sys.executable, "-m", "scripts.deploy.nginx", "--site", str(site), option,
                           "80; include /etc/passwd"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and option in proc.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, host: str, path: str = "/"):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@pytest.mark.nginx
def test_a_second_site_on_the_same_nginx_gets_none_of_these_headers(tmp_path):
    assert Path(NGINX).is_file(), f"nginx not found ({NGINX}): `make chromium` installs Debian's nginx"
    site = make_site(tmp_path / "site")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "index.html").write_text("<p>another site</p>", encoding="utf-8")
    shared, other = free_port(), free_port()
    (tmp_path / "shiqiao.conf").write_text(
        render(site, "--root", str(site), "--listen", f"127.0.0.1:{shared}", "--server-name", "shiqiao.example")
        .replace("/var/log/nginx/shiqiao.access.log", str(tmp_path / "access.log")), encoding="utf-8")
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / kind).mkdir(parents=True)
    temp = " ".join(f"{kind}_temp_path {tmp_path}/tmp/{kind};" for kind in
                    ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As Debian's nginx.conf does: the enabled modules (brotli_static), then the http context includes
    # every enabled site, each a server block.
    (tmp_path / "nginx.conf").write_text(f"""
{deploy_nginx.load_modules()}master_process off; worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types; access_log off; {temp}
    server {{ listen 127.0.0.1:{shared} default_server; server_name plain.example; root {plain}; }}
    server {{ listen 127.0.0.1:{other}; server_name plain.example; root {plain}; }}
    include {tmp_path}/shiqiao.conf;
}}
""", encoding="utf-8")
    args = ["-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")]
    check = subprocess.run([NGINX, "-t", *args], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, *args, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                socket.create_connection(("127.0.0.1", other), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not listen"
                time.sleep(0.05)
        # this site: its headers on pages and on the 404 page
        for path in ("/", "/no/such/page"):
            status, headers, body = get(shared, "shiqiao.example", path)
            assert status in (200, 404) and "石桥镇" in body.decode("utf-8")
            for name in THIS_SITE_HEADERS:
                assert headers.get(name), (path, name)
            assert headers["Content-Security-Policy"] == CSP + "; frame-ancestors 'none'"
        # the other site, on the shared port and on its own port: none of them
        for port in (shared, other):
            for path in ("/", "/no/such/page"):
                status, headers, body = get(port, "plain.example", path)
                assert status in (200, 404)
                if status == 200:
                    assert body == b"<p>another site</p>"
                leaked = [name for name in THIS_SITE_HEADERS if name in headers]
                assert not leaked, (port, path, leaked)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_make_nginx_conf_takes_listen_address_port_and_server_name(tmp_path):
    site = make_site(tmp_path / "site")
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("MAKE")}
    proc = subprocess.run(["make", "--no-print-directory", "nginx-conf", f"PUBLISH_DIR={site}",
                           "NGINX_ROOT=/srv/shiqiao", "NGINX_LISTEN=127.0.0.2:8089",
                           "NGINX_SERVER_NAME=jiuzhu.example.cn"],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    server = parse((REPO_ROOT / "build" / "nginx-shiqiao.conf").read_text(encoding="utf-8"))[0][2]
    got = {name: args for name, args, _ in server if name in ("listen", "server_name", "root")}
    assert got == {"listen": ["127.0.0.2:8089"], "server_name": ["jiuzhu.example.cn"], "root": ["/srv/shiqiao"]}

"""Render the nginx configuration (scripts/deploy/nginx.conf) for a built site.

    python -m scripts.deploy.nginx --site site --root /var/www/shiqiao [--listen 80] [--server-name NAME]
        > /etc/nginx/sites-available/shiqiao

prints the server block for Debian's nginx (sites-available). The Content-Security-Policy header is
the one every built page carries in its <meta http-equiv> (scripts/site/security.py), plus
frame-ancestors 'none', which only a header can carry; the pages must all carry the same policy.

    python -m scripts.deploy.nginx --site site --standalone --prefix /tmp/x --listen 127.0.0.1:8080

prints a complete nginx.conf that runs unprivileged from a prefix directory
(`nginx -p /tmp/x -c /tmp/x/nginx.conf -e /tmp/x/error.log -g 'daemon off;'`): what the tests start,
around the very same server block.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
MIME_TYPES = "/etc/nginx/mime.types"
# Debian's libnginx-mod-http-brotli-static (enabled in /etc/nginx/modules-enabled/ when installed).
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
BROTLI_ON = "brotli_static on;   # Debian: libnginx-mod-http-brotli-static"
BROTLI_OFF = "# brotli_static: not rendered, the module is not installed (apt-get install libnginx-mod-http-brotli-static)"
PERMISSIONS = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
               "payment=(), usb=()")


class SiteError(Exception):
    pass


# Standard library only, so that it runs on a server with nothing but python3 (the same reading as
# scripts/site/security.py's page_policy).
def page_policy(page: str) -> str | None:
    m = re.search(r"<meta\s+http-equiv=\"Content-Security-Policy\"\s+content=\"([^\"]*)\"", page, re.I)
    return html.unescape(m.group(1)) if m else None


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in Path(site).rglob("*.html") if p.is_file())


def site_policy(site: Path) -> str:
    """The policy all pages of the built site carry (an error if a page has none or another one)."""
    policies = {}
    for path in html_files(site):
        policies.setdefault(page_policy(path.read_text(encoding="utf-8")), []).append(
            path.relative_to(site).as_posix())
    if not policies:
        raise SiteError(f"{site} 中没有页面：请先构建网站（make site）")
    if None in policies:
        raise SiteError(f"这些页面没有内容安全策略：{'、'.join(policies[None][:5])}（请用 mkdocs build 重新构建）")
    if len(policies) > 1:
        raise SiteError(f"{site} 的页面带有 {len(policies)} 种不同的内容安全策略：请重新构建整个网站")
    return next(iter(policies))


def security_headers(csp: str) -> list[str]:
    header = csp + "; frame-ancestors 'none'"
    assert '"' not in header
    return [
        f'add_header Content-Security-Policy "{header}" always;',
        'add_header X-Content-Type-Options "nosniff" always;',
        'add_header Referrer-Policy "no-referrer" always;',
        f'add_header Permissions-Policy "{PERMISSIONS}" always;',
        'add_header X-Frame-Options "DENY" always;',
        'add_header Cross-Origin-Opener-Policy "same-origin" always;',
        'add_header Cross-Origin-Resource-Policy "same-origin" always;',
    ]


# The configuration's tokens (nginx's own reading: `#` starts a comment outside quotes, `{`, `}` and
# `;` end a word, quotes group), so that placeholders are filled only where nginx reads them as
# words inside server {}, never in a comment, and the result can be checked for its structure.
_TOKEN = re.compile(r"""(?P<space>\s+)|(?P<comment>\#[^\n]*)|(?P<punct>[{};])|"""
                    r"""(?P<quoted>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<word>[^\s{};"'#][^\s{};]*)""",
                    re.S)
PLACEHOLDER = re.compile(r"@[A-Z_]+@")


def tokens(text: str):
    """(kind, text, start) of every token; a character nginx could not read is a SiteError."""
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            line = text.count("\n", 0, pos) + 1
            raise SiteError(f"{TEMPLATE}:{line}: 无法读取的配置（引号未闭合？）")
        yield m.lastgroup, m.group(), pos
        pos = m.end()


def directives(text: str) -> list[tuple[str, list[str], list | None]]:
    """The configuration as a tree: (name, arguments, children or None) per directive."""
    root: list = []
    stack = [root]
    current: list[str] = []
    for kind, tok, start in tokens(text):
        line = text.count("\n", 0, start) + 1
        if kind in ("space", "comment"):
            continue
        if kind in ("word", "quoted"):
            current.append(tok)
        elif tok == ";":
            if not current:
                raise SiteError(f"第 {line} 行：多余的分号")
            stack[-1].append((current[0], current[1:], None))
            current = []
        elif tok == "{":
            if not current:
                raise SiteError(f"第 {line} 行：没有指令名的块")
            children: list = []
            stack[-1].append((current[0], current[1:], children))
            stack.append(children)
            current = []
        else:  # }
            if current or len(stack) == 1:
                raise SiteError(f"第 {line} 行：块的结束不成对，或前一条指令缺少分号")
            stack.pop()
    if current or len(stack) != 1:
        raise SiteError("配置在块或指令中间结束（缺少 } 或 ;）")
    return root


def brotli_available() -> bool:
    return BROTLI_MODULE.is_file()


def load_modules() -> str:
    """The load_module line a complete nginx.conf of our own needs for the server block (Debian's
    /etc/nginx/nginx.conf loads it from modules-enabled/, relative to its own prefix)."""
    return f"load_module {BROTLI_MODULE};\n" if brotli_available() else ""


def server_block(site: Path, root: Path, listen: str = "80", server_name: str = "_",
                 access_log: str = "/var/log/nginx/shiqiao.access.log", brotli: bool | None = None) -> str:
    """The template with its placeholders filled, only inside its one server {} block. The result is
    checked: exactly one server block and nothing outside it (Debian includes the file in http {},
    where any other directive would apply to every site on the machine), no placeholder left.
    `brotli` (default: whether Debian's brotli_static module is installed here) renders brotli_static."""
    if brotli is None:
        brotli = brotli_available()
    csp = site_policy(Path(site))
    for name, value in (("--listen", listen), ("--server-name", server_name)):
        if not value or re.search(r"[\s{};#\"'@]", value):
            raise SiteError(f"{name} 的值 {value!r} 不能为空，也不能含空白或 {{ }} ; # 引号 @")
    values = {"@LISTEN@": listen, "@SERVER_NAME@": server_name, "@ROOT@": str(Path(root).resolve()),
              "@ACCESS_LOG@": access_log}
    text = TEMPLATE.read_text(encoding="utf-8")
    out: list[str] = []
    depth = 0
    words_in_statement: list[str] = []
    for kind, tok, start in tokens(text):
        if kind == "punct":
            if tok == "{":
                depth += 1
                if depth == 1 and words_in_statement[:1] != ["server"]:
                    raise SiteError(f"{TEMPLATE}: 顶层只能有 server {{}} 块，而不是 {' '.join(words_in_statement)!r}")
            elif tok == "}":
                depth -= 1
            elif depth == 0:
                raise SiteError(f"{TEMPLATE}: server {{}} 块之外有指令 {' '.join(words_in_statement)!r}")
            words_in_statement = []
        elif kind in ("word", "quoted"):
            words_in_statement.append(tok)
            if kind == "word" and PLACEHOLDER.fullmatch(tok) and depth >= 1:
                if tok == "@SECURITY_HEADERS@":
                    line_start = text.rfind("\n", 0, start) + 1
                    indent = text[line_start:start]
                    if indent.strip():
                        raise SiteError(f"{TEMPLATE}: @SECURITY_HEADERS@ 必须独占一行")
                    tok = ("\n" + indent).join(security_headers(csp))
                    words_in_statement = []
                elif tok == "@BROTLI_STATIC@":
                    tok = BROTLI_ON if brotli else BROTLI_OFF
                    words_in_statement = []
                elif tok in values:
                    tok = values[tok]
        out.append(tok)
    rendered = "".join(out)
    if not rendered.endswith("\n"):
        rendered += "\n"
    tree = directives(rendered)
    if [name for name, _, _ in tree] != ["server"] or tree[0][2] is None:
        raise SiteError(f"{TEMPLATE}: 生成的配置必须只有一个 server {{}} 块，实际顶层是 {[n for n, _, _ in tree]}")
    leftover = [tok for kind, tok, _ in tokens(rendered) if kind in ("word", "quoted") and PLACEHOLDER.search(tok)]
    if leftover:
        raise SiteError(f"{TEMPLATE}: unfilled placeholders {leftover}")
    return rendered


def standalone(site: Path, prefix: Path, listen: str) -> str:
    """A whole nginx.conf for an unprivileged nginx run from `prefix` (tests, a quick local check)."""
    prefix = Path(prefix).resolve()
    brotli = brotli_available()
    block = server_block(site, site, listen, "localhost", f"{prefix}/access.log privacy", brotli=brotli)
    load = load_modules()
    indented = "\n".join(("    " + line) if line else line for line in block.splitlines())
    temp = "\n".join(f"    {kind}_temp_path {prefix}/tmp/{kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""# Generated by scripts/deploy/nginx.py --standalone: nginx -p {prefix} -c {prefix}/nginx.conf
{load}master_process off;   # one process, as the user who starts it (no switch to an unprivileged user)
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;

events {{
    worker_connections 256;
}}

http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
{temp}
    # For the privacy test: the request line, referrer, user agent and any cookie of every request;
    # for `make bench` (scripts/deploy/local.py): when each response ended and how it was encoded.
    log_format privacy '$remote_addr "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie" $msec "$sent_http_content_encoding"';

{indented}
}}
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.deploy.nginx", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO_ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--root", type=Path, help="where the site is deployed (default: --site)")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--standalone", action="store_true", help="a complete nginx.conf for `nginx -p PREFIX`")
    parser.add_argument("--prefix", type=Path, help="with --standalone: the directory nginx runs in")
    args = parser.parse_args(argv)
    try:
        if args.standalone:
            if args.prefix is None:
                parser.error("--standalone needs --prefix")
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (args.prefix / "tmp" / kind).mkdir(parents=True, exist_ok=True)
            text = standalone(args.site, args.prefix, args.listen)
        else:
            text = server_block(args.site, args.root or args.site, args.listen, args.server_name)
    except SiteError as exc:
        print(f"nginx 配置无法生成：{exc}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

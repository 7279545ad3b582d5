"""Security headers: every built page carries the site's Content-Security-Policy in a <meta
http-equiv> ahead of any script (so it holds on any static host), allowing only the site's own
origin, inline scripts only by hash, never 'unsafe-inline' or 'unsafe-eval'; nginx sends the same
policy as a header (plus frame-ancestors); the policy is enforced; and no page, the calculator with
an estimate and the search included, triggers a single violation, under nginx and on a plain host."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from scripts.site.security import inline_scripts, page_policy, scan, sha256_source
from tests.browser.hardening.support import READY_MS, RECORD_VIOLATIONS, site_pages, violations

pytestmark = pytest.mark.browser

HOUSEHOLD_LINK = "#household=eyJhcmVhIjoidXJiYW4iLCJtZW1iZXJzIjpbeyJhZ2UiOjQwfV0sIm1vbnRobHlfaW5jb21lX3l1YW4iOjEwMH0"


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def test_every_page_carries_the_policy_before_any_script(deployed):
    pages = sorted(deployed.root.rglob("*.html"))
    assert len(pages) > 40
    policies = set()
    for path in pages:
        text = path.read_text(encoding="utf-8")
        policy = page_policy(text)
        assert policy, f"{path}: no Content-Security-Policy meta"
        assert text.count('http-equiv="Content-Security-Policy"') == 1, path
        meta_at = text.index('http-equiv="Content-Security-Policy"')
        first_script = text.find("<script")
        assert first_script == -1 or meta_at < first_script, f"{path}: a script comes before the policy"
        assert meta_at < text.index("</head>")
        policies.add(policy)
        # every inline script of the page is allowed by its own hash, and nothing else is inline
        allowed = set(directives(policy)["script-src"])
        for script in inline_scripts(text):
            assert sha256_source(script) in allowed, f"{path}: inline script not allowed: {script[:80]!r}"
        assert not scan(text)["handlers"], f"{path}: inline event handler"
    assert len(policies) == 1, "pages carry different policies"
    d = directives(policies.pop())
    assert d["default-src"] == ["'none'"]
    for name, values in d.items():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values and "*" not in values, name
        assert all(v.startswith(("'", "data:")) for v in values), (name, values)  # no other host
    assert d["script-src"][:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert all(v.startswith("'sha256-") for v in d["script-src"][2:])
    for name in ("connect-src", "worker-src", "font-src", "base-uri", "form-action"):
        assert d[name] == ["'self'"], name
    assert d["object-src"] == ["'none'"] and d["img-src"] == ["'self'", "data:"]


def test_nginx_sends_the_same_policy_as_a_header(deployed):
    import urllib.request
    page_meta = page_policy((deployed.root / "index.html").read_text(encoding="utf-8"))
    manifest = json.loads((deployed.root / "assets/calculator/manifest.json").read_text(encoding="utf-8"))
    runtime, own = manifest["pyodide_base"], manifest["calculator_base"]
    for path in ("", "calculator/", own + "worker.js", runtime + "pyodide.asm.wasm", "sw.js",
                 "no-such-page/"):
        request = urllib.request.Request(deployed.url + path, method="HEAD")
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                headers = r.headers
        except urllib.error.HTTPError as e:  # the 404 page carries the headers too
            headers = e.headers
        assert headers["Content-Security-Policy"] == page_meta + "; frame-ancestors 'none'", path


def test_the_meta_policy_is_enforced_on_a_plain_static_host(new_context, static_host):
    """Without any header: an inline script that is not in the policy does not run, and says so."""
    page = new_context().new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(static_host.url + "programmes/dibao/")
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__injected = true'; document.body.append(s); return window.__injected === true; }""")
    assert ran is False
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert violations(page)[0][0] == "script-src-elem"


@pytest.mark.parametrize("host", ["nginx", "static"])
def test_no_violation_on_any_page_nor_in_the_calculator(new_context, deployed, static_host, host):
    base = deployed.url if host == "nginx" else static_host.url
    context = new_context(service_workers="allow")
    context.add_init_script(RECORD_VIOLATIONS)
    refused = []
    page = context.new_page()
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    found = {}
    urls = site_pages(deployed.root) if host == "nginx" else ["", "programmes/dibao/", "original/", "offices/"]
    for url in urls:
        page.goto(base + url)
        page.wait_for_load_state("load")
        if violations(page):
            found[url] = violations(page)
    # the calculator: Pyodide in its worker, an estimate, the share link and its QR code
    page.goto(base + "calculator/" + HOUSEHOLD_LINK)
    page.wait_for_selector("#calculator-result", state="attached", timeout=READY_MS)
    assert page.get_attribute("#calculator", "data-state") == "ready"
    page.click("text=复制分享链接")
    page.wait_for_selector(".calc-qr svg", timeout=10_000)
    # instant navigation to another page (the same document, so its violations add up)
    page.click(".md-sidebar--primary a.md-nav__link:has-text('原文')")
    page.wait_for_url(re.compile(r"/original/$"))
    page.wait_for_function("() => !document.getElementById('calculator')")
    if violations(page):
        found["calculator/ and instant navigation"] = violations(page)
    # the search worker
    page.goto(base + "?q=" + quote("临时救助"))
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    if violations(page):
        found["search"] = violations(page)
    assert not found and not refused, (found, refused)
    if host == "nginx":
        assert len(urls) > 40

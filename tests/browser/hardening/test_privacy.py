"""Privacy, proven end to end on the deployed site (nginx, the offline service worker allowed), with a
household of distinctive values (income 98765.43, members aged 87 and 13): from opening the home
page, through instant navigation to the calculator, filling the form, the result, the share link and
its QR code, to printing, no request leaves the local server (chromium resolves no other host), and
the household appears in no request (URL, body, any header, the service worker's and the workers'
requests included), no cookie, no localStorage or sessionStorage key or value, no IndexedDB record,
no Cache Storage entry (which holds exactly the build's files), and no line of nginx's access log
(which records the request line, referrer, user agent and cookies). The share link carries it only
in its #fragment.

This is the one privacy test of the suite (the calculator page's suite no longer repeats a
weaker copy on the plain test server)."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote, urlsplit

import pytest

from calculator.api import handle
from tests.browser.hardening.support import READY_MS
from tests.support.browser import wait_until
from tests.support.calculator_page import CalculatorPage

pytestmark = pytest.mark.browser

HOUSEHOLD = {"as_of": "2025-03-04", "area": "urban",
             "members": [{"age": 87, "disability": {"kind": "visual", "grade": 2}}, {"age": 13, "student": "junior_high"}],
             "monthly_income_yuan": 98765.43}


def markers(fragment: str) -> list[str]:
    """Every form in which the household could travel: the income as typed, in cents, URL-encoded;
    the ages as JSON or form fields; the share link's base64 text or any long piece of it."""
    out = ["98765", "9876543", "98,765", quote("98765.43"), '"age":87', '"age": 87', "age=87", "age%22%3A87",
           '"age":13', "age=13", "junior_high"]
    out += [fragment[i:i + 16] for i in range(0, max(1, len(fragment) - 16), 8)]
    return out


def test_nothing_of_the_household_leaves_the_page_or_stays(new_context, deployed, tmp_path):
    logged = len(deployed.log_lines())
    context = new_context(service_workers="allow")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    requests = []  # (url, method, headers, body) of every request: page, workers, service worker

    def record(request):
        try:
            headers = request.all_headers()
        except Exception:  # noqa: BLE001 - a request cancelled meanwhile still has its first headers
            headers = request.headers
        requests.append((request.url, request.method, headers, request.post_data or ""))

    context.on("request", record)
    page = context.new_page()

    # opening the site, then the calculator through instant navigation
    page.goto(deployed.url)
    page.click(".md-sidebar--primary a.md-nav__link:has-text('救助测算')")
    page.wait_for_selector("#calculator[data-state=ready]", timeout=READY_MS)
    page.check("input[data-key=area][value=urban]")
    page.fill(".calc-member >> [data-key=age]", "87")
    page.select_option(".calc-member >> select[data-key='disability.kind']", "visual")
    page.select_option(".calc-member >> select[data-key='disability.grade']", "2")
    page.click("button.calc-add")
    page.fill(".calc-member[data-index='1'] >> [data-key=age]", "13")
    page.select_option(".calc-member[data-index='1'] >> select[data-key=student]", "junior_high")
    page.fill("[data-key=monthly_income_yuan]", "98765.43")
    page.click(".calc-more > summary")
    page.fill("[data-key=as_of]", "2025-03-04")
    calc = CalculatorPage(page, deployed.url)
    calc.run()
    result = calc.result()
    assert result == json.loads(handle("estimate", json.dumps(HOUSEHOLD)))["result"]

    # the share link: the household only after the '#'
    page.click("text=复制分享链接")
    page.wait_for_selector(".calc-qr svg", timeout=10_000)
    link = page.input_value(".calc-share-link")
    before, _, fragment = link.partition("#household=")
    assert before == deployed.url + "calculator/" and "?" not in before
    shared = json.loads(base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)))
    assert shared["monthly_income_yuan"] == 98765.43 and [m["age"] for m in shared["members"]] == [87, 13]

    # printing
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.emulate_media(media="screen")

    # the offline copy is complete, so the service worker has done all it will do
    wait_until(page, "async () => (await navigator.serviceWorker.ready).active !== null")
    wait_until(page, "async () => (await caches.keys()).length === 1")
    page.wait_for_timeout(500)

    secret = markers(fragment)
    assert len(requests) > 20
    for url, method, headers, body in requests:
        parts = urlsplit(url)
        assert parts.scheme in ("data", "blob") or (parts.hostname == "127.0.0.1" and parts.port == deployed.port), url
        assert method == "GET", (method, url)
        text = url + "\n" + body + "\n" + "\n".join(f"{k}: {v}" for k, v in headers.items())
        for s in secret:
            assert s not in text, f"{s!r} in a request: {text[:500]}"
        assert "#" not in headers.get("referer", ""), url

    assert context.cookies() == []
    stored = page.evaluate("""async () => {
        const dump = (s) => Object.keys(s).map(k => k + '=' + s.getItem(k));
        const idb = [];
        for (const info of (indexedDB.databases ? await indexedDB.databases() : [])) {
            const db = await new Promise((ok, ko) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = ko; });
            for (const name of db.objectStoreNames) {
                const all = await new Promise((ok) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
                idb.push(info.name + '/' + name + ':' + JSON.stringify(all));
            }
            db.close();
        }
        const cached = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) cached.push(name + ' ' + request.method + ' ' + request.url);
        }
        return {local: dump(localStorage), session: dump(sessionStorage), idb, cached};
    }""")
    everything = json.dumps(stored, ensure_ascii=False)
    for s in secret:
        assert s not in everything, f"{s!r} stored: {everything[:500]}"
    # Cache Storage holds the build's files and nothing else (no answer, no page with a household)
    build = json.loads(re.search(r"const BUILD = (\{.*?\n\});", (deployed.root / "sw.js").read_text(encoding="utf-8"),
                                 re.S).group(1))
    cached = {line.split(" ", 2)[2].replace(deployed.url, "") for line in stored["cached"]}
    assert cached == set(build["files"]) | {"__build__.json"}, cached ^ (set(build["files"]) | {"__build__.json"})
    assert all(line.split(" ")[1] == "GET" for line in stored["cached"])

    # the web server's log: this visit's lines, and none holds the household
    lines = deployed.log_lines()[logged:]
    assert len(lines) > 20
    for line in lines:
        for s in secret:
            assert s not in line, line
        assert '"GET ' in line or '"HEAD ' in line, line
    print(f"\nprivacy: {len(requests)} requests recorded, {len(lines)} access-log lines, "
          f"{len(stored['cached'])} cached files, storage {len(stored['local'])} local / {len(stored['session'])} "
          f"session / {len(stored['idb'])} IndexedDB stores")

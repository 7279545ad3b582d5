"""政策明白纸 (issue 14): for every programme, and for each family of programmes sharing a parameter
group (临时救助), one page made for handing out: who, what, how much (the calculator's own amount
description, so the multiples while a standard is pending), what to bring, the time limit, where to go,
the contact line, the date, the data version and a QR code of the page's own address; linked from every
programme page and from the 明白纸 index; printed to PDF in chromium, each is one A4 page."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest

from calculator.text import render
from tests.site.conftest import bundle_of, resolve
from tests.support.oracle import amount_must_show

A4_POINTS = (595.3, 841.9)  # 210 × 297 mm (chromium writes the MediaBox rounded up to whole pixels)


def families(bundle) -> dict[str, list[str]]:
    """The programmes whose texts or amounts use a parameter of the 'temporary' group, independently
    of the generator: every programme file that mentions `temporary.` anywhere."""
    import json
    return {"temporary": [p["id"] for p in bundle["programmes"] if "temporary." in json.dumps(p)]}


def leaflet_paths(bundle) -> list[str]:
    return [f"leaflets/{p['id']}/" for p in bundle["programmes"]] + [f"leaflets/{f}/" for f in families(bundle)]


def plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def built_date(site) -> dt.date:
    m = re.search(r"本页按(\d{4})年(\d{1,2})月(\d{1,2})日施行的标准印制", site.page("leaflets/dibao/").text)
    assert m, "the leaflet names no date"
    return dt.date(*map(int, m.groups()))


def test_every_programme_and_the_family_have_a_leaflet_with_everything(site, bundle):
    as_of = built_date(site)
    assert abs((as_of - dt.date.today()).days) <= 1  # built for today
    fam = families(bundle)
    assert len(fam["temporary"]) >= 2
    for path in leaflet_paths(bundle):
        leaf = path.split("/")[1]
        members = fam.get(leaf, [leaf])
        page = site.page(path)
        text = plain(page.article.text)
        assert "政策明白纸" in text and bundle["data_version"] in text, path
        for pid in members:
            p = next(p for p in bundle["programmes"] if p["id"] == pid)
            assert plain(p["name"]) in text, (path, pid)
            assert plain(render(p["for_whom"], bundle, as_of)) in text, (path, pid, "for_whom")
            for pattern in amount_must_show(p["amount"], as_of):  # worked out from the YAML, not the interpreter
                assert pattern.search(text), (path, pid, pattern.pattern)
            for item in p["apply"]["bring"]:
                assert plain(render(item, bundle, as_of)) in text, (path, pid, item)
            if p["apply"].get("time_limit"):
                assert plain(render(p["apply"]["time_limit"], bundle, as_of)) in text, (path, pid)
            else:
                assert "办理时限" in text
            office = next(o for o in bundle["offices"] if o["id"] == p["office"])
            assert plain(office["full_name"]) in text, (path, pid)
        # where to ask: the access points and the offices of the leaflet's programmes, with their phones
        offices = [o for o in bundle["offices"]
                   if o["id"] in {p["office"] for p in bundle["programmes"] if p["id"] in members}]
        for ap in [*bundle["access_points"], *offices]:
            if ap["contact"]["phone"]:
                assert plain(ap["contact"]["phone"]) in text, (path, ap["id"])
        for ap in bundle["access_points"]:
            assert plain(ap["name"]) in text
        if not any(x["contact"]["phone"] for x in [*bundle["access_points"], *offices]):
            assert "当面咨询" in text  # no phone yet: the honest instruction
        # the page's own address, written out and as a QR code that is part of the build
        address = urljoin(site.server.url, path)
        assert address in page.article.text, path
        [qr] = [img for img in page.article.find_all("img") if "leaflet-qr" in img.attrs.get("class", "")]
        target, _ = resolve(path, qr.attrs["src"])
        svg = ET.fromstring((site.root / target).read_bytes())
        assert svg.tag == "{http://www.w3.org/2000/svg}svg", path
        assert svg.find("{http://www.w3.org/2000/svg}path").get("d").count("h1v1h-1z") > 100


def test_programme_pages_and_the_index_link_their_leaflets(site, bundle):
    fam = families(bundle)
    index = site.page("leaflets/")
    targets = {resolve("leaflets/", href)[0] for href in index.links()}
    for path in leaflet_paths(bundle):
        assert path in targets, path
    for p in bundle["programmes"]:
        page_path = f"programmes/{p['id']}/"
        links = {resolve(page_path, href)[0] for href in site.page(page_path).links()}
        assert f"leaflets/{p['id']}/" in links, p["id"]
        for family, members in fam.items():
            if p["id"] in members:
                assert f"leaflets/{family}/" in links, p["id"]
    home_nav = {resolve("", href)[0] for href in site.page("").links(site.page("").root)}
    assert "leaflets/" in home_nav


@pytest.mark.browser
def test_the_qr_code_is_the_encoders_code_of_the_page_address(site, bundle, browser):
    """The build-time SVG holds, module for module, what the site's qr.js (checked against the
    qrcode package in tests/browser/test_calculator_page.py) gives for the page's address."""
    own = json.loads((site.root / "assets/calculator/manifest.json").read_text(encoding="utf-8"))["calculator_base"]
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    try:
        page.goto(site.server.url + "leaflets/")
        for path in leaflet_paths(bundle):
            address = urljoin(site.server.url, path)
            svg = (site.root / "leaflets" / "qr" / f"{path.split('/')[1]}.svg").read_text(encoding="utf-8")
            d = re.search(r' d="([^"]*)"', svg).group(1)
            built = {(int(x) - 4, int(y) - 4) for x, y in re.findall(r"M(\d+),(\d+)h1v1h-1z", d)}
            modules = page.evaluate("""async ([text, qr]) => {
                const { qrMatrix } = await import(new URL(qr, location.href).href);
                return qrMatrix(text).modules; }""", [address, "../" + own + "qr.js"])
            expected = {(x, y) for y, row in enumerate(modules) for x, dark in enumerate(row) if dark}
            assert built == expected, path
    finally:
        context.close()


def assert_each_prints_on_one_a4_page(browser, base_url: str, paths: list[str]) -> None:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    try:
        for path in paths:
            page.goto(base_url + path, wait_until="load")
            page.emulate_media(media="print")
            hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.print-button']
                .map(s => { const e = document.querySelector(s); return e ? getComputedStyle(e).display : 'none'; })""")
            assert hidden == ["none"] * 4, path
            # the QR code is drawn on the sheet, at least 25 mm wide (readable by a phone at arm's length)
            qr_mm = page.evaluate("() => document.querySelector('img.leaflet-qr').getBoundingClientRect().width * 25.4 / 96")
            assert qr_mm >= 25, (path, qr_mm)
            assert page.evaluate("() => document.querySelector('img.leaflet-qr').naturalWidth") > 0, path
            pdf = page.pdf(format="A4", print_background=True)
            pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
            assert len(pages) == 1, (path, len(pages))
            box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", pdf).group(1).split()]
            assert all(abs(got - a4) <= 2 for got, a4 in zip(box[2:], A4_POINTS)), (path, box)
    finally:
        context.close()


@pytest.mark.browser
def test_every_leaflet_prints_on_one_a4_page(site, bundle, browser):
    assert_each_prints_on_one_a4_page(browser, site.server.url, leaflet_paths(bundle))


@pytest.mark.browser
def test_with_a_published_standard_every_leaflet_still_prints_on_one_page(updated_site, browser,
                                                                          serve_dir):
    """Published amounts make the amount lines longer: still one sheet each."""
    server = serve_dir(updated_site.root)
    assert_each_prints_on_one_a4_page(browser, server.url, leaflet_paths(bundle_of(updated_site)))


@pytest.mark.browser
def test_all_leaflets_print_at_once_one_sheet_each(site, bundle, browser):
    paths = leaflet_paths(bundle)
    index = site.page("leaflets/")
    assert "leaflets/all/" in {resolve("leaflets/", href)[0] for href in index.links()}
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(site.server.url + "leaflets/all/", wait_until="load")
        titles = page.eval_on_selector_all(".leaflet h1", "hs => hs.map(h => h.textContent.replace('¶', '').trim())")
        assert len(titles) == len(paths)
        clean = lambda s: plain(s.replace("¶", ""))  # noqa: E731
        assert sorted(map(clean, titles)) == sorted(clean(site.page(path).h1) for path in paths)
        pdf = page.pdf(format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == len(paths)
    finally:
        context.close()

"""What the built handbook says, read from its HTML: every programme, office, target group and
working-group member where it should be; the office matrix as sections.yaml gives it; every clause
link landing on its clause; pending standards shown as 待公布 and a published one in yuan."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tests.site.conftest import bundle_of, resolve

TODAY = dt.date.today()


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def linked(page, url_path: str, anchor: str | None = None) -> bool:
    for href in page.links():
        target, frag = resolve(page.url_path, href)
        if target == url_path and (anchor is None or frag == anchor):
            return True
    return False


# --------------------------------------------------------------------------- programmes


def test_each_programme_has_its_page(site, bundle):
    offices = {o["id"]: o for o in bundle["offices"]}
    for p in bundle["programmes"]:
        page = site.page(f"programmes/{p['id']}/")
        assert p["name"] in page.h1
        text = page.text
        assert p["apply"]["bring"] == [] or all(item in text for item in p["apply"]["bring"])
        assert linked(page, f"offices/{p['office']}/"), p["id"]
        assert offices[p["office"]]["full_name"] in text
        for partner in p.get("partners") or []:
            assert linked(page, f"offices/{partner}/"), (p["id"], partner)
        for other in p["related"]:
            assert linked(page, f"programmes/{other}/"), (p["id"], other)
        for cid in p["clauses"]:
            assert linked(page, "original/", cid) or linked(page, "national/", cid), (p["id"], cid)
        for g in bundle["target_groups"]:
            if p["id"] in g["programmes"]:
                assert linked(page, "groups/", g["id"]), (p["id"], g["id"])


def test_programmes_are_listed_by_category_on_home_and_index(site, bundle):
    expected = [f"programmes/{pid}/" for c in bundle["categories"] for pid in c["programmes"]]
    home = site.page("")
    order = [resolve("", h)[0] for h in home.section_links("有哪些救助")]
    assert [u for u in order if u.startswith("programmes/")] == expected
    for c in bundle["categories"]:
        assert c["name"] in home.section("有哪些救助")
    index = site.page("programmes/")
    for c in bundle["categories"]:
        links = [resolve("programmes/", h)[0] for h in index.section_links(c["id"])]
        assert links == [f"programmes/{pid}/" for pid in c["programmes"]]


def test_programme_text_is_rendered_through_the_calculator(site, bundle):
    from calculator.text import render
    for p in bundle["programmes"]:
        text = site.page(f"programmes/{p['id']}/").text
        for field in (p["summary"], p["for_whom"], p["gives"], p["apply"]["how"]):
            rendered = render(field, bundle, TODAY)
            assert "{param:" not in rendered
            assert norm(rendered) in text, (p["id"], rendered)


def test_home_page(site, bundle):
    home = site.page("")
    text = home.text
    hours = bundle["parameters"]["temporary.emergency_hours"]["values"][-1]
    assert f"{hours['value']}小时内先行救助" in text
    emergency = home.article.find("div", cls="danger")
    assert emergency is not None and "24小时内先行救助" in norm(emergency.text)
    assert linked(home, "original/", hours["reference"]["clause"])
    for ap in bundle["access_points"]:
        assert ap["name"] in text
        for cid in ap["clauses"]:
            assert linked(home, "original/", cid)
    assert linked(home, "calculator/")
    assert linked(home, "data/")
    # the data's date is its newest source's (content), never a commit or a file time
    dated = [s for s in bundle["sources"] if s.get("date") or s.get("in_force")]
    newest = max(dated, key=lambda s: str(s.get("date") or s.get("in_force")))
    assert f"最新的是《{newest['title']}》" in text
    assert "尚未提交" not in text and "最后更新于" not in text
    assert bundle["data_version"] in text


def test_calculator_page_is_in_the_navigation(site):
    page = site.page("calculator/")
    assert page.h1 == "救助测算"
    nav = site.page("").root.find("nav", cls="md-nav--primary")
    assert any(resolve("", a.attrs["href"])[0] == "calculator/" for a in nav.find_all("a") if "href" in a.attrs)


def test_the_calculator_page_preloads_only_what_the_worker_needs_first(site):
    """The head preloads pyodide.mjs of this build's runtime, before the stylesheets, and the page's
    HTML preloads nothing else of the runtime: the worker asks for the rest itself (a preload from
    the content made the worker's own request wait for it), but for the interpreter on a slow link,
    which the head's script preloads (tests/browser/test_calculator_page.py)."""
    page = site.page("calculator/")
    manifest = json.loads((site.root / "assets/calculator/manifest.json").read_text(encoding="utf-8"))
    head = page.root.find("head")
    links = head.find_all("link")
    preloads = [n for n in page.root.find_all("link") if n.attrs.get("rel") == "preload"]
    assert [n.attrs["href"] for n in preloads] == [f"../{manifest['pyodide_base']}pyodide.mjs"]
    assert (site.root / manifest["pyodide_base"] / "pyodide.mjs").is_file()
    first = preloads[0]
    assert first in links and first.attrs.get("fetchpriority") == "high" and "crossorigin" in first.attrs
    sheets = [i for i, n in enumerate(links) if n.attrs.get("rel") == "stylesheet"]
    assert sheets and links.index(first) < sheets[0]
    assert not any(("pyodide" in n.attrs.get("href", "") or ".whl" in n.attrs.get("href", ""))
                   for n in page.root.find_all("link") if n is not first)


# --------------------------------------------------------------------------- offices


def test_each_office_has_its_page(any_site):
    site, bundle = any_site, bundle_of(any_site)
    for o in bundle["offices"]:
        page = site.page(f"offices/{o['id']}/")
        assert page.h1 == o["full_name"]
        text = page.text
        for s in bundle["sections"]:
            ref = linked(page, "original/", s["list_in"])
            if o["id"] in s["lead"] or o["id"] in s["responsible"]:
                assert ref, (o["id"], s["id"])
                assert s["title"] in text
        for p in bundle["programmes"]:
            if p["office"] == o["id"] or o["id"] in (p.get("partners") or []):
                assert linked(page, f"programmes/{p['id']}/"), (o["id"], p["id"])
        contact = page.section("联系方式")
        for key, label in (("phone", "电话"), ("address", "地址"), ("hours", "办公时间")):
            value = o["contact"][key]
            assert re.search(rf"{label}\s*{re.escape(value) if value else '待公布'}", contact), (o["id"], key, contact)
        assert linked(site.page("offices/"), f"offices/{o['id']}/")
        assert linked(site.page("contacts/"), f"offices/{o['id']}/")


def test_office_matrix_matches_sections_yaml(site, bundle):
    page = site.page("offices/")
    matrix = page.article.find("div", cls="matrix")
    table = matrix.find("table")
    head = [norm(th.text) for th in table.find("thead").find_all("th")]
    assert head == ["单位"] + [s["number"] for s in bundle["sections"]]
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == len(bundle["offices"])
    for tr, o in zip(rows, bundle["offices"]):
        cells = tr.find_all("td")
        assert norm(cells[0].text) == o["name"]
        assert linked(page, f"offices/{o['id']}/")
        for td, s in zip(cells[1:], bundle["sections"]):
            roles = set(re.findall(r"牵头|责任", td.text))
            expected = ({"牵头"} if o["id"] in s["lead"] else set()) | ({"责任"} if o["id"] in s["responsible"] else set())
            assert roles == expected, (o["id"], s["id"], td.text)
    # section 八 lists 财政所 as both lead and responsible: the cell says so and links to the explanation
    s8 = next(s for s in bundle["sections"] if s.get("notes"))
    note = s8["notes"][0]
    for oid in note["offices"]:
        row = rows[[o["id"] for o in bundle["offices"]].index(oid)]
        cell = row.find_all("td")[1 + bundle["sections"].index(s8)]
        assert "牵头" in cell.text and "责任" in cell.text
        assert [a.attrs["href"] for a in cell.find_all("a")] == [f"#note-{s8['id']}"]
    assert note["text"] in page.section(f"note-{s8['id']}")
    caizheng = site.page(f"offices/{note['offices'][0]}/")
    assert note["text"] in caizheng.text


# --------------------------------------------------------------------------- target groups, working group


def test_each_target_group_lists_its_programmes(site, bundle):
    page = site.page("groups/")
    assert len(bundle["target_groups"]) == 10
    for g in bundle["target_groups"]:
        assert g["id"] in page.ids()
        section = page.section(g["id"])
        assert g["i_am"] in section and g["name"] in section
        links = [resolve("groups/", h)[0] for h in page.section_links(g["id"])]
        assert links == [f"programmes/{pid}/" for pid in g["programmes"]], g["id"]


def test_working_group(site, bundle):
    wg = bundle["working_group"]
    page = site.page("contacts/")
    assert page.h1 == wg["name"]
    text = page.text
    assert linked(page, f"offices/{wg['seat']}/")
    assert wg["office_director"] in text and "办公室主任" in text
    assert wg["dissolution"] in text
    headings = {"leader": "组长", "deputy": "副组长", "member": "成员"}
    for m in wg["members"]:
        section = page.section(headings[m["role"]])
        assert m["name"] in section and m["title"] in section, m["name"]
        assert linked(page, "original/", m["paragraph"])
    # the office running the group says so
    seat = site.page(f"offices/{wg['seat']}/").text
    assert wg["name"] in seat and wg["office_director"] in seat


def test_contacts_show_what_is_published_and_pending_otherwise(any_site):
    site, bundle = any_site, bundle_of(any_site)
    page = site.page("contacts/")
    text = page.text
    for ap in bundle["access_points"]:
        assert ap["id"] in page.ids()
        phone = ap["contact"]["phone"]
        assert re.search(rf"电话\s*{re.escape(phone) if phone else '待公布'}", page.section(ap["id"])), ap["id"]
    assert text.count("待公布") >= sum(v is None for o in bundle["offices"] for v in o["contact"].values())
    for o in bundle["offices"]:
        for value in o["contact"].values():
            assert value is None or value in text, (o["id"], value)


# --------------------------------------------------------------------------- original text and clause links


def test_every_clause_link_resolves_to_an_element_on_its_page(site):
    ids = {}
    checked = 0
    for url in site.url_paths():
        page = site.page(url)
        for href in page.links(page.root):
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue
            target, frag = resolve(url, href)
            if target.startswith("assets/") or target.startswith("data/") and not target.endswith("/"):
                assert (site.root / target).is_file(), (url, href)
                continue
            if target.endswith((".xml", ".json", ".csv", ".gz")):
                assert (site.root / target).is_file(), (url, href)
                continue
            if target not in ids:
                ids[target] = site.page(target).ids()
            if frag:
                assert frag in ids[target], f"{url}: link {href} has no target #{frag} on {target}"
                checked += 1
    assert checked > 500


def test_each_clause_lands_on_its_exact_text(site, bundle):
    page = site.page("original/")
    for c in bundle["document"]["clauses"]:
        el = page.root.find(id=c["id"])
        assert el is not None and el.tag == "span", c["id"]
        assert el.text == c["quote"], c["id"]
    national = site.page("national/")
    for s in bundle["sources"]:
        for a in s.get("articles") or []:
            assert a["id"] in national.ids()
            assert a["summary"] in national.section(a["id"])


def test_original_text_is_verbatim_with_errata_beside_it(site, bundle):
    page = site.page("original/")
    for p in bundle["document"]["paragraphs"]:
        div = page.root.find(id=p["id"])
        assert div is not None, p["id"]
        text = div.find("p", cls="orig-text").text
        assert text == p["text"], p["id"]  # not corrected, not reflowed
    for e in bundle["document"]["errata"]:
        div = page.root.find(id=e["paragraph"])
        notes = " ".join(n.text for n in div.find_all("p", cls="orig-erratum"))
        assert e["text"] in notes and e["correction"] in notes and e["note"] in notes
        assert any(m.text in e["text"] or e["text"] in m.text for m in div.find_all("mark", cls="erratum"))


def test_every_cited_clause_is_a_link(any_site):
    """Clause ids cited by the data are linked wherever the data cites them."""
    bundle = bundle_of(any_site)
    page = any_site.page("standards/")
    for par_id, par in bundle["parameters"].items():
        refs = [v["reference"] for v in par["values"]] or ([par["reference"]] if par.get("reference") else [])
        for ref in refs:
            cid = ref.get("clause") or ref.get("article")
            assert cid in " ".join(page.section_links(par_id)), (par_id, cid)
    contacts = any_site.page("contacts/")
    for ap in bundle["access_points"]:
        for cid in ap["clauses"]:
            assert linked(contacts, "original/", cid)


# --------------------------------------------------------------------------- standards: pending and published


def raw_in_force(data_dir, pid: str):
    """(value, ISO date, reference) of the parameter's value in force today, read from its YAML file
    (not through the loader), or None while nothing is in force."""
    group, name = pid.split(".", 1)
    par = yaml.safe_load((data_dir / "parameters" / f"{group}.yaml").read_text(encoding="utf-8"))[name]
    dated = sorted((str(d), e) for d, e in (par.get("values") or {}).items())
    current = [(d, e) for d, e in dated if d <= TODAY.isoformat()]
    return (Decimal(str(current[-1][1]["value"])) if not isinstance(current[-1][1]["value"], dict) else None,
            current[-1][0], current[-1][1]["reference"]) if current else None


def yuan_shown(text: str, amount: Decimal) -> bool:
    """`amount` yuan written in `text` in any of the usual ways (1000, 1,000, 1000.00 元)."""
    whole = f"{amount:,.0f}" if amount == amount.to_integral() else f"{amount:,.2f}"
    pattern = re.escape(whole).replace(",", ",?") + r"(\.00)?\s*元"
    return re.search(pattern, text) is not None


def test_every_standard_shows_pending_or_its_value_date_and_source(any_site):
    """Whatever the data: a parameter with nothing in force shows 待公布; one with a value in force
    shows that value, the date it took effect and a link to its source. Nothing else may say 待公布
    of a published standard (the medical relief page names the urban standard pending only while it
    is)."""
    bundle = bundle_of(any_site)
    page = any_site.page("standards/")
    for pid, par in bundle["parameters"].items():
        assert pid in page.ids(), pid
        section = page.section(pid)
        assert par["description"] in section
        now = raw_in_force(any_site.data_dir, pid)
        head = section.split("参数编号")[0]
        if now is None:
            assert "待公布" in head or "将于" in head, pid
            continue
        value, date, ref = now
        assert "待公布" not in head, pid
        if value is not None and par["unit"].startswith("yuan"):
            assert yuan_shown(head, value), (pid, value, head[:200])
        d = dt.date.fromisoformat(date)
        assert f"{d.year}年{d.month}月{d.day}日" in section, (pid, date)
        cid = ref.get("article") or ref.get("clause")
        assert cid in " ".join(page.section_links(pid)), (pid, cid)
    medical = any_site.page("programmes/temporary_medical/").text
    urban_pending = raw_in_force(any_site.data_dir, "dibao.urban_monthly_standard") is None
    assert ("城市低保标准待公布" in medical) == urban_pending


def test_readme_update_shows_yuan_on_every_page_that_rests_on_it(updated_site):
    """After the README's update, the standard it publishes is a number of yuan wherever the data
    bases an amount on it, worked out here from the YAML values (never from the calculator): the
    medical relief page gives its 3 to 12 times (the multiples from parameters/temporary.yaml) in
    yuan, the print-all page carries it, and no page still calls that standard pending."""
    from tests.support import town
    bundle = bundle_of(updated_site)
    for ex in town.readme_examples():
        if ex.parameter is None:
            continue
        pid = f"{Path(ex.file).stem}.{ex.parameter}"
        now = raw_in_force(updated_site.data_dir, pid)
        if now is None:
            continue  # the example's date is still to come: the standards test covers 将于……
        value = now[0]
        users = [p for p in bundle["programmes"] if pid in str(p["amount"])]
        assert users, f"no programme bases an amount on {pid}: the README's list of pages that change is wrong"
        label = bundle["parameters"][pid]["description"].split("（")[0].replace("月标准", "标准")
        for p in users:
            text = updated_site.page(f"programmes/{p['id']}/").text
            assert f"{label}待公布" not in text and f"{label}（待公布）" not in text, p["id"]
        if pid == "dibao.urban_monthly_standard":
            low = raw_in_force(updated_site.data_dir, "temporary.medical_multiple_min")[0]
            high = raw_in_force(updated_site.data_dir, "temporary.medical_multiple_max")[0]
            text = updated_site.page("programmes/temporary_medical/").text
            assert yuan_shown(text, low * value) and yuan_shown(text, high * value), (low * value, high * value)
            assert yuan_shown(updated_site.page("print/").text, high * value)


@pytest.mark.parametrize("url", ["print/"])
def test_print_page_holds_the_whole_handbook(site, bundle, url):
    page = site.page(url)
    text = page.text
    for p in bundle["programmes"]:
        assert p["name"] in text
    for g in bundle["target_groups"]:
        assert g["i_am"] in text
    for m in bundle["working_group"]["members"]:
        assert m["name"] in text
    for p in bundle["document"]["paragraphs"]:
        assert p["id"] in page.ids()
    assert len(page.article.find_all("div", cls="print-break")) >= len(bundle["programmes"])

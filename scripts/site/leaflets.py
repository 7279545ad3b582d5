"""政策明白纸: one A4 page to hand out and post, for every programme and for each family of
programmes that shares a parameter group (临时救助: the programmes using parameters/temporary.yaml),
generated from the same data as every page (scripts/site/templates/leaflet.md.j2), with a QR code
of the page's own address drawn at build time by the site's encoder (scripts/site/leaflet_qr.mjs
runs docs/assets/calculator/qr.js in Node).

    pages(hb, site_url)       {src_uri: Markdown} of the index and every leaflet
    qr_files(hb, site_url)    {src_uri: SVG bytes}, one per leaflet, of its absolute address
    nav(hb)                   the navigation entry
    of_programme(hb, pid)     the leaflets a programme page links to
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from .words import PARAMETER_GROUP_CN, front_matter, html_title

DIR = "leaflets"
ALL = f"{DIR}/all.md"
QR_SCRIPT = Path(__file__).resolve().parent / "leaflet_qr.mjs"
# Parameter groups whose programmes also get one leaflet together (the group's name from
# words.PARAMETER_GROUP_CN): the town document treats 临时救助 as one kind of relief.
FAMILY_GROUPS = ("temporary",)


class LeafletError(Exception):
    pass


@dataclass
class Leaflet:
    id: str
    title: str
    programmes: list[str]

    @property
    def src_uri(self) -> str:
        return f"{DIR}/{self.id}.md"

    @property
    def url_path(self) -> str:
        """The page's address below site_url (mkdocs' directory URLs)."""
        return f"{DIR}/{self.id}/"

    @property
    def qr_uri(self) -> str:
        return f"{DIR}/qr/{self.id}.svg"


def families(hb) -> list[Leaflet]:
    out = []
    for group in FAMILY_GROUPS:
        members = [p["id"] for p in hb.b["programmes"]
                   if any(par.split(".")[0] == group for par in hb.programme_parameters(p["id"]))]
        if len(members) > 1:
            out.append(Leaflet(group, PARAMETER_GROUP_CN[group], members))
    return out


def leaflets(hb) -> list[Leaflet]:
    single = [Leaflet(p["id"], p["name"], [p["id"]]) for p in hb.b["programmes"]]
    fams = families(hb)
    clash = {f.id for f in fams} & {s.id for s in single} | ({"index", "qr", "all"} & {s.id for s in single})
    if clash:
        raise LeafletError(f"明白纸的名称与救助项目 id 重复：{sorted(clash)}（scripts/site/leaflets.py）")
    out = []
    for s in single:  # a family's leaflet right after its first member's
        out.append(s)
        out += [f for f in fams if f.programmes[0] == s.id]
    return out


def of_programme(hb, pid: str) -> list[Leaflet]:
    """The programme's own leaflet first, then its family's."""
    return sorted((leaf for leaf in leaflets(hb) if pid in leaf.programmes), key=lambda leaf: len(leaf.programmes))


def contact_line(hb, pid: str) -> dict:
    """Where to ask, with every contact detail the data has; while no phone is published, the
    honest instruction to ask in person."""
    offices = [*hb.b["access_points"], hb.offices[hb.programmes[pid]["office"]]]
    parts, phones = [], 0
    for o in offices:
        c = o["contact"]
        details = [f"{label}{c[key]}" for key, label in (("phone", "电话 "), ("address", "地址 "), ("hours", "办公时间 "))
                   if c.get(key)]
        phones += bool(c.get("phone"))
        parts.append({"name": o.get("full_name") or o["name"], "details": "，".join(details) or "联系方式待公布"})
    return {"parts": parts, "no_phone": phones == 0, "in_person": hb.b["access_points"][-1]["name"]}


def time_limit(hb, pid: str) -> str | None:
    limit = hb.programmes[pid]["apply"].get("time_limit")
    return hb.text(limit) if limit else None


def page_url(site_url: str, leaf: Leaflet) -> str:
    if not site_url:
        raise LeafletError("mkdocs.yml 没有 site_url：明白纸上的二维码需要网站的正式地址（make publish SITE_URL=…）")
    return urllib.parse.urljoin(site_url if site_url.endswith("/") else site_url + "/", leaf.url_path)


def pages(hb, site_url: str) -> dict[str, str]:
    env = hb.env
    out = {}
    all_leaflets = leaflets(hb)
    meta = {"hide": ["navigation", "toc"], "search": {"exclude": True}}
    for leaf in all_leaflets:
        body = env.get_template("leaflet.md.j2").render(page_uri=leaf.src_uri, leaf=leaf, lf=Helpers(hb),
                                                              url=page_url(site_url, leaf))
        out[leaf.src_uri] = front_matter({"title": f"明白纸：{_title(leaf.title)}", **meta}) + body
    # All of them in one document, each on its own sheet, for a village station to print at once.
    bodies = [env.get_template("leaflet.md.j2").render(page_uri=ALL, leaf=leaf, lf=Helpers(hb),
                                                       url=page_url(site_url, leaf), with_button=False)
              for leaf in all_leaflets]
    body = env.get_template("leaflets_all.md.j2").render(page_uri=ALL, bodies=bodies, count=len(bodies))
    out[ALL] = front_matter({"title": "打印全部明白纸", **meta}) + body
    body = env.get_template("leaflets_index.md.j2").render(page_uri=f"{DIR}/index.md", leaflets=all_leaflets,
                                                           all_uri=ALL)
    out[f"{DIR}/index.md"] = front_matter({"title": "政策明白纸"}) + body
    return out


def _title(text: str) -> str:
    return html_title(text)


class Helpers:
    """What the leaflet template asks of the data, beside the handbook's own helpers."""

    def __init__(self, hb):
        self.hb = hb

    def contact(self, pid):
        return contact_line(self.hb, pid)

    def offices(self, leaf):
        return list(dict.fromkeys(self.hb.programmes[pid]["office"] for pid in leaf.programmes))

    def time_limit(self, pid):
        return time_limit(self.hb, pid)


def nav(hb) -> list:
    return [{"政策明白纸": [f"{DIR}/index.md",
                         *[{html_title(leaf.title): leaf.src_uri} for leaf in leaflets(hb)],
                         {"打印全部明白纸": ALL}]}]


def qr_files(hb, site_url: str) -> dict[str, bytes]:
    all_leaflets = leaflets(hb)
    urls = [page_url(site_url, leaf) for leaf in all_leaflets]
    node = shutil.which("node")
    if node is None:
        raise LeafletError("node not found: the leaflets' QR codes are drawn by docs/assets/calculator/qr.js in Node "
                           "(the same runtime the site build already needs)")
    proc = subprocess.run([node, str(QR_SCRIPT)], input=json.dumps(urls), capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise LeafletError(f"node {QR_SCRIPT.name} failed: {proc.stderr.strip()[-2000:]}")
    svgs = json.loads(proc.stdout)
    return {leaf.qr_uri: svgs[url].encode("utf-8") for leaf, url in zip(all_leaflets, urls)}

"""What every generator of pages shares (the handbook's pages, handbook.py, and the leaflets,
leaflets.py): titles made safe for the HTML, front matter, the names of the parameter groups."""

from __future__ import annotations

import html

import yaml

PARAMETER_GROUP_CN = {"dibao": "最低生活保障", "tekun": "特困人员救助供养", "temporary": "临时救助",
                      "service": "服务网络与监管", "rigid_expense": "刚性支出困难家庭"}


def html_title(text) -> str:
    """Data text as a page or navigation title: mkdocs and the theme put titles into the HTML as they
    are (<title>, header, navigation), so they are escaped here, once."""
    return html.escape(str(text), quote=False)


def front_matter(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"

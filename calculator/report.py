"""The readable Chinese summary of an estimate, for the staff command line (and anyone who prints it)."""

from __future__ import annotations

from .citations import cite
from .rules import STATUS_CN, STATUS_ORDER

MARK = {True: "✓", False: "✗", None: "？"}
AREA_CN = {"urban": "城市", "rural": "农村"}
ORIGIN_CN = {"input": "填写的数值", "data": "政策数据", "pending": "待公布"}


def _standard(s: dict) -> str:
    if s["value"] is None:
        return "待公布"
    return f"{s['value']} 元/人·月（{ORIGIN_CN[s['origin']]}{'，' + s['effective'] + ' 起' if s['effective'] else ''}）"


def _amount(p: dict) -> str | None:
    a = p["amount"]
    if not a:
        return None
    if "monthly_yuan" in a:
        return f"每月约 {a['monthly_yuan']} 元" if a["monthly_yuan"] else f"金额：{a['formula']}（低保标准待公布）"
    if a.get("min_yuan") and a.get("max_yuan"):
        return f"{a['min_yuan']} 元至 {a['max_yuan']} 元（{a['text']}）"
    return a.get("text")


def summary(result: dict, bundle: dict) -> str:
    h = result["household"]
    lines = [
        "石桥镇社会救助测算（估算结果）",
        f"测算日期：{result['as_of']}　政策数据版本：{result['data_version']}",
        f"家庭：{AREA_CN[h['area']]}，{h['members']} 人，月收入 {h['monthly_income_yuan']} 元，人均 {h['per_capita_income_yuan']} 元",
        f"低保标准：城市 {_standard(result['standards']['urban_dibao_monthly'])}；"
        f"农村 {_standard(result['standards']['rural_dibao_monthly'])}",
    ]
    lines += [f"标准将调整：{c['text']}" for c in result.get("upcoming") or []]
    programmes = sorted(result["programmes"], key=lambda p: STATUS_ORDER[p["status"]])
    current = None
    for p in programmes:
        if p["status"] != current:
            current = p["status"]
            lines += ["", f"【{STATUS_CN[current]}】"]
        if current == "unlikely":
            failed = next((c for c in p["conditions"] if c["met"] is False), None)
            lines.append(f"· {p['name']}" + (f"：{failed['text']}" if failed else ""))
            continue
        amount = _amount(p)
        lines.append(f"■ {p['name']}" + (f"：{amount}" if amount else ""))
        for c in p["conditions"]:
            lines.append(f"  {MARK[c['met']]} {c['text']}（依据：{cite(bundle, c['clause'])}）")
        if p["missing"]:
            lines.append(f"  需要补充：{'；'.join(p['missing'])}")
        for note in p["notes"]:
            lines.append(f"  · {note}")
        s = p["next_steps"]
        where = "或".join(a["name"] for a in s["apply_at"])
        phone = s["office"]["contact"]["phone"] or "电话待公布"
        lines.append(f"  去哪里办：{where}（一门受理）；负责单位：{s['office']['name']}（{phone}）")
        if s["bring"]:
            lines.append(f"  带什么：{'、'.join(s['bring'])}" + ("（常见材料，以窗口告知为准）" if s["bring_note"] else ""))
        if s["time_limit"]:
            lines.append(f"  时限：{s['time_limit']}")
        if s.get("one_case"):
            lines.append(f"  · {s['one_case']}")
    lines += ["", f"提醒：{result['disclaimer']}"]
    return "\n".join(lines)

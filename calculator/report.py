"""The words of a result, written once: `present()` turns an estimate into the display words that the
calculator page lays out (the result JSON's "display") and from which `summary()` writes the command
line's report. Nothing here decides eligibility: it only phrases what the rules found.

The display starts with one short next-step block (which programmes to ask about first, where to go,
whom to call, what to bring, how long it takes), then the standards used, the household as entered,
and the programmes by status with their conditions, amounts, steps and clauses. A phone number is
given only where the policy data has one with its source: an office whose phone is pending is never
offered as a number to call.
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import fields as F
from . import household as H
from .bundle import caches, derived
from .citations import labels, source_label
from .memo import kept_by_identity
from .money import cn_yuan
from .rules import DEPENDS, STATUS_CN, STATUS_ORDER

TITLE = "石桥镇社会救助测算（估算结果）"
MARK = {True: "✓", False: "✗", None: "？"}
MARK_WORD = {True: "符合：", False: "不符合：", None: "不确定："}
AREA_CN = {"urban": "城市", "rural": "农村"}
ORIGIN_CN = {"input": "您填写的标准", "data": "政策数据", "pending": "待公布"}
FIRST_AT_MOST = 4  # programmes named in 先问这几项; the others follow in the details
IN_PERSON = "到村社会救助服务站当面咨询"
UNLIKELY = "unlikely"


def _yuan(text: str | None) -> str:
    return cn_yuan(None if text is None else Decimal(text))


def amount_text(a: dict | None) -> str | None:
    """The amount of one programme in words, or None when it gives no amount of its own."""
    if not a:
        return None
    if "monthly_yuan" in a:
        if a["monthly_yuan"] is not None:
            return f"每月约 {_yuan(a['monthly_yuan'])}（{a['formula']}）"
        return f"按 {a['formula']} 计算；当地低保标准待公布，暂时算不出元数。"
    if a.get("min_yuan") and a.get("max_yuan") and "即" not in a.get("text", ""):
        return f"{_yuan(a['min_yuan'])}至{_yuan(a['max_yuan'])}（{a['text']}）"
    return a.get("text")


def _per_month(value: Decimal) -> str:
    """A standard: the one money format, per person and month."""
    return cn_yuan(value, "元/人·月")


def _standard(s: dict) -> str:
    if s["value"] is None:
        return "待公布"
    when = f"，{s['effective']} 起执行" if s.get("effective") else ""
    return f"{_per_month(Decimal(s['value']))}（{ORIGIN_CN.get(s['origin'], s['origin'])}{when}）"


# ------------------------------------------------------------------------------ the household


def _word(choices: dict, value) -> str:
    return choices.get(value, choices.get(str(value), str(value)))


def unknown_that_matters(m, missing: str) -> list[str]:
    """The labels of a member's facts left blank that the result names as missing, among those whose
    "none" is an answer of its own (残疾情况: 没有残疾, 在读学段: 不在上学; a blank there was once
    read as none), in declaration order; a group (disability) by its own label, once."""
    out = []
    for f in F.MEMBER_FIELDS:
        if F.NONE not in f.choices:
            continue
        label = F.GROUPS[f.name].label if "." in f.key else f.label
        if getattr(m, f.name) is None and label in missing and label not in out:
            out.append(label)
    return out


def member_text(m, missing: str = "") -> str:
    """One member in words: "70 岁，患重特大疾病", from the household format's declaration; then what
    was left blank where it matters (named in `missing`, the result's): "未填：残疾情况、在读学段"."""
    blank = unknown_that_matters(m, missing)
    return "，".join(t for t in (F.describe(m), f"未填：{'、'.join(blank)}" if blank else "") if t)


SHOWN_ELSEWHERE = ("area", "monthly_income_yuan", "standards", "as_of")  # own rows, the standards, the date


def household_rows(h, result: dict) -> list[dict]:
    """The household as entered: [{"label", "text"} | {"label", "items"}], in the order of the household
    format's declaration (calculator.fields); a member's fact left blank shows as 未填 where the result
    names it as missing, and is otherwise left out, as are the household's own blanks."""
    missing = "；".join(m for p in result["programmes"] if p["status"] != UNLIKELY for m in p["missing"])
    rows = [{"label": "户籍", "text": _word(H.AREAS, h.area)},
            {"label": f"家庭成员（{len(h.members)} 人）", "items": [member_text(m, missing) for m in h.members]},
            {"label": "家庭月收入", "text": f"{cn_yuan(h.monthly_income_yuan)}（人均 "
                                             f"{_yuan(result['household']['per_capita_income_yuan'])}）"}]
    for f in F.FIELDS:
        if f.level != F.HOUSEHOLD or f.name in SHOWN_ELSEWHERE:
            continue
        v = getattr(h, f.name, None)
        if v is None:
            continue
        text = cn_yuan(v) if f.kind == F.MONEY else _word(f.choices, v) if f.choices else str(v)
        rows.append({"label": re.sub(r"（元[^）]*）$", "", f.label), "text": text})
    return rows


# ------------------------------------------------------------------------------ programmes


def _cite(bundle: dict, clause: str) -> dict:
    return {"clause": clause, "label": labels(bundle)[clause]}


def _contact_words(contact: dict | None) -> str:
    """An office's or an access point's published contact details, or "" (nothing pending is shown)."""
    c = contact or {}
    parts = [f"电话 {c['phone']}" if c.get("phone") else "", f"地址 {c['address']}" if c.get("address") else "",
             f"办公时间 {c['hours']}" if c.get("hours") else ""]
    return "，".join(p for p in parts if p)


def _dated_step(x: dict) -> str:
    cites = "、".join(c["label"] for c in x.get("citations") or [])
    return f"{x['title']}：{x['text']}" + (f"（依据：{cites}）" if cites else "")


def _step_words(bundle: dict, s: dict) -> list[dict]:
    """The steps of a programme's next steps in words. The next steps are shared by every result of
    a date (calculator.engine.next_steps) and never changed, so their words are written once
    (calculator.memo.kept_by_identity)."""
    return kept_by_identity(caches(bundle).setdefault("step_words", {}), s, _word_steps)


def _word_steps(s: dict) -> list[dict]:
    office = s["office"]
    contact = _contact_words(office.get("contact"))
    who = office["full_name"] + (f"（{contact}）" if contact else "")
    if s["partners"]:
        who += f"；配合单位：{'、'.join(x['name'] for x in s['partners'])}"
    steps = [{"label": "到哪里办", "text": f"{'或'.join(a['name'] for a in s['apply_at'])}（一门受理）"},
             {"label": "负责单位", "text": who, "office": office["id"]},
             {"label": "怎么办", "text": s["how"]}]
    if s["bring"]:
        steps.append({"label": "带什么", "items": list(s["bring"])})  # the materials' note: once, in the next step
    if s["time_limit"]:
        steps.append({"label": "时限", "text": s["time_limit"]})
    # The law's words from the date asked: where and how to apply (the procedure's first step), then
    # the rest of the procedure in force, each step with its articles. What every applicant may rely
    # on (rights) is the same for every programme: said once, in the display's "rights".
    apply = s.get("apply")
    if apply and apply["text"] != s["how"]:
        steps.append({"label": "依法申请", "text": apply["text"] + "（" + "、".join(c["label"] for c in apply["citations"]) + "）"})
    rest = [x for x in s.get("procedure") or [] if x is not apply and not (apply and x["id"] == apply["id"])]
    if rest:
        steps.append({"label": "办理流程", "items": [_dated_step(x) for x in rest]})
    return steps


def _clause_words(bundle: dict, clauses: list[str]) -> list[dict]:
    """The citations of a programme's clauses, written once per list of them (shared by the results:
    see _step_words)."""
    return kept_by_identity(caches(bundle).setdefault("clause_words", {}), clauses,
                            lambda cs: [_cite(bundle, c) for c in cs])


def programme_words(p: dict, bundle: dict) -> dict:
    s = p["next_steps"]
    steps = _step_words(bundle, s)
    return {
        "id": p["id"], "name": p["name"], "status": p["status"], "status_text": p["status_text"],
        "amount": amount_text(p["amount"]),
        "conditions": [{"met": c["met"], "mark": MARK[c["met"]], "mark_word": MARK_WORD[c["met"]], "text": c["text"],
                        "missing": f"需要了解：{c['missing']}" if c.get("missing") else None,
                        **_cite(bundle, c["clause"])} for c in p["conditions"]],
        "missing": f"还需要了解：{'；'.join(p['missing'])}" if p["missing"] else None,
        "notes": list(p["notes"]),
        "steps": steps,
        "one_case": s.get("one_case"),
        "clauses": _clause_words(bundle, p["clauses"]),
    }


def _unlikely_words(p: dict, bundle: dict) -> dict:
    return {"id": p["id"], "name": p["name"], "status": p["status"],
            "reasons": [{"text": c["text"], **_cite(bundle, c["clause"])} for c in p["conditions"] if c["met"] is False]}


def _bounds(p: dict) -> dict:
    """What a programme that waits on pending parameters needs of each: {parameter: (lo, hi)}, met
    once lo < the parameter ≤ hi (lo: the largest `above` figure, hi: the smallest `below`)."""
    out: dict = {}
    for n in p.get("needs") or []:
        lo, hi = out.get(n["parameter"], (Decimal("-Infinity"), Decimal("Infinity")))
        if "above" in n:
            lo = max(lo, Decimal(n["above"]))
        else:
            hi = min(hi, Decimal(n["below"]))
        out[n["parameter"]] = (lo, hi)
    return out


def rank(programmes: list[dict]) -> list[dict]:
    """Every programme that may fit, in the order to ask about them:

    1. by status: 很可能符合, 可能符合, 取决于当地标准, 信息不足 (STATUS_ORDER);
    2. among those that wait only on pending standards (取决于当地标准), the one the household
       meets under more of the standards the town may publish comes first: each programme's
       break-even figures make an interval per parameter (met once the standard is above the
       largest `above` figure and not above the smallest `below`); the one whose largest `above`
       figure is lowest — measured against the largest figure any programme of this result names
       for the same parameter, so standards of different scales compare — comes first (a figure of 0
       yuan: any standard will do, the household clearly meets it); then the one whose smallest
       `below` figure is highest. So a programme met whenever another is met never comes after it;
    3. then the one with more conditions already met; on a tie, the policy data's order."""
    scale: dict = {}
    for p in programmes:
        for par, (lo, hi) in _bounds(p).items():
            scale[par] = max([scale.get(par, Decimal(0))] + [abs(x) for x in (lo, hi) if x.is_finite()])

    def share(par: str, x: Decimal) -> Decimal:  # a figure as a share of the largest one named
        return x / scale[par] if scale[par] else Decimal(0)

    def strictness(p: dict) -> tuple:
        if p["status"] != DEPENDS:
            return (Decimal(0), Decimal(0))
        b = _bounds(p).items()
        above = max([share(par, lo) for par, (lo, _) in b if lo.is_finite()], default=Decimal(-1))
        below = min([share(par, hi) for par, (_, hi) in b if hi.is_finite()], default=Decimal("Infinity"))
        return (above, -below)

    return sorted((p for p in programmes if p["status"] != UNLIKELY),  # stable: the bundle's order on a tie
                  key=lambda p: (STATUS_ORDER[p["status"]], *strictness(p),
                                 -sum(c["met"] is True for c in p["conditions"])))


def _threshold(p: dict) -> tuple:
    """The figures a programme waiting on pending standards needs them to exceed (its `above`
    break-evens, by parameter): the one question to put to the office about it."""
    return tuple(sorted((par, lo) for par, (lo, _) in _bounds(p).items()))


def ask_first(programmes: list[dict]) -> list[dict]:
    """The programmes to ask about first (at most FIRST_AT_MOST), listed in `rank`'s order. The places
    go, in this order, to: every one 很可能符合 or 可能符合; those 取决于当地标准 (each waits only on a
    figure the town will publish, and the result says which), one per threshold first — a second
    programme that needs the standard above the same figure as one already named (医疗救助 and 教育救助
    both need it above the 低保边缘 line) comes after every other threshold has its place, so
    最低生活保障 with its own figure is not crowded out; then those still 信息不足 for which something
    of the household already counts (a condition met). A plain unknown never takes a place while a
    programme above it in this order has none; where no programme is in any of these, the best
    ranked of the rest."""
    ranked = rank(programmes)
    sure = [p for p in ranked if STATUS_ORDER[p["status"]] < STATUS_ORDER[DEPENDS]]
    depends = [p for p in ranked if p["status"] == DEPENDS]
    counted = [p for p in ranked if STATUS_ORDER[p["status"]] > STATUS_ORDER[DEPENDS]
               and any(c["met"] is True for c in p["conditions"])]
    seen, once, again = set(), [], []
    for p in depends:
        (again if _threshold(p) in seen else once).append(p)
        seen.add(_threshold(p))
    chosen = {p["id"] for p in (sure + once + again + counted)[:FIRST_AT_MOST]}
    return [p for p in ranked if p["id"] in chosen] or ranked[:FIRST_AT_MOST]


# ------------------------------------------------------------------------------ the next step


def _offices(first: list[dict]) -> list[str]:
    out: list[str] = []
    for p in first:
        name = p["next_steps"]["office"]["full_name"]
        if name not in out:
            out.append(name)
    return out


def _from(bundle: dict, item: dict) -> str:
    """（来源：…） of an office's or an access point's published contact details (the loader refuses
    contact details without a source)."""
    return f"（来源：{source_label(bundle, item['contact_source'])}）" if item.get("contact_source") else ""


def _where(bundle: dict) -> list[str]:
    return list(derived(bundle, "where", _word_where))


def _word_where(bundle: dict) -> list[str]:
    out = []
    for a in sorted(bundle["access_points"], key=lambda a: a["id"] != "village_station"):  # the nearest first
        contact = _contact_words(a.get("contact"))
        out.append(f"{a['name']}" + ("（一门受理）" if a["id"] == "town_platform" else "")
                   + (f"：{contact}{_from(bundle, a)}" if contact else ""))
    return out


def _call(bundle: dict, first: list[dict] = ()) -> list[str]:
    """Numbers a resident can call, each from the policy data with its source: the local hotlines, the
    access points' published phones, then those of the offices that decide the programmes to ask
    about first; else: go in person."""
    offices = derived(bundle, "office_call", _word_office_calls)
    out = list(derived(bundle, "call", _word_call))
    out += [offices[oid] for oid in dict.fromkeys(p["next_steps"]["office"]["id"] for p in first) if oid in offices]
    return out or [IN_PERSON]


def _word_office_calls(bundle: dict) -> dict[str, str]:
    """{office id: its published phone in words, with the source} of every office that has one."""
    return {o["id"]: f"{o['full_name']}：{o['contact']['phone']}{_from(bundle, o)}"
            for o in bundle["offices"] if (o.get("contact") or {}).get("phone")}


def _word_call(bundle: dict) -> list[str]:
    out = [f"{h['name']}：{h['number']}" for h in bundle.get("hotlines", []) if h.get("status") == "local" and h.get("number")]
    out += [f"{a['name']}：{a['contact']['phone']}{_from(bundle, a)}"
            for a in bundle["access_points"] if (a.get("contact") or {}).get("phone")]
    return out


def _merged(lists: list[list[str]]) -> list[str]:
    """One list of what to bring: each item once, and none that another item already names."""
    items: list[str] = []
    for b in (b for lst in lists for b in lst):
        if b not in items:
            items.append(b)
    return [b for b in items if not any(b != o and b in o for o in items)]


def next_step(first: list[dict], others: int, bundle: dict) -> dict:
    weakest = max(STATUS_ORDER[s] for s in STATUS_ORDER if s != UNLIKELY)
    rows = []
    if first:
        unsure = sum(1 for p in first if STATUS_ORDER[p["status"]] == weakest)
        # one status shared by all: said once, not after every name (the block must fit two phone screens)
        shared = {p["status_text"] for p in first} if not unsure and len(first) > 1 else set()
        shared = shared if len(shared) == 1 else set()
        note = [f"这几项都{next(iter(shared))}。" if shared else "",
                "还缺少的信息，到窗口可以问清。" if unsure else "", f"其余 {others} 项见后面的详细结果。" if others else ""]
        rows.append({"label": "先问这几项",
                     "items": [p["name"] + ("" if STATUS_ORDER[p["status"]] == weakest or shared
                                            else f"（{p['status_text']}）") for p in first],
                     "programmes": [p["id"] for p in first], "note": "".join(note) or None})
    else:
        rows.append({"label": "先问这几项", "items": ["根据填写的情况，暂未发现看来符合的救助项目。生活确有困难的，"
                                                     "仍可到村社会救助服务站说明情况。"]})
    rows.append({"label": "到哪里去", "items": _where(bundle), "note": "任选一处申请即可。"})
    call = _call(bundle, first)
    rows.append({"label": "打电话", "items": call})  # going in person: the 到哪里去 row above says where
    bring = _merged([p["next_steps"]["bring"] for p in first])
    if bring:
        provisional = any(p["next_steps"]["bring_note"] for p in first)  # the list is no official one
        rows.append({"label": "带什么", "items": bring,
                     "note": "常见材料，以窗口告知为准。" if provisional else None})
    times = [f"{p['name']}：{p['next_steps']['time_limit'].rstrip('。')}" for p in first if p["next_steps"]["time_limit"]]
    rows.append({"label": "要多久", "items": times or ["办理时间以受理窗口告知为准"]})
    for row in rows:
        row["inline"] = True  # short: one paragraph each, so the block fits two phone screens
    return {"title": "下一步怎么办", "rows": rows}


# ------------------------------------------------------------------------------ the whole display


def present(result: dict, household, bundle: dict) -> dict:
    """The display words of an estimate (see the module docstring); `household`: the parsed Household."""
    programmes = result["programmes"]
    first = ask_first(programmes)
    by_status = {s: [p for p in programmes if p["status"] == s] for s in sorted(STATUS_ORDER, key=STATUS_ORDER.get)}
    counts = [f"{STATUS_CN[s]} {len(ps)} 项" for s, ps in by_status.items() if s != UNLIKELY and ps]
    groups = []
    for s, ps in by_status.items():
        if not ps:
            continue
        words = [_unlikely_words(p, bundle) if s == UNLIKELY else programme_words(p, bundle) for p in ps]
        groups.append({"status": s, "label": STATUS_CN[s], "title": f"{STATUS_CN[s]}（{len(ps)} 项）", "programmes": words})
    standards = result["standards"]
    pending = [AREA_CN[k.split("_")[0]] for k, v in standards.items() if v["value"] is None]
    where = "或".join(a["name"] for a in bundle["access_points"])
    others = sum(1 for p in programmes if p["status"] != UNLIKELY) - len(first)
    return {
        "title": TITLE,
        "lead": (f"{'，'.join(counts)}。" if counts
                 else "根据填写的情况，暂未发现看来符合的救助项目。"),
        "next": next_step(first, others, bundle),
        "disclaimer": result["disclaimer"],
        "meta": [{"label": "测算日期", "text": result["as_of"]}, {"label": "政策数据版本", "text": result["data_version"]}],
        "standards": {
            "title": "用到的低保标准",
            "rows": [{"label": f"{AREA_CN[k.split('_')[0]]}低保标准", "text": _standard(v)} for k, v in standards.items()],
            "pending": (f"{'、'.join(pending)}低保标准待公布，相关金额只能按低保标准的倍数给出。到{where}问清当地标准后，"
                        "可以填写在表格的“低保标准”一栏，再测算一次。") if pending else None,
            "action": "填写当地低保标准" if pending else None,
            "field": f"standards.{household.area}_dibao_monthly",
        },
        # standards published ahead of their date, due within the next months (calculator/changes.py)
        "upcoming": {"title": "标准将调整", "items": [c["text"] for c in result.get("upcoming") or []]}
                    if result.get("upcoming") else None,
        "household": {"title": "填写的家庭情况", "rows": household_rows(household, result)},
        # what every applicant may rely on (the same for every programme): said once
        "rights": {"title": "申请人可以依靠的权利", "items": [_dated_step(x) for x in programmes[0]["next_steps"]["rights"]]}
                  if programmes and programmes[0]["next_steps"].get("rights") else None,
        "groups": groups,
        "bring_note": next((p["next_steps"]["bring_note"] for p in programmes if p["next_steps"]["bring_note"]), None),
        "contact": "咨询和申请：" + "；".join(_where(bundle) + [x for x in _call(bundle, first) if x != IN_PERSON]) + "。"
                   + (f"审核决定：{'、'.join(offices)}。" if (offices := _offices(first)) else ""),
    }


# ------------------------------------------------------------------------------ the command line


def _row_lines(row: dict, indent: str = "  ") -> list[str]:
    if "items" in row:
        text = "；".join(row["items"])
    else:
        text = row["text"]
    return [f"{indent}{row['label']}：{text}" + (f"（{row['note'].rstrip('。')}）" if row.get("note") else "")]


def summary(result: dict, bundle: dict | None = None) -> str:
    """The command line's report: the same words as the page, as plain text."""
    d = result["display"]
    lines = [d["title"], "　".join(f"{m['label']}：{m['text']}" for m in d["meta"]), "", f"【{d['next']['title']}】"]
    for row in d["next"]["rows"]:
        lines += _row_lines(row)
    lines += ["", f"【{d['household']['title']}】"]
    for row in d["household"]["rows"]:
        lines += _row_lines(row)
    lines += ["", f"【{d['standards']['title']}】"]
    for row in d["standards"]["rows"]:
        lines += _row_lines(row)
    if d["standards"]["pending"]:
        lines.append(f"  {d['standards']['pending']}")
    if d["upcoming"]:
        lines += [f"{d['upcoming']['title']}：{text}" for text in d["upcoming"]["items"]]
    for g in d["groups"]:
        lines += ["", f"【{g['title']}】"]
        for p in g["programmes"]:
            if g["status"] == UNLIKELY:
                lines.append(f"· {p['name']}" + (f"：{p['reasons'][0]['text']}" if p["reasons"] else ""))
                continue
            lines.append(f"■ {p['name']}" + (f"：{p['amount']}" if p["amount"] else ""))
            for c in p["conditions"]:
                lines.append(f"  {c['mark']} {c['text']}（依据：{c['label']}）")
            if p["missing"]:
                lines.append(f"  {p['missing']}")
            lines += [f"  · {n}" for n in p["notes"]]
            for row in p["steps"]:
                if row["label"] not in ("怎么办", "办理流程"):
                    lines += _row_lines(row)
            if p["one_case"]:
                lines.append(f"  · {p['one_case']}")
    if d["rights"]:
        lines += ["", f"【{d['rights']['title']}】"] + [f"· {t}" for t in d["rights"]["items"]]
    lines += ["", f"提醒：{d['disclaimer']}"]
    return "\n".join(lines)

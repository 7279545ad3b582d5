"""The policy data reproduces the town document: facts about the 2021 document, checked on the frozen
copy of the data in tests/data/policy_2021/ (never the live policy_data/, which the town updates:
a published standard, a phone number or a new member of the working group must not fail a test).
What must hold of whatever data is shipped is in tests/test_data_invariants.py.

Every check here reads the source text itself (policy_data/source/…txt) and parses what it needs from
it: the paragraphs, the 【牵头单位：…，责任单位：…】 lists, the attachment's names and titles, the ten
target groups. Nothing from the document is retyped in this file except the few key numbers at the
end, and each of those is checked to appear in the clause its reference cites.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from scripts.policydata import DEFAULT_DATA_DIR, load
from tests.support.town import FROZEN_2021
from scripts.policydata.files import UNITS

SOURCE_FILE = FROZEN_2021 / "source" / "shiqiao-2021-social-assistance-opinion.txt"
ARTEFACT_LINE = "[bookmark: _GoBack]"
# The only whitespace the source file uses besides "\n": ASCII spaces and no-break spaces (U+00A0).
LAYOUT = " \u00a0"
OFFICE_LIST = re.compile(r"【牵头单位：([^，】]+)，责任单位：([^】]+)】")


# ---- reading the source independently of the loader ----------------------------------------------

def source_lines() -> list[str]:
    """The lines of the source that carry text, in order: each line with the spaces and no-break
    spaces at either end removed (indentation and trailing padding); blank lines and the
    `[bookmark: _GoBack]` conversion artefact left out. Whitespace inside a line is kept."""
    lines = [line.strip(LAYOUT) for line in SOURCE_FILE.read_text(encoding="utf-8").split("\n")]
    return [line for line in lines if line and line != ARTEFACT_LINE]


def office_lists(text: str) -> list[tuple[list[str], list[str]]]:
    return [(lead.split("、"), resp.split("、")) for lead, resp in OFFICE_LIST.findall(text)]


def attachment_members() -> list[tuple[str, str, str]]:
    """(role, name, title) for each member line of the attachment. A line is an optional role label
    (组长 / 副组长 / 成员, padded with spaces), the name (two-character names are padded to the width
    of three with spaces), a run of spaces, then the title. A line without a label continues the
    role of the label above it."""
    roles = {"组长": "leader", "副组长": "deputy", "成员": "member"}
    lines = source_lines()
    start = lines.index("石桥镇统筹完善社会救助工作专班成员名单", lines.index("附件") + 1) + 1
    members, role = [], None
    for line in lines[start:]:
        if line.startswith("工作专班设在"):
            break
        label, sep, rest = line.partition("：")
        if sep:
            role = roles[re.sub(r"\s", "", label)]
            line = rest
        # The name is at most three characters with single padding spaces between them; the title
        # follows after the first run of two or more spaces that comes after a character.
        m = re.fullmatch(r"(\S(?:[ \u00a0]{0,2}\S){1,2})[ \u00a0]{2,}(\S.*)", line)
        assert m, f"cannot read attachment line {line!r}"
        members.append((role, re.sub(r"\s", "", m.group(1)), m.group(2)))
    return members


@pytest.fixture(scope="module")
def bundle() -> dict:
    return load(FROZEN_2021)


@pytest.fixture(scope="module")
def paragraphs(bundle) -> dict[str, str]:
    return {p["id"]: p["text"] for p in bundle["document"]["paragraphs"]}


@pytest.fixture(scope="module")
def office_name(bundle) -> dict[str, str]:
    return {o["id"]: o["name"] for o in bundle["offices"]}


@pytest.fixture(scope="module")
def quotes(bundle) -> dict[str, str]:
    return {c["id"]: c["quote"] for c in bundle["document"]["clauses"]}


# ---- the text ----------------------------------------------------------------------------------

def test_source_uses_only_known_whitespace():
    """Pins down what the normalisation below has to handle: "\\n", " " and U+00A0, nothing else
    (no tabs, no carriage returns, no ideographic spaces)."""
    text = SOURCE_FILE.read_text(encoding="utf-8")
    assert {c for c in text if c.isspace()} <= set("\n" + LAYOUT)
    assert text.count(ARTEFACT_LINE) == 1


def test_the_live_source_is_the_frozen_original():
    """The original text is kept verbatim: the live copy is the frozen one, byte for byte."""
    live = DEFAULT_DATA_DIR / "source" / SOURCE_FILE.name
    assert live.read_bytes() == SOURCE_FILE.read_bytes()


def test_source_file_is_the_shared_original():
    shared = Path(__file__).resolve().parents[2] / "shared" / "policy-source" / SOURCE_FILE.name
    if not shared.is_file():
        pytest.skip("shared/policy-source is not beside this checkout")
    assert SOURCE_FILE.read_bytes() == shared.read_bytes()


def test_paragraphs_concatenate_to_the_source(bundle):
    """Every paragraph verbatim and in order: their concatenation is the source file with the
    `[bookmark: _GoBack]` line, blank lines, line breaks and the spaces/no-break spaces at either end
    of each line removed, and nothing else changed."""
    joined = "".join(p["text"] for p in bundle["document"]["paragraphs"])
    assert joined == "".join(source_lines())


def test_paragraphs_follow_the_line_breaks(bundle):
    """Each paragraph is one whole line of the source, except where the conversion broke a line in
    the middle of a word; each such break is listed as an artefact (社会救\\n助 in the preamble)."""
    lines = source_lines()
    breaks = []  # (paragraph id, end of the line before the break, start of the line after it)
    i = 0
    for p in bundle["document"]["paragraphs"]:
        start, acc = i, ""
        while len(acc) < len(p["text"]):
            acc += lines[i]
            i += 1
        assert acc == p["text"], f"paragraph {p['id']} does not end at a line break"
        breaks += [(p["id"], a, b) for a, b in zip(lines[start:i], lines[start + 1:i])]
    assert i == len(lines)
    # document.yaml writes the break inside an artefact as the two characters \n (a plain YAML
    # scalar); a real newline would do as well.
    listed = [re.split(r"\n|\\n", a["line"]) for a in bundle["document"]["artefacts"]
              if re.search(r"\n|\\n", a["line"])]
    assert [pid for pid, _, _ in breaks] == ["preamble"]
    assert len(listed) == len(breaks)
    for (pid, before, after), (end_part, start_part) in zip(breaks, listed):
        assert before.endswith(end_part) and after.startswith(start_part), pid


def test_artefacts_record_the_bookmark(bundle):
    assert ARTEFACT_LINE in [a["line"] for a in bundle["document"]["artefacts"]]
    assert all(ARTEFACT_LINE not in p["text"] for p in bundle["document"]["paragraphs"])


def test_paragraph_parts(bundle):
    parts = [p["part"] for p in bundle["document"]["paragraphs"]]
    # notice, then the opinion, then the attachment, each in one block
    assert parts == sorted(parts, key=["notice", "opinion", "attachment"].index)
    ids = [p["id"] for p in bundle["document"]["paragraphs"]]
    assert ids.index("title") == parts.index("opinion")
    assert ids.index("att-ref") == parts.index("attachment")


def test_every_clause_quote_is_in_its_paragraph(bundle, paragraphs):
    for c in bundle["document"]["clauses"]:
        assert paragraphs[c["paragraph"]].count(c["quote"]) == 1, c["id"]
        assert paragraphs[c["paragraph"]][c["start"]:c["end"]] == c["quote"]


def test_every_erratum_is_in_its_paragraph(bundle, paragraphs):
    for e in bundle["document"]["errata"]:
        assert e["text"] in paragraphs[e["paragraph"]], e
        assert e["correction"] != e["text"] and e["note"], e


def test_known_slips_are_listed_not_fixed(bundle, paragraphs):
    """社会教助, 社会款助 and the 〔 ] brackets: kept in the text and listed as errata, wherever they
    occur (found by scanning the text, not from a list)."""
    listed = {(e["paragraph"], e["text"]) for e in bundle["document"]["errata"]}
    found = set()
    for pid, text in paragraphs.items():
        for slip in ("社会教助", "社会款助"):
            if slip in text:
                found.add((pid, slip))
        for m in re.finditer(r"〔\d{4}\]", text):
            found.add((pid, m.group()))
    assert found == {("s9", "社会教助"), ("s10-2", "社会款助"), ("preamble", "〔2021]"), ("s4", "〔2020]"),
                     ("s6", "〔2020]")}
    assert found <= listed
    # the registered county sources carry the corrected 文号
    numbers = {s["id"]: s.get("number") for s in bundle["sources"]}
    assert numbers["county-2021-32"] == "源政字〔2021〕32号"
    assert numbers["county-2020-5"] == "源政办字〔2020〕5号"


# ---- offices and the 【】 lists ----------------------------------------------------------------

def test_twenty_one_offices_in_first_appearance_order(bundle):
    text = "".join(source_lines())
    seen = []
    for lead, resp in office_lists(text):
        for name in lead + resp:
            if name not in seen:
                seen.append(name)
    assert len(seen) == 21
    assert [o["name"] for o in bundle["offices"]] == seen
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", o["id"]) for o in bundle["offices"])
    assert all(o["name"] in o["full_name"] for o in bundle["offices"])


def test_every_list_belongs_to_one_section(bundle, paragraphs):
    in_text = [pid for pid, text in paragraphs.items() for _ in OFFICE_LIST.finditer(text)]
    assert sorted(in_text) == sorted(s["list_in"] for s in bundle["sections"])
    assert len(bundle["sections"]) == 10


@pytest.mark.parametrize("number", list("一二三四五六七八九十"))
def test_section_lists_match_the_source(bundle, paragraphs, office_name, number):
    section = next(s for s in bundle["sections"] if s["number"] == number)
    assert section["list_in"] in section["paragraphs"]
    assert paragraphs[section["paragraphs"][0]].startswith(f"{number}、{section['title']}")
    [(lead, resp)] = office_lists(paragraphs[section["list_in"]])
    assert [office_name[o] for o in section["lead"]] == lead
    assert [office_name[o] for o in section["responsible"]] == resp


def test_lead_and_responsible_overlap_is_flagged(bundle):
    """Only section 八 names a unit (财政所) as both lead and responsible; it is kept and noted."""
    for s in bundle["sections"]:
        both = [o for o in s["lead"] if o in s["responsible"]]
        noted = [o for n in s.get("notes") or [] if n["kind"] == "lead_and_responsible" for o in n["offices"]]
        assert both == noted, s["id"]
    s8 = next(s for s in bundle["sections"] if s["id"] == "s8")
    assert "caizheng" in s8["lead"] and "caizheng" in s8["responsible"]
    assert s8["notes"] and "财政所" in s8["notes"][0]["text"]


def test_section_ten_parts(bundle, paragraphs):
    s10 = next(s for s in bundle["sections"] if s["id"] == "s10")
    for part in s10["parts"]:
        assert paragraphs[part["id"]].startswith(f"{part['number']}{part['title']}。")


def test_the_document_gives_no_contact(bundle):
    """The 2021 document names the offices but gives no phone, address or hours (whatever the town
    publishes later carries its own source: tests/test_data_invariants.py)."""
    for table in ("offices", "access_points"):
        for o in bundle[table]:
            assert o["contact"] == {"phone": None, "address": None, "hours": None}, o["id"]
            assert o["contact_source"] is None, o["id"]


# ---- the working group --------------------------------------------------------------------------

def test_working_group_matches_the_attachment(bundle):
    wg = bundle["working_group"]
    members = [(m["role"], m["name"], m["title"]) for m in wg["members"]]
    assert members == attachment_members()
    assert [m[0] for m in members].count("leader") == 1
    assert [m[0] for m in members].count("deputy") == 2
    assert len(members) == 20


def test_working_group_lines_are_the_cited_paragraphs(bundle, paragraphs):
    for m in bundle["working_group"]["members"]:
        squeezed = re.sub(r"\s", "", paragraphs[m["paragraph"]])
        assert squeezed.endswith(m["name"] + m["title"]), m


def test_working_group_seat_and_office(bundle, paragraphs, office_name):
    wg = bundle["working_group"]
    note = paragraphs[wg["seat_clause"]]
    seat, director = re.match(r"工作专班设在(.+?)，(.+?)同志兼任办公室主任", note).groups()
    assert (seat, director) == ("民政办", "杨道国")
    assert office_name[wg["seat"]] == seat
    assert wg["office_director"] == director
    assert wg["temporary"] is True
    assert wg["dissolution"] in paragraphs[wg["office_director_clause"]]
    assert "撤销" in wg["dissolution"]
    assert wg["name"] in "".join(source_lines())


# ---- target groups, programmes ------------------------------------------------------------------

def test_ten_target_groups_in_the_documents_order(bundle, quotes):
    listed = re.fullmatch(r"将救助对象梳理细分为(.+)等类型", quotes["s2-groups"]).group(1).split("、")
    assert len(listed) == 10
    assert [g["name"] for g in bundle["target_groups"]] == listed


def test_every_programme_has_clauses_that_resolve(bundle, paragraphs, quotes):
    articles = {a["id"] for s in bundle["sources"] for a in s.get("articles") or []}
    for p in bundle["programmes"]:
        assert p["clauses"], p["id"]
        for c in p["clauses"]:
            assert c in quotes or c in paragraphs or c in articles, (p["id"], c)


def test_programmes_the_issue_names(bundle):
    names = {p["id"]: p["name"] for p in bundle["programmes"]}
    for pid, name in [("dibao", "最低生活保障"), ("tekun", "特困人员救助供养"), ("medical", "医疗救助"),
                      ("education", "教育救助"), ("housing", "住房救助"), ("employment", "就业救助"),
                      ("disaster", "受灾人员救助"), ("legal_aid", "法律援助"), ("judicial_aid", "司法救助"),
                      ("heating", "取暖救助"), ("union_worker", "困难职工救助")]:
        assert names.get(pid) == name
    text = " ".join(p["name"] + p["summary"] + p["gives"] for p in bundle["programmes"])
    for term in ("齐惠保", "公租房", "春风行动", "急难型", "支出型", "流浪乞讨", "两癌", "牵手关爱", "希望小屋",
                 "春蕾计划", "意外伤害保险", "一户一案", "暖阳春雨", "淄助有你"):
        assert term in text, term
    assert [c["name"] for c in bundle["categories"]] == ["基本生活救助", "专项救助", "急难救助", "社会力量参与救助"]


def test_sources(bundle):
    town = next(s for s in bundle["sources"] if s["id"] == "town-2021")
    lines = source_lines()
    assert town["notice_title"] == lines[0]
    assert town["title"] == lines[lines.index("2021年8月22日") + 1]
    assert town["recipients"] + "：" == lines[1]
    assert (town["issuer"], town["date"]) == ("石桥镇人民政府", "2021-08-22")
    assert {s["kind"] for s in bundle["sources"]} >= {"town", "county", "national"}


# ---- parameters -----------------------------------------------------------------------------

def resolve(bundle, ref: dict) -> str:
    """The quoted text a reference points at: a town clause or paragraph, or a national article."""
    sources = {s["id"]: s for s in bundle["sources"]}
    assert ref["source"] in sources
    if "clause" in ref:
        assert sources[ref["source"]]["kind"] == "town"
        doc = bundle["document"]
        table = {c["id"]: c["quote"] for c in doc["clauses"]} | {p["id"]: p["text"] for p in doc["paragraphs"]}
        return table[ref["clause"]]
    articles = {a["id"]: a["summary"] for a in sources[ref["source"]].get("articles") or []}
    return articles[ref["article"]]


def test_every_parameter_has_a_unit_and_referenced_values(bundle):
    for pid, par in bundle["parameters"].items():
        assert par["unit"] in UNITS, pid
        assert par["description"], pid
        dates = [v["date"] for v in par["values"]]
        assert dates == sorted(dates) and len(set(dates)) == len(dates), pid
        for v in par["values"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", v["date"]), pid
            assert resolve(bundle, v["reference"]), pid
        if par.get("reference"):
            assert resolve(bundle, par["reference"]), pid


PENDING = ["dibao.urban_monthly_standard", "dibao.rural_monthly_standard", "tekun.care_standard_monthly",
           "tekun.urban_basic_living_monthly", "tekun.rural_basic_living_monthly"]


@pytest.mark.parametrize("pid", PENDING)
def test_pending_parameters_have_no_value(bundle, pid):
    par = bundle["parameters"][pid]
    assert par["values"] == []
    assert par["unit"] == "yuan_per_person_month"


def value(bundle, pid):
    par = bundle["parameters"][pid]
    assert par["values"], pid
    v = par["values"][-1]["value"]
    return Decimal(v) if isinstance(v, str) else v


# (parameter, value, unit, the words of the cited clause that state it)
KEY_VALUES = [
    ("tekun.urban_multiple", "1.5", "multiple", "城市低保标准1.5倍"),
    ("tekun.rural_multiple", "1.3", "multiple", "农村低保标准1.3倍"),
    ("tekun.minor_age_limit", "18", "age", "从16周岁延长至18周岁"),
    ("tekun.elderly_age", "60", "age", "60周岁"),
    ("temporary.medical_multiple_min", "3", "multiple", "城市低保月标准的3-12倍"),
    ("temporary.medical_multiple_max", "12", "multiple", "城市低保月标准的3-12倍"),
    ("temporary.education_multiple_min", "3", "multiple", "3-6倍"),
    ("temporary.education_multiple_max", "6", "multiple", "3-6倍"),
    ("dibao.edge_multiple", "1.5", "multiple", "1.5倍"),
    ("temporary.reserve_min_yuan", "50000", "yuan", "5万元以上"),
    ("temporary.emergency_hours", "24", "hours", "24小时内先行救助"),
    ("service.platform_staff_min", "3", "persons", "3-5名专职经办人员"),
    ("service.platform_staff_max", "5", "persons", "3-5名专职经办人员"),
    ("tekun.nursing_bed_share_target_2022", "55", "percent", "到2022年年底全县护理型床位占比达到55%"),
    ("tekun.centralised_care_rate_target", "60", "percent", "集中供养率保持在60%以上"),
]


@pytest.mark.parametrize("pid, expected, unit, words", KEY_VALUES, ids=[k[0] for k in KEY_VALUES])
def test_key_values(bundle, pid, expected, unit, words):
    par = bundle["parameters"][pid]
    assert value(bundle, pid) == Decimal(expected)
    assert par["unit"] == unit
    assert words in resolve(bundle, par["values"][-1]["reference"])


def test_minor_age_was_raised_from_16(bundle):
    par = bundle["parameters"]["tekun.minor_age_limit"]
    assert "16" in par["values"][-1]["note"]


def test_temporary_multiples_are_of_the_urban_standard(bundle):
    """Both expense-type ranges use the URBAN monthly 低保 standard, for rural households too."""
    for pid in ("medical_multiple_min", "medical_multiple_max", "education_multiple_min", "education_multiple_max"):
        assert bundle["parameters"][f"temporary.{pid}"]["base"] == "dibao.urban_monthly_standard"
    programmes = {p["id"]: p for p in bundle["programmes"]}
    for pid in ("temporary_medical", "temporary_education"):
        assert programmes[pid]["amount"]["base"] == "dibao.urban_monthly_standard"
    assert "城市低保月标准" in resolve(bundle, bundle["parameters"]["temporary.medical_multiple_min"]["values"][-1]["reference"])


def test_supervision_cadence(bundle):
    par = bundle["parameters"]["service.supervision_cadence"]
    assert value(bundle, "service.supervision_cadence") == {
        "county": "monthly", "town": "weekly", "village": "daily", "agency": "yearly"}
    assert "县级月抽测、镇级周检查、村级日巡查和中介机构年评估" in resolve(bundle, par["values"][-1]["reference"])

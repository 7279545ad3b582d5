"""Bad policy data fails loudly and precisely.

Each case copies the frozen data (tests/data/policy_2021/, so that the town's own updates of
policy_data/ cannot turn a case into a no-op) to a temporary directory, makes one mistake a clerk could make in one
file, and checks both ways in: `scripts.policydata.load()` raises DataErrors naming the file, the key
path and the line, and says what was expected; the command line (`python -m scripts.policydata check`)
exits with status 1, prints the same, and shows no Python traceback.

The readiness report is tested the same way: filling one item in with its source makes its warning go
away, and --strict passes once nothing is pending.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from scripts.policydata import DataError, DataErrors, load
from tests.support.town import FROZEN_2021

REPO = Path(__file__).resolve().parents[1]


# ---- helpers ----------------------------------------------------------------------------------

@pytest.fixture
def data(tmp_path) -> Path:
    d = tmp_path / "policy_data"
    shutil.copytree(FROZEN_2021, d)
    return d


def edit(data: Path, rel: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in data/rel (fails if it is not there exactly once, so a
    change to the shipped data cannot turn a case into a silent no-op)."""
    path = data / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel}: expected {old!r} exactly once, found {text.count(old)}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_with(data: Path, rel: str, needle: str) -> int:
    """1-based number of the line of data/rel on which `needle` ends. The needle (which may span
    several lines, to lead up to a line that is not unique by itself) must occur exactly once."""
    text = (data / rel).read_text(encoding="utf-8")
    assert text.count(needle) == 1, f"{rel}: {needle!r} found {text.count(needle)} times"
    return text[:text.index(needle) + len(needle.rstrip("\n"))].count("\n") + 1


def key_path(rel: str, path: str) -> str:
    """Fill in list indexes from the shipped data, so that a case does not break when entries are
    added: `{clauses=id:s5-reserve}` is the index of the entry of `clauses` whose id is s5-reserve;
    `{=id:s5}` the same in a file that is a list."""
    doc = yaml.safe_load((FROZEN_2021 / rel).read_text(encoding="utf-8"))

    def index(m: re.Match) -> str:
        items = doc[m.group(1)] if m.group(1) else doc
        found = [i for i, item in enumerate(items) if str(item.get(m.group(2))) == m.group(3)]
        assert len(found) == 1, m.group()
        return f"[{found[0]}]"
    return re.sub(r"\{(\w*)=(\w+):([^}]+)\}", index, path)


def errors_of(data: Path) -> list[DataError]:
    with pytest.raises(DataErrors) as exc:
        load(data)
    return exc.value.errors


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.policydata", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


@dataclass
class Case:
    id: str
    file: str            # relative to policy_data/
    old: str
    new: str
    path: str            # the key path the error must name
    line_of: str | None  # a string on the line the error must name (looked up after the edit)
    says: str            # part of the message: what was expected
    also: tuple = ()     # key paths of further errors that the same slip rightly causes

    @property
    def shown(self) -> str:
        return f"policy_data/{self.file}"


CASES = [
    # -- the YAML itself
    Case("malformed-yaml", "offices.yaml", "  name: 工会\n", "  name: 工会: 石桥镇工会\n",
         "", "  name: 工会: 石桥镇工会", "YAML 格式错误"),
    # an unclosed [ is noticed on the next line; the message says where it began
    Case("unclosed-bracket", "offices.yaml", "  name: 工会\n  full_name: 石桥镇工会\n",
         "  name: [工会\n  full_name: 石桥镇工会\n",
         "", "  full_name: 石桥镇工会", "YAML 格式错误"),
    Case("tab-indent", "offices.yaml", "  name: 团委\n", "\tname: 团委\n",
         "", "\tname: 团委", "YAML 格式错误"),
    Case("duplicate-key", "programmes/dibao.yaml", "office: minzheng\n", "office: minzheng\noffice: minzheng\n",
         "office", "office: minzheng\noffice: minzheng", "重复的键 'office'（第8行已出现）"),
    Case("duplicate-date", "parameters/tekun.yaml",
         "    2021-07-01:\n      value: 60\n",
         "    2021-07-01:\n      value: 55\n      reference: {source: nat-c, article: nat-c-5}\n    2021-07-01:\n      value: 60\n",
         "2021-07-01", "value: 55\n      reference: {source: nat-c, article: nat-c-5}\n    2021-07-01:",
         "重复的键"),
    # -- unknown keys: a `reference` in the wrong place must not load silently
    Case("reference-on-programme", "programmes/dibao.yaml", "office: minzheng\n",
         "office: minzheng\nreference: {source: town-2021, clause: s3-dibao}\n",
         "reference", "reference: {source: town-2021", "未知的键 'reference'"),
    Case("misspelt-reference", "parameters/tekun.yaml",
         "      value: 18\n      reference: {source: town-2021, clause: s3-tekun-minors}\n",
         "      value: 18\n      refernce: {source: town-2021, clause: s3-tekun-minors}\n",
         "minor_age_limit.values.2021-08-22.refernce", "refernce:", "未知的键 'refernce'；允许的键：value, reference, note",
         also=("minor_age_limit.values.2021-08-22.reference",)),
    Case("unknown-office-key", "offices.yaml", "  full_name: 石桥镇工会\n", "  full_name: 石桥镇工会\n  phone: null\n",
         "{=id:gonghui}.phone", "  phone: null", "未知的键 'phone'"),
    # -- references to things that do not exist
    Case("unknown-office", "sections.yaml", "lead: [minzheng, yingji]", "lead: [minzheng, yingjiban]",
         "{=id:s5}.lead[1]", "lead: [minzheng, yingjiban]", "不存在的单位（offices.yaml） 'yingjiban'"),
    Case("unknown-office-in-programme", "programmes/housing.yaml", "office: cunjian", "office: cunjianban",
         "office", "office: cunjianban", "不存在的单位（offices.yaml） 'cunjianban'"),
    Case("unknown-clause", "programmes/dibao.yaml", "clauses: [s3-dibao,", "clauses: [s3-dibao-x,",
         "clauses[0]", "clauses: [s3-dibao-x,", "不存在的条款"),
    Case("unknown-source", "parameters/tekun.yaml", "{source: town-2021, clause: s3-tekun-minors}",
         "{source: town-2022, clause: s3-tekun-minors}",
         "minor_age_limit.values.2021-08-22.reference.source", "town-2022", "不存在的来源（sources.yaml） 'town-2022'"),
    Case("unknown-programme", "target_groups.yaml", "programmes: [legal_aid, judicial_aid]",
         "programmes: [legal_aid, judicial_aids]",
         "{=id:legal_cases}.programmes[1]", "judicial_aids", "不存在的救助项目（programmes/） 'judicial_aids'"),
    Case("unknown-parameter-in-text", "programmes/dibao.yaml", "公示{param:dibao.public_notice_days}，",
         "公示{param:dibao.public_notice_day}，",
         "apply.how", "dibao.public_notice_day}", "不存在的参数（parameters/） 'dibao.public_notice_day'"),
    Case("unknown-parameter-in-amount", "programmes/temporary_medical.yaml", "min: temporary.medical_multiple_min",
         "min: temporary.medical_multiple_minimum",
         "amount.min", "medical_multiple_minimum", "不存在的参数（parameters/） 'temporary.medical_multiple_minimum'"),
    Case("article-of-another-source", "parameters/tekun.yaml",
         "      value: 60\n      reference: {source: nat-c, article: nat-c-5}",
         "      value: 60\n      reference: {source: nat-b, article: nat-c-5}",
         "tekun.elderly_age.reference", None, "条款 'nat-c-5' 不属于来源 'nat-b'"),
    # -- dates
    Case("non-iso-date-key", "parameters/tekun.yaml", "    2021-07-01:\n      value: 60\n",
         "    2021-7-1:\n      value: 60\n",
         "elderly_age.values.2021-7-1", "2021-7-1:", "应为 ISO 日期 YYYY-MM-DD"),
    Case("impossible-date", "parameters/tekun.yaml", "    2021-07-01:\n      value: 60\n",
         "    2021-02-30:\n      value: 60\n",
         "elderly_age.values.2021-02-30", "2021-02-30:", "应为 ISO 日期 YYYY-MM-DD"),
    Case("non-iso-source-date", "sources.yaml", "  date: 2021-08-22\n", "  date: 2021年8月22日\n",
         "{=id:town-2021}.date", "date: 2021年8月22日", "应为 ISO 日期 YYYY-MM-DD"),
    Case("dates-out-of-order", "parameters/tekun.yaml",
         "      value: 60\n      reference: {source: nat-c, article: nat-c-5}\n",
         "      value: 60\n      reference: {source: nat-c, article: nat-c-5}\n"
         "    2020-01-01:\n      value: 60\n      reference: {source: nat-a, article: nat-a-9}\n",
         "elderly_age.values", "    2020-01-01:", "生效日期应从早到晚排列：2020-01-01 排在了 2021-07-01 之后"),
    # -- the law and the full texts (sources, powers, hotlines, changes, procedures)
    Case("article-text-not-in-copy", "sources.yaml", "        特困人员中的未成年人年满十八周岁后", "        特困人员中的未成年人年满十七周岁后",
         "{=id:law-2026}.articles[3].text", None, "原文须逐字照录"),
    Case("value-cites-a-later-text", "parameters/tekun.yaml",
         "      value: 60\n      reference: {source: nat-c, article: nat-c-5}\n",
         "      value: 60\n      reference: {source: law-2026, article: law-16}\n",
         "elderly_age.values.2021-07-01.reference", None, "2026-07-01 才施行"),
    Case("local-hotline-with-national-source", "hotlines.yaml",
         "  reference: {source: zibo-12345-2023, article: zibo-12345-2023-hotline}",
         "  reference: {source: nat-d, article: nat-d-hotline}",
         "[0].status", "  status: local", "须有本地来源"),
    Case("power-move-not-in-changes", "powers.yaml", "      reference: {source: law-2026, article: law-21}\n",
         "      reference: {source: law-2026, article: law-21}\n"
         "    2026-08-01:\n      who: 山东省人民政府\n      reference: {source: law-2026, article: law-21}\n",
         "edge_ratio.holders.2026-08-01", None, "须列入 changes.yaml"),
    # a national text dated after the town document that no change cites would be missing from 政策更新
    Case("national-text-after-the-town-document-not-in-changes", "sources.yaml", '  issued: "2022年10月"\n',
         "  date: 2022-10-20\n", "nat-e", None, "须列入 changes.yaml"),
    Case("year-of-a-source-without-a-date", "sources.yaml", '  issued: "2023年"\n', '  issued: "2023年"\n  year: 23\n',
         "{=id:nat-h}.year", "  year: 23", "四位数的年份"),
    Case("right-cites-a-text-before-it-took-effect", "rights.yaml", "  from: 2026-07-01\n  title: 不给予救助的",
         "  from: 2026-06-30\n  title: 不给予救助的", "[2].cites", None, "请写 from: 2026-07-01"),
    Case("step-until-before-its-from", "programmes/dibao.yaml",
         "    cites: [law-76, nat-b-38]\n", "    cites: [law-76, nat-b-38]\n    until: 2026-06-30\n",
         "procedure[17].until", None, "早于 from", also=("procedure[17].cites",)),
    # -- values and units
    Case("value-without-unit", "parameters/tekun.yaml",
         "minor_age_limit:\n  description: 特困救助供养覆盖的未成年人年龄上限（未满此年龄）\n  unit: age\n",
         "minor_age_limit:\n  description: 特困救助供养覆盖的未成年人年龄上限（未满此年龄）\n",
         "minor_age_limit.unit", "minor_age_limit:", "缺少必填的键 'unit'"),
    Case("unknown-unit", "parameters/temporary.yaml", "  unit: hours\n", "  unit: hrs\n",
         "emergency_hours.unit", "unit: hrs", "应为 yuan_per_person_month / yuan"),
    Case("value-without-reference", "parameters/temporary.yaml",
         "      value: 24\n      reference: {source: town-2021, clause: s5-reserve}\n", "      value: 24\n",
         "emergency_hours.values.2021-08-22.reference", "emergency_hours:\n  description: 急难型情况先行救助的时限\n"
         "  unit: hours\n  values:\n    2021-08-22:", "缺少必填的键 'reference'"),
    Case("value-not-a-number", "parameters/temporary.yaml", "      value: 50000\n", "      value: 5万\n",
         "reserve_min_yuan.values.2021-08-22.value", "value: 5万", "应为有限数值，实际是 '5万'"),
    # -- programmes
    Case("programme-without-clause", "programmes/heating.yaml", "clauses: [s4-other]\n", "clauses: []\n",
         "clauses", "clauses: []", "列表不能为空"),
    Case("programme-clauses-missing", "programmes/heating.yaml", "clauses: [s4-other]\n", "",
         "clauses", "id: heating", "缺少必填的键 'clauses'"),
    Case("programme-id-not-file-name", "programmes/heating.yaml", "id: heating\n", "id: heat\n",
         "id", "id: heat", "id 应与文件名一致"),
    # -- contacts: none may be invented
    Case("contact-without-source", "offices.yaml",
         "  full_name: 石桥镇民政办\n  role: 社会救助的牵头部门；统筹完善社会救助工作专班设在此处。\n"
         "  contact: {phone: null, address: null, hours: null}\n",
         "  full_name: 石桥镇民政办\n  role: 社会救助的牵头部门；统筹完善社会救助工作专班设在此处。\n"
         "  contact: {phone: 0533-0000000, address: null, hours: null}\n",
         "{=id:minzheng}.contact_source", "0533-0000000", "必须写明来源"),
    # -- the text
    Case("quote-not-in-paragraph", "document.yaml", "quote: 镇设立5万元以上临时救助储备金",
         "quote: 镇设立6万元以上临时救助储备金",
         "clauses{clauses=id:s5-reserve}.quote", "- id: s5-reserve", "引文应在段落 s5 中恰好出现一次，实际出现 0 次"),
    Case("paragraph-silently-corrected", "document.yaml", "提高社会教助资金使用效率", "提高社会救助资金使用效率",
         "paragraphs{paragraphs=id:s9}.text", "提高社会救助资金使用效率", "原文是 '教助资金使用效率",
         also=("errata{errata=text:社会教助}.text",)),
    Case("erratum-not-in-paragraph", "document.yaml", "  text: 社会款助\n", "  text: 社会欵助\n",
         "errata{errata=text:社会款助}.text", "- paragraph: s10-2", "勘误原文 '社会欵助' 不在段落 s10-2 中"),
    Case("member-name-not-in-attachment", "working_group.yaml", "name: 周士勇,", "name: 周士永,",
         "members{members=name:周士勇}.name", "周士永", "与原文段落 att-member-15 不符"),
]


def _case_ids():
    return [c.id for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=_case_ids())
def test_load_names_file_key_line_and_expectation(data, case):
    edit(data, case.file, case.old, case.new)
    errors = errors_of(data)
    path = key_path(case.file, case.path)
    # One mistake, one error (or the few listed): what depends on a broken file is not reported again.
    assert sorted(e.path for e in errors) == sorted([path, *(key_path(case.file, a) for a in case.also)]), \
        "\n".join(map(str, errors))
    assert {e.file for e in errors} == {case.shown}
    [e] = [e for e in errors if e.path == path]
    assert case.says in e.message
    if case.line_of is not None:
        assert e.line == line_with(data, case.file, case.line_of), str(e)
    assert str(e).startswith(f"{case.shown}:{e.line}: " if e.line else f"{case.shown}: ")


@pytest.mark.parametrize("case", CASES, ids=_case_ids())
def test_cli_fails_with_the_same_message_and_no_traceback(data, case, capsys):
    """The command line's own entry point, run in this process (a separate process per case costs
    more than the check; test_not_utf8 and the report tests run the real command)."""
    from scripts.policydata.__main__ import main
    edit(data, case.file, case.old, case.new)
    errors = errors_of(data)
    code = main(["check", "--data-dir", str(data)])
    out = capsys.readouterr()
    assert code == 1, out.out + out.err
    assert "Traceback" not in out.err
    for e in errors:
        assert f"error: {e}" in out.err
    assert f"{case.shown}:" in out.err
    if case.path:
        assert f" {key_path(case.file, case.path)}:" in out.err
    assert out.out == ""


def test_misplaced_reference_among_dated_values(data):
    """The PolicyEngine slip: a value's `reference` indented one level too far out, so it sits among
    the dates. It must not load: the value lacks its reference, and `reference` is no date."""
    edit(data, "parameters/tekun.yaml",
         "      value: 1.3\n      reference: {source: town-2021, clause: s3-tekun-standard}\n",
         "      value: 1.3\n    reference: {source: town-2021, clause: s3-tekun-standard}\n")
    errors = errors_of(data)
    got = {(e.file, e.path, e.line) for e in errors}
    assert got == {
        ("policy_data/parameters/tekun.yaml", "rural_multiple.values.2021-08-22.reference",
         line_with(data, "parameters/tekun.yaml", "rural_multiple:\n  description: 农村特困人员基本生活标准不低于农村低保标准的倍数\n"
                   "  unit: multiple\n  values:\n    2021-08-22:")),
        ("policy_data/parameters/tekun.yaml", "rural_multiple.values.reference",
         line_with(data, "parameters/tekun.yaml", "value: 1.3\n    reference:")),
    }
    messages = " ".join(e.message for e in errors)
    assert "缺少必填的键 'reference'" in messages and "应为 ISO 日期" in messages
    run = cli("check", "--data-dir", str(data))
    assert run.returncode == 1 and "Traceback" not in run.stderr


def test_every_error_is_listed_at_once(data):
    """Several mistakes in several files: all reported in one run, each with its own file."""
    edit(data, "sections.yaml", "lead: [minzheng, yingji]", "lead: [minzheng, yingjiban]")
    edit(data, "programmes/heating.yaml", "clauses: [s4-other]\n", "clauses: []\n")
    edit(data, "parameters/temporary.yaml", "  unit: hours\n", "  unit: hrs\n")
    files = sorted(e.file for e in errors_of(data))
    assert files == ["policy_data/parameters/temporary.yaml", "policy_data/programmes/heating.yaml",
                     "policy_data/sections.yaml"]
    run = cli("check", "--data-dir", str(data))
    assert run.returncode == 1 and "政策数据有 3 处错误" in run.stderr


def test_missing_file(data):
    (data / "offices.yaml").unlink()
    [e] = errors_of(data)
    assert (e.file, e.message) == ("policy_data/offices.yaml", "文件不存在")


def test_not_utf8(data):
    (data / "categories.yaml").write_bytes("- id: x\n  name: 基本\n".encode("gb18030"))
    [e] = errors_of(data)
    assert e.file == "policy_data/categories.yaml" and "UTF-8" in e.message
    run = cli("check", "--data-dir", str(data))
    assert run.returncode == 1 and "Traceback" not in run.stderr


# ---- the publication-readiness report --------------------------------------------------------

# What the report says of the shipped data (every pending item listed, nothing published listed,
# --strict failing exactly while something is pending), before and after the README's update, is in
# tests/test_data_invariants.py. Here: the report follows an edit of the frozen data.

def test_filled_contact_with_source_clears_only_that_warning(data, tmp_path):
    edit(data, "offices.yaml",
         "  role: 社会救助的牵头部门；统筹完善社会救助工作专班设在此处。\n"
         "  contact: {phone: null, address: null, hours: null}\n  contact_source: null\n",
         "  role: 社会救助的牵头部门；统筹完善社会救助工作专班设在此处。\n"
         "  contact: {phone: 0533-0000000, address: null, hours: null}\n  contact_source: town-2021\n")
    run = cli("check", "--data-dir", str(data), "--report")
    assert run.returncode == 0, run.stderr
    assert "民政办：电话" not in run.stdout
    assert "minzheng: 民政办：地址、办公时间待公布" in run.stdout


def test_a_settled_power_leaves_the_report(data):
    """A power the law moved is listed, with who must publish, until its `pending` is removed."""
    run = cli("check", "--data-dir", str(data), "--report")
    assert "policy_data/powers.yaml: edge_ratio: " in run.stdout and "应由山东省人民政府公布" in run.stdout
    edit(data, "powers.yaml", "  pending:\n    what: 山东省按社会救助法第二十一条确定的上浮比例，本手册尚未找到\n"
                              "    who: 山东省人民政府\n", "")
    run = cli("check", "--data-dir", str(data), "--report")
    assert run.returncode == 0, run.stderr
    assert "policy_data/powers.yaml: edge_ratio: " not in run.stdout
    assert "policy_data/powers.yaml: dibao_standard: " in run.stdout


def test_strict_passes_once_nothing_is_pending(data, tmp_path):
    """Strict mode is not stuck: with every pending item filled in from a (test) source, it passes."""
    with open(data / "sources.yaml", "a", encoding="utf-8") as f:
        f.write("- id: test-notice\n  kind: town\n  title: 测试用公告\n  articles:\n"
                "    - {id: test-notice-1, label: 第一条, summary: 测试}\n")
    for rel in ("offices.yaml", "access_points.yaml"):
        path = data / rel
        text = path.read_text(encoding="utf-8").replace(
            "contact: {phone: null, address: null, hours: null}\n  contact_source: null",
            "contact: {phone: 0533-0000000, address: 石桥镇, hours: 工作日}\n  contact_source: test-notice")
        path.write_text(text, encoding="utf-8")
    for path in sorted((data / "parameters").glob("*.yaml")):
        text = path.read_text(encoding="utf-8").replace(
            "  values: {}\n", "  values:\n    2026-01-01:\n      value: 1\n"
                              "      reference: {source: test-notice, article: test-notice-1}\n")
        path.write_text(text, encoding="utf-8")
    for path in (data / "programmes").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("bring_source: practice", "bring_source: test-notice"),
                        encoding="utf-8")
    # every moved power settled: its `pending` (what is missing, who must publish it) removed
    powers = data / "powers.yaml"
    settled = re.sub(r"\n  pending:\n    what: .*\n    who: .*", "", powers.read_text(encoding="utf-8"))
    assert "pending:" not in settled.replace("# `pending`", "")
    powers.write_text(settled, encoding="utf-8")
    run = cli("compile", "--data-dir", str(data), "--out", str(tmp_path / "policy.json"), "--report", "--strict")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "没有待公布的项目" in run.stdout

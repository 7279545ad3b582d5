"""The staff command line end to end, in subprocesses: `python -m calculator estimate|screen`."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from calculator.bundle import load_bundle
from calculator.engine import estimate

REPO_ROOT = Path(__file__).resolve().parents[1]
BOM = "\ufeff"

HOUSEHOLD = {
    "as_of": "2025-01-01", "area": "rural",
    "members": [{"age": 72, "disability": "none", "student": "none"}, {"age": 40, "disability": {"kind": "physical", "grade": 2}}],
    "monthly_income_yuan": 600, "supporters": "none", "assets_within_limits": True,
    "standards": {"urban_dibao_monthly": 1000, "rural_dibao_monthly": 800},
}


def run(*args: str, stdin: str | bytes | None = None, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(REPO_ROOT)}
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run([sys.executable, "-m", "calculator", *args], input=data, capture_output=True,
                          cwd=cwd, env=env, timeout=60)
    proc.out = proc.stdout.decode("utf-8")
    proc.err = proc.stderr.decode("utf-8")
    return proc


def write(tmp_path: Path, name: str, content: str | bytes | dict) -> Path:
    path = tmp_path / name
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def assert_clean_error(proc, *needles: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.out, proc.err)
    assert "Traceback" not in proc.err and "Traceback" not in proc.out
    for needle in needles:
        assert needle in proc.err, f"{needle!r} not in {proc.err!r}"


def one(result: dict, pid: str) -> dict:
    return next(p for p in result["programmes"] if p["id"] == pid)


# ---- estimate --------------------------------------------------------------------------------------

def test_estimate_prints_a_chinese_summary(tmp_path):
    proc = run("estimate", str(write(tmp_path, "h.json", HOUSEHOLD)))
    assert proc.returncode == 0, proc.err
    out = proc.out
    assert out.startswith("石桥镇社会救助测算（估算结果）")
    assert "测算日期：2025-01-01" in out
    # the next step first, before the household and the details
    assert out.index("【下一步怎么办】") < out.index("【填写的家庭情况】") < out.index("【很可能符合")
    first = next(line for line in out.splitlines() if "先问这几项：" in line)
    assert "最低生活保障（很可能符合）" in first and "特困人员救助供养（很可能符合）" in first
    assert "到哪里去：村社会救助服务站；镇社会救助综合服务平台（一门受理）" in out
    assert "家庭成员（2 人）：72 岁；40 岁，肢体残疾二级" in out
    assert re.search(r"农村低保标准：800(\.00)?元/人·月（您填写的标准）", out)
    for heading in ("【很可能符合", "【可能符合，请咨询", "【看来不符合"):
        assert heading in out
    # 低保: (800 − 300) × 2 = 1000; 特困: 800 × 1.3 = 1040 (in the one display format: 1,000元, 1,040元)
    assert "■ 最低生活保障：每月约 1,000元" in out
    assert "1,040元" in out
    assert "依据：《社会救助暂行办法》第九条" in out
    assert "到哪里办：镇社会救助综合服务平台或村社会救助服务站" in out
    disclaimer = "以上是根据填写的信息作出的估算，不是审批决定。"
    assert out.count(disclaimer) == 1 and "提醒：" + disclaimer in out
    assert out.rstrip().endswith("由镇民政办和相关部门按规定审核决定。")


def test_estimate_json_equals_estimate(tmp_path):
    proc = run("estimate", str(write(tmp_path, "h.json", HOUSEHOLD)), "--json")
    assert proc.returncode == 0, proc.err
    expected = json.loads(json.dumps(estimate(HOUSEHOLD, load_bundle())))
    assert json.loads(proc.out) == expected


def test_estimate_reads_standard_input():
    proc = run("estimate", "-", "--json", stdin=json.dumps(HOUSEHOLD))
    assert proc.returncode == 0, proc.err
    assert json.loads(proc.out)["as_of"] == "2025-01-01"


def test_estimate_reads_a_file_with_a_bom(tmp_path):
    path = write(tmp_path, "h.json", (BOM + json.dumps(HOUSEHOLD)).encode("utf-8"))
    proc = run("estimate", str(path), "--json")
    assert proc.returncode == 0, proc.err


def test_as_of_option_overrides_the_input(tmp_path):
    data = {k: v for k, v in HOUSEHOLD.items() if k != "as_of"}
    proc = run("estimate", str(write(tmp_path, "h.json", data)), "--json", "--as-of", "2024-06-30")
    assert json.loads(proc.out)["as_of"] == "2024-06-30"
    proc = run("estimate", str(write(tmp_path, "h2.json", HOUSEHOLD)), "--json", "--as-of", "2023-03-01")
    assert json.loads(proc.out)["as_of"] == "2023-03-01"


def test_standard_options(tmp_path):
    data = {k: v for k, v in HOUSEHOLD.items() if k != "standards"}
    path = write(tmp_path, "h.json", data)
    # without a standard (the data has none yet) 低保 depends on it: above 300 a person (600 / 2)
    pending = json.loads(run("estimate", str(path), "--json").out)
    assert one(pending, "dibao")["status"] == "depends"
    assert one(pending, "dibao")["needs"] == [{"parameter": "dibao.rural_monthly_standard", "above": "300.00"}]
    assert pending["standards"]["rural_dibao_monthly"]["origin"] == "pending"
    # --rural-standard 900: (900 − 300) × 2 = 1200.00; 特困 900 × 1.3 = 1170.00
    result = json.loads(run("estimate", str(path), "--json", "--rural-standard", "900").out)
    assert result["standards"]["rural_dibao_monthly"]["value"] == "900.00"
    assert result["standards"]["rural_dibao_monthly"]["origin"] == "input"
    assert one(result, "dibao")["amount"]["monthly_yuan"] == "1200.00"
    assert one(result, "tekun")["amount"]["min_yuan"] == "1170.00"
    # --urban-standard: temporary relief uses the urban standard even for this rural household
    data_ill = {**data, "members": [{"age": 72, "serious_illness": True}], "medical_expenses_yuan": 9000}
    result = json.loads(run("estimate", str(write(tmp_path, "ill.json", data_ill)), "--json",
                            "--urban-standard", "1100", "--rural-standard", "900").out)
    assert one(result, "temporary_medical")["amount"]["min_yuan"] == "3300.00"    # 1100 × 3
    assert one(result, "temporary_medical")["amount"]["max_yuan"] == "13200.00"   # 1100 × 12


def test_standard_option_merges_with_the_input_standards(tmp_path):
    data = {**HOUSEHOLD, "standards": {"urban_dibao_monthly": 1000, "rural_dibao_monthly": 800}}
    result = json.loads(run("estimate", str(write(tmp_path, "h.json", data)), "--json", "--rural-standard", "700").out)
    assert result["standards"]["urban_dibao_monthly"]["value"] == "1000.00"  # kept from the input
    assert result["standards"]["rural_dibao_monthly"]["value"] == "700.00"   # the option wins


def test_invalid_input_exits_2_naming_the_field(tmp_path):
    data = {**HOUSEHOLD, "members": [{"age": 72}, {"age": "四十"}]}
    proc = run("estimate", str(write(tmp_path, "h.json", data)))
    assert_clean_error(proc, "members[1].age", "第2位家庭成员·年龄（周岁）", "0 到 130 之间的整数")
    assert proc.out == ""


def test_every_bad_field_is_listed(tmp_path):
    data = {"as_of": "2025-02-30", "area": "suburb", "members": [{"age": 30, "disability": {"kind": "physical",
                                                                                              "grade": 5}}],
            "monthly_income_yuan": -5, "colour": "red"}
    proc = run("estimate", str(write(tmp_path, "h.json", data)))
    assert_clean_error(proc, "输入有误（5 处）", "as_of（测算日期）", "area（户籍所在地类别（城市/农村））",
                       "members[0].disability.grade（第1位家庭成员·残疾等级）", "monthly_income_yuan", "不能为负数",
                       "colour（未知字段）")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_rejected(tmp_path, constant):
    text = json.dumps(HOUSEHOLD).replace('"monthly_income_yuan": 600', f'"monthly_income_yuan": {constant}')
    assert constant in text
    proc = run("estimate", str(write(tmp_path, "h.json", text)))
    assert_clean_error(proc, "monthly_income_yuan（家庭月收入（元，全家合计））", "NaN 或无穷大")


@pytest.mark.parametrize(("args", "needles"), [
    (["--urban-standard", "abc"], ["standards.urban_dibao_monthly", "城市低保月标准"]),
    (["--rural-standard", "nan"], ["standards.rural_dibao_monthly", "农村低保月标准", "NaN 或无穷大"]),
    (["--rural-standard", "inf"], ["standards.rural_dibao_monthly", "NaN 或无穷大"]),
    (["--urban-standard", "0"], ["standards.urban_dibao_monthly", "应大于 0"]),
    (["--urban-standard", "-800"], ["standards.urban_dibao_monthly", "不能为负数"]),
    (["--as-of", "2025-13-01"], ["as_of（测算日期）", "YYYY-MM-DD"]),
    (["--as-of", "2020-01-01"], ["as_of（测算日期）", "2021-08-22"]),
])
def test_invalid_options_exit_2(tmp_path, args, needles):
    proc = run("estimate", str(write(tmp_path, "h.json", HOUSEHOLD)), *args)
    assert_clean_error(proc, *needles)


@pytest.mark.parametrize(("content", "needles"), [
    ("{not json", ["不是有效的 JSON", "第1行"]),
    ("[1, 2]", ["应为一个 JSON 对象"]),
    ("", ["不是有效的 JSON"]),
    (b"\xff\xfe{}", ["UTF-8"]),
])
def test_unreadable_input_exits_2(tmp_path, content, needles):
    proc = run("estimate", str(write(tmp_path, "h.json", content)))
    assert_clean_error(proc, *needles)


def test_missing_file_exits_2(tmp_path):
    assert_clean_error(run("estimate", str(tmp_path / "nope.json")), "找不到文件")


def test_bad_arguments_exit_2():
    assert_clean_error(run("estimate"), "参数错误")
    assert_clean_error(run("frobnicate"), "参数错误")
    assert_clean_error(run("estimate", "-", "--colour", "red"), "参数错误")


# ---- screen ----------------------------------------------------------------------------------------

def read_csv_text(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip(BOM))))


@pytest.fixture
def template(tmp_path) -> Path:
    """The roster template as `python -m calculator template` writes it."""
    path = tmp_path / "名单模板.csv"
    proc = run("template", "-o", str(path))
    assert proc.returncode == 0 and proc.out == "", proc.err
    return path


def test_screen_the_roster_template(template):
    proc = run("screen", str(template), "--as-of", "2025-01-01", "--urban-standard", "1000", "--rural-standard", "800")
    assert proc.returncode == 0, proc.err
    assert not proc.out.startswith(BOM)  # on the screen, no BOM
    rows = read_csv_text(proc.out)
    assert [r["户编号"] for r in rows] == ["示例1", "示例2"]
    first, second = rows
    # 示例1: rural, one person aged 72, 600 a month, no supporters: 低保 (800 − 600) × 1 = 200.00 and 特困
    assert first["人数"] == "1" and first["人均月收入（元）"] == "600.00"
    assert "最低生活保障" in first["很可能符合"] and "特困人员救助供养" in first["很可能符合"]
    assert first["低保月金额估算（元）"] == "200.00"
    assert first["负责单位"] == "民政办" and first["错误"] == ""
    # 示例2: urban, two people (a 45-year-old with a 重特大疾病, a 15-year-old at senior high), 1800 a month:
    # 人均 900 < 1000, 低保 (1000 − 900) × 2 = 200.00; the medical and education help may follow
    assert second["人数"] == "2" and second["人均月收入（元）"] == "900.00"
    assert second["低保月金额估算（元）"] == "200.00"
    assert "支出型临时救助（重特大疾病）" in second["可能符合"] and "教育救助" in second["可能符合"]
    assert "已筛查 2 户，其中 0 户数据有误" in proc.err


def test_the_template_opens_in_excel_and_reads_without_its_bom(tmp_path, template):
    raw = template.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))  # Excel on Chinese Windows reads it as UTF-8
    text = raw.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    plain = write(tmp_path, "roster.csv", text.lstrip(BOM).replace("\r\n", "\n").encode("utf-8"))
    a = run("screen", str(template), "--as-of", "2025-01-01", "--rural-standard", "800")
    b = run("screen", str(plain), "--as-of", "2025-01-01", "--rural-standard", "800")
    assert a.returncode == b.returncode == 0
    assert a.out == b.out


def test_screen_without_standards_says_what_is_missing(template):
    proc = run("screen", str(template), "--as-of", "2025-01-01")
    first = {r["户编号"]: r for r in read_csv_text(proc.out)}["示例1"]
    assert "最低生活保障（" in first["取决于当地标准"] and "高于每人每月" in first["取决于当地标准"]
    assert "农村低保月标准" in first["需补充的信息"]
    assert first["低保月金额估算（元）"] == ""


BAD_ROSTER = """户编号,村,城乡,家庭月收入（元）,赡养抚养扶养人,财产符合规定,年龄,残疾类别,残疾等级
A,东村,农村,600,无,是,72,,
B,东村,农村,500,无,是,七十,,
C,东村,郊区,500,无,是,70,,
D,西村,农村,500,无,是,70,,,多余
E,西村,农村,500,无,是,70,,
E,西村,城市,,,,40,,
F,西村,农村,500,无,是,70,肢体,5
G,西村,农村,300,有能力,是,35,,
G,,,,,,8,,
"""


def test_screen_reports_bad_rows_and_screens_the_others(tmp_path):
    path = write(tmp_path, "roster.csv", BAD_ROSTER)
    proc = run("screen", str(path), "--as-of", "2025-01-01", "--rural-standard", "800")
    assert proc.returncode == 0, proc.err
    assert "Traceback" not in proc.err
    rows = {r["户编号"]: r for r in read_csv_text(proc.out)}
    # the screened households first by 跟进顺序, the bad ones last with no number, in the roster's order
    assert list(rows) == ["G", "A", "B", "C", "D", "E", "F"]
    assert [rows[h]["跟进顺序"] for h in rows] == ["1", "2", "", "", "", "", ""]
    kept = run("screen", str(path), "--as-of", "2025-01-01", "--rural-standard", "800", "--keep-order")
    assert [r["户编号"] for r in read_csv_text(kept.out)] == ["A", "B", "C", "D", "E", "F", "G"]
    assert {r["户编号"]: r for r in read_csv_text(kept.out)} == rows
    # the good households are screened
    assert rows["A"]["错误"] == "" and rows["A"]["低保月金额估算（元）"] == "200.00"  # (800 − 600) × 1
    assert rows["G"]["错误"] == "" and rows["G"]["人数"] == "2"
    assert rows["G"]["低保月金额估算（元）"] == "1300.00"                             # (800 − 150) × 2
    # each bad one names its column and row first, the key after, and has no result
    expected = {
        "B": ["年龄（第3行）：", "七十", "（age）"],                       # bad age
        "C": ["城乡（第4行）：", "郊区", "可填", "（area）"],              # unknown choice word
        "D": ["第5行", "有 10 列，表头有 9 列"],                         # wrong column count
        "E": ["城乡（第7行）：", "不一致", "（area）"],                    # conflicting household values
        "F": ["残疾等级（第8行）：", "（members[0].disability.grade）"],  # out of range, found by the validator
    }
    for hid, needles in expected.items():
        assert rows[hid]["错误"].startswith(needles[0]), (hid, rows[hid]["错误"])
        for needle in needles:
            assert needle in rows[hid]["错误"], (hid, rows[hid]["错误"])
        assert rows[hid]["人数"] == "" and rows[hid]["很可能符合"] == ""
    assert "已筛查 7 户，其中 5 户数据有误" in proc.err
    assert "  B：年龄（第3行）" in proc.err


def test_screen_writes_csv_with_a_bom(tmp_path, template):
    out = tmp_path / "结果.csv"
    proc = run("screen", str(template), "-o", str(out), "--as-of", "2025-01-01", "--rural-standard", "800")
    assert proc.returncode == 0, proc.err
    assert proc.out == ""
    raw = out.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    text = raw.decode("utf-8")
    assert "\r\n" in text  # what Excel expects
    rows = read_csv_text(text)
    assert [r["户编号"] for r in rows] == ["示例1", "示例2"]
    assert list(rows[0]) == ["户编号", "村", "人数", "人均月收入（元）", "跟进顺序", "建议跟进", "很可能符合", "可能符合", "取决于当地标准", "信息不足",
                             "需补充的信息", "低保月金额估算（元）", "负责单位", "错误"]


def test_screen_reads_json_lines(tmp_path):
    lines = [
        json.dumps({"id": "H1", "village": "东村", **HOUSEHOLD}, ensure_ascii=False),
        "",
        json.dumps({"id": "H2", "area": "urban", "members": [{"age": 30, "seeking_work": True}],
                    "monthly_income_yuan": 5000}),
        '{"id": "H3", "area": "rural", "members": [{"age": 70}], "monthly_income_yuan": NaN}',
        "{broken",
        json.dumps({"id": "H5", "area": "rural", "members": [{"age": 70}, {"age": 200}], "monthly_income_yuan": 0}),
    ]
    path = write(tmp_path, "roster.jsonl", "\n".join(lines) + "\n")
    proc = run("screen", str(path))
    assert proc.returncode == 0, proc.err
    rows = read_csv_text(proc.out)
    ids = [r["户编号"] for r in rows]
    assert ids == ["H1", "H2", "H3", "第5行", "H5"]
    by = dict(zip(ids, rows))
    assert by["H1"]["村"] == "东村" and by["H1"]["低保月金额估算（元）"] == "1000.00"  # (800 − 300) × 2
    assert by["H2"]["错误"] == "" and "就业救助" in by["H2"]["可能符合"]
    assert "第4行" in by["H3"]["错误"] and "monthly_income_yuan" in by["H3"]["错误"]
    assert "第5行" in by["第5行"]["错误"] and "JSON" in by["第5行"]["错误"]
    assert "第6行" in by["H5"]["错误"] and "members[1].age" in by["H5"]["错误"]
    # the same roster from standard input, with --format
    proc = run("screen", "-", "--format", "jsonl", stdin="\n".join(lines))
    assert proc.returncode == 0 and read_csv_text(proc.out)[0]["户编号"] == "H1"


def test_screen_options_apply_to_every_row(tmp_path):
    path = write(tmp_path, "roster.jsonl", json.dumps({"id": "H1", **HOUSEHOLD}) + "\n")
    proc = run("screen", str(path), "--rural-standard", "900")
    assert read_csv_text(proc.out)[0]["低保月金额估算（元）"] == "1200.00"  # (900 − 300) × 2


@pytest.mark.parametrize(("content", "needles"), [
    ("户编号,城乡,家庭月收入（元）,年龄,颜色\n1,农村,100,70,红\n", ["第1行表头第5列", "颜色", "不认识", "可用的列"]),
    ("户编号,城乡,年龄\n1,农村,70\n", ["表头缺少必需的列", "家庭月收入（元）"]),
    ("", ["名单是空的"]),
])
def test_screen_bad_header_exits_2(tmp_path, content, needles):
    proc = run("screen", str(write(tmp_path, "roster.csv", content)))
    assert_clean_error(proc, "名单有误", *needles)
    assert proc.out == ""


def test_screen_non_utf8_exits_2(tmp_path, template):
    path = write(tmp_path, "roster.csv", template.read_text(encoding="utf-8-sig").encode("gbk"))
    assert_clean_error(run("screen", str(path)), "不是 UTF-8 编码", "GBK", "CSV UTF-8")


def test_screen_missing_file_exits_2(tmp_path):
    assert_clean_error(run("screen", str(tmp_path / "nope.csv")), "找不到文件")


def test_the_command_runs_from_any_directory(tmp_path):
    """The policy data is read from the package, not from the current directory."""
    proc = run("estimate", str(write(tmp_path, "h.json", HOUSEHOLD)), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.err

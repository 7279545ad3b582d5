"""The README's 新增一项家庭情况, followed on a copy of the code: the one line it adds to
calculator/fields.py, exactly as written there, makes the new fact known to the JSON parser, the
roster reader and writer, the template and its 填写说明, the form data and the sample generator,
with no other edit."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
MARKER = "    # ---- each member\n"


def readme_line() -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- example: calculator/fields.py -->\s*```python\n(.*?)```", text, re.S)
    assert m, "README.md has no ```python block after <!-- example: calculator/fields.py -->"
    assert "`# ---- each member` 这一行之前" in text
    return m.group(1)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(REPO / "calculator", root / "calculator", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "__init__.py", root / "scripts" / "__init__.py")
    shutil.copytree(REPO / "scripts" / "samples", root / "scripts" / "samples",
                    ignore=shutil.ignore_patterns("__pycache__", "hostile_files"))
    fields = root / "calculator" / "fields.py"
    text = fields.read_text(encoding="utf-8")
    assert text.count(MARKER) == 1
    fields.write_text(text.replace(MARKER, readme_line() + MARKER), encoding="utf-8")
    return root


def run(copy: Path, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=copy, input=stdin, capture_output=True, text=True,
                          encoding="utf-8", env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy)})


HOUSEHOLD = {"as_of": "2026-01-15", "area": "rural", "members": [{"age": 80}], "monthly_income_yuan": 500}


def test_the_parser_knows_the_new_fact(copy):
    ok = run(copy, "-m", "calculator", "estimate", "-", "--json",
             stdin=json.dumps(dict(HOUSEHOLD, lives_alone=True)))
    assert ok.returncode == 0, ok.stderr
    bad = run(copy, "-m", "calculator", "estimate", "-", stdin=json.dumps(dict(HOUSEHOLD, lives_alone="x")))
    assert bad.returncode == 2 and "lives_alone" in bad.stderr and "是否独居老人" in bad.stderr
    # and the code as it is does not (so the check above is the README line's doing)
    original = subprocess.run([sys.executable, "-m", "calculator", "estimate", "-"], cwd=REPO, capture_output=True,
                              text=True, input=json.dumps(dict(HOUSEHOLD, lives_alone=True)))
    assert original.returncode == 2 and "不认识字段 'lives_alone'" in original.stderr


def test_the_roster_template_and_guide_carry_it(copy):
    template = run(copy, "-m", "calculator", "template")
    assert template.returncode == 0 and "独居老人" in template.stdout.splitlines()[0]
    guide = run(copy, "-m", "calculator", "template", "--guide")
    row = next(line for line in guide.stdout.splitlines() if line.startswith("独居老人,"))
    assert "“是”" in row and "“否”" in row and "不清楚" in row and "是否独居老人" in row


def test_the_roster_reads_and_writes_it(copy):
    roster = "户编号,城乡,家庭月收入（元）,年龄,独居老人\nA,农村,500,80,是\nB,农村,500,80,不清楚\nC,农村,500,80,也许\n"
    out = run(copy, "-m", "calculator", "screen", "-", "--as-of", "2026-01-15", stdin=roster)
    assert out.returncode == 0, out.stderr
    rows = [line.split(",") for line in out.stdout.splitlines()[1:]]
    assert [r[0] for r in rows] == ["A", "B", "C"]
    assert rows[0][-1] == rows[1][-1] == "" and rows[2][-1].startswith("独居老人（第4行）：")
    check = run(copy, "-c", """
from calculator.household import parse_household
from calculator.screen import read_csv, roster_rows, to_csv, _household_input
h = parse_household({"area": "rural", "members": [{"age": 80}], "monthly_income_yuan": 500, "lives_alone": True})
(g,) = read_csv(to_csv(roster_rows([("A", "", h)])))
back = parse_household(_household_input(g, None, None))
assert back == h and back.lives_alone is True, back
print(parse_household({"area": "rural", "members": [{"age": 80}], "monthly_income_yuan": 500}).lives_alone)
""")
    assert check.returncode == 0 and check.stdout.strip() == "None", check.stderr  # not given: unknown


def test_the_form_and_the_samples_have_it(copy):
    options = run(copy, "-c", "from calculator.api import handle; print(handle('options', '{}'))")
    form = json.loads(options.stdout)["result"]["form"]
    more = next(s for s in form["sections"] if s["id"] == "more")
    field = next(f for f in more["fields"] if f["key"] == "lives_alone")
    assert field["label"] == "是否独居老人" and field["widget"] == "radio" and field["kind"] == "flag"
    samples = run(copy, "-c", "import json; from scripts.samples import households; "
                              "print(json.dumps([h.get('lives_alone') for h in households(200)]))")
    assert set(json.loads(samples.stdout)) >= {True, False}, samples.stderr

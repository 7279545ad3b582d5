"""The README's section 新增一个救助项目, followed exactly as written on a copy of the repository: the
data file, the category, the rule and the case file from its example blocks. Before the case file is
added, the unit check fails naming it; after the four steps, `make data`'s compiler accepts the data
and the copy's own tests find the new programme's rule, page and cases, and pass."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
PID = "social_work"
COPIED = ["calculator", "policy_data", "scripts", "pyproject.toml", "tests/cases", "tests/case_loader.py",
          "tests/test_cases.py", "tests/test_programmes.py"]


def example(path: str) -> str:
    section = README.read_text(encoding="utf-8").split("## 新增一个救助项目", 1)[1].split("\n## ", 1)[0]
    m = re.search(rf"<!-- example: {re.escape(path)} -->\s*```\w+\n(.*?)```", section, re.S)
    assert m, f"README.md 新增一个救助项目 has no code block after <!-- example: {path} -->"
    return m.group(1)


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_the_readme_steps_add_a_programme(tmp_path):
    repo = tmp_path / "repo"
    for rel in COPIED:
        src, dst = REPO / rel, repo / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copyfile(src, dst)
    assert not (repo / "policy_data/programmes" / f"{PID}.yaml").exists()

    # Step 1: the data file, and the programme in its category.
    (repo / f"policy_data/programmes/{PID}.yaml").write_text(example(f"policy_data/programmes/{PID}.yaml"),
                                                              encoding="utf-8")
    cats_file = repo / "policy_data/categories.yaml"
    cats = yaml.safe_load(cats_file.read_text(encoding="utf-8"))
    next(c for c in cats if c["id"] == "social")["programmes"].append(PID)
    cats_file.write_text(yaml.safe_dump(cats, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # Step 2: the rule.
    (repo / f"calculator/programmes/{PID}.py").write_text(example(f"calculator/programmes/{PID}.py"),
                                                         encoding="utf-8")

    bundle = repo / "calculator/data/policy.json"
    compiled = run(repo, "-m", "scripts.policydata", "compile", "--out", str(bundle))
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    assert "22 个救助项目" in compiled.stdout or f'"{PID}"' in bundle.read_text(encoding="utf-8")

    unit = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_programmes.py::test_every_programme_is_a_unit")
    before = run(repo, *unit)
    assert before.returncode != 0, before.stdout
    assert f"no tests/cases/{PID}.yaml" in before.stdout, before.stdout[-3000:]

    # Step 3: the case file.
    (repo / f"tests/cases/{PID}.yaml").write_text(example(f"tests/cases/{PID}.yaml"), encoding="utf-8")

    # Step 4: the checks, in the copy: the unit check, the case rules, the declarations, the cases.
    after = run(repo, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_programmes.py", "tests/test_cases.py")
    assert after.returncode == 0, after.stdout[-4000:] + after.stderr[-2000:]
    collected = run(repo, "-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider", "tests/test_cases.py")
    assert "test_case[social_work-01]" in collected.stdout and "test_case[social_work-02]" in collected.stdout

    # and the copy's calculator (not this checkout's) gives the new programme in a result
    probe = run(repo, "-c", "import json, calculator, calculator.programmes.social_work as m;"
                            "from calculator.engine import estimate;"
                            "from calculator.bundle import load_bundle;"
                            f"r = estimate({{'as_of': '2025-01-01', 'area': 'rural', 'members': [{{'age': 45}}],"
                            "'monthly_income_yuan': 1199, 'supporters': 'able', 'assets_within_limits': True,"
                            "'standards': {'rural_dibao_monthly': 800}}, load_bundle('calculator/data/policy.json'));"
                            f"print(m.__file__); print(json.dumps([p['status'] for p in r['programmes'] if p['id'] == '{PID}']))")
    assert probe.returncode == 0, probe.stderr
    where, statuses = probe.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(repo.resolve())
    assert statuses == '["possible"]'

"""The hostile-input corpus: the files in scripts/samples/hostile_files/households/ and .../rosters/ with
what each must give (scripts/samples/hostile_files/expected.yaml), plus inputs too big to keep as files (10,000
members, 1 MB strings, a 4.5 MB document, 100,000 levels of nesting, 10,000-household rosters),
generated here. Each case is a `Case`; tests/hostile/test_hostile_input.py runs every one through
the command line and through calculator.api.handle, the browser tests take a few of them, and the
runtime recorder (scripts/runtime/stdlib.py) runs them in Pyodide. It lives outside tests/ because
the recorder is a build tool, and build tools never import tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent / "hostile_files"
BASE = {"as_of": "2025-01-01", "area": "urban", "members": [{"age": 40}], "monthly_income_yuan": 100}
ROSTER_HEAD = "户编号,村,城乡,家庭月收入（元）,年龄\n"
MB = 1_000_000


@dataclass
class Case:
    name: str
    kind: str                     # "household" or "roster"
    data: bytes
    error: list | None = None     # household: the key paths that must be named
    same_as: dict | None = None   # household: the plain household it must equal
    cli_error: str | None = None  # not UTF-8: what the command line must say
    roster_error: str | None = None
    rows: dict | None = None      # roster: {户编号: "ok" | [texts in 错误]}
    extra: dict = field(default_factory=dict)

    @property
    def fmt(self) -> str:
        return "jsonl" if self.name.endswith(".jsonl") else "csv"

    @property
    def text(self) -> str | None:
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None


def _household(**changes) -> bytes:
    return json.dumps({**BASE, **changes}, ensure_ascii=False).encode("utf-8")


def generated() -> list[Case]:
    big_key = "键" * MB
    keys = {f"extra_{i}": i for i in range(1000)}
    return [
        Case("gen:ten_thousand_members", "household", _household(members=[{"age": 30}] * 10_000), error=["members"]),
        Case("gen:ten_thousand_bad_members", "household",
             _household(members=[{"age": "x" * 100, "colour": "🔥"}] * 10_000), error=["members"]),
        Case("gen:one_mb_area", "household", _household(area="\u202e" * MB), error=["area"]),
        Case("gen:one_mb_income_text", "household", _household(monthly_income_yuan="9" * MB),
             error=["monthly_income_yuan"]),
        Case("gen:one_mb_unknown_key", "household", json.dumps({**BASE, big_key: 1}, ensure_ascii=False).encode(),
             error=[big_key[:200]]),
        Case("gen:thousand_unknown_keys", "household", json.dumps({**BASE, **keys}).encode(), error=list(keys)),
        Case("gen:over_size_document", "household", _household(area="x" * 4_500_000), error=[""]),
        Case("gen:deep_nesting", "household",
             ('{"area": "urban", "members": ' + "[" * 100_000 + "]" * 100_000 + "}").encode(), error=[""]),
        Case("gen:nul_and_surrogates_everywhere", "household",
             json.dumps({"as_of": "2025\u0000-01-01", "area": "\udc80", "members": [{"age": 40, "sex": "\u0000"}],
                         "monthly_income_yuan": "1\u00000"}).encode("utf-8", "surrogatepass"),
             error=["as_of", "area", "members[0].sex", "monthly_income_yuan"]),
        Case("gen:ten_thousand_households.csv", "roster",
             (ROSTER_HEAD + "".join(f"H{i},东村,城市,{i % 3000},{i % 100}\n" for i in range(10_000))).encode(),
             rows={f"H{i}": "ok" for i in range(10_000)}),
        Case("gen:household_of_ten_thousand.csv", "roster",
             (ROSTER_HEAD + "H,东村,城市,100,40\n" * 10_000).encode(), rows={"H": ["第2行", "最多 30 人"]}),
        Case("gen:too_many_rows.csv", "roster",
             (ROSTER_HEAD + "".join(f"H{i},东村,城市,100,40\n" for i in range(50_001))).encode(),
             roster_error="名单过大"),
        Case("gen:long_cell.csv", "roster", (ROSTER_HEAD + "A,东村,城市," + "1" * 200_000 + ",40\nB,东村,城市,100,40\n")
             .encode(), rows={"第2行": ["第2行", "过长"], "B": "ok"}),
        Case("gen:ten_thousand_columns.csv", "roster", (ROSTER_HEAD.strip() + ",年龄" * 10_000 + "\n").encode(),
             roster_error="重复"),
        Case("gen:two_thousand_lines.jsonl", "roster",
             "".join(json.dumps({"id": f"J{i}", **BASE, "monthly_income_yuan": i}) + "\n" for i in range(2_000))
             .encode(), rows={f"J{i}": "ok" for i in range(2_000)}),
    ]


def stored() -> list[Case]:
    expected = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))
    cases = []
    for kind, folder in (("household", "households"), ("roster", "rosters")):
        files = {p.name: p for p in (HERE / folder).iterdir() if p.is_file()}
        table = expected[folder]
        missing = sorted(set(files) ^ set(table))
        assert not missing, f"scripts/samples/hostile_files/{folder}: files and expected.yaml differ: {missing}"
        for name, want in table.items():
            cases.append(Case(name, kind, files[name].read_bytes(), **want))
    return cases


def all_cases() -> list[Case]:
    return stored() + generated()

"""The town's own updates, as the README tells a maintainer to make them (its sections
"## 最常见的修改…", a published standard, and "## 公布电话、地址和办公时间", a published phone number),
applied to a copy of the LIVE policy data: the suite must stay green after the town has followed
its README.

In those sections README.md marks each data example with a comment naming the file it goes into and,
for a parameter, the parameter whose ``values: {}`` it replaces, for an office or access point, the
item whose ``contact`` and ``contact_source`` lines it replaces::

    <!-- example: sources.yaml -->                          (appended to the file)
    <!-- example: parameters/dibao.yaml urban_monthly_standard -->   (replaces that values: {})
    <!-- example: offices.yaml minzheng -->                 (replaces that item's contact lines)
    ```yaml
    ...
    ```
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
LIVE_DATA = REPO_ROOT / "policy_data"
FROZEN_2021 = REPO_ROOT / "tests" / "data" / "policy_2021"

_EXAMPLE = re.compile(r"<!-- example: (\S+)(?: (\S+))? -->\s*```yaml\n(.*?)```", re.S)
# The README's sections of data updates (other sections' examples, such as a new programme's data,
# rule and cases, are checked by their own tests).
SECTIONS = ("最常见的修改", "公布电话、地址和办公时间")
CONTACT_FILES = ("offices.yaml", "access_points.yaml")


@dataclass(frozen=True)
class Example:
    file: str                 # below policy_data/
    parameter: str | None     # the parameter whose values it gives (parameters/*.yaml)
    yaml: str
    item: str | None = None   # the office or access point whose contact it gives


def readme_examples(readme: Path = README) -> list[Example]:
    """The data examples of the README's sections of data updates, in the README's order."""
    text = readme.read_text(encoding="utf-8")
    out = []
    for heading in SECTIONS:
        start = text.index(f"\n## {heading}")
        end = text.find("\n## ", start + 1)
        section = text[start:end if end >= 0 else None]
        found = [Example(m.group(1), None, m.group(3), m.group(2)) if m.group(1) in CONTACT_FILES
                 else Example(m.group(1), m.group(2), m.group(3)) for m in _EXAMPLE.finditer(section)]
        assert found, f"README.md {heading} has no <!-- example: ... --> data example"
        out += found
    return out


def published_contacts(data: Path) -> list[tuple[Example, dict, dict]]:
    """(example, the item as published in `data`, its contact_source entry of sources.yaml) of every
    README contact example, read with a plain YAML reader."""
    sources = {s["id"]: s for s in yaml.safe_load((Path(data) / "sources.yaml").read_text(encoding="utf-8"))}
    out = []
    for ex in readme_examples():
        if ex.item:
            item = next(i for i in yaml.safe_load((Path(data) / ex.file).read_text(encoding="utf-8")) if i["id"] == ex.item)
            out.append((ex, item, sources[item["contact_source"]]))
    return out


def apply_example(data: Path, ex: Example) -> bool:
    """Apply one example exactly as the README says: append it, or put it in place of the
    parameter's `values: {}`. Returns False when the data holds it already (the town followed the
    README word for word: the live data is then the updated data); an example that can be neither
    applied nor found fails, because the README would describe a step that cannot be taken."""
    path = Path(data) / ex.file
    text = path.read_text(encoding="utf-8")
    if ex.item is not None:
        wanted = yaml.safe_load(ex.yaml)
        m = re.search(rf"^- id: {re.escape(ex.item)}\n(?:  (?!contact).*\n)*?(  contact: .*\n  contact_source: .*\n)",
                      text, re.M)
        assert m, f"{ex.file}: no item {ex.item} with `contact:` and `contact_source:` lines for the README's example"
        have = next(i for i in yaml.safe_load(text) if i["id"] == ex.item)
        if {k: have.get(k) for k in wanted} == wanted:
            return False
        path.write_text(text[:m.start(1)] + ex.yaml + text[m.end(1):], encoding="utf-8")
        return True
    if ex.parameter is None:
        ids = {item["id"] for item in yaml.safe_load(ex.yaml)}
        have = {item["id"] for item in yaml.safe_load(text) or []}
        if ids <= have:
            return False
        assert not ids & have, f"{ex.file}: the README example's ids {sorted(ids & have)} are partly there already"
        path.write_text(text + ("" if text.endswith("\n") else "\n") + ex.yaml, encoding="utf-8")
        return True
    m = re.search(rf"^{re.escape(ex.parameter)}:\n((?:[ \t]+.*\n|\n)*?)(  values: \{{\}}\n)", text, re.M)
    if m is None:
        have = {str(k) for k in (yaml.safe_load(text)[ex.parameter].get("values") or {})}
        wanted = {str(k) for k in yaml.safe_load(ex.yaml)["values"]}
        assert wanted <= have, (f"{ex.file}: {ex.parameter} has no `values: {{}}` for the README's example to "
                                "replace, nor the example's dates: update the example in README.md")
        return False
    path.write_text(text[:m.start(2)] + ex.yaml + text[m.end(2):], encoding="utf-8")
    return True


def apply_readme_examples(data: Path) -> list[Example]:
    examples = readme_examples()
    for ex in examples:
        apply_example(data, ex)
    return examples


def copy_data(dest: Path, source: Path = LIVE_DATA) -> Path:
    shutil.copytree(source, dest)
    return dest


def updated_data(dest: Path) -> Path:
    """A copy of the live data with every README example applied."""
    copy_data(dest)
    apply_readme_examples(dest)
    return dest

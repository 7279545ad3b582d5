"""The town's own updates, as the README tells a maintainer to make them (its section
"## 最常见的修改…"), applied to a copy of the LIVE policy data: the suite must stay green after the
town has followed its README.

In that section README.md marks each data example with a comment naming the file it goes into and, for a parameter,
the parameter whose ``values: {}`` it replaces::

    <!-- example: sources.yaml -->                          (appended to the file)
    <!-- example: parameters/dibao.yaml urban_monthly_standard -->   (replaces that values: {})
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


@dataclass(frozen=True)
class Example:
    file: str          # below policy_data/
    parameter: str | None
    yaml: str


def readme_examples(readme: Path = README) -> list[Example]:
    """The data examples of the README's section 最常见的修改 (other sections' examples, such as a new
    programme's data, rule and cases, are checked by their own tests)."""
    text = readme.read_text(encoding="utf-8")
    start = text.index("\n## 最常见的修改")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end >= 0 else None]
    out = [Example(m.group(1), m.group(2), m.group(3)) for m in _EXAMPLE.finditer(section)]
    assert out, "README.md 最常见的修改 has no <!-- example: ... --> data example"
    return out


def apply_example(data: Path, ex: Example) -> bool:
    """Apply one example exactly as the README says: append it, or put it in place of the
    parameter's `values: {}`. Returns False when the data holds it already (the town followed the
    README word for word: the live data is then the updated data); an example that can be neither
    applied nor found fails, because the README would describe a step that cannot be taken."""
    path = Path(data) / ex.file
    text = path.read_text(encoding="utf-8")
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

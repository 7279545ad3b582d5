"""Hostile policy data: a copy of policy_data/ with markup planted in the texts that the handbook and
the calculator show (names, summaries, descriptions, titles). Used by test_hostile_data.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
POLICY_DATA = REPO_ROOT / "policy_data"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[点我](http://evil.example)"
JINJA = "{{ jinja }}"
ATTR = ' {: onclick="alert(2)" }'  # with the space attr_list needs after a heading or in a cell
AUTOLINK = "<http://evil.example/auto>"
EVIL = SCRIPT + IMG + LINK + JINJA + AUTOLINK + ATTR  # the attr_list part last: it acts only at the end

# (file, the line to change as a regular expression, a label for reports). The planted value is the
# original value followed by EVIL.
PLANTS = [
    ("programmes/dibao.yaml", r"^name: (.*)$", "programme name"),
    ("programmes/dibao.yaml", r"^summary: (.*)$", "programme summary"),
    ("programmes/dibao.yaml", r"^for_whom: (.*)$", "programme for_whom"),
    ("programmes/tekun.yaml", r"^short_name: (.*)$", "programme short name"),
    ("offices.yaml", r"^  name: (民政办)$", "office name"),
    ("offices.yaml", r"^  full_name: (石桥镇扶贫办)$", "office full name"),
    ("parameters/dibao.yaml", r"^  description: (城市低保月标准（每人每月）)$", "parameter description"),
    ("categories.yaml", r"^  name: (基本生活救助)$", "category name"),
    ("sections.yaml", r"^  title: (完善社会救助制度体系)$", "section title"),
    ("target_groups.yaml", r"^  i_am: (我家是城乡低保对象)$", "target group"),
    ("access_points.yaml", r"^  name: (镇社会救助综合服务平台)$", "access point name"),
]


def plant(dest: Path) -> Path:
    """Copy policy_data/ to `dest` with EVIL appended to each text of PLANTS; return `dest`."""
    dest = Path(dest)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(POLICY_DATA, dest)
    for rel, pattern, what in PLANTS:
        path = dest / rel
        text = path.read_text(encoding="utf-8")

        def repl(m: re.Match) -> str:
            key = m.group(0)[: m.start(1) - m.start(0)]
            return key + json.dumps(m.group(1) + EVIL, ensure_ascii=False)

        new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
        assert n == 1, f"{rel}: no line matches {pattern} ({what})"
        path.write_text(new, encoding="utf-8")
    return dest

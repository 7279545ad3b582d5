"""The publishing path (issue 14): `make publish` refuses to build while the data is invalid, and
while anything is pending (`make data-strict` fails) unless ACCEPT_PENDING=1 says so, printing what
is pending; what the public sees of the data's version and date comes from the data's content, never
from the working copy (commits, uncommitted edits, file times).

Every test works on a copy of policy_data/ with one pending item planted (an office whose contact is
empty), so nothing depends on what is pending in today's shipped data."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from scripts import policydata
from scripts.site import handbook

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.site  # make publish builds the site
SITE_URL = "https://jiuzhu.example.cn/"


def pending_copy(tmp_path: Path) -> tuple[Path, str]:
    """A copy of the data with the first office's contact made empty; returns (dir, office name)."""
    data = tmp_path / "policy_data"
    shutil.copytree(REPO_ROOT / "policy_data", data)
    offices = yaml.safe_load((data / "offices.yaml").read_text(encoding="utf-8"))
    offices[0]["contact"] = {key: None for key in offices[0]["contact"]}
    offices[0]["contact_source"] = None
    (data / "offices.yaml").write_text(yaml.safe_dump(offices, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data, offices[0]["name"]


def publish(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HANDBOOK_", "MAKE"))}
    return subprocess.run(["make", "--no-print-directory", "publish", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=900)


def test_publish_refuses_while_items_are_pending_and_lists_them(tmp_path):
    data, office = pending_copy(tmp_path)
    out = tmp_path / "out"
    proc = publish(f"SITE_URL={SITE_URL}", f"POLICY_DATA={data}", f"PUBLISH_DIR={out}")
    assert proc.returncode != 0
    said = proc.stdout + proc.stderr
    assert f"{office}：" in said and "待公布" in said and "ACCEPT_PENDING=1" in said
    assert "不发布" in proc.stderr
    assert not out.exists()


def test_publish_refuses_invalid_data_even_with_pending_accepted(tmp_path):
    data, _ = pending_copy(tmp_path)
    (data / "offices.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = publish(f"SITE_URL={SITE_URL}", f"POLICY_DATA={data}", f"PUBLISH_DIR={out}", "ACCEPT_PENDING=1")
    assert proc.returncode != 0 and "offices.yaml" in proc.stderr
    assert not out.exists()


def test_publish_needs_the_site_address(tmp_path):
    proc = publish(f"PUBLISH_DIR={tmp_path / 'out'}", "ACCEPT_PENDING=1")
    assert proc.returncode != 0 and "SITE_URL" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_publish_with_pending_accepted_builds_and_shows_the_content_version(tmp_path):
    """Built from an uncommitted copy outside any repository: the home page names the version of
    the data's content and no working-copy state."""
    data, office = pending_copy(tmp_path)
    out = tmp_path / "out"
    proc = publish(f"SITE_URL={SITE_URL}", f"POLICY_DATA={data}", f"PUBLISH_DIR={out}", "ACCEPT_PENDING=1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{office}：" in proc.stdout and "ACCEPT_PENDING=1" in proc.stdout  # still says what is pending
    home = (out / "index.html").read_text(encoding="utf-8")
    version = policydata.load(data)["data_version"]
    assert version in home
    for working_copy_word in ("尚未提交", "修改日期", "最后更新于"):
        assert working_copy_word not in home
    assert f'href="{SITE_URL}"' in home or SITE_URL in (out / "sitemap.xml").read_text(encoding="utf-8")


def home_and_data_pages(data: Path) -> tuple[str, str]:
    bundle = policydata.load(data)
    import datetime as dt
    pages = handbook.Handbook(bundle, dt.date(2026, 12, 1), policydata.dump(bundle), "石桥镇").pages()
    return pages["index.md"], pages["data.md"]


def test_what_the_public_sees_of_the_data_does_not_depend_on_the_working_copy(tmp_path):
    """The same data, (a) copied with old file times outside git, (b) inside a git repository with
    uncommitted changes and new file times, (c) committed: the home and data pages are identical."""
    data, _ = pending_copy(tmp_path / "a")
    for path in data.rglob("*"):
        os.utime(path, (978307200, 978307200))  # 2001-01-01
    first = home_and_data_pages(data)

    repo = tmp_path / "b"
    shutil.copytree(data, repo / "policy_data")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data", "--date", "2020-02-02T00:00:00"], check=True)
    committed = home_and_data_pages(repo / "policy_data")
    (repo / "policy_data" / "offices.yaml").write_text(
        (repo / "policy_data" / "offices.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same content
    dirty = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    assert dirty  # really uncommitted
    uncommitted = home_and_data_pages(repo / "policy_data")
    strip = lambda pages: tuple(re.sub(r"`[0-9a-f]{12}`", "`VERSION`", p) for p in pages)  # noqa: E731
    # the byte-level digest may move with the extra newline; everything else must be identical
    assert first == committed
    assert strip(committed) == strip(uncommitted)
    assert "尚未提交" not in "".join(uncommitted) and "2020年2月2日" not in "".join(committed)

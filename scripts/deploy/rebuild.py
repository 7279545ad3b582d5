"""The daily rebuild: pages show the standards in force on the day they were built, so a value
published ahead of its date (a new 低保 standard from 1 January) must reach the public on that day.
Run every night by cron (`make install-rebuild`, see README 部署), it builds the site for today with
`make publish` into a staging directory and puts it in place of the served one.

    python -m scripts.deploy.rebuild --site-url URL --root /var/www/shiqiao [--accept-pending]
        [--policy-data DIR] [--staging DIR]

Refuses, leaving the served site untouched, when the build fails (invalid data; pending items
without --accept-pending) or when the new build's Content-Security-Policy differs from the served
one's (the nginx configuration carries it: regenerate and reload it as README 部署 says).
    python -m scripts.deploy.rebuild --cron-line … prints the /etc/cron.d line that runs it.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from scripts.deploy.nginx import SiteError, site_policy

REPO_ROOT = Path(__file__).resolve().parents[2]
CRON_TIME = "10 0 * * *"  # ten past midnight, every day


class RebuildError(Exception):
    pass


def build(site_url: str, staging: Path, accept_pending: bool, policy_data: Path | None) -> None:
    args = ["make", "--no-print-directory", "-C", str(REPO_ROOT), "publish", f"SITE_URL={site_url}",
            f"PUBLISH_DIR={staging}"]
    if accept_pending:
        args.append("ACCEPT_PENDING=1")
    if policy_data is not None:
        args.append(f"POLICY_DATA={Path(policy_data).resolve()}")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    proc = subprocess.run(args, env=env, text=True, capture_output=True)
    sys.stdout.write(proc.stdout)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise RebuildError("构建失败，网站保持原样")


def swap_in(staging: Path, root: Path) -> None:
    """Replace root's content with staging's: rsync when present, else a copy beside it and two renames."""
    root = Path(root)
    if shutil.which("rsync"):
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(["rsync", "-a", "--delete", f"{staging}/", f"{root}/"], check=True)
        return
    new, old = root.with_name(root.name + ".new"), root.with_name(root.name + ".old")
    for leftover in (new, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(staging, new, symlinks=True)
    if root.exists():
        root.rename(old)
    new.rename(root)
    shutil.rmtree(old, ignore_errors=True)


def rebuild(site_url: str, root: Path, staging: Path, accept_pending: bool = False,
            policy_data: Path | None = None) -> None:
    build(site_url, staging, accept_pending, policy_data)
    if (Path(root) / "index.html").is_file():
        try:
            served, built = site_policy(root), site_policy(staging)
        except SiteError as exc:
            raise RebuildError(str(exc)) from None
        if served != built:
            raise RebuildError("新构建的内容安全策略与正在提供的不同：nginx 配置要随之更新。网站保持原样；"
                               "请按 README“部署”重新运行 make nginx-conf 并重新加载 nginx")
    swap_in(staging, root)
    print(f"已更新 {root}（网站地址 {site_url}）")


def cron_line(site_url: str, root: Path, accept_pending: bool, policy_data: Path | None, user: str = "root",
              log: str = "/var/log/shiqiao-rebuild.log") -> str:
    command = [str(REPO_ROOT / ".venv" / "bin" / "python"), "-m", "scripts.deploy.rebuild", "--site-url", site_url,
               "--root", str(root)]
    if accept_pending:
        command.append("--accept-pending")
    if policy_data is not None:
        command += ["--policy-data", str(Path(policy_data).resolve())]
    # cron runs the line with /bin/sh; % is special to cron
    line = f"cd {shlex.quote(str(REPO_ROOT))} && {shlex.join(command)} >> {shlex.quote(log)} 2>&1"
    if "%" in line:
        raise RebuildError("路径或地址中不能有 %（cron 的特殊字符）")
    return f"{CRON_TIME} {user} {line}\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.deploy.rebuild", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-url", required=True)
    parser.add_argument("--root", type=Path, required=True, help="the directory nginx serves")
    parser.add_argument("--accept-pending", action="store_true", help="publish with the pending items listed")
    parser.add_argument("--policy-data", type=Path)
    parser.add_argument("--staging", type=Path, default=REPO_ROOT / "build" / "rebuild")
    parser.add_argument("--cron-line", action="store_true", help="print the /etc/cron.d file instead")
    parser.add_argument("--log", default="/var/log/shiqiao-rebuild.log", help="with --cron-line: where it logs")
    args = parser.parse_args(argv)
    try:
        if args.cron_line:
            sys.stdout.write("# 石桥镇社会救助手册：每天按当天施行的标准重新构建（scripts/deploy/rebuild.py）\n"
                             "SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
                             + cron_line(args.site_url, args.root, args.accept_pending, args.policy_data,
                                         log=args.log))
            return 0
        rebuild(args.site_url, args.root, args.staging.resolve(), args.accept_pending, args.policy_data)
    except (RebuildError, subprocess.CalledProcessError, OSError) as exc:
        print(f"重新构建没有完成：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

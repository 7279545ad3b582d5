"""Site build: `mkdocs build` of the handbook (median of runs, each a fresh process, peak RSS from
wait4), beside the same mkdocs configuration (theme, features, search, Markdown extensions) without the
hooks, on as many plain Markdown pages carrying as much text as the built pages: the ratio is what
generating the pages from the data (and the calculator's build step) costs."""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import ROOT, median

MKDOCS = [sys.executable, "-m", "mkdocs"]


def _mkdocs_build(config: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `mkdocs build` in its own process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    t0 = time.perf_counter()
    proc = subprocess.Popen([*MKDOCS, "build", "--strict", "--quiet", "-f", str(config), "-d", str(out)],
                            cwd=config.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build -f {config} failed:\n{output.decode(errors='replace')[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)


def _page_texts(site: Path) -> list[int]:
    """Characters of text in each built page's article (what the plain site reproduces)."""
    sizes = []
    for page in sorted(site.rglob("index.html")):
        m = ARTICLE.search(page.read_text(encoding="utf-8"))
        text = re.sub(r"<[^>]+>", "", m.group(1)) if m else ""
        sizes.append(len(html_lib.unescape(re.sub(r"\s+", " ", text))))
    return sizes


PLAIN_CONFIG = """\
site_name: 石桥镇社会救助手册（对照）
docs_dir: docs
strict: true
theme:
  name: material
  language: zh
  font: false
  palette: {scheme: default, primary: indigo, accent: indigo}
  features: [navigation.instant, navigation.instant.progress, navigation.indexes, navigation.top,
             navigation.footer, toc.follow, search.highlight, content.tooltips]
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\u3000\\-、。，．？！；：“”‘’（）《》【】〔〕,.:;!?()]+'
markdown_extensions:
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
  - attr_list
  - md_in_html
  - tables
  - admonition
"""
SENTENCE = "符合条件的家庭可以向户籍所在地的镇人民政府申请，由村社会救助服务站协助办理，所需材料以民政办公布的为准。"


def write_plain_site(where: Path, sizes: list[int]) -> Path:
    """A site with the handbook's mkdocs configuration but no hooks, and one plain page per built
    page carrying as much text (headings every few paragraphs, a table on every page)."""
    docs = where / "docs"
    docs.mkdir(parents=True)
    for i, size in enumerate(sizes):
        parts = [f"# 页面 {i}\n"]
        written, n = 0, 0
        while written < size:
            if n % 4 == 0:
                parts.append(f"## 第 {n // 4 + 1} 节\n")
            para = (SENTENCE * (1 + n % 3))[: max(1, size - written)]
            parts.append(para + "\n")
            written += len(para)
            n += 1
        parts.append("| 项目 | 说明 |\n| --- | --- |\n| 办理 | 镇民政办 |\n| 材料 | 身份证、户口簿 |\n")
        (docs / ("index.md" if i == 0 else f"p{i}.md")).write_text("\n".join(parts), encoding="utf-8")
    (where / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    return where / "mkdocs.yml"


def bench_build(runs: int, keep: Path | None) -> dict:
    """Median build time of the handbook and of the plain site; the first handbook build is kept in
    `keep` (for the browser part) when given."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        times, rss = [], []
        for i in range(runs):
            out = keep if (i == 0 and keep is not None) else tmp / f"site{i}"
            s, m = _mkdocs_build(ROOT / "mkdocs.yml", out)
            times.append(s)
            rss.append(m)
            if i == 0:
                first = out
        pages = len(list(first.rglob("index.html")))
        config = write_plain_site(tmp / "plain", _page_texts(first))
        plain_times, plain_rss = [], []
        for i in range(runs):
            s, m = _mkdocs_build(config, tmp / f"plain{i}")
            plain_times.append(s)
            plain_rss.append(m)
        return {"pages": pages, "build_median_s": median(times), "plain_build_median_s": median(plain_times),
                "build_ratio_to_plain": median(times) / median(plain_times),
                "build_peak_rss_mb": max(rss), "plain_build_peak_rss_mb": max(plain_rss)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

"""`make bench` (python -m scripts.bench) is not part of the test command, so that it cannot rot unnoticed
this runs it once in its --quick configuration (one sample of everything: the build, the browser
through nginx, Lighthouse on the calculator page; no throttled samples; about two minutes) and checks
that it produces every figure of the issue and of the budget, a table and build/bench.json. Timings
are not judged here: the exit status may be 0 or 1 (over budget), never 2 (a measurement failed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
BUDGET = REPO_ROOT / "scripts" / "bench_budget.json"

FIGURES = [
    # site build
    "pages", "build_median_s", "plain_build_median_s", "build_ratio_to_plain", "build_peak_rss_mb",
    "plain_build_peak_rss_mb",
    # calculator core, native
    "estimate_households", "estimate_median_ms", "estimate_p95_ms", "parse_median_ms", "estimate_ratio_to_parse",
    "screen_households", "screen_seconds", "screen_households_per_s", "screen_parse_seconds", "screen_ratio_to_parse",
    # browser
    "first_result_median_ms", "first_result_runs_ms", "bare_pyodide_median_ms", "bare_pyodide_runs_ms",
    "first_result_ratio_to_bare_pyodide", "bare_site_runtime_median_ms", "first_result_ratio_to_bare_site_runtime",
    "first_result_stages_ms", "warm_result_median_ms", "revisit_median_ms", "revisit_ratio_to_first",
    "revisit_ratio_to_bare_pyodide", "revisit_sent_bytes", "revisit_requests", "browser_peak_pss_mb",
    "browser_peak_rss_sum_mb",
    # weight
    "first_result_requests", "first_result_raw_bytes", "first_result_sent_bytes", "first_result_gzip_sent_bytes",
    "first_result_encodings", "first_result_gzip_encodings",
    "first_visit_with_offline_copy_raw_bytes", "first_visit_with_offline_copy_sent_bytes", "largest_files",
    "ordinary_page", "ordinary_page_raw_bytes", "ordinary_page_sent_bytes", "ordinary_page_gzip_sent_bytes",
    "ordinary_page_loads_runtime",
    "heaviest_page", "heaviest_page_raw_bytes", "heaviest_page_sent_bytes",
    # Lighthouse (the quick run measures the calculator page only)
    "lighthouse", "lighthouse_min_performance", "lighthouse_min_accessibility", "lighthouse_min_best_practices",
    "lighthouse_min_seo", "lighthouse_calculator_performance", "lighthouse_calculator_cls",
    "lighthouse_calculator_tbt_ms",
]
THROTTLED = ["first_result_slow_network_ms", "bare_pyodide_slow_network_ms",
             "first_result_slow_network_ratio_to_bare_pyodide", "first_result_cpu4x_ms", "bare_pyodide_cpu4x_ms",
             "first_result_cpu4x_ratio_to_bare_pyodide"]


@pytest.mark.browser
@pytest.mark.site
def test_quick_bench_produces_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "scripts.bench", "--quick", "--out", str(out)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), f"bench failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    data = json.loads(out.read_text(encoding="utf-8"))
    results = data["results"]
    missing = [key for key in FIGURES if results.get(key) is None]
    assert not missing, f"figures not produced: {missing}"
    assert set(results["first_result_stages_ms"]) >= {"worker_started", "download", "python", "calculator", "ready"}
    assert results["ordinary_page_loads_runtime"] is False
    assert results["largest_files"][0]["file"].endswith("/pyodide.asm.wasm")
    assert 0 < results["first_result_sent_bytes"] < results["first_result_raw_bytes"]
    # nginx chose the encoding the browser asked for: br where accepted, gzip for a gzip-only browser
    assert "br" in results["first_result_encodings"]
    assert results["first_result_gzip_encodings"] == ["gzip"]
    assert results["first_result_sent_bytes"] < results["first_result_gzip_sent_bytes"]
    assert set(results["lighthouse"]) == {"calculator/"}
    assert data["meta"]["failed"] == [] and data["meta"]["quick"] is True
    # Exit status 1 exactly when a figure is over budget, and each one is named.
    assert (proc.returncode == 1) == bool(data["over"])
    for line in data["over"]:
        assert line.split(" ")[0] in proc.stderr
    # The table names the figures it shows.
    for label in ("navigation to first result", "bare loadPyodide()", "ordinary page", "mkdocs build"):
        assert label in proc.stdout


def test_budget_names_only_figures_the_bench_produces():
    limits = json.loads(BUDGET.read_text(encoding="utf-8"))["limits"]
    assert set(limits) <= set(FIGURES) | set(THROTTLED), set(limits) - set(FIGURES) - set(THROTTLED)
    for key, rule in limits.items():
        assert rule.get("why"), f"{key}: every limit says why"
        assert {"max", "min", "must_be"} & set(rule), key
    # Issue 15's limits.
    assert limits["first_result_sent_bytes"]["max"] == 4_000_000
    for key in ("first_result_ratio_to_bare_pyodide", "first_result_slow_network_ratio_to_bare_pyodide",
                "first_result_cpu4x_ratio_to_bare_pyodide"):
        assert limits[key]["max"] == 0.6, key
    assert limits["revisit_ratio_to_bare_pyodide"]["max"] == 0.5
    assert limits["ordinary_page_sent_bytes"]["max"] == 150_000
    assert limits["lighthouse_calculator_performance"]["min"] == 0.95
    assert limits["lighthouse_calculator_cls"]["max"] == 0.05
    for key in ("lighthouse_min_accessibility", "lighthouse_min_best_practices", "lighthouse_min_seo"):
        assert limits[key]["min"] == 1.0, key

"""The budget (scripts/bench_budget.json) and the printed table."""

from __future__ import annotations

import json

from .common import ROOT

BUDGET_FILE = ROOT / "scripts" / "bench_budget.json"

# (key, label, unit, floor key) in the order of the table.
TABLE = [
    ("Site build", None, None, None),
    ("pages", "pages built", "", None),
    ("build_median_s", "mkdocs build (median)", "s", "plain_build_median_s"),
    ("build_ratio_to_plain", "  ratio to the plain site", "x", None),
    ("build_peak_rss_mb", "mkdocs build peak RSS", "MB", "plain_build_peak_rss_mb"),
    ("Calculator core, native", None, None, None),
    ("estimate_median_ms", "one estimate (median)", "ms", "parse_median_ms"),
    ("estimate_p95_ms", "one estimate (p95)", "ms", None),
    ("estimate_ratio_to_parse", "  ratio to parsing", "x", None),
    ("screen_seconds", "roster screened", "s", "screen_parse_seconds"),
    ("screen_households_per_s", "  households per second", "/s", None),
    ("screen_ratio_to_parse", "  ratio to parsing", "x", None),
    ("Browser (chromium through nginx, fresh profile each sample, median)", None, None, None),
    ("first_result_median_ms", "calculator: navigation to first result", "ms", "bare_pyodide_median_ms"),
    ("first_result_ratio_to_bare_pyodide", "  ratio to bare loadPyodide() (stock Pyodide)", "x", None),
    ("bare_site_runtime_median_ms", "bare loadPyodide() on the site's runtime", "ms", None),
    ("first_result_ratio_to_bare_site_runtime", "  calculator's ratio to it", "x", None),
    ("first_result_slow_network_ms", "slow link: first result", "ms", "bare_pyodide_slow_network_ms"),
    ("first_result_slow_network_ratio_to_bare_pyodide", "  ratio to bare loadPyodide()", "x", None),
    ("first_result_cpu4x_ms", "page CPU 4x slower: first result", "ms", "bare_pyodide_cpu4x_ms"),
    ("first_result_cpu4x_ratio_to_bare_pyodide", "  ratio to bare loadPyodide()", "x", None),
    ("warm_result_median_ms", "warm second result", "ms", None),
    ("revisit_median_ms", "revisit, warm cache: to first result", "ms", None),
    ("revisit_ratio_to_first", "  ratio to the first visit", "x", None),
    ("revisit_ratio_to_bare_pyodide", "  ratio to bare loadPyodide()", "x", None),
    ("browser_peak_pss_mb", "chromium peak memory (PSS, all processes)", "MB", None),
    ("Weight (bytes nginx sent: br to a browser that accepts it)", None, None, None),
    ("first_result_sent_bytes", "calculator first visit, to first result", "kB", None),
    ("first_result_gzip_sent_bytes", "  to a browser accepting gzip only", "kB", None),
    ("first_result_raw_bytes", "  uncompressed", "kB", None),
    ("first_visit_with_offline_copy_sent_bytes", "  with the offline copy of the site", "kB", None),
    ("first_visit_with_offline_copy_raw_bytes", "    uncompressed", "kB", None),
    ("revisit_sent_bytes", "revisit", "kB", None),
    ("revisit_requests", "  requests that reached the server", "", None),
    ("ordinary_page_sent_bytes", "ordinary page (programmes/dibao/)", "kB", None),
    ("ordinary_page_gzip_sent_bytes", "  gzip only", "kB", None),
    ("ordinary_page_raw_bytes", "  uncompressed", "kB", None),
    ("heaviest_page_sent_bytes", "heaviest page", "kB", None),
    ("heaviest_page_raw_bytes", "  uncompressed", "kB", None),
    ("ordinary_page_loads_runtime", "ordinary pages load Pyodide or the calculator", "", None),
    ("Lighthouse 12, mobile preset, through nginx", None, None, None),
    ("lighthouse_min_performance", "lowest performance score", "", None),
    ("lighthouse_calculator_performance", "calculator page: performance", "", None),
    ("lighthouse_calculator_cls", "calculator page: cumulative layout shift", "", None),
    ("lighthouse_calculator_tbt_ms", "calculator page: total blocking time", "ms", None),
    ("lighthouse_min_accessibility", "lowest accessibility score", "", None),
    ("lighthouse_min_best_practices", "lowest best-practices score", "", None),
    ("lighthouse_min_seo", "lowest SEO score", "", None),
]


def load_budget() -> dict:
    return json.loads(BUDGET_FILE.read_text(encoding="utf-8"))["limits"]


def check_budget(results: dict, limits: dict) -> list[str]:
    over = []
    for key, rule in limits.items():
        if key not in results or results[key] is None:
            continue
        value = results[key]
        if "max" in rule and value > rule["max"]:
            over.append(f"{key} = {fmt(value, key)} > {fmt(rule['max'], key)}")
        if "min" in rule and value < rule["min"]:
            over.append(f"{key} = {fmt(value, key)} < {fmt(rule['min'], key)}")
        if "must_be" in rule and value != rule["must_be"]:
            over.append(f"{key} = {value} (must be {rule['must_be']})")
    return over


def fmt(value, key="") -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if key.endswith("_bytes"):
        return f"{value / 1000:,.1f} kB"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}"


def table(results: dict, limits: dict) -> str:
    lines = [f"{'':52} {'value':>12} {'floor':>12} {'budget':>12}"]
    for key, label, unit, floor in TABLE:
        if label is None:
            lines.append(f"\n{key}")
            continue
        if key not in results:
            continue
        value = results[key]
        shown = fmt(value / 1000 if (unit == "kB" and value is not None) else value)
        fl = "" if floor is None or results.get(floor) is None else fmt(results[floor])
        rule = limits.get(key, {})
        limit = rule.get("max", rule.get("must_be", rule.get("min", "")))
        limit = fmt(limit / 1000) if (unit == "kB" and limit != "") else fmt(limit) if limit != "" else ""
        limit = ("≥ " if "min" in rule else "") + limit
        over = ("  OVER" if check_budget({key: value}, {key: rule}) else "") if rule else ""
        lines.append(f"{label + (f' ({unit})' if unit else ''):52} {shown:>12} {fl:>12} {limit:>12}{over}")
    if "first_result_stages_ms" in results:
        stages = ", ".join(f"{k} {v}" for k, v in results["first_result_stages_ms"].items())
        lines.append(f"\nfirst result, ms from navigation start (median): {stages}, "
                     f"result {round(results['first_result_median_ms'])}")
    if "largest_files" in results:
        lines.append("largest files of a first visit (kB, uncompressed / sent, encoding):")
        lines += [f"  {f['file']:64} {f['raw'] / 1000:>9,.1f} {f['sent'] / 1000:>9,.1f} {f['encoding']}"
                  for f in results["largest_files"]]
    if "lighthouse" in results:
        lines.append("Lighthouse scores (performance / accessibility / best practices / SEO; CLS, TBT ms):")
        for page, s in results["lighthouse"].items():
            lines.append(f"  {page or '(home)':24} {s['performance']:.2f} / {s['accessibility']:.2f} / "
                         f"{s['best_practices']:.2f} / {s['seo']:.2f}; CLS {s['cls']:.3f}, TBT {s['tbt_ms']:.0f}"
                         + (f"; failing: {', '.join(s['failing'])}" if s.get("failing") else ""))
    return "\n".join(lines)

"""What the parts of the benchmark share: the repository root, the browser, the share-link household."""

from __future__ import annotations

import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JS = Path(__file__).resolve().parent / "js"
CHROMIUM = "/usr/bin/chromium"
# GUIDE.md's flags: no sandbox (containers), no GPU, no QUIC, and no host but 127.0.0.1 resolves.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]

# The household of the share link the browser samples open (a typical one: an old couple and a
# grandchild with a disability, a small income, a pending standard given by the user).
LINK_HOUSEHOLD = {
    "as_of": "2026-01-15", "area": "rural",
    "members": [{"age": 71, "serious_illness": True}, {"age": 68},
                {"age": 12, "student": "primary", "disability": {"kind": "intellectual", "grade": 2}}],
    "monthly_income_yuan": 900, "supporters": "unable", "assets_within_limits": True,
    "medical_expenses_yuan": 18000, "standards": {"rural_dibao_monthly": 800},
}


def js(name: str) -> str:
    return (JS / name).read_text(encoding="utf-8")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]

"""流浪乞讨人员救助 (clause s5-vagrants): people without means of living, homeless or begging."""

from __future__ import annotations

from ..rules import Context, Outcome, combine, flag

ID = "vagrant_relief"
PARAMETERS = ()
READS = ()


def evaluate(ctx: Context) -> Outcome:
    return combine([flag(ctx, "homeless", "生活无着、流浪乞讨", "不属于生活无着的流浪乞讨人员", "s5-vagrants")])

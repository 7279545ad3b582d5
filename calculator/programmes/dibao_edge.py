"""低保边缘家庭: not eligible for 低保, per-capita income below parameter dibao.edge_multiple times the
local standard, assets within limits (nat-e-edge, nat-b-8). It opens the special assistance programmes."""

from __future__ import annotations

from ..money import cn_yuan, plain
from ..rules import LIKELY, POSSIBLE, Condition, Context, Outcome, combine, fen_floor, needs

ID = "dibao_edge"
PARAMETERS = ("dibao.urban_monthly_standard", "dibao.rural_monthly_standard", "dibao.edge_multiple",
              "dibao.total_working_days")
READS = ("dibao",)
AREA_CN = {"urban": "城市", "rural": "农村"}


def evaluate(ctx: Context) -> Outcome:
    clause = ctx.edge_clause()
    std = ctx.standard()
    edge = ctx.p("dibao.edge_multiple")
    area = AREA_CN[ctx.household.area]
    dibao = ctx.outcome("dibao")
    income_cond = next(c for c in dibao.conditions if c.id == "income_below_standard")
    if std is None:
        par = f"dibao.{ctx.household.area}_monthly_standard"
        pc = fen_floor(ctx.per_capita)
        band = Condition("income_in_edge_band", None,
                         f"{area}低保标准待公布。只要当地{area}低保标准高于每人每月{cn_yuan(fen_floor(ctx.per_capita / edge))}"
                         f"（家庭人均月收入{cn_yuan(ctx.per_capita)} ÷ {plain(edge)}），收入就低于标准的{plain(edge)}倍",
                         clause, missing=f"{area}低保月标准", needs=[needs(par, above=ctx.per_capita / edge)])
        not_dibao = Condition("not_dibao", None,
                              f"当地{area}低保标准不高于每人每月{cn_yuan(pc)}时，不属于低保家庭；高于{cn_yuan(pc)}时"
                              "属于低保家庭，应先申请低保", clause,
                              missing=f"{area}低保月标准", needs=[needs(par, below=ctx.per_capita)])
    else:
        limit = std * edge
        met = ctx.per_capita < limit
        band = Condition("income_in_edge_band", met,
                         f"家庭人均月收入{cn_yuan(ctx.per_capita)}{'低于' if met else '不低于'}低保标准的"
                         f"{plain(edge)}倍（{cn_yuan(limit)}）", clause)
        not_dibao = Condition("not_dibao", not income_cond.met,
                              "家庭人均收入不低于低保标准，不属于低保家庭" if not income_cond.met
                              else "家庭人均收入低于低保标准，应先申请低保（低保家庭本身即可享受专项救助）",
                              clause)
    outcome = combine([not_dibao, band, ctx.assets_condition(clause)], soft=("assets",))
    if outcome.status in (LIKELY, POSSIBLE):
        outcome.notes.append("低保边缘家庭可申请医疗、教育、住房、就业等专项救助。")
    return outcome

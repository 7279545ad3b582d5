"""低保边缘家庭: not eligible for 低保, per-capita income below 1.5× the local standard, assets within
limits (最低生活保障审核确认办法 第八条; 兜底保障通知). It opens the special assistance programmes."""

from __future__ import annotations

from ..money import plain, yuan_str
from ..rules import LIKELY, POSSIBLE, Condition, Context, Outcome, combine

ID = "dibao_edge"
AREA_CN = {"urban": "城市", "rural": "农村"}


def evaluate(ctx: Context) -> Outcome:
    std = ctx.standard()
    edge = ctx.p("dibao.edge_multiple")
    area = AREA_CN[ctx.household.area]
    dibao = ctx.results["dibao"]
    income_cond = next(c for c in dibao.conditions if c.id == "income_below_standard")
    if std is None:
        band = Condition("income_in_edge_band", None,
                         f"家庭人均月收入 {yuan_str(ctx.per_capita)} 元；{area}低保标准待公布，无法判断是否低于其{plain(edge)}倍",
                         "nat-e-edge", missing=f"{area}低保月标准")
        not_dibao = Condition("not_dibao", None, "不符合低保条件：待低保标准公布后判断", "nat-e-edge",
                              missing=f"{area}低保月标准")
    else:
        limit = std * edge
        met = ctx.per_capita < limit
        band = Condition("income_in_edge_band", met,
                         f"家庭人均月收入 {yuan_str(ctx.per_capita)} 元{'低于' if met else '不低于'}低保标准的"
                         f"{plain(edge)}倍（{yuan_str(limit)} 元）", "nat-e-edge")
        not_dibao = Condition("not_dibao", not income_cond.met,
                              "家庭人均收入不低于低保标准，不属于低保家庭" if not income_cond.met
                              else "家庭人均收入低于低保标准，应先申请低保（低保家庭本身即可享受专项救助）",
                              "nat-e-edge")
    outcome = combine([not_dibao, band, ctx.assets_condition("nat-e-edge")], soft=("assets",))
    if outcome.status in (LIKELY, POSSIBLE):
        outcome.notes.append("低保边缘家庭可申请医疗、教育、住房、就业等专项救助。")
    return outcome

"""Publication readiness: what the town still has to fill in (with a source) before the handbook is
complete, and what a higher authority still has to publish where the law moved a power (powers.yaml
`pending`: what is missing and who must publish it). `make data` prints it as warnings; the strict
mode fails while anything is pending."""

from __future__ import annotations


def pending_items(bundle: dict) -> list[tuple[str, str]]:
    """(where, what) pairs, in a stable order."""
    items = []
    for pid, par in bundle["parameters"].items():
        if not par["values"]:
            items.append((f"policy_data/parameters/{par['group']}.yaml: {par['name']}",
                          f"{par['description']}：尚无数值（待公布）"))
    labels = {"phone": "电话", "address": "地址", "hours": "办公时间"}
    for table, file in (("offices", "offices.yaml"), ("access_points", "access_points.yaml")):
        for o in bundle[table]:
            missing = [labels[k] for k, v in o["contact"].items() if v is None]
            if missing:
                items.append((f"policy_data/{file}: {o['id']}", f"{o['name']}：{'、'.join(missing)}待公布"))
    guidance = {s["id"] for s in bundle["sources"] if s["kind"] == "guidance"}
    for p in bundle["programmes"]:
        if p["apply"]["bring_source"] in guidance and p["apply"]["bring"]:
            items.append((f"policy_data/programmes/{p['id']}.yaml: apply.bring",
                          f"{p['name']}：申请材料清单为经办常规提示，待民政办确认"))
    for pw in bundle.get("powers") or []:
        if pw.get("pending"):
            items.append((f"policy_data/powers.yaml: {pw['id']}",
                          f"{pw['title']}：{pw['pending']['what']}；应由{pw['pending']['who']}公布"))
    return items


def report(bundle: dict) -> str:
    items = pending_items(bundle)
    if not items:
        return "发布检查：没有待公布的项目。"
    lines = [f"发布检查：{len(items)} 项待公布（警告）："]
    lines += [f"  warning: {where}: {what}" for where, what in items]
    return "\n".join(lines)

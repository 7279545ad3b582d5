// The calculator's result: the answer of calculator.api's "estimate", laid out. Every word of a
// programme, a condition or an amount comes from Python; the clause citations and page addresses
// from form.json.

import { append, el, newId, siteHref } from "./dom.js";

const MARK = { true: "✓", false: "✗", null: "？" };
const MARK_WORD = { true: "符合：", false: "不符合：", null: "不确定：" };

export class Result {
  // section: the (empty) results element; form: the Form (the 填写当地低保标准 button focuses it);
  // onShare(): the 复制分享链接 button.
  constructor(section, data, { form, onShare }) {
    this.section = section;
    this.data = data;
    this.labels = data.labels;
    this.form = form;
    this.onShare = onShare;
    this.printDate = null;
    this.shareBox = null;
    this.qrBox = null;
  }

  hide() {
    this.section.hidden = true;
    this.section.replaceChildren();
    this.printDate = null;
  }

  show(household, r) {
    const d = this.data;
    this.section.replaceChildren();

    const byStatus = Object.fromEntries(d.status.order.map((s) => [s, []]));
    for (const p of r.programmes) (byStatus[p.status] ||= []).push(p);
    const counts = d.status.order.filter((s) => s !== "unlikely" && byStatus[s].length)
      .map((s) => `${d.status.text[s]} ${byStatus[s].length} 项`);

    const title = el("h2", { id: "calc-results-title", tabindex: "-1", text: "测算结果" });
    this.shareBox = el("div", { class: "calc-share no-print", hidden: true });
    this.qrBox = el("figure", { class: "calc-qr", hidden: true });
    const actions = el("div", { class: "calc-actions no-print" },
      el("button", { type: "button", class: "md-button md-button--primary", onclick: () => window.print() }, "打印结果"),
      el("button", { type: "button", class: "md-button", onclick: () => this.onShare() }, "复制分享链接"));
    this.printDate = el("span");
    const meta = el("dl", { class: "calc-meta" },
      el("dt", { text: "测算日期" }), el("dd", { text: r.as_of }),
      el("dt", { text: "政策数据版本" }), el("dd", { text: r.data_version }),
      el("dt", { class: "calc-print-only", text: "打印日期" }), el("dd", { class: "calc-print-only" }, this.printDate));
    const disclaimer = el("div", { class: "admonition warning calc-disclaimer" },
      el("p", { class: "admonition-title", text: "请注意" }), el("p", { text: r.disclaimer }));

    const sections = [];
    for (const s of d.status.order) {
      const list = byStatus[s];
      if (!list.length) continue;
      if (s === "unlikely") {
        sections.push(el("details", { class: "calc-group calc-group--unlikely" },
          el("summary", {}, el("span", { class: "calc-group-title", text: `${d.status.text[s]}（${list.length} 项）` })),
          el("ul", { class: "calc-unlikely" }, list.map((p) => this.unlikelyItem(p)))));
      } else {
        sections.push(el("section", { class: `calc-group calc-group--${s}` },
          el("h3", { text: `${d.status.text[s]}（${list.length} 项）` }),
          list.map((p) => this.programme(p, r))));
      }
    }

    append(this.section, [
      title,
      el("p", { class: "calc-lead", text: counts.length ? `${counts.join("，")}。下面按可能性从高到低排列。` : "根据填写的情况，暂未发现看来符合的救助项目。" }),
      actions, this.shareBox, this.qrBox, meta, disclaimer,
      this.standardsNote(r),
      this.upcomingNote(r),
      this.inputsSummary(household, r),
      sections,
      el("p", { class: "calc-disclaimer-end", text: r.disclaimer }),
    ]);
    this.section.hidden = false;
    title.focus();
  }

  // Standards published ahead of their date, due within the next months: Python's sentences.
  upcomingNote(r) {
    if (!r.upcoming || !r.upcoming.length) return null;
    return el("div", { class: "admonition info calc-upcoming" },
      el("p", { class: "admonition-title", text: "标准将调整" }),
      el("ul", {}, r.upcoming.map((c) => el("li", { text: c.text }))));
  }

  standardsNote(r) {
    const AREA = { urban_dibao_monthly: "城市", rural_dibao_monthly: "农村" };
    const ORIGIN = { input: "您填写的标准", data: "政策数据", pending: "待公布" };
    const items = Object.entries(r.standards).map(([key, s]) => el("li", {},
      `${this.labels[`standards.${key}`]}：`,
      s.value === null ? "待公布" : `${s.value} 元（${ORIGIN[s.origin] || s.origin}${s.effective ? `，${s.effective} 起执行` : ""}）`));
    const pending = Object.entries(r.standards).filter(([, s]) => s.value === null).map(([key]) => AREA[key]);
    const box = el("section", { class: "calc-standards-used" }, el("h3", { text: "用到的低保标准" }), el("ul", {}, items));
    if (pending.length) {
      const button = el("button", { type: "button", class: "md-button no-print" }, "填写当地低保标准");
      button.addEventListener("click", () => {
        const key = `standards.${r.household.area}_dibao_monthly`;
        this.form.focusField(this.form.control(key) || this.form.control("standards.urban_dibao_monthly"));
      });
      append(box, [el("p", { class: "calc-pending" },
        `${pending.join("、")}低保标准待公布，相关金额只能按低保标准的倍数给出。向民政办问清当地标准后，可以填写在表格的“低保标准”一栏，再测算一次。`),
      button]);
    }
    return box;
  }

  inputsSummary(h, r) {
    const d = this.data;
    const c = d.choices;
    const rows = [];
    const yesNo = (v) => (v === true ? "是" : v === false ? "否" : String(v));
    const show = (key, v) => {
      if (v === undefined || v === null) return;
      let text;
      if (c[key] && c[key][v] !== undefined) text = c[key][v];
      else if (typeof v === "boolean") text = yesNo(v);
      else if (typeof v === "object") text = JSON.stringify(v);
      else text = String(v);
      rows.push(el("dt", { text: d.labels[key] || key }), el("dd", { text }));
    };
    for (const key of d.household_keys) {
      if (key === "members") {
        const members = Array.isArray(h.members) ? h.members : [];
        const list = el("ol", {}, members.map((m) => el("li", { text: this.memberText(m) })));
        rows.push(el("dt", { text: `${d.labels.members}（${members.length} 人）` }), el("dd", {}, list));
      } else if (key === "standards") {
        for (const [k, v] of Object.entries(h.standards || {})) show(`standards.${k}`, v);
      } else if (key !== "as_of") show(key, h[key]);
    }
    rows.push(el("dt", { text: "家庭人均月收入（元）" }), el("dd", { text: r.household.per_capita_income_yuan }));
    return el("section", { class: "calc-inputs" }, el("h3", { text: "填写的家庭情况" }), el("dl", {}, rows));
  }

  memberText(m) {
    const c = this.data.choices;
    if (!m || typeof m !== "object") return String(m);
    const parts = [`${m.age} 岁`];
    if (m.sex) parts.push(c.sex[m.sex] || m.sex);
    if (m.disability) parts.push(`${c["disability.kind"][m.disability.kind] || m.disability.kind}${c["disability.grade"][m.disability.grade] || m.disability.grade}`);
    if (m.serious_illness) parts.push("患重特大疾病");
    if (m.student) parts.push(`在读：${c.student[m.student] || m.student}`);
    if (m.veteran) parts.push("退役军人");
    if (m.seeking_work === true) parts.push("未就业、想找工作");
    if (m.seeking_work === false) parts.push("不找工作");
    if (m.two_cancers) parts.push("患宫颈癌或乳腺癌");
    return parts.join("，");
  }

  cite(clauseId) {
    const c = this.data.clauses[clauseId];
    if (!c) return el("span", { text: clauseId });
    return el("a", { href: siteHref(c.href), class: "calc-cite-link", text: c.label, "data-clause": clauseId });
  }

  amount(p) {
    const a = p.amount;
    if (!a) return null;
    let text;
    if ("monthly_yuan" in a) {
      text = a.monthly_yuan !== null
        ? `每月约 ${a.monthly_yuan} 元（${a.formula}）`
        : `按 ${a.formula} 计算；当地低保标准待公布，暂时算不出元数。`;
    } else if (a.min_yuan && a.max_yuan) {
      text = `${a.min_yuan} 元至 ${a.max_yuan} 元（${a.text}）`;
    } else {
      text = a.text;
    }
    return el("p", { class: "calc-amount" }, el("strong", { text: "金额：" }), text);
  }

  conditions(p) {
    return el("ul", { class: "calc-conds" }, p.conditions.map((cond) => {
      const key = String(cond.met);
      return el("li", { class: `calc-cond calc-cond--${key}` },
        el("span", { class: "calc-mark", "aria-hidden": "true", text: MARK[key] }),
        el("span", { class: "calc-sr", text: MARK_WORD[key] }),
        el("span", { text: cond.text }),
        cond.missing ? el("span", { class: "calc-missing", text: `（需要了解：${cond.missing}）` }) : null,
        el("span", { class: "calc-cite" }, "（依据：", this.cite(cond.clause), "）"));
    }));
  }

  programme(p, r) {
    const s = p.next_steps;
    const office = s.office;
    const phone = office.contact && office.contact.phone;
    const officeHref = this.data.offices[office.id];
    const progHref = this.data.programmes[p.id];
    const steps = el("dl", { class: "calc-steps" },
      el("dt", { text: "到哪里办" }),
      el("dd", { text: `${s.apply_at.map((a) => a.name).join("或")}（一门受理）` }),
      el("dt", { text: "负责单位" }),
      el("dd", {}, officeHref ? el("a", { href: siteHref(officeHref), text: office.full_name }) : office.full_name,
        `（电话：${phone || "待公布"}）`,
        s.partners.length ? `；配合单位：${s.partners.map((x) => x.name).join("、")}` : null),
      el("dt", { text: "怎么办" }), el("dd", { text: s.how }),
      s.bring.length ? el("dt", { text: "带什么" }) : null,
      s.bring.length ? el("dd", {}, el("ul", {}, s.bring.map((b) => el("li", { text: b }))),
        s.bring_note ? el("p", { class: "calc-note", text: s.bring_note }) : null) : null,
      s.time_limit ? el("dt", { text: "时限" }) : null,
      s.time_limit ? el("dd", { text: s.time_limit }) : null);
    const headingId = newId("p");
    return el("article", { class: `calc-prog calc-prog--${p.status}`, "aria-labelledby": headingId },
      el("h4", { id: headingId },
        progHref ? el("a", { href: siteHref(progHref), text: p.name }) : p.name,
        el("span", { class: `calc-badge calc-badge--${p.status}`, text: p.status_text })),
      this.amount(p),
      el("p", { class: "calc-sub", text: "条件：" }),
      this.conditions(p),
      p.missing.length ? el("p", { class: "calc-missing-all" }, el("strong", { text: "还需要了解：" }), p.missing.join("；")) : null,
      p.notes.length ? el("ul", { class: "calc-notes" }, p.notes.map((n) => el("li", { text: n }))) : null,
      steps,
      s.one_case ? el("p", { class: "calc-note", text: s.one_case }) : null,
      el("p", { class: "calc-clauses" }, "相关条款：",
        p.clauses.map((cid, i) => [i ? "、" : null, this.cite(cid)])));
  }

  unlikelyItem(p) {
    const failed = p.conditions.filter((cond) => cond.met === false);
    const progHref = this.data.programmes[p.id];
    return el("li", { class: "calc-prog-short" },
      progHref ? el("a", { href: siteHref(progHref), text: p.name }) : p.name,
      failed.map((cond) => el("span", { class: "calc-cond calc-cond--false" }, "：", cond.text,
        el("span", { class: "calc-cite" }, "（依据：", this.cite(cond.clause), "）"))));
  }

  beforePrint() {
    if (!this.printDate) return;
    // The printed sheet lists the unlikely programmes too.
    for (const d of this.section.querySelectorAll("details.calc-group:not([open])")) {
      d.open = true;
      window.addEventListener("afterprint", () => { d.open = false; }, { once: true });
    }
    const now = new Date();
    this.printDate.textContent = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
  }
}

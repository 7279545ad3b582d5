// The calculator's result, laid out. Every word comes from Python: the result's "display"
// (calculator/report.py, the same words as the command line's report); the clause and page
// addresses from form.json. Nothing here phrases an amount, a standard, a member or a rule.
//
// On the screen: the next-step block first, the disclaimer once, then the details, each programme
// collapsed on a phone. On paper (打印结果): one sheet made of the same words (.calc-sheet).

import { append, el, newId, siteHref } from "./dom.js";

const WIDE = "(min-width: 45em)"; // mkdocs-material's tablet breakpoint: details open from there

export class Result {
  // section: the (empty) results element; form: the Form (the 填写当地低保标准 button focuses it);
  // onShare(): the 复制分享链接 button.
  constructor(section, data, { form, onShare }) {
    this.section = section;
    this.data = data;
    this.form = form;
    this.onShare = onShare;
    this.printDate = null;
    this.shareBox = null;
    this.qrBox = null;
    this.rest = null; // lays out the rest of the result shown, until it has
  }

  hide() {
    this.section.hidden = true;
    this.section.replaceChildren();
    this.printDate = null;
    this.rest = null;
  }

  // Lays out the result in two steps: its first screen (the title, the next step, the disclaimer and
  // the buttons) at once, and the details and the printed sheet after the browser has painted that:
  // the details of every programme, all open on a wide screen, are most of the layout's work
  // (160 ms of a 280 ms task on a 2-core desktop), and nobody reads them before the next step.
  // Returns a promise settled when the whole result is on the page (the root's data-runs waits
  // for it); printing before then completes it first.
  show(household, r) {
    const d = r.display;
    const wide = window.matchMedia(WIDE).matches;
    this.section.replaceChildren();
    this.section.setAttribute("aria-busy", "true");
    const title = el("h2", { id: "calc-results-title", tabindex: "-1", text: "测算结果" });
    this.shareBox = el("div", { class: "calc-share no-print", hidden: true });
    this.qrBox = el("figure", { class: "calc-qr", hidden: true });
    const actions = el("div", { class: "calc-actions no-print" },
      el("button", { type: "button", class: "md-button md-button--primary", onclick: () => window.print() }, "打印结果"),
      el("button", { type: "button", class: "md-button", onclick: () => this.onShare() }, "复制分享链接"));
    const screen = el("div", { class: "calc-screen" },
      title,
      el("p", { class: "calc-lead", text: d.lead }),
      this.nextStep(d.next),
      el("div", { class: "admonition warning calc-disclaimer" },
        el("p", { class: "admonition-title", text: "请注意" }), el("p", { text: d.disclaimer })),
      actions, this.shareBox, this.qrBox);
    append(this.section, [screen]);
    this.section.hidden = false;
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" }); // the result from its first line: the next step follows
    return new Promise((resolve) => {
      const rest = this.rest = () => {
        if (this.rest !== rest) return resolve(); // hidden or shown again meanwhile
        this.rest = null;
        append(screen, this.details(d, wide));
        append(this.section, [this.sheet(d)]);
        this.section.removeAttribute("aria-busy");
        resolve();
      };
      // After the next paint (a task after the frame); a hidden tab paints no frame.
      if (document.visibilityState === "visible") requestAnimationFrame(() => setTimeout(rest, 0));
      else setTimeout(rest, 0);
    });
  }

  details(d, wide) {
    const groups = d.groups.map((g) => g.status === "unlikely"
      ? el("details", { class: "calc-group calc-group--unlikely" },
        el("summary", {}, el("span", { class: "calc-group-title", text: g.title })),
        el("ul", { class: "calc-unlikely" }, g.programmes.map((p) => this.unlikelyItem(p))))
      : el("section", { class: `calc-group calc-group--${g.status}` },
        el("h3", { text: g.title }), g.programmes.map((p) => this.programme(p, wide))));
    return [
      el("h3", { class: "calc-details-title", text: "详细结果" }),
      this.rows("dl", "calc-meta", d.meta),
      this.standards(d.standards),
      d.upcoming ? el("div", { class: "admonition info calc-upcoming" },
        el("p", { class: "admonition-title", text: d.upcoming.title }),
        el("ul", {}, d.upcoming.items.map((t) => el("li", { text: t })))) : null,
      el("section", { class: "calc-inputs" }, el("h3", { text: d.household.title }), this.rows("dl", "", d.household.rows)),
      groups,
      d.rights ? el("section", { class: "calc-rights" }, el("h3", { text: d.rights.title }),
        el("ul", {}, d.rights.items.map((t) => el("li", { text: t })))) : null,
      d.bring_note ? el("p", { class: "calc-note calc-bring-note", text: `关于材料：${d.bring_note}` }) : null,
    ];
  }

  // [{label, text | items, note}] as a <dl>.
  rows(tag, cls, rows) {
    return el(tag, { class: cls || null }, rows.map((row) => [
      el("dt", { text: row.label }),
      el("dd", {},
        row.items ? (row.inline ? row.items.join("、") : el("ul", {}, row.items.map((t) => el("li", { text: t }))))
          : row.text,
        row.note ? el("p", { class: "calc-note", text: row.note }) : null),
    ]));
  }

  // One paragraph per row: "label：item、item。note".
  paragraphs(rows) {
    return rows.map((row) => el("p", { class: "calc-next-row" }, el("strong", { text: `${row.label}：` }),
      row.items ? `${row.items.join(row.items.some((t) => t.includes("：")) ? "；" : "、")}。` : row.text,
      row.note ? el("span", { class: "calc-note", text: row.note }) : null));
  }

  nextStep(next) {
    return el("section", { class: "calc-next", "aria-labelledby": "calc-next-title" },
      el("h3", { id: "calc-next-title", text: next.title }), this.paragraphs(next.rows));
  }

  standards(s) {
    const box = el("section", { class: "calc-standards-used" }, el("h3", { text: s.title }), this.rows("dl", "", s.rows));
    if (s.pending) {
      const button = el("button", { type: "button", class: "md-button no-print" }, s.action);
      button.addEventListener("click", () => {
        this.form.focusField(this.form.control(s.field) || this.form.control("standards.urban_dibao_monthly"));
      });
      append(box, [el("p", { class: "calc-pending", text: s.pending }), button]);
    }
    return box;
  }

  cite(c) {
    const where = this.data.clauses[c.clause];
    if (!where) return el("span", { text: c.label });
    return el("a", { href: siteHref(where.href), class: "calc-cite-link", text: c.label, "data-clause": c.clause });
  }

  conditions(p) {
    return el("ul", { class: "calc-conds" }, p.conditions.map((c) => el("li", { class: `calc-cond calc-cond--${c.met}` },
      el("span", { class: "calc-mark", "aria-hidden": "true", text: c.mark }),
      el("span", { class: "calc-sr", text: c.mark_word }),
      el("span", { text: c.text }),
      c.missing ? el("span", { class: "calc-missing", text: `（${c.missing}）` }) : null,
      el("span", { class: "calc-cite" }, "（依据：", this.cite(c), "）"))));
  }

  programmeLink(p) {
    const href = this.data.programmes[p.id];
    return href ? el("a", { href: siteHref(href), text: p.name }) : p.name;
  }

  programme(p, open) {
    const steps = el("dl", { class: "calc-steps" }, p.steps.map((s) => [
      el("dt", { text: s.label }),
      el("dd", {}, s.items ? el("ul", {}, s.items.map((b) => el("li", { text: b })))
        : s.office && this.data.offices[s.office] ? el("a", { href: siteHref(this.data.offices[s.office]), text: s.text })
          : s.text),
    ]));
    const headingId = newId("p");
    return el("details", { class: `calc-prog calc-prog--${p.status}`, open, "aria-labelledby": headingId },
      el("summary", {}, el("h4", { id: headingId }, el("span", { text: p.name }),
        el("span", { class: `calc-badge calc-badge--${p.status}`, text: p.status_text }))),
      el("p", { class: "calc-prog-page" }, "项目说明：", this.programmeLink(p)),
      p.amount ? el("p", { class: "calc-amount" }, el("strong", { text: "金额：" }), p.amount) : null,
      el("p", { class: "calc-sub", text: "条件：" }),
      this.conditions(p),
      p.missing ? el("p", { class: "calc-missing-all", text: p.missing }) : null,
      p.notes.length ? el("ul", { class: "calc-notes" }, p.notes.map((n) => el("li", { text: n }))) : null,
      steps,
      p.one_case ? el("p", { class: "calc-note", text: p.one_case }) : null,
      el("p", { class: "calc-clauses" }, "相关条款：", p.clauses.map((c, i) => [i ? "、" : null, this.cite(c)])));
  }

  unlikelyItem(p) {
    return el("li", { class: "calc-prog-short" }, this.programmeLink(p),
      p.reasons.map((c) => el("span", { class: "calc-cond calc-cond--false" }, "：", c.text,
        el("span", { class: "calc-cite" }, "（依据：", this.cite(c), "）"))));
  }

  // The printed sheet: the same words, compact, for one A4 page.
  sheet(d) {
    this.printDate = el("span");
    const first = new Set((d.next.rows[0] && d.next.rows[0].programmes) || []);
    const all = d.groups.flatMap((g) => g.programmes);
    const detailed = all.filter((p) => first.has(p.id));
    const others = d.groups.filter((g) => g.programmes.some((p) => !first.has(p.id))).map((g) => {
      const rest = g.programmes.filter((p) => !first.has(p.id));
      return el("p", {}, el("strong", { text: rest.length < g.programmes.length ? `${g.label}（其余 ${rest.length} 项）：` : `${g.title}：` }),
        rest.map((p) => p.name).join("、"));
    });
    const line = (rows) => rows.map((r, i) => [i ? "；" : null, `${r.label}：`,
      r.items ? r.items.join(r.inline ? "、" : "；") : r.text]);
    return el("div", { class: "calc-sheet calc-print-only" },
      el("p", { class: "calc-sheet-title" }, el("strong", { text: this.data.site_name || "" }), "　", d.title),
      el("p", { class: "calc-sheet-meta" }, line(d.meta), "；打印日期：", this.printDate),
      el("p", {}, el("strong", { text: `${d.household.title}：` }), line(d.household.rows)),
      el("h3", { text: d.next.title }), this.paragraphs(d.next.rows),
      d.upcoming ? el("p", {}, el("strong", { text: `${d.upcoming.title}：` }), d.upcoming.items.join("；")) : null,
      detailed.map((p) => el("div", { class: "calc-sheet-prog" },
        el("p", {}, el("strong", { text: p.name }), `（${p.status_text}）`, p.amount ? `金额：${p.amount}` : null),
        el("ul", {}, p.conditions.map((c) => el("li", {}, `${c.mark} ${c.text}`,
          el("span", { class: "calc-cite", text: `（依据：${c.label}）` })))))),
      others,
      el("p", { class: "calc-sheet-contact", text: d.contact }),
      el("p", { class: "calc-note", text: d.disclaimer }));
  }

  beforePrint() {
    if (this.rest) this.rest();
    if (!this.printDate) return;
    const now = new Date();
    this.printDate.textContent = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
  }
}

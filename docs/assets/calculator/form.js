// The calculator's form: the household fields, the member rows, form <-> household object
// (collect, fill), and the validation messages beside the fields. The choices, labels and hints
// come from form.json (scripts/calculator_page/form.py); Python checks every value.

import { append, describedBy, el, newId } from "./dom.js";

const TRI = [["", "不清楚"], ["true", "是"], ["false", "否"]];

export class Form {
  // onSubmit(household) runs a household; onClear() is the 清除 button.
  constructor(data, { onSubmit, onClear }) {
    this.data = data;
    this.labels = data.labels;
    this.hints = data.hints;
    this.onSubmit = onSubmit;
    this.onClear = onClear;
    this.element = this.buildForm();
  }

  // ---- fields -------------------------------------------------------------------------------

  hint(key, id) {
    const text = this.hints[key];
    return text ? el("p", { class: "calc-hint", id, text }) : null;
  }

  // A text input with label, unit and hint. `key` is the field's key path inside its scope.
  textField(key, { label, unit, inputmode = "decimal", required = false, type = "text" } = {}) {
    const id = newId("f");
    const hintId = `${id}-hint`;
    const input = el("input", {
      id, type, name: key, "data-key": key, inputmode: type === "text" ? inputmode : null,
      autocomplete: "off", "aria-required": required ? "true" : null,
    });
    const hint = this.hint(key.replace(/^members\.\d+\./, ""), hintId);
    if (hint) describedBy(input, hintId, true);
    return el("div", { class: "calc-field", "data-field": key },
      el("label", { for: id }, label || this.labels[key] || key, required ? el("span", { class: "calc-req", text: "（必填）" }) : null),
      hint,
      el("div", { class: "calc-input-row" }, input, unit ? el("span", { class: "calc-unit", text: unit }) : null));
  }

  // A group of radio buttons; choices = [[value, text], ...]. Value "" means "not given".
  radioField(key, choices, { label, required = false } = {}) {
    const name = newId("r");
    const legendId = `${name}-legend`;
    const hintId = `${name}-hint`;
    const hint = this.hint(key, hintId);
    const options = choices.map(([value, text], i) => {
      const id = `${name}-${i}`;
      const input = el("input", { id, type: "radio", name, value, "data-key": key, checked: !required && i === 0 });
      if (hint) describedBy(input, hintId, true);
      return el("label", { class: "calc-choice", for: id }, input, el("span", { text }));
    });
    return el("fieldset", { class: "calc-field calc-radios", "data-field": key, "aria-labelledby": legendId },
      el("legend", { id: legendId }, label || this.labels[key], required ? el("span", { class: "calc-req", text: "（必填）" }) : null),
      hint, el("div", { class: "calc-choices" }, options));
  }

  selectField(key, choices, { label, empty } = {}) {
    const id = newId("s");
    const hintId = `${id}-hint`;
    const hint = this.hint(key, hintId);
    const select = el("select", { id, name: key, "data-key": key },
      empty !== undefined ? el("option", { value: "", text: empty }) : null,
      Object.entries(choices).map(([value, text]) => el("option", { value, text })));
    if (hint) describedBy(select, hintId, true);
    return el("div", { class: "calc-field", "data-field": key },
      el("label", { for: id, text: label || this.labels[key] }), hint, select);
  }

  checkField(key, { label } = {}) {
    const id = newId("c");
    const hintId = `${id}-hint`;
    const hint = this.hint(key, hintId);
    const input = el("input", { id, type: "checkbox", name: key, "data-key": key, value: "true" });
    if (hint) describedBy(input, hintId, true);
    return el("div", { class: "calc-field calc-check", "data-field": key },
      el("label", { class: "calc-choice", for: id }, input, el("span", { text: label || this.labels[key] })), hint);
  }

  buildForm() {
    const c = this.data.choices;
    this.errorSummary = el("div", { class: "calc-error-summary", tabindex: "-1", hidden: true, role: "alert" });
    this.membersList = el("div", { class: "calc-members-list" });
    this.addButton = el("button", { type: "button", class: "md-button calc-add", onclick: () => this.addMember(true) },
      "＋ 添加一位家庭成员");
    this.memberLive = el("p", { class: "calc-sr", "aria-live": "polite" });
    const members = el("fieldset", { class: "calc-section calc-members", "data-field": "members" },
      el("legend", { text: "家庭成员（共同生活的家庭成员，每人一栏）" }),
      this.membersList, this.addButton, this.memberLive);
    const standards = el("fieldset", { class: "calc-section calc-standards", "data-field": "standards" },
      el("legend", { text: this.labels.standards }), this.hint("standards", newId("h")),
      this.textField("standards.urban_dibao_monthly", { unit: "元/人·月" }),
      this.textField("standards.rural_dibao_monthly", { unit: "元/人·月" }));
    this.more = el("details", { class: "calc-more" },
      el("summary", { text: "更多情况（选填：医疗和教育费用、突发困难、住房等）" }),
      this.textField("medical_expenses_yuan", { unit: "元" }),
      this.textField("education_expenses_yuan", { unit: "元" }),
      this.selectField("emergency", c.emergency, { empty: "没有" }),
      this.radioField("housing_difficulty", TRI),
      this.checkField("poverty_registered"), this.checkField("hardship_worker"), this.checkField("legal_case"),
      this.checkField("homeless"), this.checkField("left_behind"),
      this.textField("as_of", { type: "date" }));
    this.runButton = el("button", { type: "submit", class: "md-button md-button--primary calc-run" }, "开始测算");
    this.clearButton = el("button", { type: "button", class: "md-button calc-clear", onclick: () => this.onClear() },
      "清除");
    const form = el("form", { class: "calc-form no-print", novalidate: true, autocomplete: "off",
      "aria-label": "家庭情况", onsubmit: (e) => { e.preventDefault(); this.onSubmit(this.collect()); } },
      this.errorSummary,
      el("p", { class: "calc-intro", text: "请按实际情况填写。标有“必填”的要填，其他不清楚的可以不填，结果会说明还需要了解什么。" }),
      this.radioField("area", Object.entries(c.area), { required: true }),
      members,
      this.textField("monthly_income_yuan", { unit: "元/月", required: true }),
      this.radioField("supporters", [["", "不清楚"], ...Object.entries(c.supporters)]),
      this.radioField("assets_within_limits", TRI),
      standards, this.more,
      el("div", { class: "calc-buttons" }, this.runButton, this.clearButton));
    this.formEl = form;
    this.addMember(false);
    return form;
  }

  memberRows() {
    return [...this.membersList.querySelectorAll(":scope > .calc-member")];
  }

  addMember(focus) {
    const c = this.data.choices;
    if (this.memberRows().length >= this.data.max_members) return null;
    const legend = el("legend");
    const kind = this.selectField("disability.kind", c["disability.kind"], { empty: "没有残疾", label: this.labels.disability });
    const grade = this.selectField("disability.grade", c["disability.grade"], { empty: "请选择等级" });
    const kindSelect = kind.querySelector("select");
    const gradeSelect = grade.querySelector("select");
    const syncGrade = () => {
      grade.hidden = !kindSelect.value;
      gradeSelect.disabled = !kindSelect.value;
    };
    kindSelect.addEventListener("change", syncGrade);
    const remove = el("button", { type: "button", class: "md-button calc-remove" });
    const row = el("fieldset", { class: "calc-member" }, legend,
      this.textField("age", { unit: "岁", inputmode: "numeric", required: true }),
      kind, grade,
      this.selectField("student", c.student, { empty: "不在上学" }),
      this.checkField("serious_illness"),
      el("details", { class: "calc-member-more" },
        el("summary", { text: "这位成员的更多情况（选填：性别、退役军人、就业等）" }),
        this.radioField("sex", [["", "不填"], ...Object.entries(c.sex)]),
        this.checkField("veteran"),
        this.radioField("seeking_work", TRI),
        this.checkField("two_cancers")),
      remove);
    row.syncGrade = syncGrade;
    syncGrade();
    remove.addEventListener("click", () => this.removeMember(row));
    this.membersList.append(row);
    this.renumber();
    if (focus) {
      this.memberLive.textContent = `已添加第${this.memberRows().length}位家庭成员`;
      row.querySelector("input").focus();
    }
    return row;
  }

  removeMember(row) {
    const rows = this.memberRows();
    if (rows.length <= 1) return;
    const index = rows.indexOf(row);
    row.remove();
    this.renumber();
    this.memberLive.textContent = `已删除第${index + 1}位家庭成员，现在共${rows.length - 1}位`;
    const next = this.memberRows()[Math.min(index, rows.length - 2)];
    next.querySelector("input").focus();
  }

  renumber() {
    const rows = this.memberRows();
    rows.forEach((row, i) => {
      row.dataset.index = String(i);
      row.querySelector(":scope > legend").textContent = `第${i + 1}位家庭成员`;
      const remove = row.querySelector(":scope > .calc-remove");
      remove.textContent = `删除第${i + 1}位家庭成员`;
      remove.hidden = rows.length <= 1;
    });
    this.addButton.disabled = rows.length >= this.data.max_members;
  }

  // ---- form <-> household object ----------------------------------------------------------

  // The control(s) for a key inside a scope element (the form or one member row).
  controls(scope, key) {
    return [...scope.querySelectorAll(`[data-key="${key}"]`)].filter(
      (node) => scope === this.formEl ? !node.closest(".calc-member") : true);
  }

  value(scope, key) {
    const nodes = this.controls(scope, key);
    if (!nodes.length) return "";
    const node = nodes[0];
    if (node.type === "radio") return (nodes.find((n) => n.checked) || { value: "" }).value;
    if (node.type === "checkbox") return node.checked ? "true" : "";
    return node.value.trim();
  }

  setValue(scope, key, value) {
    const nodes = this.controls(scope, key);
    if (!nodes.length) return;
    const text = value === null || value === undefined ? "" : String(value);
    const node = nodes[0];
    if (node.type === "radio") {
      const match = nodes.find((n) => n.value === text) || nodes.find((n) => n.value === "");
      for (const n of nodes) n.checked = n === match;
    } else if (node.type === "checkbox") node.checked = value === true;
    else node.value = text;
  }

  // Money as the command line reads it: a plain number, or the text as typed (Python checks it).
  static money(text) {
    if (text === "") return undefined;
    return /^\d{1,12}(\.\d{1,2})?$/.test(text) ? Number(text) : text;
  }

  static tri(text) {
    return text === "" ? undefined : text === "true";
  }

  collect() {
    const f = this.formEl;
    const h = {};
    const put = (key, value) => { if (value !== undefined && value !== "") h[key] = value; };
    put("as_of", this.value(f, "as_of"));
    put("area", this.value(f, "area"));
    h.members = this.memberRows().map((row) => {
      const m = {};
      const age = this.value(row, "age");
      if (age !== "") m.age = /^\d{1,4}$/.test(age) ? Number(age) : age;
      const kind = this.value(row, "disability.kind");
      if (kind) {
        const grade = this.value(row, "disability.grade");
        m.disability = grade ? { kind, grade: Number(grade) } : { kind };
      }
      if (this.value(row, "serious_illness")) m.serious_illness = true;
      if (this.value(row, "student")) m.student = this.value(row, "student");
      if (this.value(row, "sex")) m.sex = this.value(row, "sex");
      if (this.value(row, "veteran")) m.veteran = true;
      const seeking = Form.tri(this.value(row, "seeking_work"));
      if (seeking !== undefined) m.seeking_work = seeking;
      if (this.value(row, "two_cancers")) m.two_cancers = true;
      return m;
    });
    put("monthly_income_yuan", Form.money(this.value(f, "monthly_income_yuan")));
    put("supporters", this.value(f, "supporters"));
    put("assets_within_limits", Form.tri(this.value(f, "assets_within_limits")));
    put("medical_expenses_yuan", Form.money(this.value(f, "medical_expenses_yuan")));
    put("education_expenses_yuan", Form.money(this.value(f, "education_expenses_yuan")));
    put("emergency", this.value(f, "emergency"));
    const standards = {};
    for (const area of ["urban", "rural"]) {
      const v = Form.money(this.value(f, `standards.${area}_dibao_monthly`));
      if (v !== undefined) standards[`${area}_dibao_monthly`] = v;
    }
    if (Object.keys(standards).length) h.standards = standards;
    put("housing_difficulty", Form.tri(this.value(f, "housing_difficulty")));
    for (const key of ["poverty_registered", "hardship_worker", "legal_case", "homeless", "left_behind"]) {
      if (this.value(f, key)) h[key] = true;
    }
    return h;
  }

  // Show a household object in the form (what the form cannot show, Python reports when it runs).
  fill(h) {
    const f = this.formEl;
    for (const row of this.memberRows()) row.remove();
    const members = Array.isArray(h.members) && h.members.length ? h.members : [{}];
    for (const m of members.slice(0, this.data.max_members)) {
      const row = this.addMember(false);
      const member = m && typeof m === "object" ? m : {};
      this.setValue(row, "age", member.age);
      const d = member.disability && typeof member.disability === "object" ? member.disability : {};
      this.setValue(row, "disability.kind", d.kind);
      this.setValue(row, "disability.grade", d.grade);
      row.syncGrade();
      for (const key of ["student", "sex"]) this.setValue(row, key, member[key]);
      for (const key of ["serious_illness", "veteran", "two_cancers"]) this.setValue(row, key, member[key]);
      this.setValue(row, "seeking_work", typeof member.seeking_work === "boolean" ? member.seeking_work : "");
      if (member.sex || member.veteran || typeof member.seeking_work === "boolean" || member.two_cancers) {
        row.querySelector(".calc-member-more").open = true;
      }
    }
    for (const key of ["as_of", "area", "monthly_income_yuan", "supporters", "medical_expenses_yuan",
      "education_expenses_yuan", "emergency"]) this.setValue(f, key, h[key]);
    for (const key of ["assets_within_limits", "housing_difficulty"]) {
      this.setValue(f, key, typeof h[key] === "boolean" ? h[key] : "");
    }
    for (const key of ["poverty_registered", "hardship_worker", "legal_case", "homeless", "left_behind"]) {
      this.setValue(f, key, h[key]);
    }
    const s = h.standards && typeof h.standards === "object" ? h.standards : {};
    for (const area of ["urban", "rural"]) this.setValue(f, `standards.${area}_dibao_monthly`, s[`${area}_dibao_monthly`]);
    const moreKeys = ["medical_expenses_yuan", "education_expenses_yuan", "emergency", "housing_difficulty",
      "poverty_registered", "hardship_worker", "legal_case", "homeless", "left_behind", "as_of"];
    this.more.open = moreKeys.some((key) => h[key] !== undefined && h[key] !== null && h[key] !== false);
  }

  // ---- validation messages beside the fields ----------------------------------------------

  clearErrors() {
    this.errorSummary.hidden = true;
    this.errorSummary.replaceChildren();
    for (const node of this.formEl.querySelectorAll(".calc-field-error")) node.remove();
    for (const node of this.formEl.querySelectorAll("[aria-invalid]")) {
      node.removeAttribute("aria-invalid");
      for (const id of (node.getAttribute("aria-describedby") || "").split(/\s+/)) {
        if (id.endsWith("-error")) describedBy(node, id, false);
      }
    }
    for (const node of this.formEl.querySelectorAll(".calc-invalid")) node.classList.remove("calc-invalid");
  }

  // The field element ([data-field]) for an error path such as members[1].disability.grade.
  fieldFor(path) {
    const m = /^members\[(\d+)\](?:\.(.*))?$/.exec(path);
    if (m) {
      const row = this.memberRows()[Number(m[1])];
      if (!row) return this.formEl.querySelector('[data-field="members"]');
      let key = m[2] || "";
      while (key) {
        const field = row.querySelector(`[data-field="${key === "disability" ? "disability.kind" : key}"]`);
        if (field) return field;
        key = key.includes(".") ? key.slice(0, key.lastIndexOf(".")) : "";
      }
      return row;
    }
    let key = path;
    while (key) {
      const field = [...this.formEl.querySelectorAll(`[data-field="${key}"]`)].find((n) => !n.closest(".calc-member"));
      if (field) return field;
      key = key.includes(".") ? key.slice(0, key.lastIndexOf(".")) : "";
    }
    return null;
  }

  showErrors(error) {
    this.clearErrors();
    const fields = error.fields || [];
    const placed = [];
    const unplaced = [];
    for (const e of fields) {
      const field = this.fieldFor(e.path);
      if (!field) { unplaced.push(e); continue; }
      const msgId = newId("e") + "-error";
      const message = el("p", { class: "calc-field-error", id: msgId }, el("strong", { text: "请修改：" }), e.message);
      const legend = field.querySelector(":scope > legend");
      if (field.classList.contains("calc-member") && legend) legend.after(message);
      else if (legend) (field.querySelector(":scope > .calc-hint") || legend).after(message);
      else field.querySelector("label").after(message);
      field.classList.add("calc-invalid");
      const inputs = field.matches("input, select") ? [field]
        : [...field.querySelectorAll("input, select")].filter((n) => n.closest("[data-field]") === field || field.classList.contains("calc-member"));
      const targets = field.classList.contains("calc-member") ? inputs.slice(0, 1) : inputs;
      if (!targets.length) { const any = field.querySelector("input, select, button"); if (any) targets.push(any); }
      for (const input of targets) {
        input.setAttribute("aria-invalid", "true");
        describedBy(input, msgId, true);
      }
      placed.push({ e, field, input: targets[0] || field });
    }
    // The summary at the top: every problem, each a link to its field.
    const items = fields.map((e) => {
      const spot = placed.find((p) => p.e === e);
      const text = `${e.label}：${e.message}`;
      if (!spot) return el("li", { text });
      const a = el("a", { href: `#${spot.input.id || ""}`, text });
      a.addEventListener("click", (ev) => { ev.preventDefault(); this.focusField(spot.input); });
      return el("li", {}, a);
    });
    append(this.errorSummary, [el("p", { class: "calc-error-title", text: error.message || "输入有问题，请修改后再试。" }),
      el("ul", {}, items)]);
    this.errorSummary.hidden = false;
    // Focus the first bad field in page order; else the summary.
    const first = placed.map((p) => p.input)
      .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0];
    if (first) this.focusField(first);
    else this.errorSummary.focus();
  }

  focusField(input) {
    for (let d = input.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
    if (input.type === "radio") {
      const group = this.formEl.querySelectorAll(`input[name="${input.name}"]`);
      input = [...group].find((n) => n.checked) || group[0];
    }
    input.focus();
  }

  // ---- state -------------------------------------------------------------------------------

  setBusy(busy, ready) {
    this.runButton.disabled = busy;
    this.runButton.textContent = !busy ? "开始测算" : ready ? "正在测算……" : "正在启动，完成后自动测算……";
  }

  // Empty the form for the next household: one empty member row, the details closed.
  reset() {
    this.clearErrors();
    for (const row of this.memberRows()) row.remove();
    this.formEl.reset();
    this.addMember(false);
    this.more.open = false;
    this.memberLive.textContent = "已清除全部内容，可以为下一户填写。";
    this.formEl.querySelector("input").focus();
  }

  // The first control of a key outside the member rows (e.g. a standard), or null.
  control(key) {
    return this.controls(this.formEl, key)[0] || null;
  }
}

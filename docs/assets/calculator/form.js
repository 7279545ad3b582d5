// The calculator's form: the household fields, the member rows, form <-> household object
// (collect, fill), and the validation messages beside the fields. Every field, its section, label,
// hint, unit, control and choices come from form.json's "form" (calculator/fields.py, the one
// declaration of the household format, via scripts/calculator_page/form.py): no field is named here. Python checks every value.

import { append, describedBy, el, newId } from "./dom.js";

// A group of a level (disability) whose first field says whether the group is given at all: the
// group's other fields show, and are collected, only when it has a value other than the group's
// "none" (没有残疾), which is the group's whole JSON value ("disability": "none").
const gated = (fields) => fields.length > 1 && fields[0].required;

export class Form {
  // onSubmit(household) runs a household; onClear() is the 清除 button.
  constructor(data, { onSubmit, onClear }) {
    this.data = data;
    this.spec = data.form;
    this.onSubmit = onSubmit;
    this.onClear = onClear;
    this.unbuilt = new Map(); // a collapsed section's <details> -> what builds its fields (collapsed())
    this.element = this.buildForm();
  }

  // The declared fields of a level ("household" or "member"), in order.
  fields(level) {
    return this.spec.sections.filter((s) => s.level === level).flatMap((s) => s.fields);
  }

  // The fields of each group of a level: {disability: [kind, grade], standards: [...]}.
  groups(level) {
    const out = {};
    for (const f of this.fields(level)) {
      if (f.key.includes(".")) (out[f.key.split(".")[0]] ||= []).push(f);
    }
    return out;
  }

  // ---- fields -------------------------------------------------------------------------------

  hint(text, id) {
    return text ? el("p", { class: "calc-hint", id, text }) : null;
  }

  // A text input with label, unit and hint.
  textField(f, { inputmode = "decimal", type = "text" } = {}) {
    const id = newId("f");
    const hintId = `${id}-hint`;
    const input = el("input", {
      id, type, name: f.key, "data-key": f.key, inputmode: type === "text" ? inputmode : null,
      autocomplete: "off", "aria-required": f.required ? "true" : null,
    });
    const hint = this.hint(f.hint, hintId);
    if (hint) describedBy(input, hintId, true);
    return el("div", { class: "calc-field", "data-field": f.key },
      el("label", { for: id }, f.label, f.required ? el("span", { class: "calc-req", text: "（必填）" }) : null),
      hint,
      el("div", { class: "calc-input-row" }, input, f.unit ? el("span", { class: "calc-unit", text: f.unit }) : null));
  }

  // A group of radio buttons; choices = [[value, text], ...]. Value "" means "not given".
  radioField(f, choices) {
    const name = newId("r");
    const legendId = `${name}-legend`;
    const hintId = `${name}-hint`;
    const hint = this.hint(f.hint, hintId);
    const options = choices.map(([value, text], i) => {
      const id = `${name}-${i}`;
      const input = el("input", { id, type: "radio", name, value, "data-key": f.key, checked: !f.required && i === 0 });
      if (hint) describedBy(input, hintId, true);
      return el("label", { class: "calc-choice", for: id }, input, el("span", { text }));
    });
    return el("fieldset", { class: "calc-field calc-radios", "data-field": f.key, "aria-labelledby": legendId },
      el("legend", { id: legendId }, f.label, f.required ? el("span", { class: "calc-req", text: "（必填）" }) : null),
      hint, el("div", { class: "calc-choices" }, options));
  }

  selectField(f, choices, empty) {
    const id = newId("s");
    const hintId = `${id}-hint`;
    const hint = this.hint(f.hint, hintId);
    const select = el("select", { id, name: f.key, "data-key": f.key },
      empty ? el("option", { value: "", text: empty }) : null,
      choices.map(([value, text]) => el("option", { value, text })));
    if (hint) describedBy(select, hintId, true);
    return el("div", { class: "calc-field", "data-field": f.key },
      el("label", { for: id, text: f.label }), hint, select);
  }

  checkField(f) {
    const id = newId("c");
    const hintId = `${id}-hint`;
    const hint = this.hint(f.hint, hintId);
    const input = el("input", { id, type: "checkbox", name: f.key, "data-key": f.key, value: "true" });
    if (hint) describedBy(input, hintId, true);
    return el("div", { class: "calc-field calc-check", "data-field": f.key },
      el("label", { class: "calc-choice", for: id }, input, el("span", { text: f.label })), hint);
  }

  // The control of one declared field, as its widget says. The first field of a group (残疾类别)
  // carries the group's hint, unless its section shows it already.
  field(f, s) {
    const [name, inner] = f.key.split(".");
    const group = inner ? this.spec.groups[name] : null;
    if (group && !f.hint && !s.hint && this.groups(f.level)[name][0] === f) f = { ...f, hint: group.hint };
    const choices = f.choices.map(([value, text]) => [String(value), text]);
    if (f.widget === "radio") return this.radioField(f, f.required ? choices : [["", f.empty || "不清楚"], ...choices]);
    if (f.widget === "select") return this.selectField(f, choices, f.empty || f.prompt);
    if (f.widget === "check") return this.checkField(f);
    if (f.widget === "date") return this.textField(f, { type: "date" });
    return this.textField(f, { inputmode: f.kind === "integer" ? "numeric" : "decimal" });
  }

  // A section's fields, inside what the section is: plain, a fieldset with a legend (and the hint
  // of its group), or a collapsed <details> (advanced), whose fields are built later (collapsed()).
  section(s, cls, inner) {
    if (s.advanced) {
      const details = el("details", { class: cls, "data-section": s.id }, el("summary", { text: s.title }));
      return this.collapsed(details, s.fields.map((f) => () => this.field(f, s)), s.fields.map((f) => f.key));
    }
    inner ||= s.fields.map((f) => this.field(f, s));
    if (!s.title) return inner;
    return el("fieldset", { class: `calc-section calc-${s.id}`, "data-field": s.id, "data-section": s.id },
      el("legend", { text: s.title }), s.hint ? this.hint(s.hint, newId("h")) : null, inner);
  }

  // A collapsed section is built without its fields (parts: what builds each). They follow once the
  // form is on screen, a few at a time (buildLater()), or all at once where they are needed first:
  // the section is opened, or one of its fields is read, filled or marked (built()). On a phone
  // with its CPU 4x slower, building the whole form in one task held the page's thread for 0.25 s
  // (Lighthouse's blocking time), and the collapsed sections hold more than half of its fields.
  collapsed(details, parts, keys) {
    this.unbuilt.set(details, { parts, keys });
    const now = () => this.built(details);
    details.querySelector(":scope > summary").addEventListener("click", now); // before it opens
    details.addEventListener("toggle", now); // opened otherwise (find in page)
    if (this.unbuilt.size === 1) this.buildLater();
    return details;
  }

  // Build the rest of the collapsed sections within a scope (the form, a member row or one
  // <details>), or only of the one holding a key's field.
  built(scope = this.formEl, key = null) {
    if (!this.unbuilt.size) return;
    for (const [details, { parts, keys }] of [...this.unbuilt]) {
      if (key !== null && !keys.includes(key)) continue;
      if (!scope.contains(details)) continue;
      this.unbuilt.delete(details);
      append(details, parts.map((part) => part()));
    }
  }

  // After the next frame, fields for SLICE_MS at a time, in order, then the next task; the
  // sections of a member row removed meanwhile are dropped.
  buildLater() {
    const SLICE_MS = 8;
    const next = () => {
      const start = performance.now();
      for (const [details, { parts }] of this.unbuilt) {
        if (!this.formEl.contains(details)) { this.unbuilt.delete(details); continue; }
        while (parts.length && performance.now() - start < SLICE_MS) append(details, [parts.shift()()]);
        if (parts.length) break;
        this.unbuilt.delete(details);
      }
      if (this.unbuilt.size) setTimeout(next);
    };
    requestAnimationFrame(() => setTimeout(next));
  }

  buildForm() {
    this.errorSummary = el("div", { class: "calc-error-summary", tabindex: "-1", hidden: true, role: "alert" });
    this.membersList = el("div", { class: "calc-members-list" });
    this.addButton = el("button", { type: "button", class: "md-button calc-add", onclick: () => this.addMember(true) },
      "＋ 添加一位家庭成员");
    this.memberLive = el("p", { class: "calc-sr", "aria-live": "polite" });
    const parts = this.spec.sections.filter((s) => s.level === "household").map((s) => (s.id === "members"
      ? this.section(s, "", [this.membersList, this.addButton, this.memberLive])
      : this.section(s, "calc-more")));
    this.runButton = el("button", { type: "submit", class: "md-button md-button--primary calc-run" }, "开始测算");
    this.clearButton = el("button", { type: "button", class: "md-button calc-clear", onclick: () => this.onClear() },
      "清除");
    const form = el("form", { class: "calc-form no-print", novalidate: true, autocomplete: "off",
      "aria-label": "家庭情况", onsubmit: (e) => { e.preventDefault(); this.onSubmit(this.collect()); } },
      this.errorSummary,
      el("p", { class: "calc-intro", text: "请按实际情况填写。标有“必填”的要填，其他不清楚的可以不填，结果会说明还需要了解什么。" }),
      parts,
      el("div", { class: "calc-buttons" }, this.runButton, this.clearButton));
    this.formEl = form;
    this.addMember(false);
    return form;
  }

  memberRows() {
    return [...this.membersList.querySelectorAll(":scope > .calc-member")];
  }

  // Show a gated group's other fields only when its first field has a value (not its "none").
  syncGroups(scope, level) {
    for (const [name, fields] of Object.entries(this.groups(level))) {
      if (!gated(fields)) continue;
      const first = this.value(scope, fields[0].key);
      const on = Boolean(first) && first !== this.spec.groups[name].none;
      for (const f of fields.slice(1)) {
        const box = scope.querySelector(`[data-field="${f.key}"]`);
        box.hidden = !on;
        for (const input of box.querySelectorAll("input, select")) input.disabled = !on;
      }
    }
  }

  addMember(focus) {
    if (this.memberRows().length >= this.data.max_members) return null;
    const legend = el("legend");
    const remove = el("button", { type: "button", class: "md-button calc-remove" });
    const row = el("fieldset", { class: "calc-member" }, legend,
      this.spec.sections.filter((s) => s.level === "member").map((s) => this.section(s, "calc-member-more")),
      remove);
    row.syncGrade = () => this.syncGroups(row, "member");
    row.addEventListener("change", row.syncGrade);
    row.syncGrade();
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
    this.built(scope, key);
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

  // A control's text as the JSON value of its field (undefined: not given). Money and whole numbers
  // as plain numbers where they are plain, else the text as typed: Python checks it.
  static read(f, text) {
    if (text === "") return undefined;
    if (f.kind === "flag") return text === "true";
    if (f.kind === "money") return /^\d{1,12}(\.\d{1,2})?$/.test(text) ? Number(text) : text;
    if (f.kind === "integer") return /^\d{1,4}$/.test(text) ? Number(text) : text;
    return text;
  }

  // One level's object (the household without its members, or one member) from a scope.
  collectLevel(scope, level) {
    const obj = {};
    const groups = this.groups(level);
    for (const f of this.fields(level)) {
      const [name, inner] = f.key.split(".");
      if (inner && gated(groups[name])) {
        const first = this.value(scope, groups[name][0].key);
        if (!first) continue;  // not given: left out (unknown)
        const none = this.spec.groups[name].none;
        if (none && first === none) { obj[name] = none; continue; }  // "disability": "none"
      }
      const value = Form.read(f, this.value(scope, f.key));
      if (value === undefined) continue;
      if (inner) (obj[name] ||= {})[inner] = value;
      else obj[name] = value;
    }
    return obj;
  }

  collect() {
    const h = this.collectLevel(this.formEl, "household");
    return { ...h, members: this.memberRows().map((row) => this.collectLevel(row, "member")) };
  }

  // Show one level's object in a scope; open a collapsed section that holds a given value.
  fillLevel(scope, level, obj) {
    for (const s of this.spec.sections.filter((x) => x.level === level)) {
      let given = false;
      for (const f of s.fields) {
        const [name, inner] = f.key.split(".");
        const outer = obj[name];
        const none = inner ? this.spec.groups[name].none : "";
        let value = inner ? (outer && typeof outer === "object" ? outer[inner] : undefined) : outer;
        // a group answered "none" shows as its first field's choice of that value (没有残疾)
        if (none && outer === none) value = this.groups(level)[name][0] === f ? none : undefined;
        if (f.kind === "flag" && typeof value !== "boolean") value = "";
        this.setValue(scope, f.key, value);
        given ||= value !== undefined && value !== null && value !== "" && !(value === false && f.widget === "check");
      }
      const details = s.advanced ? scope.querySelector(`details[data-section="${s.id}"]`) : null;
      if (details) details.open = given;
    }
  }

  // Show a household object in the form (what the form cannot show, Python reports when it runs).
  fill(h) {
    for (const row of this.memberRows()) row.remove();
    const members = Array.isArray(h.members) && h.members.length ? h.members : [{}];
    for (const m of members.slice(0, this.data.max_members)) {
      const row = this.addMember(false);
      this.fillLevel(row, "member", m && typeof m === "object" ? m : {});
      row.syncGrade();
    }
    this.fillLevel(this.formEl, "household", h);
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
      const groups = this.groups("member");
      while (key) {
        // a member group's own path (the disability object) shows at its first field
        const field = row.querySelector(`[data-field="${groups[key] ? groups[key][0].key : key}"]`);
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
    this.built();
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
      // Not a navigation: no fragment, no history entry (and instant navigation, listening on the
      // body, must not push one after the fact either).
      a.addEventListener("click", (ev) => { ev.preventDefault(); ev.stopPropagation(); this.focusField(spot.input); });
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
    for (const d of this.formEl.querySelectorAll("details")) d.open = false;
    this.memberLive.textContent = "已清除全部内容，可以为下一户填写。";
    this.formEl.querySelector("input").focus();
  }

  // The first control of a key outside the member rows (e.g. a standard), or null.
  control(key) {
    return this.controls(this.formEl, key)[0] || null;
  }
}

// The calculator page (docs/calculator.md): form -> plain household object -> Web Worker (Python,
// calculator.api.handle) -> JSON -> page. This file moves data only: no threshold, no eligibility
// rule and no amount is computed here. The form's choices, labels and hints and the clause
// citations come from assets/calculator/form.json, written at build time from the Python package
// (scripts/calculator_page/form.py).
//
// Every text from data is put in the page with textContent, never as HTML.
//
// Under mkdocs-material's instant navigation this module is evaluated once per browser tab; the
// page is (re)mounted on every `document$` emission, and the worker lives on `window`, so leaving
// the calculator and coming back reuses the running interpreter.

const HERE = new URL(".", import.meta.url); // .../assets/calculator/
const SITE = new URL("../../", HERE); // the site root
const HOUSEHOLD_PREFIX = "#household=";

// ---------------------------------------------------------------- the worker (one per tab)

const RT = (window.__shiqiaoCalculator ||= {
  worker: null,
  stage: "loading", // loading | ready | error
  step: "init", // init | download | python | calculator | ready | error
  detail: null,
  readyMs: null,
  slow: false, // still loading after a minute
  pending: new Map(),
  nextId: 1,
  listeners: new Set(),
  formData: null, // Promise<form.json>
  swRegistered: false,
  timeline: [], // [{step, ms}] since the worker started: shown to nobody, read by the benchmark
  calls: [], // [{op, ms}] round trip of each request to the worker, likewise
  view: null, // the View on screen
  runs: 0, // runs so far in this tab (the root's data-runs)
  inflight: null, // {household, hash} of the run under way
  shown: null, // {household, response, hash} of the last run, in memory only (清除 forgets it)
  generation: 0, // bumped by 清除: answers to earlier runs are then dropped
  traversedAt: -Infinity, // when the browser last went back or forward
});

function notify() {
  RT.timeline.push({ step: RT.step, ms: Math.round(performance.now() - RT.t0) });
  for (const listener of RT.listeners) listener();
}

function startWorker() {
  if (RT.worker) return RT.worker;
  RT.t0 = performance.now();
  const worker = new Worker(new URL("worker.js", HERE), { type: "module" });
  RT.worker = worker;
  worker.onmessage = (event) => {
    const m = event.data || {};
    if (m.type === "progress") {
      if (m.stage === "download") RT.step = "download";
      else if (m.stage === "start") RT.step = m.detail && m.detail.what === "calculator" ? "calculator" : "python";
      else if (m.stage === "ready") {
        RT.step = "ready";
        RT.stage = "ready";
        RT.readyMs = m.detail && m.detail.ms;
        registerServiceWorker();
      } else if (m.stage === "error") {
        RT.step = "error";
        RT.stage = "error";
        RT.detail = String(m.detail);
      }
      notify();
      return;
    }
    const resolve = RT.pending.get(m.id);
    if (resolve) {
      RT.pending.delete(m.id);
      resolve(m);
    }
  };
  worker.onerror = (event) => {
    RT.stage = "error";
    RT.step = "error";
    RT.detail = String(event.message || "worker error");
    for (const [id, resolve] of RT.pending) resolve({ id, ok: false, error: { message: RT.detail } });
    RT.pending.clear();
    notify();
  };
  worker.postMessage({ type: "init" });
  // Pyodide does not always report a failed download (it may wait for ever): say so after a while.
  setTimeout(() => {
    if (RT.stage !== "loading") return;
    RT.slow = true;
    notify();
  }, 60_000);
  return worker;
}

// Ask Python: resolves to the parsed JSON of calculator.api.handle(op, payload), or throws.
function call(op, payload) {
  const worker = startWorker();
  return new Promise((resolve, reject) => {
    const id = RT.nextId++;
    const sent = performance.now();
    RT.pending.set(id, (m) => {
      RT.calls.push({ op, ms: Math.round(performance.now() - sent) });
      if (m.ok) resolve(m.result);
      else reject(new Error(m.error ? m.error.message : "error"));
    });
    worker.postMessage({ id, op, payload });
  });
}

function loadFormData() {
  RT.formData ||= fetch(new URL("form.json", HERE)).then((r) => {
    if (!r.ok) throw new Error(`form.json: HTTP ${r.status}`);
    return r.json();
  });
  return RT.formData;
}

// The offline service worker (sw.js at the site root, written at build time). Registered once the
// calculator has loaded, so that its precache finds the runtime already in the HTTP cache.
function registerServiceWorker() {
  if (RT.swRegistered || !("serviceWorker" in navigator)) return;
  RT.swRegistered = true;
  navigator.serviceWorker.register(new URL("sw.js", SITE), { scope: SITE.pathname }).catch(() => {
    RT.swRegistered = false; // e.g. not a secure context: the site still works online
  });
}

// ---------------------------------------------------------------- small DOM helpers

let uid = 0;
const newId = (what) => `calc-${what}-${++uid}`;

// el("p", {class: "x"}, "text", child, ...): strings become text nodes (never parsed as HTML).
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "checked") node.defaultChecked = node.checked = Boolean(value);
    else if (key === "hidden" || key === "open" || key === "disabled") node[key] = Boolean(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function siteHref(path) {
  return new URL(path, SITE).href;
}

function describedBy(input, id, add) {
  const ids = new Set((input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
  if (add) ids.add(id);
  else ids.delete(id);
  if (ids.size) input.setAttribute("aria-describedby", [...ids].join(" "));
  else input.removeAttribute("aria-describedby");
}

// ---------------------------------------------------------------- base64url of UTF-8 JSON

export function encodeHousehold(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeHousehold(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
}

// ---------------------------------------------------------------- the view

const STEP_TEXT = {
  init: "正在准备测算程序……",
  download: "正在下载测算程序……",
  python: "正在启动测算程序……",
  calculator: "正在载入政策规则……",
  ready: "测算程序已就绪。",
  error: "测算程序没能加载。",
};
const STEP_VALUE = { init: 0, download: 1, python: 2, calculator: 3, ready: 4, error: 0 };
const MARK = { true: "✓", false: "✗", null: "？" };
const MARK_WORD = { true: "符合：", false: "不符合：", null: "不确定：" };
const TRI = [["", "不清楚"], ["true", "是"], ["false", "否"]];

class View {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.labels = data.labels;
    this.hints = data.hints;
    this.last = null; // {household, result} of the last run, for print and share
    this.blobUrl = null;
    root.replaceChildren();
    root.classList.add("calc");
    root.setAttribute("data-runs", String(RT.runs));
    this.status = this.buildStatus();
    this.form = this.buildForm();
    this.results = el("section", { class: "calc-results", "aria-labelledby": "calc-results-title", hidden: true });
    this.batch = this.buildBatch();
    append(root, [this.status, this.form, this.results, this.batch]);
    this.onState = () => this.showState();
    RT.listeners.add(this.onState);
    this.onHash = () => this.fromFragment();
    window.addEventListener("hashchange", this.onHash);
    this.onBeforePrint = () => this.beforePrint();
    window.addEventListener("beforeprint", this.onBeforePrint);
    this.showState();
  }

  alive() {
    if (this.root.isConnected) return true;
    RT.listeners.delete(this.onState);
    window.removeEventListener("hashchange", this.onHash);
    window.removeEventListener("beforeprint", this.onBeforePrint);
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    return false;
  }

  // ---- progress ---------------------------------------------------------------------------

  buildStatus() {
    this.progressBar = el("progress", { max: "4", value: "0", "aria-hidden": "true" });
    this.progressText = el("span", { class: "calc-status-text" });
    return el("div", { class: "calc-status no-print", role: "status", "aria-live": "polite" },
      this.progressBar, this.progressText);
  }

  showState() {
    if (!this.alive()) return;
    this.root.dataset.state = RT.stage;
    this.progressBar.value = STEP_VALUE[RT.step];
    this.progressBar.hidden = RT.step === "ready" || RT.step === "error";
    let text = STEP_TEXT[RT.step];
    if (RT.step === "download" && this.data.runtime_bytes) {
      text = `正在下载测算程序（约 ${Math.round(this.data.runtime_bytes / 1e6)} MB，下载一次后可离线使用）……`;
    }
    if (RT.step !== "ready" && RT.step !== "error") {
      text += RT.slow ? "加载比平常慢。如果一直没有完成，请检查网络后刷新页面。" : "您可以先填写下面的表格。";
    }
    if (RT.step === "error") text += `请检查网络后刷新页面再试。（${RT.detail || ""}）`;
    this.progressText.textContent = text;
    this.status.classList.toggle("calc-status--error", RT.step === "error");
    this.status.classList.toggle("calc-status--ready", RT.step === "ready");
  }

  // ---- form -------------------------------------------------------------------------------

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
    this.clearButton = el("button", { type: "button", class: "md-button calc-clear", onclick: () => this.clear() },
      "清除");
    const form = el("form", { class: "calc-form no-print", novalidate: true, autocomplete: "off",
      "aria-label": "家庭情况", onsubmit: (e) => { e.preventDefault(); this.run(this.collect()); } },
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
      const seeking = View.tri(this.value(row, "seeking_work"));
      if (seeking !== undefined) m.seeking_work = seeking;
      if (this.value(row, "two_cancers")) m.two_cancers = true;
      return m;
    });
    put("monthly_income_yuan", View.money(this.value(f, "monthly_income_yuan")));
    put("supporters", this.value(f, "supporters"));
    put("assets_within_limits", View.tri(this.value(f, "assets_within_limits")));
    put("medical_expenses_yuan", View.money(this.value(f, "medical_expenses_yuan")));
    put("education_expenses_yuan", View.money(this.value(f, "education_expenses_yuan")));
    put("emergency", this.value(f, "emergency"));
    const standards = {};
    for (const area of ["urban", "rural"]) {
      const v = View.money(this.value(f, `standards.${area}_dibao_monthly`));
      if (v !== undefined) standards[`${area}_dibao_monthly`] = v;
    }
    if (Object.keys(standards).length) h.standards = standards;
    put("housing_difficulty", View.tri(this.value(f, "housing_difficulty")));
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

  // ---- running ------------------------------------------------------------------------------

  // Run a household. The answer is shown by whichever view of the calculator is on screen when it
  // arrives: instant navigation may have re-rendered the page meanwhile (mkdocs-material fetches
  // the page again on the first fragment change after a full load).
  async run(household) {
    const generation = RT.generation;
    RT.inflight = { household, hash: location.hash };
    this.clearErrors();
    this.setBusy(true);
    let response;
    try {
      response = await call("estimate", household);
    } catch (err) {
      response = { ok: false, error: { message: `测算出错：${err.message}`, fields: [] } };
    }
    RT.inflight = null;
    RT.runs += 1;
    if (generation !== RT.generation) return; // 清除 was pressed meanwhile: show nothing
    RT.shown = { household, response, hash: location.hash };
    const view = RT.view && RT.view.alive() ? RT.view : null;
    if (view) {
      view.setBusy(false);
      view.present();
    }
  }

  setBusy(busy) {
    this.runButton.disabled = busy;
    this.runButton.textContent = !busy ? "开始测算"
      : RT.stage === "ready" ? "正在测算……" : "正在启动，完成后自动测算……";
  }

  // Show RT.shown: the result, or the validation messages beside their fields.
  present() {
    const { household, response } = RT.shown;
    this.clearErrors();
    if (response.ok) {
      this.last = { household, result: response.result };
      this.showResult(household, response.result);
    } else {
      this.last = null;
      this.hideResult();
      this.showErrors(response.error);
    }
    this.root.setAttribute("data-runs", String(RT.runs));
  }

  fromFragment() {
    if (!this.alive()) return;
    const hash = location.hash;
    if (!hash.startsWith(HOUSEHOLD_PREFIX)) return;
    let household;
    try {
      household = decodeHousehold(hash.slice(HOUSEHOLD_PREFIX.length));
    } catch (err) {
      this.showErrors({ message: "链接中的家庭信息无法读取：链接可能不完整，请重新复制整个链接。", fields: [] });
      return;
    }
    this.fill(household && typeof household === "object" && !Array.isArray(household) ? household : {});
    // The object from the link runs as it is, so the result is what the command line gives for it.
    this.run(household);
  }

  hideResult() {
    this.results.hidden = true;
    this.results.replaceChildren();
    const old = this.root.querySelector("#calculator-result");
    if (old) old.remove();
  }

  // For automated checks and staff export: exactly the command line's --json output. One element,
  // updated in place by every run (so a MutationObserver on it sees each new result).
  publish(r) {
    let json = this.root.querySelector("#calculator-result");
    if (!json) {
      json = el("script", { type: "application/json", id: "calculator-result" });
      this.root.append(json);
    }
    json.textContent = JSON.stringify(r);
  }

  // ---- results --------------------------------------------------------------------------------

  showResult(household, r) {
    const d = this.data;
    this.results.replaceChildren();
    this.publish(r);

    const byStatus = Object.fromEntries(d.status.order.map((s) => [s, []]));
    for (const p of r.programmes) (byStatus[p.status] ||= []).push(p);
    const counts = d.status.order.filter((s) => s !== "unlikely" && byStatus[s].length)
      .map((s) => `${d.status.text[s]} ${byStatus[s].length} 项`);

    const title = el("h2", { id: "calc-results-title", tabindex: "-1", text: "测算结果" });
    this.shareBox = el("div", { class: "calc-share no-print", hidden: true });
    this.qrBox = el("figure", { class: "calc-qr", hidden: true });
    const actions = el("div", { class: "calc-actions no-print" },
      el("button", { type: "button", class: "md-button md-button--primary", onclick: () => window.print() }, "打印结果"),
      el("button", { type: "button", class: "md-button", onclick: () => this.share() }, "复制分享链接"));
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

    append(this.results, [
      title,
      el("p", { class: "calc-lead", text: counts.length ? `${counts.join("，")}。下面按可能性从高到低排列。` : "根据填写的情况，暂未发现看来符合的救助项目。" }),
      actions, this.shareBox, this.qrBox, meta, disclaimer,
      this.standardsNote(r),
      this.inputsSummary(household, r),
      sections,
      el("p", { class: "calc-disclaimer-end", text: r.disclaimer }),
    ]);
    this.results.hidden = false;
    title.focus();
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
        const input = this.controls(this.formEl, key)[0] || this.controls(this.formEl, "standards.urban_dibao_monthly")[0];
        this.focusField(input);
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
    if (!this.alive() || !this.printDate) return;
    // The printed sheet lists the unlikely programmes too.
    for (const d of this.results.querySelectorAll("details.calc-group:not([open])")) {
      d.open = true;
      window.addEventListener("afterprint", () => { d.open = false; }, { once: true });
    }
    const now = new Date();
    this.printDate.textContent = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
  }

  // ---- share ---------------------------------------------------------------------------------

  shareLink() {
    const { household, result } = this.last;
    const h = { ...household };
    if (!h.as_of) h.as_of = result.as_of; // the link shows the same result on another day
    const base = location.href.split("#")[0];
    return `${base}${HOUSEHOLD_PREFIX}${encodeHousehold(h)}`;
  }

  async share() {
    if (!this.last) return;
    const link = this.shareLink();
    const id = newId("share");
    const input = el("input", { id, type: "text", readonly: true, class: "calc-share-link", value: link });
    const status = el("p", { role: "status", class: "calc-share-status" });
    this.shareBox.replaceChildren(
      el("label", { for: id, text: "分享链接（包含填写的家庭情况，打开即可看到同样的结果；信息只在链接里，不经过任何服务器）" }),
      input, status);
    this.shareBox.hidden = false;
    try {
      const { qrSvg } = await import(new URL("qr.js", HERE).href);
      this.qrBox.replaceChildren(qrSvg(link, { label: "分享链接的二维码" }),
        el("figcaption", { text: "用手机扫描二维码，可打开同样的测算结果。" }));
      this.qrBox.hidden = false;
    } catch (err) {
      this.qrBox.hidden = true; // too long for a QR code: the link above still works
    }
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch (err) {
      input.select();
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    }
    RT.copied = RT.copied || copied;
    status.textContent = copied ? "链接已复制，可以粘贴到微信或短信里发送。" : "请长按或右键复制上面的链接。";
    input.focus();
    input.select();
  }

  // ---- clear ---------------------------------------------------------------------------------

  clear() {
    this.last = null;
    RT.shown = null;
    RT.generation += 1;
    this.setBusy(false);
    this.hideResult();
    this.clearErrors();
    for (const row of this.memberRows()) row.remove();
    this.formEl.reset();
    this.addMember(false);
    this.more.open = false;
    this.clearBatch();
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    if (RT.copied) {
      RT.copied = false; // the copied link holds the household: empty the clipboard too
      navigator.clipboard.writeText("").catch(() => {});
    }
    this.memberLive.textContent = "已清除全部内容，可以为下一户填写。";
    this.formEl.querySelector("input").focus();
  }

  // ---- batch screening -----------------------------------------------------------------------

  buildBatch() {
    const id = newId("roster");
    this.rosterInput = el("input", { id, type: "file", accept: ".csv,.jsonl,text/csv", "aria-describedby": `${id}-hint` });
    this.batchStatus = el("p", { class: "calc-batch-status", role: "status" });
    this.batchLink = el("a", { class: "md-button", hidden: true });
    this.batchButton = el("button", { type: "button", class: "md-button md-button--primary", onclick: () => this.screen() }, "开始筛查");
    return el("section", { class: "calc-batch no-print", "aria-labelledby": "calc-batch-title" },
      el("h2", { id: "calc-batch-title", text: "批量筛查名单（工作人员用）" }),
      el("p", {}, "选择一个名单文件，在这台设备上逐户测算，得到一张结果表格（CSV，可用 Excel 打开）。名单不会上传到任何地方。名单格式见",
        el("a", { href: siteHref(this.data.roster_template), download: "名单模板.csv", text: "名单模板" }),
        "：每人一行，同一户的人用相同的户编号。"),
      el("div", { class: "calc-field" },
        el("label", { for: id, text: "名单文件（CSV，UTF-8 编码；或 JSONL）" }),
        el("p", { class: "calc-hint", id: `${id}-hint`, text: "如填写了上面的“测算日期”和“低保标准”，名单中的每一户都按它们测算。" }),
        this.rosterInput),
      el("div", { class: "calc-buttons" }, this.batchButton),
      this.batchStatus, this.batchLink);
  }

  clearBatch() {
    this.rosterInput.value = "";
    this.batchStatus.textContent = "";
    this.batchLink.hidden = true;
    this.batchLink.removeAttribute("href");
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    this.blobUrl = null;
  }

  async screen() {
    const file = this.rosterInput.files && this.rosterInput.files[0];
    this.batchLink.hidden = true;
    if (!file) {
      this.batchStatus.textContent = "请先选择名单文件。";
      this.rosterInput.focus();
      return;
    }
    let text;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch (err) {
      this.batchStatus.textContent = "这个文件不是 UTF-8 编码。请在 Excel 中选“另存为”→“CSV UTF-8（逗号分隔）”，再选择保存的文件。";
      return;
    }
    const request = { text, format: /\.jsonl$/i.test(file.name) ? "jsonl" : "csv" };
    const asOf = this.value(this.formEl, "as_of");
    if (asOf) request.as_of = asOf;
    const standards = this.collect().standards;
    if (standards) request.standards = standards;
    this.batchButton.disabled = true;
    this.batchStatus.textContent = RT.stage === "ready" ? "正在筛查……" : "测算程序正在启动，启动后开始筛查……";
    let response;
    try {
      response = await call("screen", request);
    } catch (err) {
      response = { ok: false, error: { message: err.message } };
    } finally {
      this.batchButton.disabled = false;
    }
    if (!this.alive()) return;
    if (!response.ok) {
      this.batchStatus.textContent = `无法筛查：${response.error.message}`;
      return;
    }
    const r = response.result;
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    this.blobUrl = URL.createObjectURL(new Blob([r.csv], { type: "text/csv;charset=utf-8" }));
    const name = `筛查结果-${file.name.replace(/\.[^.]*$/, "")}.csv`;
    this.batchLink.href = this.blobUrl;
    this.batchLink.download = name;
    this.batchLink.textContent = `下载筛查结果（${name}）`;
    this.batchLink.hidden = false;
    this.batchStatus.textContent = `已筛查 ${r.households} 户` + (r.errors ? `，其中 ${r.errors} 户的信息有误（见表格最后一列）` : "") + "。结果表格已开始下载。";
    this.batchLink.click();
  }
}

// ---------------------------------------------------------------- mounting

async function mount() {
  const root = document.getElementById("calculator");
  if (!root || root.__calcMounted) return;
  root.__calcMounted = true;
  startWorker(); // loading starts as soon as the page opens
  let data;
  try {
    data = await loadFormData();
  } catch (err) {
    RT.formData = null;
    root.dataset.state = "error";
    root.replaceChildren(el("p", { class: "calc-status calc-status--error", role: "alert",
      text: `测算器没能加载（${err.message}）。请检查网络后刷新页面。` }));
    return;
  }
  if (!root.isConnected) return;
  const view = new View(root, data);
  RT.view = view;
  const hash = location.hash;
  const link = hash.startsWith(HOUSEHOLD_PREFIX);
  if (RT.inflight && RT.inflight.hash === hash) {
    // The same page re-rendered while a run is under way: its answer will be shown here.
    view.fill(RT.inflight.household);
    view.setBusy(true);
  } else if (RT.shown && (link ? RT.shown.hash === hash : performance.now() - RT.traversedAt < 10_000)) {
    // The same page re-rendered, or "back" from a clause or office page: show the same again.
    view.fill(RT.shown.household);
    view.present();
  } else if (link) {
    view.fromFragment();
  } else {
    RT.shown = null; // opened afresh: start empty
  }
}

if (!RT.popstateBound) {
  RT.popstateBound = true;
  window.addEventListener("popstate", () => { RT.traversedAt = performance.now(); });
}

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => mount());
}
mount();

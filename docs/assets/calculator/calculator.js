// The calculator page (docs/calculator.md): form -> plain household object -> Web Worker (Python,
// calculator.api.handle) -> JSON -> page. These modules move data only: no threshold, no eligibility
// rule and no amount is computed here. The form's choices, labels and hints and the clause
// citations come from assets/calculator/form.json, written at build time from the Python package
// (scripts/calculator_page/form.py), and into the page itself (scripts/calculator_page/page.py).
//
//   calculator.js  this file: the page's view (progress, running, 清除) and mounting
//   runtime.js     the worker client (one worker per tab), form.json, the service worker
//   form.js        the form, collect() and fill(), validation messages
//   result.js      the result, laid out
//   share.js       the share link
//   batch.js       batch screening of a roster
//   dom.js         small DOM helpers
//
// Every text from data is put in the page with textContent, never as HTML.
//
// Under mkdocs-material's instant navigation this module is evaluated once per browser tab; the
// page is (re)mounted on every `document$` emission, and the worker lives on `window`, so leaving
// the calculator and coming back reuses the running interpreter.

import { RT, call, formDataInPage, loadFormData, settled, startWorker } from "./runtime.js";
import { append, el } from "./dom.js";
import { Form } from "./form.js";
import { Result } from "./result.js";
import { HOUSEHOLD_PREFIX, decodeHousehold, forgetCopied, share } from "./share.js";
import { Batch } from "./batch.js";

export { encodeHousehold, decodeHousehold } from "./share.js";

const STEP_TEXT = {
  init: "正在准备测算程序……",
  download: "正在下载测算程序……",
  python: "正在启动测算程序……",
  calculator: "正在载入政策规则……",
  ready: "测算程序已就绪。",
  error: "测算程序没能加载。",
};
const STEP_VALUE = { init: 0, download: 1, python: 2, calculator: 3, ready: 4, error: 0 };

class View {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.last = null; // {household, result} of the last run, for print and share
    root.replaceChildren();
    root.classList.add("calc");
    root.setAttribute("data-runs", String(RT.runs));
    this.status = this.buildStatus();
    this.form = new Form(data, { onSubmit: (household) => this.run(household), onClear: () => this.clear() });
    const results = el("section", { class: "calc-results", "aria-labelledby": "calc-results-title", hidden: true });
    this.result = new Result(results, data, { form: this.form, onShare: () => this.share() });
    this.batch = new Batch(data, { form: this.form, alive: () => this.alive() });
    append(root, [this.status, this.form.element, results, this.batch.element]);
    this.onState = () => this.showState();
    RT.listeners.add(this.onState);
    this.onHash = () => this.fromFragment();
    window.addEventListener("hashchange", this.onHash);
    this.onBeforePrint = () => { if (this.alive()) this.result.beforePrint(); };
    window.addEventListener("beforeprint", this.onBeforePrint);
    this.showState();
  }

  alive() {
    if (this.root.isConnected) return true;
    RT.listeners.delete(this.onState);
    settled();
    window.removeEventListener("hashchange", this.onHash);
    window.removeEventListener("beforeprint", this.onBeforePrint);
    this.batch.release();
    return false;
  }

  // ---- progress ---------------------------------------------------------------------------

  buildStatus() {
    this.progressBar = el("progress", { max: "4", value: "0", "aria-hidden": "true" });
    this.progressText = el("span", { class: "calc-status-text" });
    const status = el("div", { class: "calc-status no-print", role: "status", "aria-live": "polite" },
      this.progressBar, this.progressText);
    this.statusHeight = 0;
    if (typeof ResizeObserver === "function") {
      this.statusSize = new ResizeObserver(([entry]) => {
        const box = entry.borderBoxSize && entry.borderBoxSize[0];
        if (box && box.blockSize) this.statusHeight = box.blockSize;
        if (RT.step === "ready" || RT.step === "error") this.statusSize.disconnect();
      });
      this.statusSize.observe(status);
    }
    return status;
  }

  showState() {
    if (!this.alive()) return;
    // When loading ends the message gets shorter (测算程序已就绪。): the box keeps its height, or the
    // form below it would move up while the reader may be filling it in (a layout shift of 0.018 in
    // Lighthouse on a phone, where the loading message takes two lines).
    // Its height is the one last laid out (statusHeight), not read here: reading offsetHeight
    // forced a layout of the whole page, 0.15 s on a phone with its CPU 4x slower.
    const done = RT.step === "ready" || RT.step === "error";
    if (done && this.statusHeight && !this.status.style.minHeight) {
      this.status.style.minHeight = `${this.statusHeight}px`;
    }
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

  // ---- running ------------------------------------------------------------------------------

  // Run a household. The answer is shown by whichever view of the calculator is on screen when it
  // arrives: instant navigation may have re-rendered the page meanwhile (mkdocs-material fetches
  // the page again on the first fragment change after a full load).
  async run(household) {
    const generation = RT.generation;
    RT.inflight = { household, hash: location.hash };
    this.form.clearErrors();
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
    this.form.setBusy(busy, RT.stage === "ready");
  }

  // Show RT.shown: the result, or the validation messages beside their fields. The root's
  // data-runs counts the runs shown in full (the result's details come a frame after its first
  // screen).
  present() {
    const { household, response } = RT.shown;
    const runs = String(RT.runs);
    this.form.clearErrors();
    if (response.ok) {
      this.last = { household, result: response.result };
      this.publish(response.result);
      this.result.show(household, response.result).then(() => {
        this.root.setAttribute("data-runs", runs);
        settled();
      });
    } else {
      this.last = null;
      this.hideResult();
      this.form.showErrors(response.error);
      this.root.setAttribute("data-runs", runs);
      settled();
    }
  }

  fromFragment() {
    if (!this.alive()) return;
    const hash = location.hash;
    if (!hash.startsWith(HOUSEHOLD_PREFIX)) return;
    let household;
    try {
      household = decodeHousehold(hash.slice(HOUSEHOLD_PREFIX.length));
    } catch (err) {
      this.form.showErrors({ message: "链接中的家庭信息无法读取：链接可能不完整，请重新复制整个链接。", fields: [] });
      settled();
      return;
    }
    this.form.fill(household && typeof household === "object" && !Array.isArray(household) ? household : {});
    // The object from the link runs as it is, so the result is what the command line gives for it.
    this.run(household);
  }

  hideResult() {
    this.result.hide();
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

  share() {
    if (this.last) return share(this.last, this.result.shareBox, this.result.qrBox);
  }

  // ---- clear ---------------------------------------------------------------------------------

  clear() {
    this.last = null;
    RT.shown = null;
    RT.generation += 1;
    this.setBusy(false);
    this.hideResult();
    this.batch.clear();
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    forgetCopied();
    this.form.reset();
  }
}

// ---------------------------------------------------------------- mounting

async function mount() {
  const root = document.getElementById("calculator");
  if (!root || root.__calcMounted) return;
  root.__calcMounted = true;
  startWorker(); // loading starts as soon as the page opens
  let data = formDataInPage();
  if (!data) {
    try {
      data = await loadFormData();
    } catch (err) {
      RT.formData = null;
      root.dataset.state = "error";
      root.replaceChildren(el("p", { class: "calc-status calc-status--error", role: "alert",
        text: `测算器没能加载（${err.message}）。请检查网络后刷新页面。` }));
      settled();
      return;
    }
  }
  if (!root.isConnected) return;
  const view = new View(root, data);
  RT.view = view;
  const hash = location.hash;
  const link = hash.startsWith(HOUSEHOLD_PREFIX);
  if (RT.inflight && RT.inflight.hash === hash) {
    // The same page re-rendered while a run is under way: its answer will be shown here.
    view.form.fill(RT.inflight.household);
    view.setBusy(true);
  } else if (RT.shown && (link ? RT.shown.hash === hash : performance.now() - RT.traversedAt < 10_000)) {
    // The same page re-rendered, or "back" from a clause or office page: show the same again. This
    // view counts that run (data-runs) once it has shown it in full (present), not before.
    root.setAttribute("data-runs", String(RT.runs - 1));
    view.form.fill(RT.shown.household);
    view.present();
  } else if (link) {
    view.fromFragment();
  } else {
    RT.shown = null; // opened afresh: start empty
  }
  if (!RT.firstRunDue) settled(); // opened without a link: the form is what it was opened for
}

if (!RT.popstateBound) {
  RT.popstateBound = true;
  window.addEventListener("popstate", () => { RT.traversedAt = performance.now(); });
}

// The theme's document$ emits on every page instant navigation shows. Loaded in full, the
// calculator page loads the theme's script after this module (runtime.js, settled()), and
// sends DOMContentLoaded again once it has run; reached by instant navigation, it is there already.
function followTheme() {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => mount());
    return true;
  }
  return false;
}
if (!followTheme()) {
  const onLoaded = () => {
    if (followTheme()) document.removeEventListener("DOMContentLoaded", onLoaded);
  };
  document.addEventListener("DOMContentLoaded", onLoaded);
}
mount();

// The worker client: one Web Worker per browser tab (worker.js: Python, calculator.api.handle),
// the page's form data (form.json) and the offline service worker's registration. The state lives
// on `window`, so that under mkdocs-material's instant navigation leaving the calculator and coming
// back reuses the running interpreter.

import { HERE, HOUSEHOLD_PREFIX, SITE } from "./dom.js";

export const RT = (window.__shiqiaoCalculator ||= {
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
  // Opened with a share link: the offline copy waits until its result is shown (settled()).
  firstRunDue: location.hash.startsWith(HOUSEHOLD_PREFIX),
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

// Where the runtime and the wheel are and Pyodide's lock file, written into the page by the build
// (data-runtime on #calculator and on the head's script that starts the worker,
// scripts/calculator_page/page.py) and handed to the worker as its name (worker.js), so that it
// starts without a manifest.json round trip, Pyodide without a pyodide-lock.json one, and neither
// waits for a message from this page. Without it the worker reads manifest.json.
function runtimeName() {
  const root = document.querySelector("#calculator[data-runtime]") || document.querySelector("script[data-runtime]");
  const text = (root && root.dataset.runtime) || "";
  try {
    return JSON.parse(text) ? text : "";
  } catch (err) {
    return "";
  }
}

// The worker: the one the head's script started while the page was being parsed
// (window.__shiqiaoBoot, with the events it received before this module ran), or a new one, when
// the page was reached by instant navigation (the theme swaps the content, not the head) or that
// script did not run.
function adoptOrCreate() {
  const boot = window.__shiqiaoBoot;
  window.__shiqiaoBoot = null;
  if (boot && boot.worker) return { worker: boot.worker, t0: boot.t0, early: boot.take() };
  const name = runtimeName();
  const t0 = performance.now();
  const worker = new Worker(new URL("worker.js", HERE), { type: "module", name });
  if (!name) worker.postMessage({ type: "init" });
  return { worker, t0, early: [] };
}

function onProgress(m) {
  if (m.stage === "download") RT.step = "download";
  else if (m.stage === "start") RT.step = m.detail && m.detail.what === "calculator" ? "calculator" : "python";
  else if (m.stage === "ready") {
    RT.step = "ready";
    RT.stage = "ready";
    RT.readyMs = m.detail && m.detail.ms;
    offlineCopyWhenSettled();
  } else if (m.stage === "error") {
    RT.step = "error";
    RT.stage = "error";
    RT.detail = String(m.detail);
  }
  notify();
}

function onMessage(event) {
  const m = event.data || {};
  if (m.type === "progress") {
    onProgress(m);
    return;
  }
  const resolve = RT.pending.get(m.id);
  if (resolve) {
    RT.pending.delete(m.id);
    resolve(m);
  }
}

function onError(event) {
  RT.stage = "error";
  RT.step = "error";
  RT.detail = String(event.message || "worker error");
  for (const [id, resolve] of RT.pending) resolve({ id, ok: false, error: { message: RT.detail } });
  RT.pending.clear();
  notify();
}

export function startWorker() {
  if (RT.worker) return RT.worker;
  const { worker, t0, early } = adoptOrCreate();
  RT.t0 = t0;
  RT.worker = worker;
  worker.onmessage = onMessage;
  worker.onerror = onError;
  for (const event of early) (event.type === "error" ? onError : onMessage)(event);
  // Pyodide does not always report a failed download (it may wait for ever): say so after a while.
  setTimeout(() => {
    if (RT.stage !== "loading") return;
    RT.slow = true;
    notify();
  }, 60_000 - (performance.now() - t0));
  return worker;
}

// Ask Python: resolves to the parsed JSON of calculator.api.handle(op, payload), or throws.
export function call(op, payload) {
  const worker = startWorker();
  return new Promise((resolve, reject) => {
    const id = RT.nextId++;
    const sent = performance.now();
    RT.pending.set(id, (m) => {
      RT.calls.push({ op, ms: Math.round(performance.now() - sent) });
      if (!m.ok) return reject(new Error(m.error ? m.error.message : "error"));
      try {
        resolve(JSON.parse(m.json)); // the worker sends Python's text (worker.js, Protocol)
      } catch (err) {
        reject(err);
      }
    });
    worker.postMessage({ id, op, payload });
  });
}

// The form data written into the page by the build (scripts/calculator_page/page.py), when it is
// this module's build's: at once, with no request. Otherwise null, and loadFormData() fetches it.
export function formDataInPage() {
  const node = document.getElementById("calculator-form");
  if (!node || !node.content || !node.dataset.base) return null;
  try {
    if (new URL(node.dataset.base, document.baseURI).href !== HERE.href) return null;
    const data = JSON.parse(node.content.textContent);
    RT.formData ||= Promise.resolve(data);
    return data;
  } catch (err) {
    return null;
  }
}

export function loadFormData() {
  RT.formData ||= fetch(new URL("form.json", HERE)).then((r) => {
    if (!r.ok) throw new Error(`form.json: HTTP ${r.status}`);
    return r.json();
  });
  return RT.formData;
}

// The offline service worker (sw.js at the site root, written at build time). Registered once the
// calculator has loaded, so that its precache finds the runtime already in the HTTP cache, and, on
// a page opened with a share link, once that link's result is shown: installing copies the whole
// site and checks each file by sha256, and a trace of a first visit on a 2-core machine showed it
// busy for 0.8 s while the first estimate was being computed.
function offlineCopyWhenSettled() {
  if (RT.stage === "ready" && !RT.firstRunDue) registerServiceWorker();
}

// The page has shown what it was opened for (the link's result, or why it could not be run), or
// the calculator has left the page: nothing more waits for the offline copy, nor, once a run has
// been shown, for the theme.
export function settled() {
  RT.firstRunDue = false;
  offlineCopyWhenSettled();
  if (RT.runs > 0) loadTheme();
}

// The theme's script and the handbook's: the build lists them in <template id="calculator-theme">
// instead of loading them with the page (scripts/calculator_page/page.py says why). Loaded once, in
// order, when a household's result (or why it could not be run) has been shown (settled()): its
// clause and office links then open through instant navigation, and "back" shows the same result
// again. Before that, only when the reader first reaches for what the theme does: scrolls (its
// header title and back-to-top button), or touches, focuses or types anywhere outside the
// calculator (its search, menu and shortcuts; a link followed before the theme has run opens as an
// ordinary page). With the CPU 4x slower the theme's script and its first run on the page take the
// page's thread for 0.3-0.5 s, and nothing in the form needs them. The theme's document$ emits on
// DOMContentLoaded, which has happened by then: the event is sent again once the theme's script has
// run (calculator.js and the handbook's script follow document$ as on any page). A page reached by
// instant navigation has no such template.
const THEME_WANTED = ["scroll", "pointerdown", "focusin", "keydown"];

function wantTheme(event) {
  // Not while a result is being run or shown, until its view counts it as shown in full (data-runs):
  // the result scrolls itself into view, and the theme would come before its details. settled()
  // loads the theme once the result is shown in full.
  const root = document.getElementById("calculator");
  if (RT.firstRunDue || RT.inflight || (root && Number(root.dataset.runs || 0) < RT.runs)) return;
  const inside = event.target instanceof Element && event.target.closest("#calculator");
  if (event.type === "scroll" || !inside) loadTheme();
}

if (document.getElementById("calculator-theme")) {
  for (const type of THEME_WANTED) window.addEventListener(type, wantTheme, { capture: true, passive: true });
}

function loadTheme() {
  const later = document.getElementById("calculator-theme");
  for (const type of THEME_WANTED) window.removeEventListener(type, wantTheme, { capture: true });
  if (!later) return;
  later.remove();
  const sources = (later.dataset.scripts || "").split(" ").filter(Boolean);
  sources.forEach((src, i) => {
    const script = document.createElement("script");
    script.src = new URL(src, document.baseURI).href;
    script.async = false; // in the listed order: the handbook's script uses the theme's
    if (i === 0) {
      // In a task of its own: the theme's script and what it does on DOMContentLoaded (laying out
      // its header, sidebars and search) were one task of 0.2-0.3 s with the CPU 4x slower.
      script.addEventListener("load", () => setTimeout(() => {
        if (document.readyState !== "loading") document.dispatchEvent(new Event("DOMContentLoaded"));
      }), { once: true });
    }
    document.body.append(script);
  });
}

function registerServiceWorker() {
  if (RT.swRegistered || !("serviceWorker" in navigator)) return;
  RT.swRegistered = true;
  navigator.serviceWorker.register(new URL("sw.js", SITE), { scope: SITE.pathname }).catch(() => {
    RT.swRegistered = false; // e.g. not a secure context: the site still works online
  });
}

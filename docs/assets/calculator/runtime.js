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
// (data-runtime on #calculator, and on start.js's <script> in the head, which runs before
// #calculator is parsed), so that the worker starts without a manifest.json round trip and
// Pyodide without a pyodide-lock.json one. Without it the worker reads manifest.json.
function runtimeConfig() {
  const root = document.querySelector("#calculator[data-runtime]") || document.querySelector("script[data-runtime]");
  try {
    const c = JSON.parse((root && root.dataset.runtime) || "null");
    if (!c) return {};
    return { pyodideBase: new URL(c.pyodide_base, SITE).href, wheelUrl: new URL(c.wheel, SITE).href,
             lockFileContents: c.lock };
  } catch (err) {
    return {};
  }
}

export function startWorker() {
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
        offlineCopyWhenSettled();
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
  worker.postMessage({ type: "init", ...runtimeConfig() });
  // Pyodide does not always report a failed download (it may wait for ever): say so after a while.
  setTimeout(() => {
    if (RT.stage !== "loading") return;
    RT.slow = true;
    notify();
  }, 60_000);
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
      if (m.ok) resolve(m.result);
      else reject(new Error(m.error ? m.error.message : "error"));
    });
    worker.postMessage({ id, op, payload });
  });
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
// the calculator has left the page: nothing more waits for the offline copy.
export function settled() {
  RT.firstRunDue = false;
  offlineCopyWhenSettled();
}

function registerServiceWorker() {
  if (RT.swRegistered || !("serviceWorker" in navigator)) return;
  RT.swRegistered = true;
  navigator.serviceWorker.register(new URL("sw.js", SITE), { scope: SITE.pathname }).catch(() => {
    RT.swRegistered = false; // e.g. not a secure context: the site still works online
  });
}

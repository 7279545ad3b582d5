// The floor: a page that only starts Pyodide, in a module worker as the calculator does (so that
// both run Python off the main thread and the CPU throttling of the page hits both alike).
// ?base= is the directory of pyodide.mjs: bench/pyodide/ (the stock npm files) or the site's runtime.
const base = new URL(new URLSearchParams(location.search).get("base") || "./pyodide/", location.href).href;
const worker = new Worker(new URL("bare-worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  if (event.data.ok) window.__benchBare = performance.now();
  else window.__benchBareError = event.data.error;
};
worker.postMessage({ base });

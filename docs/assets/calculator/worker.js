// Calculator Web Worker (ES module): runs the `calculator` Python package in a
// self-hosted Pyodide. Start it with
//   new Worker(new URL("assets/calculator/worker.js", siteRoot), {type: "module", name})
// where `name`, if given, is the page's runtime configuration as JSON text, paths relative to the
// site root: {"pyodide_base": "assets/pyodide/<hash>/", "wheel": "assets/calculator/<file>.whl",
// "lock": {pyodide-lock.json's contents}} (the calculator page's data-runtime, written by the build:
// scripts/calculator_page/page.py). Python then starts as soon as this module runs, without waiting
// for a first message: the page's thread forwards messages to a starting worker only when it is
// free, and on a slow phone busy parsing and laying out the page that was 0.2-0.4 s later.
//
// Protocol
//   page -> worker, optional first message when the worker has no such name (all fields optional):
//     {type: "init", pyodideBase, manifestUrl, wheelUrl, lockFileContents}
//       pyodideBase  directory URL of pyodide.mjs      default: manifest.pyodide_base
//       manifestUrl  URL of manifest.json              default: <site root>/assets/calculator/manifest.json
//       wheelUrl     URL of the calculator wheel       default: manifest.wheel
//       lockFileContents  pyodide-lock.json's JSON     default: manifest.lock
//     (manifest paths are relative to the site root, ../../ from this file; manifest.json is read
//     only when pyodideBase or wheelUrl is missing)
//     Any other first message starts the worker with the defaults and is handled as a request.
//     A worker started by its name ignores init messages.
//   page -> worker, request:  {id, op, payload}
//       payload is any JSON-serialisable value (default {}); it is passed to Python as JSON text.
//   worker -> page, response: {id, ok: true, json}         json = handle(op, payload_json), the JSON text
//                             {id, ok: false, error: {name, message}}
//       The answer goes as the text Python wrote, parsed by the page: cloning a parsed result (an
//       object of some 60,000 characters of JSON) to the page's thread took it 15-18 ms per result,
//       longer than parsing its text there (a chromium trace of the page, warm results).
//   worker -> page, progress: {type: "progress", stage, detail}
//       stage "download"  detail {what: "pyodide" | "wheel", url}
//             "start"     detail {what: "python" | "calculator"}
//             "ready"     detail {ms, pyodide, wheel}
//             "error"     detail "<message>" (every later request answers ok: false)
//   Requests sent before "ready" are queued and answered once the calculator is loaded.
//
// All calculator logic lives in Python: this file only loads it and forwards
// each request to calculator.api.handle(op: str, payload_json: str) -> str.

const HERE = new URL(".", import.meta.url);
// (this file is in assets/calculator/ or, in a build, in the content-named assets/calculator-<hash>/)
const SITE_ROOT = new URL("../../", HERE);
const t0 = performance.now();

let ready = null; // Promise<handle function>, created by the name (at once) or by the first message
const WHEEL_PATH = "/lib/shiqiao_calculator.whl"; // in Pyodide's file system
const PYTHON_ARGS = ["-S"]; // as scripts/runtime/stdlib.mjs records the modules the calculator loads

function progress(stage, detail) {
  self.postMessage({ type: "progress", stage, detail });
}

function describe(err) {
  return {
    name: (err && err.name) || "Error",
    message: String((err && err.message) || err),
  };
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`GET ${url} -> HTTP ${response.status}`);
  }
  return response;
}

async function start(config) {
  let { pyodideBase, wheelUrl, lockFileContents } = config;
  if (!pyodideBase || !wheelUrl) {
    const manifestUrl = config.manifestUrl ? new URL(config.manifestUrl, HERE)
      : new URL("assets/calculator/manifest.json", SITE_ROOT);
    const manifest = await (await fetchOk(manifestUrl)).json();
    pyodideBase ||= new URL(manifest.pyodide_base, SITE_ROOT).href;
    wheelUrl ||= new URL(manifest.wheel, SITE_ROOT).href;
    lockFileContents ||= manifest.lock;
  }
  pyodideBase = new URL(pyodideBase, HERE).href;
  wheelUrl = new URL(wheelUrl, HERE).href;

  // Start the wheel download and the interpreter start-up in parallel.
  progress("download", { what: "wheel", url: wheelUrl });
  const wheelPromise = fetchOk(wheelUrl).then((r) => r.arrayBuffer());
  progress("download", { what: "pyodide", url: pyodideBase });
  const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideBase).href);
  progress("start", { what: "python" });
  // The lock file's contents, when known, spare Pyodide a request (it lists no package). Python
  // starts as `python -S`: site's main() would add site-packages (empty: the calculator is the wheel
  // on sys.path, below) and look for .pth files and customize modules, and it was 0.1-0.2 s of
  // Python's start in the browser (the worker's marks, alternated over fresh browsers).
  const pyodide = await loadPyodide({
    indexURL: pyodideBase, packages: [], args: PYTHON_ARGS,
    ...(lockFileContents ? { lockFileContents, packageBaseUrl: pyodideBase } : {}),
  });

  progress("start", { what: "calculator" });
  // The wheel is imported as it is, a zip on sys.path (its members are stored, bytecode and the
  // policy bundle, which calculator/bundle.py reads through its module's loader), not unpacked
  // into site-packages first: unpacking went through Python's zipfile and shutil, file by file.
  pyodide.FS.writeFile(WHEEL_PATH, new Uint8Array(await wheelPromise));
  pyodide.pyimport("sys").path.insert(0, WHEEL_PATH);
  const handle = pyodide.pyimport("calculator.api").handle;

  progress("ready", {
    ms: Math.round(performance.now() - t0),
    pyodide: pyodide.version,
    wheel: wheelUrl,
  });
  return handle;
}

async function answer(message) {
  const { id, op } = message;
  try {
    const handle = await ready;
    const payloadJson = JSON.stringify(message.payload === undefined ? {} : message.payload);
    const resultJson = handle(String(op), payloadJson);
    self.postMessage({ id, ok: true, json: resultJson });
  } catch (err) {
    self.postMessage({ id, ok: false, error: describe(err) });
  }
}

// The configuration in the worker's name (see the top of this file), as start() takes it; null when
// the name is empty or not a runtime configuration.
function namedConfig() {
  let c = null;
  try {
    c = JSON.parse(self.name || "null");
  } catch (err) {
    return null;
  }
  if (!c || typeof c.pyodide_base !== "string" || typeof c.wheel !== "string") return null;
  return { pyodideBase: new URL(c.pyodide_base, SITE_ROOT).href, wheelUrl: new URL(c.wheel, SITE_ROOT).href,
           lockFileContents: c.lock || undefined };
}

function begin(config) {
  ready = start(config);
  ready.catch((err) => progress("error", describe(err).message));
}

const named = namedConfig();
if (named) begin(named);

self.onmessage = (event) => {
  const message = event.data || {};
  if (ready === null) {
    const isInit = message.type === "init";
    begin(isInit ? message : {});
    if (isInit) return;
  } else if (message.type === "init") {
    return; // already started; a second init is ignored
  }
  answer(message);
};

// Pyodide, run by Node, working on its own standard library (driven by scripts/runtime/stdlib.py).
// The Python it runs inside Pyodide is in in_pyodide.py, next to this file.
//
//   node stdlib.mjs record <pyodide dir> <calculator wheel> <requests.json> [<stdlib zip>]
//       Starts Pyodide with its full python_stdlib.zip (or the given one), puts the calculator wheel on
//       sys.path exactly as docs/assets/calculator/worker.js does, imports calculator.api, runs
//       calculator.api.handle(op, payload) on every [op, payload_json] of requests.json, provokes a
//       Python error seen from JavaScript (its traceback is formatted in Python), then prints
//       {"modules": the modules loaded from the zip, "stdlib": every module name the zip holds,
//        "answers": sha256 of each answer (or of "raised: <message>"), "failures": how many raised}.
//
//   node stdlib.mjs build <pyodide dir> <modules.txt> <out.zip>
//       Writes out.zip: the modules listed in modules.txt (one name a line, # comments), taken from
//       Pyodide's python_stdlib.zip and compiled to bytecode by this very Pyodide (the Python that
//       will run it, so the bytecode's magic number matches; the host's Python cannot do this), as
//       unchecked hash-based .pyc files, deflated, in sorted order with fixed timestamps. Compiled
//       as `python -OO` would (no docstrings, no asserts: CPython supports running its standard
//       library so) and without column tables (PYTHONNODEBUGRANGES: traceback carets only), which
//       makes the bytecode a third smaller.
//       A listed module that the zip does not hold is an error.
//
//   node stdlib.mjs compile <pyodide dir> <sources.json> <out.json>
//       Compiles the calculator's modules, {"calculator/api.py": source text, ...}, the same way
//       (scripts/runtime/bytecode.py) and writes {"tag": "cp314", "pyc": {name: base64 .pyc}}.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [mode, pyodideDir, arg1, arg2, arg3] = process.argv.slice(2);
if (!["record", "build", "compile"].includes(mode) || !pyodideDir || !arg1 || !arg2) {
  console.error("usage: node stdlib.mjs record|build|compile <pyodide dir> ...");
  process.exit(2);
}
const indexURL = path.resolve(pyodideDir) + "/";
const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);

// A failure prints its message only (an uncaught error would print a line of the minified runtime).
function fail(err) {
  console.error(String((err && err.message) || err));
  process.exit(1);
}

// in_pyodide.py's functions, defined in the interpreter's globals.
const IN_PYODIDE = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "in_pyodide.py"), "utf8");
function helpers(py) {
  py.runPython(IN_PYODIDE);
  return py.globals;
}

// The command-line flags the page's worker starts Python with: its `const PYTHON_ARGS = [...];`,
// read from worker.js itself, so that the modules recorded are the ones the page loads.
const WORKER_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../docs/assets/calculator/worker.js");
function workerPythonArgs() {
  const m = /^const PYTHON_ARGS = (\[[^\]\n]*\]);/m.exec(fs.readFileSync(WORKER_JS, "utf8"));
  if (!m) throw new Error(`${WORKER_JS}: no line "const PYTHON_ARGS = [...];"`);
  return JSON.parse(m[1]);
}

async function record() {
  const wheel = new Uint8Array(fs.readFileSync(arg1));
  const requests = JSON.parse(fs.readFileSync(arg2, "utf8"));
  // As worker.js: Python started with the worker's own flags (its PYTHON_ARGS), the wheel as a zip on
  // sys.path, import calculator.api.
  const py = await loadPyodide({ indexURL, packages: [], args: workerPythonArgs(), ...(arg3 ? { stdLibURL: path.resolve(arg3) } : {}) });
  py.FS.writeFile("/lib/shiqiao_calculator.whl", wheel);
  py.pyimport("sys").path.insert(0, "/lib/shiqiao_calculator.whl");
  const handle = py.pyimport("calculator.api").handle;
  let failures = 0;
  const answers = [];
  for (const [op, payload] of requests) {
    let text;
    try {
      text = handle(op, payload);
    } catch (err) {
      failures += 1; // an exception out of handle: the page would show it as an error
      text = "raised: " + String(err.message).trim().split("\n").pop();
    }
    answers.push(createHash("sha256").update(Buffer.from(text, "utf16le")).digest("hex"));
  }
  try {
    py.runPython("raise ValueError('a Python error seen from JavaScript')");
  } catch (err) {
    String(err.message);
  }
  const g = helpers(py);
  const out = g.get("loaded_modules")(g.get("stdlib_zip_path")());
  const result = out.toJs({ dict_converter: Object.fromEntries });
  out.destroy();
  result.failures = failures;
  result.answers = answers;
  process.stdout.write(JSON.stringify(result));
}

async function build() {
  const wanted = fs.readFileSync(arg1, "utf8").split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean);
  const py = await loadPyodide({ indexURL, packages: [], env: { PYTHONNODEBUGRANGES: "1" } });
  const g = helpers(py);
  const data = g.get("compile_zip")(g.get("stdlib_zip_path")(), py.toPy(wanted)).toJs();
  fs.writeFileSync(arg2, data);
}

async function compileSources() {
  const sources = JSON.parse(fs.readFileSync(arg1, "utf8"));
  const py = await loadPyodide({ indexURL, packages: [], env: { PYTHONNODEBUGRANGES: "1" } });
  const out = helpers(py).get("compile_sources")(py.toPy(sources));
  const pyc = {};
  for (const [name, data] of Object.entries(out.get("pyc").toJs({ dict_converter: Object.fromEntries }))) pyc[name] = Buffer.from(data).toString("base64");
  fs.writeFileSync(arg2, JSON.stringify({ tag: out.get("tag"), pyc }));
}

await ({ record, build, compile: compileSources }[mode])().catch(fail);

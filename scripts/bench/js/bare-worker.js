// Stock usage: import pyodide.mjs, await loadPyodide() with no packages, report back.
self.onmessage = async (event) => {
  try {
    const { loadPyodide } = await import(new URL("pyodide.mjs", event.data.base).href);
    await loadPyodide({ indexURL: event.data.base, packages: [] });
    self.postMessage({ ok: true });
  } catch (err) {
    self.postMessage({ ok: false, error: String(err && err.message || err) });
  }
};

"""The calculator's browser runtime: the self-hosted Pyodide (assets.py), its trimmed and precompiled
standard library (stdlib.py, run in Pyodide by stdlib.mjs with the Python of in_pyodide.py; the module
list is stdlib.txt), and the mkdocs hook that copies them into the site (hooks.py)."""

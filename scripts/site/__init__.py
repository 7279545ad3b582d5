"""The handbook's pages: page generator (handbook.py, templates/), open data (opendata.py), the pages'
mkdocs hook (hooks.py) and their Content-Security-Policy (security.py). The calculator's runtime,
its page's data and the offline service worker are rooms of their own: scripts/runtime/,
scripts/calculator_page/, scripts/offline/."""

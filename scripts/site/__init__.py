"""The handbook site: page generator (handbook.py), open data (opendata.py), mkdocs hooks (hooks.py)."""

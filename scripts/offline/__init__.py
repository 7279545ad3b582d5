"""The offline copy of the site: the service worker (sw.js, filled in by service_worker.py), written by
the mkdocs hook hooks.py as the build's last step."""

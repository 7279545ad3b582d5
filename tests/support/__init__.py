"""What the test suites share instead of each re-making it: the README's data examples applied to a
copy of the data (town.py), the cached site builds (build.py), the HTML parser (html.py), the browser
constants and the calculator page object (browser.py)."""

"""`make bench` (`python -m scripts.bench`): measure the handbook build, the calculator (native and in
the browser through nginx), the weight of the pages and their Lighthouse scores, each beside the floor
it can reach; print a table, write build/bench.json, and exit 1 naming every figure over the budget
in scripts/bench_budget.json (2 when a measurement itself failed). Not part of `make test`: speed is
measured here, never asserted by timed tests (tests/test_bench.py runs `--quick` only to check that
every figure is still produced).

    .venv/bin/python -m scripts.bench [--runs 5] [--households 5000] [--roster 10000] [--warm-runs 5]
                                      [--skip build|native|browser|lighthouse] [--no-slow]
                                      [--site DIR] [--quick] [--out build/bench.json]

The parts: build.py (site build beside a plain MkDocs site), native.py (the calculator core in
CPython), browser.py (chromium through Debian's nginx with the shipped configuration:
scripts/deploy/local.py), lighthouse.py (Lighthouse 12, mobile preset), report.py (budget and table);
the JavaScript the browser runs is in js/. Each module's docstring says what it measures and how.
"""

# The two commands of the README: `make serve` and `make test`. Each sets up everything it needs.
# Re-running is fast: every step is guarded by a stamp or by the file it makes.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NPM_DIR := scripts/npm
NPM_STAMP := $(NPM_DIR)/node_modules/.installed
BUNDLE := calculator/data/policy.json
DATA := $(shell find policy_data -type f) $(shell find scripts/policydata -name '*.py')
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: all data data-strict site serve test test-fast chromium bench clean

all: site

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

$(NPM_STAMP): $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	npm ci --prefix $(NPM_DIR) --no-audit --no-fund --loglevel=error
	touch $@

$(BUNDLE): $(STAMP) $(DATA)
	$(PY) -m scripts.policydata compile --out $(BUNDLE)

## data: validate and compile the policy data, print the publication-readiness report
data: $(STAMP)
	$(PY) -m scripts.policydata compile --out $(BUNDLE) --report

## data-strict: as `data`, but fail while anything is still pending (for the published build)
data-strict: $(STAMP)
	$(PY) -m scripts.policydata compile --out $(BUNDLE) --report --strict

## site: static build of the handbook and calculator into site/
site: $(STAMP) $(NPM_STAMP) $(BUNDLE)
	$(VENV)/bin/mkdocs build --strict

## serve: set up everything and serve the handbook at http://127.0.0.1:8000
serve: $(STAMP) $(NPM_STAMP) $(BUNDLE)
	$(VENV)/bin/mkdocs serve --strict --dev-addr $(HOST):$(PORT)

## chromium: Debian's chromium for the browser tests (never a downloaded browser build)
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

## test: set up everything and run every test, browser tests included
test: $(STAMP) $(NPM_STAMP) $(BUNDLE) chromium
	$(PY) -m pytest

## bench: measure build, calculator and page weight against the budget (not part of `test`)
bench: $(STAMP) $(NPM_STAMP) $(BUNDLE) chromium
	$(PY) scripts/bench.py

clean:
	rm -rf site build $(BUNDLE)

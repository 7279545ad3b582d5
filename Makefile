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

.PHONY: all data data-strict site serve test test-fast chromium nginx-conf bench clean

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

## chromium: Debian's chromium for the browser tests and nginx for the deployment test (never a
## downloaded build). Installs only what is missing. While installing, policy-rc.d keeps the nginx
## package from starting a system service (it would take port 80; the tests start their own).
chromium:
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing="$$missing nginx"; \
	  if [ -n "$$missing" ]; then \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; rcd=""; \
	    if [ ! -e /usr/sbin/policy-rc.d ]; then \
	      printf '#!/bin/sh\nexit 101\n' | $$sudo tee /usr/sbin/policy-rc.d >/dev/null && $$sudo chmod 755 /usr/sbin/policy-rc.d && rcd=1; fi; \
	    $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    status=$$?; [ -z "$$rcd" ] || $$sudo rm -f /usr/sbin/policy-rc.d; exit $$status; \
	  fi

## nginx-conf: the nginx site for the built site/ (see README, 部署), into build/nginx-shiqiao.conf
NGINX_ROOT ?= /var/www/shiqiao
nginx-conf: site
	mkdir -p build
	$(PY) -m scripts.deploy.nginx --site site --root $(NGINX_ROOT) > build/nginx-shiqiao.conf
	@echo "已写入 build/nginx-shiqiao.conf（网站目录 $(NGINX_ROOT)）"

## test: set up everything and run every test, browser tests included
test: $(STAMP) $(NPM_STAMP) $(BUNDLE) chromium
	$(PY) -m pytest

## bench: measure build, calculator and page weight against the budget (not part of `test`)
bench: $(STAMP) $(NPM_STAMP) $(BUNDLE) chromium
	$(PY) scripts/bench.py

clean:
	rm -rf site build $(BUNDLE)

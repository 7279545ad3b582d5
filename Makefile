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

.PHONY: all data data-strict site publish install-rebuild serve test test-fast chromium nginx-conf bench clean

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

## publish: the build for the public at SITE_URL into PUBLISH_DIR (default site/): refuses while the
## data is invalid, and while anything is still pending (`make data-strict` fails) unless
## ACCEPT_PENDING=1 says the pending items listed are accepted. POLICY_DATA: another data directory.
SITE_URL ?=
PUBLISH_DIR ?= site
POLICY_DATA ?= policy_data
ACCEPT_PENDING ?=
publish: $(STAMP) $(NPM_STAMP)
	@if [ -z "$(SITE_URL)" ]; then echo "不发布：请给出网站的正式地址，例如 make publish SITE_URL=https://jiuzhu.example.cn/（页面里的二维码和站点地图用它）" >&2; exit 1; fi
	$(PY) -m scripts.policydata check --data-dir '$(POLICY_DATA)'
	@if ! $(PY) -m scripts.policydata check --data-dir '$(POLICY_DATA)' --strict >/dev/null 2>&1; then \
	  $(PY) -m scripts.policydata check --data-dir '$(POLICY_DATA)' --report | tail -n +2; \
	  if [ "$(ACCEPT_PENDING)" = 1 ]; then \
	    echo "ACCEPT_PENDING=1：以上待公布的项目照此发布（页面上显示为“待公布”）。"; \
	  else \
	    echo "不发布：以上项目仍待公布（make data-strict 未通过）。请先补上数据和来源；确定照此发布时运行 make publish ACCEPT_PENDING=1 SITE_URL=$(SITE_URL)" >&2; \
	    exit 1; \
	  fi; \
	fi
	HANDBOOK_SITE_URL='$(SITE_URL)' HANDBOOK_POLICY_DATA='$(abspath $(POLICY_DATA))' NO_MKDOCS_2_WARNING=1 \
	  $(VENV)/bin/mkdocs build --strict --clean -d '$(abspath $(PUBLISH_DIR))'
	@echo "已构建 $(PUBLISH_DIR)/（网站地址 $(SITE_URL)）：接着按 README 的“部署”复制到网站目录并生成 nginx 配置"

## install-rebuild: the daily rebuild (scripts/deploy/rebuild.py), as a cron file: every night the
## site is built for that day's standards and put into NGINX_ROOT (see README, 部署)
CRON_FILE ?= /etc/cron.d/shiqiao-rebuild
REBUILD_LOG ?= /var/log/shiqiao-rebuild.log
install-rebuild: $(STAMP)
	@if [ -z "$(SITE_URL)" ]; then echo "请给出网站的正式地址：make install-rebuild SITE_URL=https://…/ NGINX_ROOT=…" >&2; exit 1; fi
	$(PY) -m scripts.deploy.rebuild --cron-line --site-url '$(SITE_URL)' --root '$(abspath $(NGINX_ROOT))' \
	  --log '$(REBUILD_LOG)' $(if $(filter 1,$(ACCEPT_PENDING)),--accept-pending) \
	  $(if $(filter-out policy_data,$(POLICY_DATA)),--policy-data '$(abspath $(POLICY_DATA))') > '$(CRON_FILE).tmp'
	chmod 644 '$(CRON_FILE).tmp' && mv '$(CRON_FILE).tmp' '$(CRON_FILE)'
	@echo "已写入 $(CRON_FILE)：每天 0:10 重新构建并更新 $(NGINX_ROOT)，日志在 $(REBUILD_LOG)"

## serve: set up everything and serve the handbook at http://127.0.0.1:8000
serve: $(STAMP) $(NPM_STAMP) $(BUNDLE)
	$(VENV)/bin/mkdocs serve --strict --dev-addr $(HOST):$(PORT)

## chromium: Debian's chromium for the browser tests, nginx and its brotli_static module for the
## deployment test (never a downloaded build). Installs only what is missing. While installing, policy-rc.d keeps the nginx
## package from starting a system service (it would take port 80; the tests start their own).
chromium:
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing="$$missing nginx"; \
	  [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || missing="$$missing libnginx-mod-http-brotli-static"; \
	  if [ -n "$$missing" ]; then \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; rcd=""; \
	    if [ ! -e /usr/sbin/policy-rc.d ]; then \
	      printf '#!/bin/sh\nexit 101\n' | $$sudo tee /usr/sbin/policy-rc.d >/dev/null && $$sudo chmod 755 /usr/sbin/policy-rc.d && rcd=1; fi; \
	    $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    status=$$?; [ -z "$$rcd" ] || $$sudo rm -f /usr/sbin/policy-rc.d; exit $$status; \
	  fi

## nginx-conf: the nginx site for the built site/ (see README, 部署), into build/nginx-shiqiao.conf;
## NGINX_ROOT (where site/ is copied), NGINX_LISTEN (address:port or port), NGINX_SERVER_NAME
NGINX_ROOT ?= /var/www/shiqiao
NGINX_LISTEN ?= 80
NGINX_SERVER_NAME ?= _
## (from the build already in PUBLISH_DIR, made by `make publish`: it never rebuilds it)
nginx-conf: $(STAMP)
	mkdir -p build
	$(PY) -m scripts.deploy.nginx --site '$(PUBLISH_DIR)' --root '$(NGINX_ROOT)' --listen '$(NGINX_LISTEN)' \
	  --server-name '$(NGINX_SERVER_NAME)' > build/nginx-shiqiao.conf.tmp
	mv build/nginx-shiqiao.conf.tmp build/nginx-shiqiao.conf
	@echo "已写入 build/nginx-shiqiao.conf（网站目录 $(NGINX_ROOT)，监听 $(NGINX_LISTEN)，域名 $(NGINX_SERVER_NAME)）"

## Lighthouse for the benchmark, in its own npm folder (scripts/bench/npm): `make bench` measures with it,
## and `make test` runs the benchmark once in its quick configuration (tests/test_bench.py), so both install it
BENCH_NPM := scripts/bench/npm
BENCH_NPM_STAMP := $(BENCH_NPM)/node_modules/.installed
$(BENCH_NPM_STAMP): $(BENCH_NPM)/package.json $(BENCH_NPM)/package-lock.json
	npm ci --prefix $(BENCH_NPM) --no-audit --no-fund --loglevel=error
	touch $@

## test: set up everything and run every test, browser tests included
test: $(STAMP) $(NPM_STAMP) $(BENCH_NPM_STAMP) $(BUNDLE) chromium
	$(PY) -m pytest

## test-fast: the tests that need no browser, no nginx, no full site build and no Pyodide (markers in
## pyproject.toml); `make test` runs them too, and is what CI runs
test-fast: $(STAMP) $(BUNDLE)
	$(PY) -m pytest -n auto --dist loadfile -m "not browser and not nginx and not site and not pyodide"

## bench: measure build, calculator, page weight and Lighthouse scores through nginx against the budget
## (not part of `test`, which runs only its quick configuration)
bench: $(STAMP) $(NPM_STAMP) $(BENCH_NPM_STAMP) $(BUNDLE) chromium
	$(PY) -m scripts.bench

clean:
	rm -rf site build $(BUNDLE)

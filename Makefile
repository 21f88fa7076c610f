# Anjian — the two commands of the README, and what they build on.
#   make demo   set everything up and serve the demo on http://127.0.0.1:8000 (SQLite, demo data)
#   make test   set everything up and run every test, on SQLite and then on PostgreSQL
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
ANJIAN := $(VENV)/bin/anjian
HOST   ?= 127.0.0.1
PORT   ?= 8000
ANJIAN_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/anjian
# Test processes (pytest-xdist): two keep both cores of a small machine busy; a test file runs whole in one.
TEST_WORKERS ?= 2
PYTEST := $(VENV)/bin/pytest -q -n $(TEST_WORKERS) --dist loadfile
VENDOR := src/anjian/static/vendor

export ANJIAN_HOME := $(CURDIR)

.PHONY: help demo test test-sqlite test-postgres bench lint vendor messages install system-deps migrate clean

help:
	@echo "make demo   — install, migrate, load the demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   — install (with test tools) and run the whole suite on SQLite, then PostgreSQL"
	@echo "make bench  — benchmarks (JSON), on SQLite and PostgreSQL"

# --- install ---------------------------------------------------------------
$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（$(PYTHON)）/ Python 3.11 is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Front-end files come from the npm registry at build time and are served by Anjian itself.
$(VENDOR)/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 npm 来获取前端文件（Bootstrap、ECharts、Leaflet、htmx、flatpickr）。请安装 Node.js 20+ / npm is required to fetch the front-end files"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx $(VENDOR)/echarts $(VENDOR)/leaflet $(VENDOR)/leaflet.markercluster $(VENDOR)/flatpickr
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp -r node_modules/leaflet/dist/leaflet.js* node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js* node_modules/leaflet.markercluster/dist/MarkerCluster*.css $(VENDOR)/leaflet.markercluster/
	cp node_modules/flatpickr/dist/flatpickr.min.js node_modules/flatpickr/dist/flatpickr.min.css node_modules/flatpickr/dist/l10n/zh.js $(VENDOR)/flatpickr/
	touch $@

vendor: $(VENDOR)/.installed

# English translations: compiled from the committed .po (GNU gettext's msgfmt); Chinese needs none.
MO := src/anjian/locale/en/LC_MESSAGES/django.mo
$(MO): src/anjian/locale/en/LC_MESSAGES/django.po | $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then \
	  cd src/anjian && ANJIAN_SECRET_KEY=x ANJIAN_HTTPS=false ../../$(ANJIAN) compilemessages -l en --verbosity 0; \
	else echo "msgfmt (gettext) not found: the English interface is not compiled; Chinese works. Install gettext for English."; fi

messages: $(MO)

# Browser tests drive Debian's Chromium; Chinese needs the Noto CJK fonts (else empty boxes).
# LibreOffice (Writer, headless) makes the PDF copies of generated documents; poppler turns a PDF
# into the PNG a test looks at. Both are optional at run time, but the suite proves them.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing (Debian packages) …"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else echo "需要 root 或 sudo 来安装：$$missing"; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

var/secret.key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# --- demo ------------------------------------------------------------------
DEMO_ENV := ANJIAN_SECRET_KEY_FILE=$(CURDIR)/var/secret.key ANJIAN_HTTPS=false ANJIAN_ALLOWED_HOSTS=$(HOST),localhost

migrate: install vendor messages var/secret.key
	$(DEMO_ENV) $(ANJIAN) migrate --noinput
	$(DEMO_ENV) $(ANJIAN) collectstatic --noinput --verbosity 0

demo: migrate
	$(DEMO_ENV) $(ANJIAN) load_demo
	@echo "Serving on http://$(HOST):$(PORT) — the queue worker runs beside it. Ctrl-C stops both."
	@$(DEMO_ENV) $(ANJIAN) run_huey --quiet & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(VENV)/bin/gunicorn anjian.config.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - --error-logfile -

# --- tests -----------------------------------------------------------------
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install vendor system-deps messages lint test-sqlite test-postgres

# The browser tests run in their own pytest processes: Playwright's sync API keeps an event loop
# running in its thread, and a Django database test run after it in the same process is refused
# (SynchronousOnlyOperation).
test-sqlite: install vendor
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(PYTEST) --ignore=tests/browser
	env -u DATABASE_URL $(PYTEST) tests/browser

# With CI=true a missing PostgreSQL fails the run; elsewhere it is reported and skipped.
test-postgres: install vendor
	@if $(PY) -c "import psycopg; u='$(ANJIAN_TEST_DATABASE_URL)'; psycopg.connect(u.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== tests on PostgreSQL ($(ANJIAN_TEST_DATABASE_URL)) =="; \
	  DATABASE_URL='$(ANJIAN_TEST_DATABASE_URL)' $(PYTEST) --ignore=tests/browser; \
	  DATABASE_URL='$(ANJIAN_TEST_DATABASE_URL)' $(PYTEST) tests/browser; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "PostgreSQL is not reachable at $(ANJIAN_TEST_DATABASE_URL), and CI=true: failing."; exit 1; \
	else \
	  echo "PostgreSQL is not reachable at $(ANJIAN_TEST_DATABASE_URL): skipped the PostgreSQL run (set ANJIAN_TEST_DATABASE_URL)."; \
	fi

# --- benchmarks ------------------------------------------------------------
# stdout carries only the JSON document (`make bench > bench.json`); setting up, progress and the summary
# (each mechanism: our figure, the reference figure, the ratio) go to stderr.
# SCALE=district (default, about 15 minutes) or SCALE=city (the sizes the goals name: `make bench SCALE=city`).
SCALE ?= district
bench:
	@$(MAKE) --no-print-directory install vendor >&2
	@$(PY) -c 'import import_export' 2>/dev/null || $(PY) -m pip install --quiet -e '.[test,bench]' >&2
	@$(PY) benchmarks/all.py --sqlite --postgres '$(ANJIAN_TEST_DATABASE_URL)' --scale '$(SCALE)'

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var build src/*.egg-info

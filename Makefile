# The two commands: `make run` (demo app on SQLite) and `make test` (whole suite on PostgreSQL).
SHELL := /bin/bash
PYTHON := $(shell scripts/find-python.sh)
VENV := .venv
PY := $(VENV)/bin/python
# Installed packages are recorded per dependency set: a changed pyproject.toml reinstalls.
STAMP = $(VENV)/.installed-$(1)-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SIZE ?= 60
# make bench: 1 = a million customers (measured at 0.1 x SCALE and at SCALE).
SCALE ?= 1
# The benchmark's PostgreSQL is tuned like a production server on this machine (24 GB):
# a quarter of the memory as shared buffers; the test server keeps the defaults.
BENCH_PG_OPTS ?= -c shared_buffers=2GB -c effective_cache_size=8GB -c maintenance_work_mem=1GB \
  -c max_wal_size=8GB -c checkpoint_timeout=30min
BENCH_ARGS ?=

.PHONY: run test install install-dev messages makemessages lint format clean browser pdf-libs screenshots bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"

$(call STAMP,runtime): | $(PY)
	$(PY) -m pip install --quiet --group runtime
	touch $@

$(call STAMP,dev): | $(PY)
	$(PY) -m pip install --quiet --group dev
	touch $@

install: $(call STAMP,runtime)
install-dev: $(call STAMP,dev)

## Compile the translations (needs gettext's msgfmt; installed when missing).
messages:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

## What WeasyPrint needs to make the quote and order PDFs: Pango, and the fonts print.css names
## (DejaVu Sans for Latin text, Noto Sans CJK for Chinese). Debian's packages, when missing.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-cjk
pdf-libs:
	@[ "$$(dpkg-query -W -f='$${db:Status-Abbrev}\n' $(PDF_PACKAGES) 2>/dev/null | grep -c '^ii')" -eq $(words $(PDF_PACKAGES)) ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null)

## Set up a SQLite database with demo data and serve the app on http://$(HOST):$(PORT),
## with the background worker (imports) beside it.
run: install messages pdf-libs
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py load_demo --size $(DEMO_SIZE)
	@echo "Serving on http://$(HOST):$(PORT)/ with the background worker beside it (Ctrl+C stops both)"
	@DJANGO_SETTINGS_MODULE=crm.settings $(PY) -c 'from django.conf import settings; import django; django.setup(); m = settings.MAILERS["default"]; print("E-mail goes to " + (("files in " + m["OPTIONS"]["file_path"]) if m["BACKEND"].endswith("filebased.EmailBackend") else m["BACKEND"]))' </dev/null
	CRM_SITE_URL="$${CRM_SITE_URL:-http://$(HOST):$(PORT)}" scripts/serve-with-worker.sh $(PY) $(HOST):$(PORT)

## Debian's Chromium and CJK fonts for the browser tests (Playwright drives it; no download).
browser:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

## Lint, Django checks, then the whole suite on a throwaway PostgreSQL server.
test: install-dev messages browser pdf-libs lint
	DATABASE_URL= $(PY) manage.py check --fail-level WARNING
	DATABASE_URL= $(PY) manage.py makemigrations --check --dry-run --verbosity 0
	scripts/with-postgres.sh $(PY) -m pytest $(PYTEST_ARGS)

## Refresh the README's screenshots (docs/screenshots/) from the demo data: a throwaway SQLite
## database, a dev server on a free loopback port and the background worker (the import), all
## gone afterwards (db.sqlite3 and media/ untouched).
screenshots: install-dev messages browser pdf-libs
	@command -v pdftoppm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null)
	@set -euo pipefail; \
	tmp=$$(mktemp -d /tmp/crm-screenshots.XXXXXX); server=; worker=; \
	trap 'status=$$?; for pid in $$server $$worker; do kill "$$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; \
	      [ "$$status" -eq 0 ] || tail -n 40 "$$tmp/server.log" "$$tmp/worker.log" >&2 2>/dev/null || true; rm -rf "$$tmp"' EXIT; \
	export DATABASE_URL="sqlite:///$$tmp/db.sqlite3" MEDIA_ROOT="$$tmp/media"; \
	port=$$($(PY) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	$(PY) manage.py migrate --noinput --verbosity 0; \
	$(PY) manage.py load_demo --size $(DEMO_SIZE) >/dev/null; \
	$(PY) manage.py runserver "127.0.0.1:$$port" --noreload >"$$tmp/server.log" 2>&1 & server=$$!; \
	$(PY) manage.py run_worker --no-reload --no-startup-delay --interval 0.5 >"$$tmp/worker.log" 2>&1 & worker=$$!; \
	$(PY) scripts/screenshots.py --base-url "http://127.0.0.1:$$port" --out docs/screenshots

## Synthetic data at 0.1 x SCALE and SCALE on a throwaway PostgreSQL, the issue-6 measurements,
## a table of goals, bench/results/latest.json. wrk (the load generator) comes from apt.
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	PG_SERVER_OPTS="$(BENCH_PG_OPTS)" scripts/with-postgres.sh $(PY) -m bench.run --scale $(SCALE) $(BENCH_ARGS)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## Refresh the translation catalogue after changing strings.
makemessages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=static/vendor --no-obsolete

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

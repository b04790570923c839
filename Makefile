# MotCua — the front door. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
# The PostgreSQL run of `make test` uses DATABASE_URL when it is set, else this machine's server.
PG_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)
PYTEST_ARGS ?=

.PHONY: cluster cluster-deps soak signing-deps help run install install-dev migrate demo test test-sqlite test-postgres lint format messages clean browser-deps worker bench bench-deps

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create .venv and install MotCua

install-dev: $(VENV)/.installed-dev ## Install MotCua with the development tools

migrate: install ## Migrate the database (SQLite under var/ unless DATABASE_URL is set)
	$(BIN)/motcua migrate --no-input
	$(BIN)/motcua collectstatic --no-input -v 0

demo: migrate ## Load the demo city (safe to run again)
	$(BIN)/motcua demo

run: demo ## Serve the demo on http://127.0.0.1:$(PORT) (SQLite, gunicorn + uvicorn for the floor's streams + the worker)
	@echo "MotCua: http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	MOTCUA_DEMO=1 $(BIN)/motcua serve --port $(PORT) --workers $(WORKERS)

worker: install ## Run the background worker alone
	$(BIN)/motcua worker

lint: install-dev ## ruff format --check, ruff check, mypy
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy motcua

format: install-dev ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint ## Lint, then the whole suite on SQLite and on PostgreSQL
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

browser-deps: ## Debian's chromium and fonts for the browser tests and the PDF forms; axe-core (npm)
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/noto ] || [ ! -x /usr/bin/pdftoppm ]; then \
		echo "Installing Debian's chromium and fonts (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-noto-core fonts-dejavu-core \
			libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then npm ci --silent; fi

signing-deps: ## SoftHSM2, the PKCS#11 token the signature tests sign with (apt-get)
	@if [ ! -f /usr/lib/softhsm/libsofthsm2.so ] || [ ! -x /usr/bin/softhsm2-util ]; then \
		echo "Installing SoftHSM2 (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2 >/dev/null; \
	fi

test-sqlite: install-dev browser-deps signing-deps ## The suite on SQLite
	@echo "=== pytest on SQLite ==="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install-dev browser-deps signing-deps ## The suite on PostgreSQL (DATABASE_URL, default 127.0.0.1:5432)
	@echo "=== pytest on PostgreSQL ($(PG_URL)) ==="
	@if $(BIN)/python tools/check_postgres.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "FAILED: PostgreSQL is not reachable at $(PG_URL); CI must run the suite on PostgreSQL." >&2; exit 1; \
	else \
		echo "SKIPPED the PostgreSQL run: no server at $(PG_URL) (CI=true makes this a failure)." >&2; \
	fi

bench: install-dev bench-deps ## Run the benchmarks in bench/ (they print figures); BENCH=name for one
	@for f in $(if $(BENCH),bench/$(BENCH).py,bench/*.py); do \
		echo "=== $$f"; $(BIN)/python $$f || exit 1; \
	done

bench-deps: ## wrk, which bench/api.py drives (apt-get)
	@if ! command -v wrk >/dev/null; then \
		echo "Installing wrk (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi

cluster-deps: ## HAProxy, Redis and PostgreSQL's server for tools/cluster.py and bench/soak.py (apt-get)
	@if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ] || ! command -v redis-server >/dev/null || ! ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1; then \
		echo "Installing haproxy, redis-server and postgresql (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy redis-server postgresql >/dev/null; \
	fi

cluster: install-dev cluster-deps ## PostgreSQL primary + replica, Redis, S3, two nodes behind HAProxy (CLUSTER_SECONDS=600)
	$(BIN)/python tools/cluster.py up --seconds $(or $(CLUSTER_SECONDS),600)

soak: install-dev cluster-deps ## The soak test with faults on the cluster (bench/soak.py, about 10 minutes)
	$(BIN)/python bench/soak.py

messages: install-dev ## Extract and compile the vi/en translations
	cd motcua && ../$(BIN)/motcua makemessages -l vi -l en --ignore='migrations/*'
	$(BIN)/motcua compilemessages --ignore='.venv/*'

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

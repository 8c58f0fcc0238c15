# CSO Portal — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export CSO_PORT := $(PORT)

.PHONY: run test lint format lock deps clean-var audit

# Python environment: rebuilt only when the pinned requirements change.
$(BIN)/.installed: requirements-dev.txt requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# Front-end assets (USWDS, axe-core), exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(BIN)/.installed node_modules/.installed

# The embedded default: SQLite, kept mail, a real Celery worker and beat on kombu's
# filesystem broker (or Redis when REDIS_URL is set), the site on http://127.0.0.1:$(PORT).
run: deps
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_courts
	$(BIN)/python manage.py load_demo_accounts
	$(BIN)/python manage.py load_demo_clerks
	$(BIN)/python manage.py load_demo_cmecf_accounts
	$(BIN)/python manage.py load_demo_cases
	exec $(BIN)/honcho --no-prefix -f Procfile.dev start

# Lint, format check, migrations check, then the whole suite (PostgreSQL when reachable).
test: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=cso_portal.settings.test DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Known vulnerabilities in the pinned dependencies (pip-audit; see scripts/audit_dependencies.py).
audit: deps
	$(BIN)/python scripts/audit_dependencies.py

lint:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the pinned requirements from pyproject.toml (needs uv on PATH).
lock:
	uv pip compile pyproject.toml -o requirements.txt --python-version 3.11 --no-header
	uv pip compile pyproject.toml --extra dev -o requirements-dev.txt --python-version 3.11 --no-header

clean-var:
	rm -rf var

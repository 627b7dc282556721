# DSV: the way in. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
SCALE ?= small
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Commands that touch the development database run in debug mode (no SECRET_KEY needed).
DEV := DEBUG=1

.PHONY: help install run worker beat test test-e2e lint format bench clean

help:
	@echo "make run      serve DSV with demo data on http://127.0.0.1:$(PORT) (PORT=... to change)"
	@echo "make test     run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint     ruff, the layering contract, migrations check, deploy check"
	@echo "make bench    benchmark (SCALE=small|large) -> var/bench.json"
	@echo "make install  create .venv and install the pinned dependencies"

$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then py="$$(scripts/find-python)" && "$$py" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25"
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@# A checkout is for development: plain `manage.py` commands run in debug mode unless .env says
	@# otherwise (the real environment always wins; tests, lint and bench set their own values).
	@[ -f .env ] || printf '# Development defaults written by make install; see .env.example.\nDEBUG=1\n' > .env
	@touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p var
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py seed_demo --if-empty
	@echo
	@echo "  DSV is starting on http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password: demo): manager, manager2, desk, analyst, integrator (API only), admin"
	@echo "  Background work runs in-process; periodic jobs run in 'manage.py runperiodic' beside the server."
	@echo
	@$(DEV) $(PY) manage.py runperiodic & periodic=$$!; \
	  trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	  $(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(PY) -m celery -A dsv worker --loglevel=INFO

beat: install
	$(PY) -m celery -A dsv beat --loglevel=INFO

test: install
	@mkdir -p var
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=lint-only-$$(date +%s)-a-long-random-looking-value-for-the-deploy-check-0123456789 \
	  ALLOWED_HOSTS=dsv.example.com EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend \
	  $(PY) manage.py check --deploy --fail-level WARNING

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The benchmark measures production-like settings (DEBUG off) on its own database, never the demo's:
# var/bench-<scale>.sqlite3 by default, or the PostgreSQL database DATABASE_URL names.
BENCH_ENV = SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-secret} DEBUG=0 SECURE_SSL_REDIRECT=0 STATIC_MANIFEST=0 \
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench-$(SCALE).sqlite3}
bench: install
	@mkdir -p var
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v 0
	$(BENCH_ENV) $(PY) manage.py bench --scale $(SCALE)

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache

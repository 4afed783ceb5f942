# MotCua: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The national portal simulator of `make run` (when MOTCUA_NATIONAL_PORTAL_URL is unset).
SIMULATOR_PORT ?= 8765
export PYTHONPATH := $(CURDIR)/src

.PHONY: run install migrate demo serve test test-fast lint bench audit clean messages screenshots

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	MOTCUA_DEBUG=$${MOTCUA_DEBUG:-1} $(MANAGE) migrate --no-input

demo: migrate
	MOTCUA_DEBUG=$${MOTCUA_DEBUG:-1} $(MANAGE) load_demo --if-empty

# The embedded set-up: SQLite under ./data, the web server and one background worker, which
# also delivers to the connected systems. With MOTCUA_NATIONAL_PORTAL_URL unset, the national
# portal simulator runs on SIMULATOR_PORT and the worker is given its address and demo account.
run: demo
	@export MOTCUA_DEBUG=$${MOTCUA_DEBUG:-1}; \
	export MOTCUA_PUBLIC_BASE_URL=$${MOTCUA_PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}; \
	simulator=; \
	if [ -z "$$MOTCUA_NATIONAL_PORTAL_URL" ]; then \
		$(MANAGE) run_connectors --simulator-only --simulator-port $(SIMULATOR_PORT) & simulator=$$!; \
		export MOTCUA_NATIONAL_PORTAL_URL=http://127.0.0.1:$(SIMULATOR_PORT) \
			MOTCUA_NATIONAL_PORTAL_USERNAME=motcua MOTCUA_NATIONAL_PORTAL_PASSWORD=motcua \
			MOTCUA_NATIONAL_PORTAL_UNIT_CODE=000.00.00.H00 \
			MOTCUA_NATIONAL_PORTAL_BACKOFF_BASE=$${MOTCUA_NATIONAL_PORTAL_BACKOFF_BASE:-2}; \
	fi; \
	$(MANAGE) run_worker --queue-name '*' & worker=$$!; \
	trap "kill $$worker $$simulator 2>/dev/null" EXIT INT TERM; \
	echo "MotCua on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs)"; \
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

# The whole suite, against DATABASE_URL (SQLite under ./data when unset).
test: install
	MOTCUA_DEBUG=1 $(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# Style, types and the layer map (import-linter contracts in pyproject.toml). The mypy Django
# plugin loads the settings, hence MOTCUA_DEBUG=1 (no secret key needed to check types).
lint: install
	$(VENV)/bin/ruff check src bench audit bin/screenshots.py
	MOTCUA_DEBUG=1 $(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports

bench: install
	MOTCUA_DEBUG=1 $(PY) bench/run.py $(BENCH_ARGS)

# The long attack and fault campaign (see README, "Audit"): a real server and real workers.
audit: install
	$(PY) audit/run.py $(AUDIT_ARGS)

# PNG screenshots of the main pages at 1280 px and 360 px into data/screenshots/ (not committed):
# builds the demo province in a database of its own, serves it and drives the system Chromium.
screenshots: install
	$(PY) bin/screenshots.py $(SCREENSHOT_ARGS)

messages: install
	cd src/motcua && MOTCUA_DEBUG=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l vi -l en --ignore "demo/*" --ignore "*/tests/*" && MOTCUA_DEBUG=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .import_linter_cache

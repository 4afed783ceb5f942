# MotCua: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONPATH := $(CURDIR)/src

.PHONY: run install migrate demo serve test test-fast lint bench clean messages

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

# The embedded set-up: SQLite under ./data, the web server and one background worker.
run: demo
	@export MOTCUA_DEBUG=$${MOTCUA_DEBUG:-1}; \
	$(MANAGE) run_worker --queue-name '*' & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	echo "MotCua on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs)"; \
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

# The whole suite, against DATABASE_URL (SQLite under ./data when unset).
test: install
	MOTCUA_DEBUG=1 $(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check src bench
	$(VENV)/bin/mypy src

bench: install
	MOTCUA_DEBUG=1 $(PY) bench/run.py $(BENCH_ARGS)

messages: install
	cd src/motcua && MOTCUA_DEBUG=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l vi -l en --ignore "demo/*" --ignore "*/tests/*" && MOTCUA_DEBUG=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache

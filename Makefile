# The two set-up commands: `make run` starts the app, `make test` runs every test.
# For a class bigger than one process: `make serve N=4` (nginx + N app processes), `make stop`.
PYTHON ?= python3
N ?= 2
HOST ?= 127.0.0.1
PORT ?= 8500
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench docs serve stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# Compiled once here, so a fresh server process never compiles the app's modules again, even where
# PYTHONDONTWRITEBYTECODE is set (README, Cold start).
PACKAGES := dashboard.py netcore viz settings dataio session lesson playback ui pages

run: $(VENV)/.runtime
	$(BIN)/python -m compileall -q $(PACKAGES) >/dev/null
	$(BIN)/streamlit run dashboard.py

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(VENV)/.dev
	$(BIN)/python bench/core_speed.py

# Refresh the README's pictures in docs/ from the browser tests (make test only writes artifacts/).
docs: $(VENV)/.dev
	BACKPROP_REFRESH_DOCS=1 $(BIN)/python -m pytest -m browser

# nginx in front of N app processes on this machine (deploy/serve.py); Ctrl-C or `make stop` ends it.
serve: $(VENV)/.runtime
	$(BIN)/python -m compileall -q $(PACKAGES) >/dev/null
	$(BIN)/python deploy/serve.py start -n $(N) --host $(HOST) --port $(PORT)

stop:
	$(PYTHON) deploy/serve.py stop

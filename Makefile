# Zwei Befehle für eine frische Maschine:
#   make run   – virtuelle Umgebung anlegen, installieren, Referenzquartier laden, Übersicht
#                und Befunde zeigen
#   make test  – alles installieren, Lint (ruff, mypy, Schichtenregel) und die ganze Testsuite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= .lotse/speicher.json

.PHONY: run test lint install install-dev clean bench seed-findings

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: install
	$(BIN)/lotse load brunnenstrasse --store $(STORE)
	$(BIN)/lotse summary --store $(STORE)
	$(BIN)/lotse check --store $(STORE)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy graph lotsen api seeds visualisation
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .lotse .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info

bench: install-dev
	$(BIN)/python benchmarks/analysis.py

seed-findings: install-dev
	$(BIN)/python -m visualisation.seed_report

# Zwei Befehle für eine frische Maschine:
#   make run   – virtuelle Umgebung anlegen, installieren, Referenzquartier laden und die
#                Werkstatt auf http://127.0.0.1:8000/ starten (Strg+C beendet)
#   make test  – alles installieren (auch den Neo4j-5.26-Testserver über Maven), Lint (ruff, mypy,
#                Schichtenregel) und die ganze Testsuite; die Tests starten einen echten Neo4j
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= .lotse/speicher.sqlite
OLD_STORE := .lotse/speicher.json
PORT   ?= 8000

.PHONY: run test lint install install-dev clean bench seed-findings neo4j-fetch neo4j-start \
	neo4j-stop bench-neo4j browser bench-visual docs-pictures bench-api bench-werkstatt bench-store

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python pyproject.toml
	@echo "Installiere lotsensystem in $(VENV) (Protokoll: $(VENV)/installation.log) …"
	@$(BIN)/python -m pip install --quiet -e . > $(VENV)/installation.log 2>&1 || \
		(cat $(VENV)/installation.log; exit 1)
	@touch $@

$(VENV)/.dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: install
	@mkdir -p $(dir $(STORE))
	@if [ ! -f $(STORE) ] && [ -f $(OLD_STORE) ]; then $(BIN)/lotse migrate $(OLD_STORE) $(STORE); fi
	@if [ -f $(STORE) ]; then echo "Vorhandener Speicher $(STORE) bleibt (neu anfangen: rm $(STORE)*)."; \
		else $(BIN)/lotse load brunnenstrasse --store $(STORE); fi
	$(BIN)/lotse serve --store $(STORE) --no-auth --host 127.0.0.1 --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy graph lotsen api seeds visualisation
	$(BIN)/lint-imports

neo4j-fetch:
	$(PYTHON) scripts/neo4j_server.py fetch

neo4j-start: neo4j-fetch
	$(PYTHON) scripts/neo4j_server.py start

neo4j-stop:
	$(PYTHON) scripts/neo4j_server.py stop

# headless Chromium for the browser tests (Debian's package; Playwright drives it)
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || (echo "Installiere Chromium (Debian-Paket) für die Browsertests …" && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
		chromium-driver >/dev/null)
	@$(CHROMIUM) --version

# the test session starts its own Neo4j server (and fails, never skips, if it cannot)
test: lint neo4j-fetch browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .lotse .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info neo4j/lib \
		neo4j/run

bench: install-dev
	$(BIN)/python benchmarks/analysis.py

bench-neo4j: install-dev neo4j-fetch
	$(BIN)/python benchmarks/neo4j_push.py

seed-findings: install-dev
	$(BIN)/python -m visualisation.seed_report

bench-visual: install-dev browser
	$(BIN)/python benchmarks/visual.py

docs-pictures: install-dev browser
	$(BIN)/python scripts/docs_pictures.py
	$(BIN)/python scripts/wegweiser_pictures.py

bench-api: install-dev
	@which wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python benchmarks/api.py

bench-werkstatt: install-dev browser
	$(BIN)/python benchmarks/werkstatt.py
	$(BIN)/python benchmarks/meetings.py
	$(BIN)/python benchmarks/browse.py

bench-store: install-dev
	$(BIN)/python benchmarks/store.py

.PHONY: bench-scale
bench-scale: install-dev
	$(BIN)/python benchmarks/scale.py

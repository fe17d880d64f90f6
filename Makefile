# foilog: every target works on a fresh machine with Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FIXTURE_PORT ?= 8765
PORT ?= 8001
DB ?= data/foi.db
PAGES ?= data/pages.db
SITE ?=
FORCE ?=

.PHONY: help install demo lint test test-fast bench refresh serve soak clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(BIN)/foilog: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) on PATH (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

# axe-core (npm) for the browser tests' accessibility checks; skipped without Node.js.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd tests/browser && npm ci --no-audit --no-fund --silent && touch node_modules/axe-core/axe.min.js; \
	else echo "npm not found: the accessibility checks will be skipped (install Node.js and npm)"; fi

install: $(BIN)/foilog $(AXE) ## create .venv and install foilog with its test extra (+ axe-core via npm)

demo: install ## crawl the bundled mirror into data/foi.db and serve it on http://127.0.0.1:8001
	@bash scripts/demo.sh "$(FIXTURE_PORT)" "$(PORT)"

lint: install ## ruff (lint and format) and mypy on db/ and scraper/
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy db scraper

test: lint ## lint, then the whole suite (fixture server, Datasette and Chromium started for real)
	$(BIN)/pytest -q

test-fast: lint ## lint, then the suite without the reliability, soak, browser and slow tests
	$(BIN)/pytest -q -m "not browser and not slow" --ignore=tests/reliability

bench: install ## benchmarks (cold: ~30 min on 2 cores): the table with targets, bench/results.json
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run $(BENCH_ARGS)

refresh: install ## the nightly job: every force's live site (or FORCE="mps ...", or one SITE=URL)
	$(BIN)/foilog refresh $(if $(SITE),--site "$(SITE)") $(foreach f,$(FORCE),--force "$(f)") \
		--db "$(DB)" --pages-db "$(PAGES)"

serve: install ## serve the archive with Datasette on PORT
	$(BIN)/foilog serve --db "$(DB)" --port "$(PORT)"

soak: install ## a longer reliability run (faults, SIGKILLs, concurrent readers)
	$(BIN)/pytest -q -m soak --runsoak tests/reliability

clean: ## remove the venv and local data
	rm -rf $(VENV) data

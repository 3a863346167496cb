# Two entry points, each doing all set-up on a fresh machine:
#   make atlas  — build the atlas from ../shared/corpus and print its outputs
#   make test   — run the test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus
DB ?= atlas.duckdb
OUT ?= out

$(BIN)/policyatlas: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Web assets (ECharts, the China map, Swagger UI) are committed under
# src/policyatlas/views/web/static/vendor/ and ship in the wheel, so setup needs no npm.
# `make vendor` refreshes them from the npm packages pinned in package-lock.json.
vendor:
	npm ci --no-audit --no-fund
	scripts/vendor_web.sh

setup: $(BIN)/policyatlas

atlas: setup
	$(BIN)/policyatlas build $(CORPUS) --db $(DB)
	$(BIN)/policyatlas overview --db $(DB)
	mkdir -p $(OUT)
	for y in 2025 2026; do \
	  $(BIN)/policyatlas brief --year $$y --format md --out $(OUT)/brief-$$y.md --db $(DB) && \
	  $(BIN)/policyatlas brief --year $$y --format html --out $(OUT)/brief-$$y.html --db $(DB) && \
	  $(BIN)/policyatlas brief --year $$y --lang zh --format md --out $(OUT)/brief-$$y.zh.md --db $(DB) || exit 1; \
	done
	$(BIN)/policyatlas matrix --year 2026 --format csv --db $(DB) > $(OUT)/matrix-2026.csv
	@echo "briefings and matrix written to $(OUT)/"

test: setup
	$(BIN)/python -m pytest -q

.PHONY: setup atlas test vendor

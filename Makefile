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

setup: $(BIN)/policyatlas

atlas: setup
	$(BIN)/policyatlas build $(CORPUS) --db $(DB)
	$(BIN)/policyatlas overview --db $(DB)

test: setup
	$(BIN)/python -m pytest -q

.PHONY: setup atlas test

# One task runner. The README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install dev test lint format kb bench eval results fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first, pinned: this machine has the CPU wheel locally; anything that pulls a newer
# torch would download gigabytes of CUDA packages.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

kb: install  ## build or refresh the knowledge base (incremental)
	$(BIN)/curbside ingest

run: kb  ## set up, build the knowledge base if missing or stale, serve on 127.0.0.1:8000
	$(BIN)/curbside serve --host $(HOST) --port $(PORT)

lint: dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

test: lint  ## install dev dependencies, lint, run the whole test suite
	$(BIN)/pytest

eval: dev  ## every suite on the dev sets (JSON in var/eval/, charts in var/eval/plots)
	$(BIN)/curbside eval all --plot var/eval/plots

fuzz: dev  ## schemathesis over the whole API, CDS Hooks included: 60 cases per operation (~2,000), zero 5xx
	CURBSIDE_FUZZ_EXAMPLES=60 $(BIN)/python -m pytest tests/web/test_fuzz.py -q -s -m slow

bench: install  ## latency vs the BM25 floor, loopback answers/s, cold start, memory, ingest speed
	$(BIN)/curbside bench

results: dev  ## regenerate docs/results.md (all suites + bench, ~6 min on 2 cores)
	$(BIN)/python scripts/make_results.py

format: dev
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

clean:
	rm -rf var .cache .pytest_cache .mypy_cache .ruff_cache

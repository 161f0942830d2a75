# Two commands for a new machine: `make run` (the monitor on the bundled samples) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint typecheck check bench bench-pipeline clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	PREFECT_SERVER_ANALYTICS_ENABLED=false $(BIN)/laborwatch run --sample

test: install
	PREFECT_SERVER_ANALYTICS_ENABLED=false $(BIN)/pytest

# Unit tests only: no Prefect server, no browser, no subprocess runs (under a minute).
test-fast: install
	PREFECT_SERVER_ANALYTICS_ENABLED=false $(BIN)/pytest -q -m "not flow and not browser" \
		--ignore=tests/deploy --ignore=tests/flows --ignore=tests/reliability

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

check: lint typecheck test

bench: install
	$(BIN)/python benchmarks/bench_extract.py

bench-pipeline: install
	$(BIN)/python benchmarks/bench_pipeline.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

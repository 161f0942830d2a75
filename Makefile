# Two commands for a new machine: `make run` (the monitor on the bundled samples) and `make test`.
# Everything is installed from the hashed locks in requirements/: pip installs uv alone
# (bootstrap.lock), uv makes the venv exactly dev.lock, then the project goes in editable, without
# dependencies. `make lock` regenerates the locks from pyproject.toml (LOCK_FLAGS=--upgrade moves
# every pin to the newest release that resolves).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV := $(BIN)/uv
LOCKS := requirements/bootstrap.lock requirements/runtime.lock requirements/dev.lock
LOCK_FLAGS ?=
UV_COMPILE = $(UV) pip compile --quiet --generate-hashes --python $(BIN)/python \
	--custom-compile-command "make lock" $(LOCK_FLAGS)

# uv reads no pip configuration: give it the index pip is configured with, if any (else PyPI),
# and the system's certificate store, as pip uses.
PIP_INDEX := $(shell $(PYTHON) -m pip config list 2>/dev/null \
	| sed -n "s/^[^=]*[.]index-url='\([^']*\)'$$/\1/p" | head -n 1)
ifneq ($(strip $(PIP_INDEX)),)
export UV_DEFAULT_INDEX ?= $(PIP_INDEX)
endif
export UV_NATIVE_TLS ?= 1

.PHONY: install lock run test test-fast lint typecheck check bench bench-pipeline clean

$(UV): requirements/bootstrap.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/bootstrap.lock
	touch $(UV)

# --compile-bytecode: pip writes .pyc files at install, uv only when asked; without them every
# process (the Prefect server, each flow run) compiles prefect again, where PYTHONDONTWRITEBYTECODE
# is set, on every start.
$(STAMP): $(UV) Makefile pyproject.toml requirements/dev.lock
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes --compile-bytecode requirements/dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

lock: $(UV)
	$(UV_COMPILE) -o requirements/bootstrap.lock requirements/bootstrap.in
	$(UV_COMPILE) -o requirements/runtime.lock --extra postgres pyproject.toml
	$(UV_COMPILE) -o requirements/dev.lock --extra dev pyproject.toml requirements/dev-tools.in \
		-c requirements/runtime.lock -c requirements/bootstrap.lock

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

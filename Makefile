# Bastion: `make run` starts everything on the embedded profile; `make test` runs every check.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
VENV := .venv
UV := $(TOOLS)/bin/uv
BIN := $(VENV)/bin
TEST_VAR := $(CURDIR)/var/test
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/bastion

.PHONY: run test install install-dev lint typecheck migrations-check pytest pytest-postgres clean

run: install
	$(BIN)/bastion up

test: install-dev lint typecheck migrations-check pytest pytest-postgres

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# The stamps make a second `make run` skip the install entirely.
$(VENV)/.installed-run: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --inexact --no-dev --python $(PYTHON)
	touch $@

$(VENV)/.installed-dev: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON)
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run

install-dev: $(VENV)/.installed-dev

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	BASTION_VAR_DIR=$(TEST_VAR) $(BIN)/mypy

migrations-check:
	BASTION_VAR_DIR=$(TEST_VAR) $(BIN)/bastion manage makemigrations --check --dry-run

pytest:
	BASTION_VAR_DIR=$(TEST_VAR) $(BIN)/pytest

# The core's and the import pipeline's tests once more on PostgreSQL (required in CI).
pytest-postgres:
	@$(BIN)/python -m tests.services postgres --ensure-database bastion; status=$$?; \
	if [ $$status -eq 0 ]; then \
		BASTION_VAR_DIR=$(TEST_VAR) BASTION_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest tests/core tests/scanner/imports; \
	elif [ $$status -eq 1 ]; then \
		echo "PostgreSQL is not reachable: the core's tests on PostgreSQL were skipped"; \
	else exit 1; fi

clean:
	rm -rf $(VENV) $(TOOLS) var .mypy_cache .ruff_cache .pytest_cache

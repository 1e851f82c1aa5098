# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint contracts bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	@echo "installing qualcode and its dependencies into $(VENV) (once; about a minute) ..."
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qualcode demo

lint: $(STAMP)
	$(BIN)/ruff check .

contracts: $(STAMP)
	$(BIN)/lint-imports

# Tests run on every core (pytest-xdist); `make test` runs all of them, slow ones included.
test: lint contracts
	$(BIN)/python -m pytest -n auto

# The inner loop (about 45 s on 2 cores): everything but the tests marked slow (the Textual app
# driven by Pilot, property runs, LibreOffice, SIGKILL,
# goldens). CI runs `make test`.
test-fast: lint contracts
	$(BIN)/python -m pytest -n auto -m "not slow"

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info

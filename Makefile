# Two commands set everything up on a fresh machine (see README):
#   make run   -- virtualenv + pinned dependencies, then the service with the example regions
#   make test  -- the same set-up, then lint, types and the whole test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.geinstalleerd

.PHONY: run test lint setup clean

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ontbreekt: installeer python3.11 of zet PYTHON=..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/regelwerk serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy engine dsl berichten weergave opslag batch betalen proefdata

test: lint
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV)

# ocpp-harness: every target bootstraps .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ocpp-harness demo

test: $(STAMP)
	$(BIN)/python -m pytest tests -q -n 4 -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check harness tests testcases benchmarks
	$(BIN)/ruff format --check harness tests testcases benchmarks
	$(BIN)/mypy harness tests

bench: $(STAMP)
	$(BIN)/python benchmarks/frame_path.py

clean:
	rm -rf $(VENV) reports/demo

# ocpp-harness: every target bootstraps .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Byte-code caching on (some machines export PYTHONDONTWRITEBYTECODE), kept out of the checkout:
# the self-tests start hundreds of child pytest runs, each of which would otherwise recompile
# (and re-rewrite the asserts of) every module of the harness and the test cases.
RUN := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache

.PHONY: demo test lint bench clean chromium

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(RUN) $(BIN)/ocpp-harness demo

# --dist loadgroup: a module marked xdist_group (tests/test_wheel.py) runs on one worker, once.
# -n 12 on 2 cores: most of the suite is child runs that wait on the reference SUTs; since they
# fork from a warm server (tests/child_pytest.py) they cost less CPU, and 12 workers took the
# suite from 26 to 21 minutes on the 2-core machine. 16 workers saved 2 of 24 minutes but made
# a robustness case miss its boot precondition under the load: 12 it stays.
test: $(STAMP) chromium
	$(RUN) $(BIN)/python -m pytest tests -q -n 12 --dist loadgroup -p no:cacheprovider

# The report's browser test opens index.html in headless Chromium (Debian package chromium).
# Installed when missing and possible (root); otherwise that one test is skipped.
chromium:
	@command -v chromium >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  echo "chromium not installed: the report's browser test will be skipped"

lint: $(STAMP)
	$(BIN)/ruff check harness tests testcases benchmarks
	$(BIN)/ruff format --check harness tests testcases benchmarks
	$(BIN)/mypy harness tests

bench: $(STAMP)
	$(BIN)/python benchmarks/frame_path.py
	$(BIN)/python benchmarks/long_session.py

clean:
	rm -rf $(VENV) reports/demo

# cloudcanvas: `make demo` runs the product, `make test` runs every check. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck imports pytest pytest-postgres bench chromium install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

PORT ?= 8000
demo: $(STAMP)
	$(BIN)/cloudcanvas demo --port $(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium graphviz)
	@command -v dot >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz)

lint: $(STAMP)
	$(BIN)/ruff check cloudcanvas tests bench
	$(BIN)/ruff format --check cloudcanvas tests bench

typecheck: $(STAMP)
	$(BIN)/mypy cloudcanvas tests bench

imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) chromium
	$(BIN)/pytest -q -p no:cacheprovider

# The database-backed tests again on PostgreSQL, when CLOUDCANVAS_TEST_DATABASE_URL is set (CI sets it).
pytest-postgres: $(STAMP)
	@if [ -n "$$CLOUDCANVAS_TEST_DATABASE_URL" ]; then \
	  CLOUDCANVAS_TEST_BACKEND=postgresql $(BIN)/pytest -q -p no:cacheprovider -m "not browser" \
	    --ignore=tests/simulator --ignore=tests/diagram --ignore=tests/azure; \
	else echo "CLOUDCANVAS_TEST_DATABASE_URL is unset: PostgreSQL run skipped"; fi

test: lint typecheck imports pytest pytest-postgres

bench: $(STAMP)
	$(BIN)/python bench/simulator.py
	$(BIN)/python bench/scan.py
	$(BIN)/python bench/inventory.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/viewer.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache

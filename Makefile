# Tandem — two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
DEMO_SEED ?= 2026
DEMO_PERSONS ?= 1000
PERSONS ?= 10000
SCALE_SEED ?= 2026
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo serve test test-fast lint format migrate seed messages bench bench-pages clean fuzz scale

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# axe-core for the accessibility checks in the browser tests (skipped when npm is absent).
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(NPM_STAMP); \
	else echo "npm not found: browser accessibility checks will be skipped"; fi

setup: $(STAMP) $(NPM_STAMP)  ## create .venv and install everything

migrate: $(STAMP)
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --seed $(DEMO_SEED) --persons $(DEMO_PERSONS)

demo: setup  ## install, migrate SQLite under var/, load demo data, serve
	@start=$$(date +%s); $(MAKE) --no-print-directory seed || exit 1; \
	echo "Demo ready in $$(( $$(date +%s) - start )) s (migrate and demo data)"
	@echo "Tandem runs at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: $(STAMP)
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup  ## the whole suite, with the migration and system checks
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	$(PY) -m ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

# The partner API fuzzed against its own OpenAPI schema (schemathesis, every check); `make test`
# runs the same test with a few examples per operation (TANDEM_FUZZ_EXAMPLES, default 10),
# derandomized; `make fuzz` picks a random seed and prints it (replay: TANDEM_FUZZ_SEED=<n>).
FUZZ_EXAMPLES ?= 200
fuzz: $(STAMP)  ## schemathesis against /api/schema/: many examples per operation, figures printed
	TANDEM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) TANDEM_FUZZ_RANDOM=1 $(PY) -m pytest -q -s -p no:cacheprovider tests/api/test_fuzz.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy tandem config

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: $(STAMP)  ## refresh and compile translations (needs GNU gettext)
	cd tandem && ../$(PY) ../manage.py makemessages -l nl --no-obsolete
	cd tandem && ../$(PY) ../manage.py compilemessages -l nl

# The pages are measured at BENCH_PERSONS generated persons on PostgreSQL
# (TANDEM_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tandem_bench): the
# databases tandem_bench_<N> are generated once (1 M persons: ~7-9 min) and reused.
BENCH_PERSONS ?= 1000000
bench: $(STAMP)  ## run every bench/bench_*.py (measurements, not tests)
	@failed=""; for script in bench/bench_*.py; do \
		echo "== $$script"; BENCH_PERSONS=$(BENCH_PERSONS) $(PY) $$script || failed="$$failed $$script"; \
	done; \
	if [ -n "$$failed" ]; then echo "== goals missed by:$$failed"; exit 1; fi

# Only the pages: make bench-pages PERSONS=100000 (without PERSONS: BENCH_PERSONS).
bench-pages: $(STAMP)  ## the pages at scale beside their SQL floors (bench/bench_pages.py)
	$(PY) bench/bench_pages.py --persons $(if $(filter command line,$(origin PERSONS)),$(PERSONS),$(BENCH_PERSONS))

# Flanders-sized data for measuring (issue 20), on DATABASE_URL (migrated first): COPY on
# PostgreSQL, batched inserts on SQLite; refuses production settings. docs/benchmarks.md.
scale: migrate  ## generate PERSONS persons with everything around them (make scale PERSONS=100000)
	$(PY) manage.py generate_scale --persons $(PERSONS) --seed $(SCALE_SEED)

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3 .pytest_cache

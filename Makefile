# Two commands on a fresh machine: `make run` and `make test`. Everything else they need is made here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
SCALE ?= small
## `make bench DB=postgres` runs on its own database (created anew and dropped after; never `test`).
DB ?= sqlite
BENCH_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/heza_bench
PORT ?= 5000

.PHONY: setup run test test-sqlite test-postgres lint translations translations-update bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

translations: $(STAMP)
	$(BIN)/pybabel compile -f -d heza/translations >/dev/null
	$(BIN)/pybabel compile -f -d heza/admin/translations -D "admin wtforms" >/dev/null

## Re-extract our (Vietnamese) msgids and merge them into the English catalog.
translations-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project heza -o heza/translations/messages.pot heza jobs templates
	$(BIN)/pybabel update -i heza/translations/messages.pot -d heza/translations --no-fuzzy-matching

setup: $(STAMP) translations

## Runs the app with demo data on SQLite, the scheduler and a local mail sink.
run: setup
	$(BIN)/heza init
	$(BIN)/heza demo --if-empty
	$(BIN)/heza dev --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check .

## The whole suite on SQLite and on PostgreSQL (required on CI, where it fails if unreachable), both at once:
## the machine has two cores and the passes share nothing but the PostgreSQL server, which only the second
## uses. Each pass's output is printed whole when it ends. `make test-sqlite` or `make test-postgres` runs one.
test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

## The tests marked `postgres` (several schedulers and hosts, backup and restore, the database going away)
## run in the PostgreSQL pass: on SQLite they would only repeat it, and one of them cuts every connection.
test-sqlite: setup
	$(BIN)/python -m pytest -q -m "not postgres"

test-postgres: setup
	@if $(BIN)/python -m tests.pg_check "$(PG_URL)"; then \
		HEZA_TEST_DATABASE_URL="$(PG_URL)" $(BIN)/python -m pytest -q -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_URL) is unreachable: on CI this is a failure, not a skip." >&2; exit 1; \
	else \
		echo "PostgreSQL at $(PG_URL) is unreachable: the PostgreSQL pass is skipped on this machine (not on CI)."; \
	fi

bench: setup
	$(BIN)/python tests/bench/bench_workdays.py
	$(BIN)/python tests/bench/bench_city.py --scale $(SCALE) \
		$(if $(filter postgres,$(DB)),--database-url $(BENCH_PG_URL) --fresh-database)
	$(BIN)/python tests/bench/bench_load.py --scale $(SCALE) \
		$(if $(filter postgres,$(DB)),--database-url $(BENCH_PG_URL) --fresh-database)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

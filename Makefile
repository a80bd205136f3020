# Sáng kiến — every command a person or CI needs. `make run` and `make test` are the quick start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
HOST ?= 127.0.0.1:8000

BENCH_URL ?= postgres://postgres@127.0.0.1:5432/sangkien_bench

.PHONY: bench-data bench surge bench-tree run test test-pg test-browser browsers lint format migrations-check ci data demo restructure-2025 clean install

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

compilemessages: install
	@$(MANAGE) compilemessages --ignore '.venv' --verbosity 0

data: install compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_national_tree
	$(MANAGE) load_programs

demo: data
	$(MANAGE) load_demo
	$(MANAGE) numbers_worker --once

run: demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Sáng kiến: http://$(HOST)/  (cán bộ demo: quantri / gialam / stanley, mật khẩu sangkien-demo)"
	$(MANAGE) runserver $(HOST)

restructure-2025: data
	$(MANAGE) restructure_2025

# The whole suite on the embedded SQLite database. Browser tests run when Chromium is
# installed (`make browsers`) and are skipped with a reason otherwise.
test: install compilemessages
	$(BIN)/pytest -q

test-pg: install compilemessages
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(BIN)/pytest -q

test-browser: install compilemessages browsers
	REQUIRE_BROWSER=1 $(BIN)/pytest -q -m browser

# Debian's Chromium and ChromeDriver for the browser tests (needs root or sudo).
browsers:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver \
	  || ( $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver ); \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

ci:
	.ci/run

clean:
	rm -rf $(VENV) var

# A generated country on PostgreSQL (BENCH_URL): the national tree at full size, 2.5 million
# initiatives over 600 days, their reviews, forwardings, awards and maintained numbers.
bench-data: install compilemessages
	$(PY) -c "import psycopg; c = psycopg.connect('$(BENCH_URL)'.rsplit('/', 1)[0] + '/postgres', autocommit=True); \
	  n = '$(BENCH_URL)'.rsplit('/', 1)[1]; \
	  c.execute('CREATE DATABASE ' + n) if not c.execute('SELECT 1 FROM pg_database WHERE datname=%s', (n,)).fetchone() else None"
	DATABASE_URL=$(BENCH_URL) $(MANAGE) migrate --noinput --verbosity 0
	DATABASE_URL=$(BENCH_URL) $(MANAGE) load_national_tree
	DATABASE_URL=$(BENCH_URL) $(MANAGE) load_programs
	DATABASE_URL=$(BENCH_URL) $(MANAGE) generate_country --reset

# The benchmarks against that country with gunicorn, PostgreSQL and Redis: bench/results.json.
bench: install compilemessages
	BENCH_URL=$(BENCH_URL) $(PY) -m bench.run

# Twice the sustained rate for 60 s, a worker killed and PostgreSQL restarted: nothing lost.
surge: install compilemessages
	$(PY) -m bench.surge

# The tree at national size on PostgreSQL, then subtree questions timed.
bench-tree: install
	$(PY) -c "import psycopg; c = psycopg.connect('$(BENCH_URL)'.rsplit('/', 1)[0] + '/postgres', autocommit=True); \
	  c.execute('CREATE DATABASE sangkien_bench') if not c.execute(\"SELECT 1 FROM pg_database WHERE datname='sangkien_bench'\").fetchone() else None"
	DATABASE_URL=$(BENCH_URL) $(MANAGE) migrate --noinput --verbosity 0
	DATABASE_URL=$(BENCH_URL) $(MANAGE) load_national_tree
	DATABASE_URL=$(BENCH_URL) $(MANAGE) generate_demo_units --scale 1
	DATABASE_URL=$(BENCH_URL) $(MANAGE) bench_tree

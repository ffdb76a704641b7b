# The two commands of the README: `make demo` and `make test`. Everything else is set-up they call.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := graphviz chromium fonts-noto-cjk maven openjdk-17-jdk-headless

.PHONY: demo test check venv system lint typecheck unit clean neo4j fuzz

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,pdf]'
	touch $@

venv: $(VENV)/.installed

## System packages (Graphviz `dot`, Chromium for the browser test, CJK fonts for Japanese labels).
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

demo: venv system
	$(VENV)/bin/auditor demo --out audit-report -f md -f html -f svg -f csv -f xlsx

lint: venv
	$(VENV)/bin/ruff check auditor connectors reports tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy --config-file tests/mypy.ini tests

## Neo4j Community test server jars from Maven Central (idempotent; see scripts/neo4j-test-server.sh).
neo4j:
	scripts/neo4j-test-server.sh fetch

## TESTS narrows pytest to a path, node id or -k expression: `make check TESTS=tests/core`, `make unit TESTS="-k okta"`.
TESTS ?=

## Tests run with bytecode caching on: an environment with PYTHONDONTWRITEBYTECODE set would otherwise compile every
## module (and pytest re-write every test's asserts) in every worker and every `python -m auditor` a test starts.
## Their temporary files (every tmp_path, SQLite stores, the Neo4j server's home) go to a RAM disk when the machine
## has one: SQLite's syncs to a real disk were ~8 s of `make check`'s 50 s on the reference machine.
TEST_TMPDIR ?= $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm)
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR)) $(PY) -m pytest

## pytest-xdist: one worker per core (PYTEST_WORKERS=0 runs in one process); loadgroup keeps a group on one worker.
PYTEST_WORKERS ?= auto
PARALLEL := -n $(PYTEST_WORKERS) --dist loadgroup

## Every test: those of `make check` in parallel, then the Neo4j and browser tests in one process (one Neo4j
## server, one Chromium at a time); exit 5 is pytest's "no test selected" (a TESTS filter that leaves a part empty).
unit: venv system neo4j
	$(PYTEST) $(PARALLEL) -m "not neo4j and not browser" $(TESTS) || [ $$? -eq 5 ]
	$(PYTEST) -m "neo4j or browser" $(TESTS) || [ $$? -eq 5 ]

## The fast loop: lint, types and every test that needs neither the Neo4j server nor a browser (no apt, no Maven).
check: lint
	$(PYTEST) -q $(PARALLEL) -m "not neo4j and not browser" $(TESTS)

test: lint unit

## Property-based fuzzing of every input kind: 850 inputs × 12 targets (10,200) with a fixed seed.
FUZZ_SEED ?= 1515
fuzz: venv
	FUZZ_EXAMPLES=850 $(PY) -m pytest tests/fuzz -q -p no:cacheprovider --hypothesis-seed=$(FUZZ_SEED)

clean:
	rm -rf $(VENV) build dist *.egg-info .auditor audit-report

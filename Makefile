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
	$(PY) -m pip install -q -e '.[test]'
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

unit: venv system neo4j
	$(PY) -m pytest $(TESTS)

## The fast loop: lint, types and every test that needs neither the Neo4j server nor a browser (no apt, no Maven).
check: lint
	$(PY) -m pytest -q -m "not neo4j and not browser" $(TESTS)

test: lint unit

## Property-based fuzzing of every input kind: 850 inputs × 12 targets (10,200) with a fixed seed.
FUZZ_SEED ?= 1515
fuzz: venv
	FUZZ_EXAMPLES=850 $(PY) -m pytest tests/fuzz -q -p no:cacheprovider --hypothesis-seed=$(FUZZ_SEED)

clean:
	rm -rf $(VENV) build dist *.egg-info .auditor audit-report

# Chancery: two commands for a newcomer, `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SERVICE_PACKAGES := $(wildcard services/*/pyproject.toml)
# The repository's own distributions, installed editable over the locked set.
LOCAL_PACKAGES := shared shared/testing $(dir $(SERVICE_PACKAGES))
LOCKS := requirements/runtime.lock requirements/dev.lock
# Universal (any platform) and hash-pinned; versions already in a lock are kept.
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock"
ROLE ?= registrar
DEPARTMENT ?=

.PHONY: install lock run up down test test-unit lint token migrate bench-intake clean

$(STAMP): $(LOCKS) shared/pyproject.toml shared/testing/pyproject.toml $(SERVICE_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps $(addprefix -e ,$(LOCAL_PACKAGES))
	$(BIN)/pip check
	touch $(STAMP)

install: $(STAMP)

## After editing requirements/runtime.txt or dev.txt: the hash-pinned locks, then the venv.
lock: $(BIN)/uv
	$(UV_COMPILE) requirements/runtime.txt -o requirements/runtime.lock
	$(UV_COMPILE) requirements/dev.txt -c requirements/runtime.lock -o requirements/dev.lock
	$(MAKE) install

# The lock tool alone, at the version dev.txt pins (the locks may be stale when it runs).
$(BIN)/uv: requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "$$(grep -E '^uv==' requirements/dev.txt)"

## The whole system in one process: SQLite files, in-memory broker, demo data.
run: install
	$(BIN)/python -m chancery.embedded

## Real mode: every service as its own processes against RabbitMQ and PostgreSQL.
up: install
	$(BIN)/python -m chancery.realmode up

down: install
	$(BIN)/python -m chancery.realmode down

## The whole suite: unit, integration (real PostgreSQL and RabbitMQ) and end to end.
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

test-unit: install
	$(BIN)/pytest -m "not integration and not e2e"

lint: install
	$(BIN)/ruff check .

## A development bearer token: make token ROLE=registrar DEPARTMENT=COMM
token: install
	@$(BIN)/chancery token --role $(ROLE) $(if $(DEPARTMENT),--department $(DEPARTMENT))

bench-intake: install
	$(BIN)/python bench/intake_throughput.py

clean:
	rm -rf var .pytest_cache

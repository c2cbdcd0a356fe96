# Chancery: two commands for a newcomer, `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SERVICE_PACKAGES := $(wildcard services/*/pyproject.toml)
ROLE ?= registrar
DEPARTMENT ?=

.PHONY: install run up down test test-unit lint token migrate bench-intake clean

$(STAMP): requirements/runtime.txt requirements/dev.txt shared/pyproject.toml $(SERVICE_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.txt -e shared $(addprefix -e ,$(dir $(SERVICE_PACKAGES)))
	$(BIN)/pip check
	touch $(STAMP)

install: $(STAMP)

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
## (several roles separated by commas: make token ROLE=registrar,clearance_secret)
token: install
	@$(BIN)/chancery token --role $(ROLE) $(if $(DEPARTMENT),--department $(DEPARTMENT))

bench-intake: install
	$(BIN)/python bench/intake_throughput.py

clean:
	rm -rf var .pytest_cache

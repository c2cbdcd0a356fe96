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

STAFF_WEB := services/staff-web
VENDOR := $(STAFF_WEB)/staff_web/static/vendor
STAFF_WEB_ASSETS := $(VENDOR)/.copied
FONTS := $(STAFF_WEB)/node_modules/@fontsource

.PHONY: install lock run up down test test-unit lint token migrate bench-intake clean translations \
	secrets

$(STAMP): $(LOCKS) shared/pyproject.toml shared/testing/pyproject.toml $(SERVICE_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps $(addprefix -e ,$(LOCAL_PACKAGES))
	$(BIN)/pip check
	touch $(STAMP)

## The staff web app's assets from the npm registry (htmx, fonts; the test-only OIDC
## provider and axe-core too), copied where the app serves them; nothing from a CDN.
$(STAFF_WEB_ASSETS): $(STAFF_WEB)/package.json $(STAFF_WEB)/package-lock.json
	cd $(STAFF_WEB) && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/fonts
	cp $(STAFF_WEB)/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp $(FONTS)/noto-sans/files/noto-sans-latin-400-normal.woff2 \
	   $(FONTS)/noto-sans/files/noto-sans-latin-700-normal.woff2 \
	   $(FONTS)/noto-sans/files/noto-sans-latin-ext-400-normal.woff2 \
	   $(FONTS)/noto-sans/files/noto-sans-latin-ext-700-normal.woff2 \
	   $(FONTS)/noto-sans-georgian/files/noto-sans-georgian-georgian-400-normal.woff2 \
	   $(FONTS)/noto-sans-georgian/files/noto-sans-georgian-georgian-700-normal.woff2 \
	   $(VENDOR)/fonts/
	touch $@

## The staff web app's gettext catalogues (.po in git, .mo compiled here).
translations: $(STAMP)
	$(BIN)/pybabel -q compile -d $(STAFF_WEB)/staff_web/translations

install: $(STAMP) $(STAFF_WEB_ASSETS) translations

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

## The compose stack's .env: a random value for each password and secret named in
## deploy/env.example (never overwrites an existing .env; decision 74).
secrets:
	sh deploy/make-secrets.sh

## Upgrade every service's database (DATABASE_URL, "{service}" in it per service) and exit.
migrate: install
	$(BIN)/python -m chancery.realmode migrate

## The whole suite: unit, integration (real PostgreSQL and RabbitMQ) and end to end.
test: lint
	$(BIN)/pytest

test-unit: install
	$(BIN)/pytest -m "not integration and not e2e and not fuzz"

## What CI checks before any test: ruff's rules and its formatting, and mypy, strict for the shared library
## (pyproject.toml) and checked for the services and the staff web app (mypy-services.ini).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy --config-file mypy-services.ini

## A development bearer token: make token ROLE=registrar DEPARTMENT=COMM
## (several roles separated by commas: make token ROLE=registrar,clearance_secret)
token: install
	@$(BIN)/chancery token --role $(ROLE) $(if $(DEPARTMENT),--department $(DEPARTMENT))

bench-intake: install
	$(BIN)/python bench/intake_throughput.py

clean:
	rm -rf var .pytest_cache

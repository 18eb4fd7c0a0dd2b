# The two commands of the README: `make run` and `make test`. Both set up what they need.
SHELL := bash
.DEFAULT_GOAL := help
# uv may be on PATH or only importable (pip install --user); resolve it when used.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test setup setup-test lint types imports pytest bench

help:  ## Show the targets.
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup:
	@scripts/bootstrap.sh run
	@$(UV) sync --locked --all-extras --no-default-groups --compile-bytecode

setup-test:
	@scripts/bootstrap.sh test
	@$(UV) sync --locked --all-extras --compile-bytecode

run: setup  ## Serve the app on http://$(HOST):$(PORT) with an embedded SQLite file and a demo.
	$(UV) run --no-sync fishbone serve --host $(HOST) --port $(PORT) --db sqlite:///fishbone.db --demo --no-auth

test: setup-test lint types imports pytest  ## Lint, types, import layers and every test (PostgreSQL included).

lint:
	$(UV) run --no-sync ruff format --check .
	$(UV) run --no-sync ruff check .

types:
	$(UV) run --no-sync mypy

imports:
	$(UV) run --no-sync lint-imports

pytest:
	scripts/with-postgres.sh $(UV) run --no-sync pytest

bench: setup-test  ## Run every benchmark (minutes; see benchmarks/README.md for each one).
	$(UV) run --no-sync python benchmarks/render.py --repeat 5
	$(UV) run --no-sync python benchmarks/mams.py
	$(UV) run --no-sync python benchmarks/gen_feedback.py
	$(UV) run --no-sync python benchmarks/feedback.py --runs 3
	$(UV) run --no-sync python -m benchmarks.api --rows 100000 --runs 3

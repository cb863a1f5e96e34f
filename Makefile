# reviewdocs: `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.DEFAULT_GOAL := help
.PHONY: help install deps lint format test demo bench serve schema clean

help: ## List the targets and what they do
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

NPM_STAMP := node_modules/.package-lock.json

# GOV.UK Frontend (the front desk's CSS, fonts, JS) and axe-core (its accessibility
# tests), at the versions package-lock.json pins.
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed for the front desk's assets: run 'make deps' as root (it installs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund

install: $(STAMP) $(NPM_STAMP) ## Create .venv (when missing), install reviewdocs with its dev tools, and the npm assets

deps: ## Install the Debian packages (LibreOffice, fonts, poppler, npm, chromium) when missing
	@bash .ci/system-deps

lint: install ## ruff (lint and format check) and mypy on src/
	$(BIN)/ruff check src tests tools bench
	$(BIN)/ruff format --check src tests tools bench
	$(BIN)/mypy

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests tools bench
	$(BIN)/ruff format src tests tools bench

test: deps lint ## Lint, then the whole test suite (browser tests included)
	$(BIN)/pytest -q

demo: deps install ## Produce every document for every sample into out/ (a fresh out/ each run)
	rm -rf $(OUT)
	$(BIN)/reviewdocs validate samples/*.json samples/*.pdf
	$(BIN)/reviewdocs batch samples --out $(OUT)
	$(BIN)/reviewdocs batch samples/letters.csv --out $(OUT)/letters
	$(BIN)/reviewdocs share samples/10-joint-review-health-sharing.json --out $(OUT)
	$(BIN)/reviewdocs amend samples/10-joint-review-health-sharing.json \
		samples/amendments/10-accept-resolution-steps.json --out $(OUT)
	$(BIN)/reviewdocs form --out $(OUT)/blank-carer-review-form.pdf --plan-type carer_support_plan
	$(BIN)/reviewdocs register list --register $(OUT)/register.sqlite --review CS-2026-1315
	@echo "Documents are in $(OUT)/ (one folder per review; $(OUT)/batch-report.csv lists each record)."

bench: install ## Batch vs a naive docxtpl loop (N=10000), stress (ROUNDS=5), front desk, envelopes (POST_N=60)
	$(BIN)/python bench/bench.py --records $${N:-10000}
	$(BIN)/python bench/stress.py --rounds $${ROUNDS:-5}
	$(BIN)/python bench/web_bench.py
	$(BIN)/python bench/post_bench.py --records $${POST_N:-60}

serve: install ## The front desk on http://127.0.0.1:8000/ (DATA=folder, default reviewdocs-data)
	$(BIN)/reviewdocs serve --data $${DATA:-reviewdocs-data}

schema: install ## Regenerate schemas/review-input.schema.json from the marshmallow schemas
	$(BIN)/python -m reviewdocs.intake.schemas > schemas/review-input.schema.json

clean: ## Remove out/ and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache build dist

# reviewdocs: `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.DEFAULT_GOAL := help
.PHONY: help install deps lint format test demo bench schema clean

help: ## List the targets and what they do
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv (when missing) and install reviewdocs with its dev tools

deps: ## Install the Debian packages for PDF output (LibreOffice, fonts) when missing
	@bash .ci/system-deps

lint: install ## ruff (lint and format check) and mypy on src/
	$(BIN)/ruff check src tests tools bench
	$(BIN)/ruff format --check src tests tools bench
	$(BIN)/mypy

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests tools bench
	$(BIN)/ruff format src tests tools bench

test: lint deps ## Lint, then the whole test suite
	$(BIN)/pytest -q

demo: install deps ## Produce every document for every sample into out/ (a fresh out/ each run)
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

bench: install ## Batch against a naive docxtpl loop (N=10000), then envelopes per minute (POST_N=60)
	$(BIN)/python bench/bench.py --records $${N:-10000}
	$(BIN)/python bench/post_bench.py --records $${POST_N:-60}

schema: install ## Regenerate schemas/review-input.schema.json from the marshmallow schemas
	$(BIN)/python -m reviewdocs.intake.schemas > schemas/review-input.schema.json

clean: ## Remove out/ and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache build dist

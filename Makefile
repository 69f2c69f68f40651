# yibao-recon — one build profile (release) shared by run, test and bench, so
# CI compiles the dependencies once.
CARGO ?= cargo
PROFILE := --release
BIN := target/release/yibao-recon
SAMPLE_NX := sample_data/ningxia
SAMPLE_HL := sample_data/hulunbuir

.PHONY: help build run run-hulunbuir test test-deps golden fmt lint check-policies ci clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

build: ## Build the release binary
	$(CARGO) build $(PROFILE) --locked

run: build ## Run the monthly job on sample_data/ningxia into reports/sample/
	$(BIN) run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \
	  --enrollment $(SAMPLE_NX)/enrollment.csv --persons $(SAMPLE_NX)/persons.csv \
	  --civil $(SAMPLE_NX)/civil.csv --agri $(SAMPLE_NX)/agri.csv \
	  --disability $(SAMPLE_NX)/disability.csv --veterans $(SAMPLE_NX)/veterans.csv \
	  --elsewhere $(SAMPLE_NX)/elsewhere.csv --out reports/sample --force

run-hulunbuir: build ## Run the Hulunbuir sample into reports/sample-hulunbuir/
	$(BIN) run --policy policies/hulunbuir-2026.toml --as-of 2026-01-31 \
	  --enrollment $(SAMPLE_HL)/enrollment.csv --persons $(SAMPLE_HL)/persons.csv \
	  --civil $(SAMPLE_HL)/civil.csv --agri $(SAMPLE_HL)/agri.csv \
	  --disability $(SAMPLE_HL)/disability.csv --elsewhere $(SAMPLE_HL)/elsewhere.csv \
	  --out reports/sample-hulunbuir --force

test: test-deps ## Run every unit and integration test (golden files included)
	$(CARGO) test $(PROFILE) --locked

# The dashboard test (tests/dashboard.rs) opens report.html in Debian's headless
# Chromium; fonts-noto-cjk renders the Chinese text in its screenshot.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
test-deps: ## Install Debian's chromium (and CJK fonts) for the dashboard test, if missing
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  $(SUDO) apt-get update && \
	  $(SUDO) apt-get install -y --no-install-recommends chromium fonts-noto-cjk; \
	fi

golden: ## Re-bless the golden files after a reviewed change (UPDATE_GOLDEN=1)
	UPDATE_GOLDEN=1 $(CARGO) test $(PROFILE) --locked --test golden

check-policies: build ## Validate both seed policies
	$(BIN) check-policy policies/ningxia-2026.toml
	$(BIN) check-policy policies/hulunbuir-2026.toml

fmt: ## Format the code
	$(CARGO) fmt --all

lint: ## rustfmt check and clippy with warnings as errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy $(PROFILE) --locked --all-targets -- -D warnings

ci: lint test ## What .ci/run does

clean: ## Remove build output and sample reports
	$(CARGO) clean
	rm -rf reports

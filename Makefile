# yibao-recon — one build profile (release) shared by run, test and bench, so
# CI compiles the dependencies once.
CARGO ?= cargo
PROFILE := --release
BIN := target/release/yibao-recon
SAMPLE_NX := sample_data/ningxia
SAMPLE_HL := sample_data/hulunbuir

.PHONY: install help build run run-hulunbuir test test-deps golden fmt lint check-policies ci clean verify

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

build: ## Build the release binary
	$(CARGO) build $(PROFILE) --locked

# Where `make install` puts the binary: cargo's default (~/.cargo/bin) unless
# PREFIX is given (then $(PREFIX)/bin).
PREFIX ?=
install: ## Build and install yibao-recon on PATH (~/.cargo/bin, or PREFIX=/usr/local → /usr/local/bin)
	$(CARGO) install --path . --locked $(if $(PREFIX),--root $(PREFIX),)

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

# The tests expect the default language (Chinese) wherever they do not choose one:
# an English LANG/LC_* of the caller's shell would switch the tool to English
# (issue 16), so the locale is pinned here; tests/language.rs sets its own.
test: test-deps ## Run every unit and integration test (golden files included)
	env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=C.UTF-8 $(CARGO) test $(PROFILE) --locked

# The dashboard test (tests/dashboard.rs) opens report.html in Debian's headless
# Chromium; fonts-noto-cjk renders the Chinese text in its screenshot. The print
# test (tests/print_pdf.rs) converts a county workbook to PDF with LibreOffice
# headless (libreoffice-calc-nogui) and reads the pages back with poppler-utils
# (pdftotext, pdfinfo).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TEST_DEBS := chromium fonts-noto-cjk libreoffice-calc-nogui poppler-utils
test-deps: ## Install Debian's chromium, LibreOffice Calc (headless), poppler-utils and CJK fonts for the browser and print tests, if missing
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/soffice ] || [ ! -x /usr/bin/pdftotext ] \
	  || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(TEST_DEBS); \
	fi

golden: ## Re-bless the golden files after a reviewed change (UPDATE_GOLDEN=1)
	UPDATE_GOLDEN=1 $(CARGO) test $(PROFILE) --locked --test integration golden::

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

# --- Province-scale benchmark (bench/run_bench.py) --------------------------
# Generates 0.1 M, 1 M and 10 M persons (cached under bench-data/<N>/), runs
# `yibao-recon run` and a DuckDB peer (bench/peer.sql) 3 times each under
# /usr/bin/time -v, each run fresh (no output directory, a new ledger), prints
# the stage table and the tool / peer ratio, appends a dated section to
# BENCHMARKS.md and regenerates the latest run's summary at its top.
# BENCH_SIZES=100000,1000000 make bench  — fewer sizes; BENCH_RUNS=1 — one run.
BENCH_VENV := bench/.venv
.PHONY: bench bench-deps

bench-deps: ## Install /usr/bin/time (Debian `time`) and the duckdb package (bench/.venv, else the user site)
	@if [ ! -x /usr/bin/time ]; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends time; \
	fi
	@if [ ! -x $(BENCH_VENV)/bin/python ]; then python3 -m venv $(BENCH_VENV) >/dev/null 2>&1 || rm -rf $(BENCH_VENV); fi
	@if [ -x $(BENCH_VENV)/bin/python ]; then py=$(BENCH_VENV)/bin/python; user=; else py=python3; user=--user; fi; \
	  $$py -c 'import duckdb' 2>/dev/null || $$py -m pip install --quiet $$user duckdb

bench: build bench-deps ## Benchmark against a DuckDB peer at 0.1 M / 1 M / 10 M persons → BENCHMARKS.md
	@if [ -x $(BENCH_VENV)/bin/python ]; then py=$(BENCH_VENV)/bin/python; else py=python3; fi; \
	  $$py bench/run_bench.py

# --- Reconciliation ledger and hostile input (issue 5) -----------------------
# `make fuzz`: the property tests of tests/hostile.rs (ID, date and money
# parsers; CSV and XLSX ingest) with FUZZ_CASES cases each instead of the few
# dozen `make test` runs, stopped after FUZZ_SECONDS. `make run-months`: the
# two-month scenario of sample_data/months (December, refunds paid, January).
FUZZ_CASES ?= 20000
FUZZ_SECONDS ?= 900
MONTHS := sample_data/months
.PHONY: fuzz run-months

fuzz: ## Long fuzz run of the hostile-input property tests (FUZZ_CASES, at most FUZZ_SECONDS)
	PROPTEST_CASES=$(FUZZ_CASES) timeout $(FUZZ_SECONDS) $(CARGO) test $(PROFILE) --locked --test integration hostile::

run-months: build ## Two months with one ledger (sample_data/months) → reports/months/
	rm -rf reports/months
	$(BIN) run --policy policies/ningxia-2026.toml --as-of 2025-12-31 \
	  --enrollment $(MONTHS)/2025-12/enrollment.csv --persons $(MONTHS)/2025-12/persons.csv \
	  --civil $(MONTHS)/2025-12/civil.csv --out reports/months/2025-12
	$(BIN) ledger mark-paid $(MONTHS)/paid-2026-01.csv --ledger reports/months/ledger.sqlite
	$(BIN) run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \
	  --enrollment $(MONTHS)/2026-01/enrollment.csv --persons $(MONTHS)/2026-01/persons.csv \
	  --civil $(MONTHS)/2026-01/civil.csv --out reports/months/2026-01

# --- Planted answers (issue 12) ----------------------------------------------
# `make verify`: for both seed policies and three as-of dates (inside the
# concentrated period, just after it, after 1 July) generate VERIFY_PERSONS
# persons with planted shapes (`generate --plant`, answer key answers.csv),
# run the tool, and check every planted person's rows on every list against the
# key (`yibao-recon verify`: per shape N/N and the first mismatching row).
VERIFY_PERSONS ?= 100000
VERIFY_DIR ?= verify-data
VERIFY_DATES ?= 2025-12-31 2026-01-31 2026-07-31
VERIFY_POLICIES ?= ningxia hulunbuir
.PHONY: verify

verify: build ## Plant known answers (2 policies x 3 as-of dates, VERIFY_PERSONS persons), run, check every one
	@fail=0; for p in $(VERIFY_POLICIES); do for t in $(VERIFY_DATES); do \
	  d=$(VERIFY_DIR)/$$p-$$t; rm -rf $$d; mkdir -p $$d; \
	  $(BIN) generate --persons $(VERIFY_PERSONS) --seed 12 --plant \
	    --policy policies/$$p-2026.toml --as-of $$t --out $$d/data --quiet || exit 1; \
	  $(BIN) run --policy policies/$$p-2026.toml --as-of $$t --header-lang en --quiet \
	    --enrollment $$d/data/enrollment.csv --persons $$d/data/persons.csv \
	    --civil $$d/data/civil.csv --agri $$d/data/agri.csv \
	    --disability $$d/data/disability.csv --veterans $$d/data/veterans.csv \
	    --elsewhere $$d/data/elsewhere.csv --ledger $$d/ledger.sqlite --out $$d/out || exit 1; \
	  echo "== $$p-2026, as-of $$t, $(VERIFY_PERSONS) persons"; \
	  $(BIN) verify --answers $$d/data/answers.csv --out $$d/out || fail=1; \
	done; done; exit $$fail

# The README's commands. Each installs what it needs first (idempotent, quick when present).
#   make run    build in release mode and serve the site on http://127.0.0.1:3000 (SQLite)
#   make test   every check and test: fmt, clippy (both features), the release build, Rust
#               tests on SQLite and on a throwaway PostgreSQL (the server binary's tests on
#               the release build), Playwright
#   make dev    rebuild and reload on change (cargo leptos watch)
#   make lint   fmt check, clippy, and no import cycle between top-level modules
#   make bench  speed and memory figures (search over 100,000 artists on SQLite and on
#               PostgreSQL; live delivery and memory per stream; live delivery across two
#               servers on PostgreSQL)
#   make soak   the fault tests at full size, with their figures printed (the server killed
#               during 2,000 sends; 100 hostile requests per server function and asker; 200
#               e-mails due during a minute without mail server; 300 people for 2 minutes),
#               on SQLite then PostgreSQL (where PostgreSQL also restarts under traffic)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# cargo-leptos calls wasm-opt (from npm's binaryen) and finds it on PATH.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR

.PHONY: run dev test lint fmt-check clippy module-cycles rust-tests build-release e2e tools browser-tools mail-tools scale-out-tools bench soak lighthouse places-data

run: tools build-release
	@mkdir -p data
	LEPTOS_SITE_ROOT=target/site "$(CARGO_TARGET_DIR)/release/concerts"

dev: tools
	cargo leptos watch --split

test: export CONCERTS_SERVER_BIN := $(CARGO_TARGET_DIR)/release/concerts
test: tools browser-tools mail-tools scale-out-tools lint build-release rust-tests e2e
	@echo "make test: all checks passed"

lint: fmt-check clippy module-cycles

# Lists the cycles between top-level modules of src/, if any, and fails on one.
module-cycles:
	/usr/bin/python3 scripts/module-cycles.py

fmt-check:
	cargo fmt --all --check

clippy:
	cargo clippy --all-targets --features ssr -- -D warnings
	cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

# The whole suite on SQLite, then the integration tests again on a throwaway PostgreSQL
# cluster, with the tests that need several servers on one database (ignored on SQLite).
# Under `make test`, the tests of the server binary run the release build made just before,
# as it runs in production (alone, `make rust-tests` uses the debug binary cargo builds).
rust-tests:
	cargo test --features ssr
	scripts/with-postgres.sh cargo test --features ssr --test '*' -- --include-ignored

# Skipped when nothing it is made from changed (scripts/build-release.sh keeps a key of the
# inputs beside the binary and the site).
build-release:
	scripts/build-release.sh

e2e:
	cd end2end && E2E_SERVER_BIN="$(CARGO_TARGET_DIR)/release/concerts" E2E_SITE_ROOT="$(CURDIR)/target/site" npx playwright test

# Speed and memory figures (never asserted in tests): page and static-file throughput of the
# release server (wrk), and the bytes of script a page loads; search latency over 100,000
# generated artists, on SQLite then PostgreSQL; memory per idle stream with 10,000 open, then
# live delivery latency with those 10,000 connected and 100 messages a second; delivery
# latency across two servers on PostgreSQL.
bench: export CONCERTS_SERVER_BIN := $(CARGO_TARGET_DIR)/release/concerts
bench: tools browser-tools scale-out-tools build-release
	cargo bench --features ssr --bench pages
	cargo bench --features ssr --bench search
	scripts/with-postgres.sh cargo bench --features ssr --bench search
	cargo bench --features ssr --bench live
	scripts/with-postgres.sh cargo bench --features ssr --bench cluster
	scripts/lighthouse.sh

# The fault tests at full size (`make test` runs their short versions), on the release build;
# figures printed, outcomes asserted, never timings.
soak: export CONCERTS_SERVER_BIN := $(CARGO_TARGET_DIR)/release/concerts
soak: export SOAK_CRASH_SENDS := 2000
soak: export SOAK_HOSTILE_CASES := 100
soak: export SOAK_SMTP_EMAILS := 200
soak: export SOAK_SMTP_OUTAGE_SECONDS := 60
soak: export SOAK_RESTART_OUTAGE_SECONDS := 30
soak: export SOAK_RESTART_SENDS_AFTER := 200
soak: export SOAK_CROWD_PEOPLE := 300
soak: export SOAK_CROWD_SECONDS := 120
soak: tools mail-tools scale-out-tools build-release
	cargo test --features ssr --test api -- faults hostile crowd --nocapture
	scripts/with-postgres.sh cargo test --features ssr --test api -- faults hostile crowd --include-ignored --nocapture

# Lighthouse (mobile preset, three runs) on the public pages of the release build.
lighthouse: export CONCERTS_SERVER_BIN := $(CARGO_TARGET_DIR)/release/concerts
lighthouse: tools browser-tools build-release
	scripts/lighthouse.sh

# Regenerates the regions and communes migration from @etalab/decoupage-administratif.
places-data:
	cd scripts/places && npm ci --no-audit --no-fund && node import.mjs ../../migrations/sqlite/20261125000003_places_data.sql

tools:
	@scripts/install-tools.sh

browser-tools:
	@scripts/install-browser.sh

mail-tools:
	@scripts/install-mail-server.sh

scale-out-tools:
	@scripts/install-scale-out-tools.sh

# Tianping: the two commands of the README are `make run` and `make test`.
# Each installs what a fresh machine lacks (see server/scripts/install-tools.sh), then does its job.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/e2e/node_modules/.bin:$(PATH)

.PHONY: run test tools build-release test-rust test-e2e bench seed clean-data

## Serve Tianping at http://localhost:3000 (127.0.0.1) on SQLite in ./data with the sandboxes on.
run: tools build-release
	./target/release/server seed
	exec ./server/scripts/serve.sh

## Every Rust test, then the whole e2e suite against the release build.
test: tools test-rust build-release test-e2e

tools:
	./server/scripts/install-tools.sh

build-release:
	cargo leptos build --release --split
	node server/scripts/precompress.mjs target/site/pkg

# Incremental caches are off for the full run: they doubled the debug target's size on disk and a
# one-shot run never reuses them (iterate with `cargo test -p server --test suite <module>::` instead).
test-rust: export CARGO_INCREMENTAL = 0
test-rust:
	cargo test --workspace --no-fail-fast
	# The pure models alone, without the server features (the browser build sees only these).
	cargo test -p app --lib
	# The same models compiled to WebAssembly: the fingerprint's pinned vector, run under Node.
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p app --lib --target wasm32-unknown-unknown

test-e2e:
	cd e2e && npx playwright test

## Bundle sizes, requests per second and latency, peak memory (see README).
bench: tools build-release
	./server/scripts/bench.sh

seed:
	./target/release/server seed

#!/usr/bin/env bash
# Runs the release build with the site files cargo-leptos produced; settings come from TIANPING_* (README).
set -euo pipefail
cd "$(dirname "$0")/../.."
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_PKG_DIR="${LEPTOS_SITE_PKG_DIR:-pkg}"
export LEPTOS_OUTPUT_NAME="${LEPTOS_OUTPUT_NAME:-tianping}"
export TIANPING_DATA_DIR="${TIANPING_DATA_DIR:-data}"
export TIANPING_SANDBOX="${TIANPING_SANDBOX:-true}"
exec ./target/release/server serve "$@"

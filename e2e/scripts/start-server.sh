#!/usr/bin/env bash
# Starts the release server for the e2e suite with a fresh SQLite data directory.
# Playwright's `webServer` runs this from e2e/ and waits for /healthz.
# Settings come from the environment (playwright.config.ts passes them); the defaults
# below match fixtures/server.ts.
set -euo pipefail

PORT="${E2E_PORT:-3100}"
BIN="${E2E_SERVER_BIN:-../target/release/server}"
SITE_ROOT="${E2E_SITE_ROOT:-../target/site}"

if [[ ! -x "$BIN" ]]; then
  echo "start-server.sh: no server binary at $BIN; build it first (cargo leptos build --release)" >&2
  exit 1
fi
if [[ ! -d "$SITE_ROOT" ]]; then
  echo "start-server.sh: no site root at $SITE_ROOT; build it first (cargo leptos build --release)" >&2
  exit 1
fi

# A new, empty data directory for every run, so no state leaks between runs. Its path is fixed
# per port (fixtures/server.ts knows it) so admin subcommands can run against the same database.
DATA="${E2E_DATA_DIR:-${TMPDIR:-/tmp}/tianping-e2e-$PORT}"
rm -rf "$DATA"
mkdir -p "$DATA"
echo "start-server.sh: data directory $DATA, listening on 127.0.0.1:$PORT" >&2

# Every browser of the suite comes from 127.0.0.1, so the per-IP limit is raised here; it is
# tested in server/tests/suite/identity.rs. WeChat's JS-SDK cannot be fetched here: the wechat profile
# stubs `wx.miniProgram` instead (fixtures/index.ts), and server/tests/suite/http.rs checks the tag.
exec env \
  TIANPING_DATA_DIR="$DATA" \
  TIANPING_ADDR="127.0.0.1:$PORT" \
  TIANPING_PUBLIC_URL="http://localhost:$PORT" \
  TIANPING_SANDBOX=true \
  TIANPING_KIOSK_SECRET="${E2E_KIOSK_SECRET:-e2e-kiosk-secret-0123456789abcdef}" \
  TIANPING_KIOSK_IDLE_SECS="${E2E_KIOSK_IDLE_SECS:-120}" \
  TIANPING_IP_LIMIT_PER_HOUR=100000 \
  TIANPING_WECHAT_JSSDK=off \
  LEPTOS_SITE_ROOT="$SITE_ROOT" \
  LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_OUTPUT_NAME="${LEPTOS_OUTPUT_NAME:-tianping}" \
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
  RUST_LOG="${RUST_LOG:-info}" \
  "$BIN" serve

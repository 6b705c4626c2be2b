#!/usr/bin/env bash
# The benchmark: (a) bytes a first visit to the home page downloads, (b) requests per second and
# latency of the server-rendered home page and of /healthz (baseline) under wrk, 50 connections
# for 10 s on 127.0.0.1, (c) the server's peak memory. Prints a table; README keeps the latest.
# (d) the payment-notification storm and (e) the hearings' signalling load, each on a throwaway server
# of its own (server bench-notifications, server bench-signalling), (f) an online hearing's time from
# admission to the first remote video frame (the phone journey of the hearings e2e suite).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT="${BENCH_PORT:-3200}"
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"
LOG="$DATA/server.log"
TIANPING_DATA_DIR="$DATA" TIANPING_ADDR="127.0.0.1:$PORT" TIANPING_LOG=warn \
  ./server/scripts/serve.sh >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "$BASE/healthz" >/dev/null || { echo "server did not start:"; cat "$LOG"; exit 1; }

echo "== (a) first visit to / (what the browser downloads before it is interactive)"
node server/scripts/first-visit-bytes.mjs "$BASE"

for path in / /healthz; do
  echo "== (b) wrk -t2 -c50 -d10s $path"
  wrk -t2 -c50 -d10s --latency "$BASE$path" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2}
    /^ +99%/ {p99=$2}
    /Non-2xx/ {bad=$NF}
    END {printf "requests/s %s   p50 %s   p99 %s   non-2xx %s\n", rps, p50, p99, (bad==""?0:bad)}'
done

echo "== (c) server peak memory"
awk '/VmHWM/ {printf "peak RSS %.1f MiB\n", $2/1024}' "/proc/$PID/status"

echo "== (d) payment notifications: 15 copies of each of 1,000 orders' notifications at once"
./target/release/server bench-notifications --orders 1000 --copies 15

echo "== (e) hearings' signalling: 100 hearings of 4 participants, 200 ICE messages each"
./target/release/server bench-signalling --hearings 100 --messages 200

echo "== (f) an online hearing on loopback: the judge admits a party, until the judge's first video frame on the party's phone"
(cd e2e && npx playwright test journeys/judge-holds-an-online-hearing.spec.ts --project=phone --reporter=line 2>&1 | grep -E 'admission to first remote video frame|passed|failed')

#!/usr/bin/env bash
# Benchmark of the local stack: a benchmark, not a test. It prints figures and asserts nothing.
#
#   bench/run.sh [--use-running] [--duration SECONDS] [--concurrency N]
#
# Starts the stack with scripts/run on free loopback ports with no stored data (or, with
# --use-running, uses the one `scripts/run` keeps on the default ports), seeds one item, then
# loads it for --duration seconds (default 10) per phase with --concurrency requests in flight
# (default 16), after a 16 s warm-up:
#   1. GET /api/v1/items/{id} on the api-service, half the connections without and half with
#      X-Canary: 42, at the same time (two wrk processes)
#   2. the same GetItem sent straight to the store-service as gRPC over h2c (h2load)
# and prints rps and p50/p99 side by side, their ratios, and each service's RSS after the run.
# STORE_SERVICE_EXECUTABLE / API_SERVICE_EXECUTABLE bench published (Native AOT) binaries instead
# of the Release build (see scripts/run).
source "$(dirname "$0")/lib.sh"

USE_RUNNING=false DURATION=10 CONCURRENCY=16
while [ $# -gt 0 ]; do
  case "$1" in
    --use-running) USE_RUNNING=true; shift ;;
    --duration) DURATION=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    *) die "unknown argument: $1 (see the comment at the top of $0)" ;;
  esac
done
if [ "$CONCURRENCY" -lt 4 ] || [ $((CONCURRENCY % 4)) -ne 0 ]; then die "--concurrency must be a multiple of 4"; fi

require_tools
cd "$REPO_ROOT"
# wrk for HTTP/1.1; h2load (nghttp2) for gRPC: both are C clients from Debian, so the client's own
# cost is alike on both sides of the api-vs-direct comparison.
"$REPO_ROOT/scripts/apt-ensure" wrk:/usr/bin/wrk nghttp2-client:/usr/bin/h2load
npm_install bench

TENANT=900001
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)
work=$(mktemp -d)
trap 'stop_stack; rm -rf "$work"' EXIT

if $USE_RUNNING; then
  API_PORT=8080 STORE_PORT=8081 STATE=$REPO_ROOT/.local
  curl -fsS "http://127.0.0.1:$API_PORT/healthz/ready" >/dev/null 2>&1 \
    || die "no stack is ready on port $API_PORT: start ./scripts/run first, or run without --use-running"
else
  STATE=$work/stack
  start_stack "$work/run.log" "$STATE"
fi
API=http://127.0.0.1:$API_PORT
API_PID=$(cat "$STATE/pids/api-service") STORE_PID=$(cat "$STATE/pids/store-service")

item=$(curl -fsS -X POST "$API/api/v1/items" -H "X-Tenant-ID: $TENANT" -H 'Content-Type: application/json' \
  -d '{"name":"Bench item","description":"seeded by bench/run.sh","price":12.5,"category":"books","sku":"BENCH-1","inventory_count":10,"tags":["bench"]}')
ID=$(node -p 'JSON.parse(process.argv[1]).id' "$item")
URL=$API/api/v1/items/$ID

# The gRPC request as h2load sends it: one framed store.v1.GetItemRequest.
node bench/grpc-frame.mjs store GetItemRequest "{\"tenant_id\":$TENANT,\"id\":\"$ID\"}" >"$work/get-item.bin"

# Without and with X-Canary run at the same time, half the connections each: both see the same
# JIT state, GC and whatever else the machine is doing, so their ratio compares the code paths.
wrk_phase() { # wrk_phase SECONDS PLAIN-OUTPUT CANARY-OUTPUT
  local seconds=$1 half=$((CONCURRENCY / 2))
  wrk -t1 -c"$half" -d"${seconds}s" --latency -H "X-Tenant-ID: $TENANT" "$URL" >"$2" &
  local plain=$!
  wrk -t1 -c"$half" -d"${seconds}s" --latency -H "X-Tenant-ID: $TENANT" -H "X-Canary: 42" "$URL" >"$3"
  wait "$plain"
}

h2load_phase() { # h2load_phase SECONDS OUTPUT LOG
  h2load -c4 -m$((CONCURRENCY / 4)) -D "$1" --log-file="$3" -d "$work/get-item.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$STORE_PORT/store.v1.StoreService/GetItem" >"$2"
}

# wrk latency ("812.00us", "3.21ms", "1.05s") in milliseconds.
wrk_ms() { awk -v p="$1" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
  print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : v) }' "$2"; }
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_errors() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"; }
# h2load: rps from its summary, percentiles from the per-request log (microseconds, 3rd column).
h2load_rps() { awk '/^finished in/ { print $4 }' "$1"; }
h2load_ms() { sort -n -k3,3 "$2" | awk -v q="$1" '{ v[NR] = $3 } END { i = int(NR * q / 100); if (i < 1) i = 1; print v[i] / 1000 }'; }
h2load_done() { awk '/^requests:/ { print $8 }' "$1"; }
h2load_errors() { awk '/^requests:/ { print $10 + $12 + $14 }' "$1"; }
rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Tiered JIT with dynamic PGO keeps recompiling hot paths for the first 10-20 s of load on this
# kind of machine; measuring before that compares warm-up stages, not the code paths.
echo "warming up (JIT tiering, connections, pools): 16 s"
wrk_phase 12 "$work/warm-api.txt" "$work/warm-canary.txt"
h2load_phase 4 "$work/warm-grpc.txt" "$work/warm-grpc.log"

echo "measuring: ${DURATION} s per phase, $CONCURRENCY in flight"
wrk_phase "$DURATION" "$work/api.txt" "$work/canary.txt"
store_log=$STATE/logs/store-service.log
store_mark=$(wc -l <"$store_log")
h2load_phase "$DURATION" "$work/grpc.txt" "$work/grpc.log"
# Every gRPC call answers HTTP 200; whether it succeeded is in the trailers, so count the store's
# own RPC log lines for the bench tenant: all of h2load's calls should be there with status OK.
sleep 1 # the store writes its last lines after answering
tail -n +$((store_mark + 1)) "$store_log" | grep -F '"grpc_method":"/store.v1.StoreService/GetItem"' \
  | grep -F "\"tenant\":$TENANT," >"$work/grpc-store.log" || true
store_statuses=$({ grep -o '"grpc_status":"[A-Za-z]*"' "$work/grpc-store.log" || true; } | cut -d'"' -f4 | sort | uniq -c \
  | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')
API_RSS=$(rss_mib "$API_PID") STORE_RSS=$(rss_mib "$STORE_PID")

api_rps=$(wrk_rps "$work/api.txt") canary_rps=$(wrk_rps "$work/canary.txt") grpc_rps=$(h2load_rps "$work/grpc.txt")
api_p50=$(wrk_ms 50% "$work/api.txt") canary_p50=$(wrk_ms 50% "$work/canary.txt") grpc_p50=$(h2load_ms 50 "$work/grpc.log")
api_p99=$(wrk_ms 99% "$work/api.txt") canary_p99=$(wrk_ms 99% "$work/canary.txt") grpc_p99=$(h2load_ms 99 "$work/grpc.log")

echo
echo "CanaryDemo bench: $(nproc) CPUs, load average before the run $LOAD_BEFORE, binaries: api ${API_SERVICE_EXECUTABLE:-Release build (JIT)}, store ${STORE_SERVICE_EXECUTABLE:-Release build (JIT)}"
echo "GetItem of one seeded item, $CONCURRENCY requests in flight per phase, ${DURATION} s per phase, loopback"
api_total=$(awk -v a="$api_rps" -v b="$canary_rps" 'BEGIN { print a + b }')
printf '%-52s %10s %9s %9s %8s\n' "" "rps" "p50 ms" "p99 ms" "errors"
printf '%-52s %10.1f %9.2f %9.2f %8d\n' "api GET /api/v1/items/{id} ($((CONCURRENCY / 2)) conns)" "$api_rps" "$api_p50" "$api_p99" "$(wrk_errors "$work/api.txt")"
printf '%-52s %10.1f %9.2f %9.2f %8d\n' "  same time, with X-Canary: 42 ($((CONCURRENCY / 2)) conns)" "$canary_rps" "$canary_p50" "$canary_p99" "$(wrk_errors "$work/canary.txt")"
printf '%-52s %10.1f\n' "  api total" "$api_total"
printf '%-52s %10.1f %9.2f %9.2f %8d\n' "store gRPC GetItem, direct h2c (4 conns x $((CONCURRENCY / 4)) streams)" "$grpc_rps" "$grpc_p50" "$grpc_p99" "$(h2load_errors "$work/grpc.txt")"
echo "  gRPC statuses: h2load completed $(h2load_done "$work/grpc.txt") calls; the store logged ${store_statuses:-none}"
echo "  (calls still in flight when h2load stops are cancelled: up to $CONCURRENCY Cancelled is expected)"
echo "with/without X-Canary: rps $(ratio "$canary_rps" "$api_rps"), p50 $(ratio "$canary_p50" "$api_p50")"
echo "api/direct store:      p50 $(ratio "$api_p50" "$grpc_p50") (without X-Canary), rps $(ratio "$api_total" "$grpc_rps") (api total)"
echo "RSS after the run:     api-service $API_RSS MiB, store-service $STORE_RSS MiB"
echo "load average after:    $(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /) (other work on the machine skews every figure)"

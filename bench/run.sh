#!/usr/bin/env bash
# Benchmark of the local stack: a benchmark, not a test. It prints figures and asserts nothing.
#
#   bench/run.sh [--use-running] [--engine dynamodb-local|dynalite] [--rounds N] [--duration SECONDS] [--concurrency N]
#
# Starts the stack with scripts/run on free loopback ports with no stored data (or, with
# --use-running, uses the one `scripts/run` keeps on the default ports), seeds one item, warms up
# for 16 s, then runs --rounds rounds (default 6) of two phases of --duration seconds (default 4)
# with --concurrency requests in flight (default 16), in alternating order:
#   api:    GET /api/v1/items/{id} on the api-service, half the connections without and half with
#           X-Canary: 42, at the same time (two wrk processes)
#   direct: the same GetItem sent straight to the store-service as gRPC over h2c (h2load)
# and prints which DynamoDB engine served it, rps and p50/p99 per phase (medians over the rounds),
# the api/direct p50 ratio of every round with its median and spread, and each service's RSS.
# STORE_SERVICE_EXECUTABLE / API_SERVICE_EXECUTABLE bench published (Native AOT) binaries instead
# of the Release build (see scripts/run).
source "$(dirname "$0")/lib.sh"

USE_RUNNING=false ENGINE=dynamodb-local ROUNDS=6 DURATION=4 CONCURRENCY=16
while [ $# -gt 0 ]; do
  case "$1" in
    --use-running) USE_RUNNING=true; shift ;;
    --engine) ENGINE=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    *) die "unknown argument: $1 (see the comment at the top of $0)" ;;
  esac
done
if [ "$CONCURRENCY" -lt 4 ] || [ $((CONCURRENCY % 4)) -ne 0 ]; then die "--concurrency must be a multiple of 4"; fi
[ "$ROUNDS" -ge 1 ] 2>/dev/null || die "--rounds must be a positive number"

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
  start_stack "$work/run.log" "$STATE" --engine "$ENGINE"
fi
API=http://127.0.0.1:$API_PORT
API_PID=$(cat "$STATE/pids/api-service") STORE_PID=$(cat "$STATE/pids/store-service")
# scripts/run names the engine's process after the engine.
if [ -s "$STATE/pids/dynamodb-local" ]; then
  ENGINE_NAME="DynamoDB Local (Amazon's, Java, in memory)"
elif [ -s "$STATE/pids/dynalite" ]; then
  ENGINE_NAME="dynalite (Node.js, in memory)"
else
  die "no DynamoDB engine process in $STATE/pids"
fi
echo "engine: $ENGINE_NAME"

item=$(curl -fsS -X POST "$API/api/v1/items" -H "X-Tenant-ID: $TENANT" -H 'Content-Type: application/json' \
  -d '{"name":"Bench item","description":"seeded by bench/run.sh","price":12.5,"category":"books","sku":"BENCH-1","inventory_count":10,"tags":["bench"]}')
ID=$(node -p 'JSON.parse(process.argv[1]).id' "$item")
URL=$API/api/v1/items/$ID

# The gRPC request as h2load sends it: one framed store.v1.GetItemRequest.
node bench/grpc-frame.mjs store GetItemRequest "{\"tenant_id\":$TENANT,\"id\":\"$ID\"}" >"$work/get-item.bin"

# Without and with X-Canary run at the same time, half the connections each: both see the same
# state of the process, GC and whatever else the machine is doing, so their ratio compares the code paths.
api_phase() { # api_phase SECONDS PLAIN-OUTPUT CANARY-OUTPUT
  local seconds=$1 half=$((CONCURRENCY / 2))
  wrk -t1 -c"$half" -d"${seconds}s" --latency -H "X-Tenant-ID: $TENANT" "$URL" >"$2" &
  local plain=$!
  wrk -t1 -c"$half" -d"${seconds}s" --latency -H "X-Tenant-ID: $TENANT" -H "X-Canary: 42" "$URL" >"$3"
  wait "$plain"
}

direct_phase() { # direct_phase SECONDS OUTPUT LOG
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
median() { tr ' ' '\n' | sort -g | awk 'NF { v[++n] = $1 } END { print (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) }'; }
lowest() { tr ' ' '\n' | sort -g | awk 'NF { print; exit }'; }
highest() { tr ' ' '\n' | sort -g | awk 'NF { v = $1 } END { print v }'; }

declare -A figures # figures[NAME] = one value per round, space-separated
record() { figures[$1]+="${figures[$1]:+ }$2"; }

# Before the rounds, everything the first seconds of load set up: connections, pools, the JIT's
# tiering with dynamic PGO when the services run on the JIT (which keeps recompiling hot paths
# for the first 10 to 20 s), so that every round measures code paths, not a warm-up stage.
echo "warming up: 16 s"
api_phase 12 "$work/warm-api.txt" "$work/warm-canary.txt"
direct_phase 4 "$work/warm-direct.txt" "$work/warm-direct.log"

store_log=$STATE/logs/store-service.log
: >"$work/direct-store.log"
direct_calls=0
echo "measuring: $ROUNDS rounds of an api and a direct phase, ${DURATION} s each, in alternating order, $CONCURRENCY in flight"
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then order=(api direct); else order=(direct api); fi
  for phase in "${order[@]}"; do
    if [ "$phase" = api ]; then
      api_phase "$DURATION" "$work/api-$round.txt" "$work/canary-$round.txt"
    else
      sleep 1 # the store's lines of the api phase before, if any, are written by now
      store_mark=$(wc -l <"$store_log")
      direct_phase "$DURATION" "$work/direct-$round.txt" "$work/direct-$round.log"
      sleep 1 # the store writes its last lines after answering
      tail -n +$((store_mark + 1)) "$store_log" >>"$work/direct-store.log"
      direct_calls=$((direct_calls + $(h2load_done "$work/direct-$round.txt")))
    fi
  done
  record api_rps "$(wrk_rps "$work/api-$round.txt")"
  record canary_rps "$(wrk_rps "$work/canary-$round.txt")"
  record direct_rps "$(h2load_rps "$work/direct-$round.txt")"
  record api_total_rps "$(awk -v a="$(wrk_rps "$work/api-$round.txt")" -v b="$(wrk_rps "$work/canary-$round.txt")" 'BEGIN { print a + b }')"
  for p in 50 99; do
    record "api_p$p" "$(wrk_ms "$p%" "$work/api-$round.txt")"
    record "canary_p$p" "$(wrk_ms "$p%" "$work/canary-$round.txt")"
    record "direct_p$p" "$(h2load_ms "$p" "$work/direct-$round.log")"
  done
  record api_errors "$(wrk_errors "$work/api-$round.txt")"
  record canary_errors "$(wrk_errors "$work/canary-$round.txt")"
  record direct_errors "$(h2load_errors "$work/direct-$round.txt")"
  record hop "$(ratio "$(wrk_ms 50% "$work/api-$round.txt")" "$(h2load_ms 50 "$work/direct-$round.log")")"
  record canary_cost "$(ratio "$(wrk_ms 50% "$work/canary-$round.txt")" "$(wrk_ms 50% "$work/api-$round.txt")")"
  printf '  round %d (%s first): api p50 %s ms, direct p50 %s ms, api/direct %s\n' "$round" "${order[0]}" \
    "$(wrk_ms 50% "$work/api-$round.txt")" "$(h2load_ms 50 "$work/direct-$round.log")" \
    "$(ratio "$(wrk_ms 50% "$work/api-$round.txt")" "$(h2load_ms 50 "$work/direct-$round.log")")"
done
# Every gRPC call answers HTTP 200; whether it succeeded is in the trailers, so count the store's
# own RPC log lines for the bench tenant: all of h2load's calls should be there with status OK.
store_statuses=$({ grep -F '"grpc_method":"/store.v1.StoreService/GetItem"' "$work/direct-store.log" \
  | grep -F "\"tenant\":$TENANT," | grep -o '"grpc_status":"[A-Za-z]*"' || true; } | cut -d'"' -f4 | sort | uniq -c \
  | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')
API_RSS=$(rss_mib "$API_PID") STORE_RSS=$(rss_mib "$STORE_PID")

m() { median <<<"${figures[$1]}"; } # the median over the rounds
total() { tr ' ' '\n' <<<"${figures[$1]}" | awk '{ n += $1 } END { print n + 0 }'; }

echo
echo "CanaryDemo bench: $(nproc) CPUs, load average before the run $LOAD_BEFORE"
echo "engine: $ENGINE_NAME"
echo "binaries: api ${API_SERVICE_EXECUTABLE:-Release build (JIT)}, store ${STORE_SERVICE_EXECUTABLE:-Release build (JIT)}"
echo "GetItem of one seeded item, $CONCURRENCY requests in flight, $ROUNDS rounds of ${DURATION} s per phase, loopback; medians over the rounds"
printf '%-52s %10s %9s %9s %8s\n' "" "rps" "p50 ms" "p99 ms" "errors"
printf '%-52s %10.1f %9.2f %9.2f %8d\n' "api GET /api/v1/items/{id} ($((CONCURRENCY / 2)) conns)" "$(m api_rps)" "$(m api_p50)" "$(m api_p99)" "$(total api_errors)"
printf '%-52s %10.1f %9.2f %9.2f %8d\n' "  same time, with X-Canary: 42 ($((CONCURRENCY / 2)) conns)" "$(m canary_rps)" "$(m canary_p50)" "$(m canary_p99)" "$(total canary_errors)"
printf '%-52s %10.1f\n' "  api total" "$(m api_total_rps)"
printf '%-52s %10.1f %9.2f %9.2f %8d\n' "store gRPC GetItem, direct h2c (4 conns x $((CONCURRENCY / 4)) streams)" "$(m direct_rps)" "$(m direct_p50)" "$(m direct_p99)" "$(total direct_errors)"
echo "  gRPC statuses: h2load completed $direct_calls calls; the store logged ${store_statuses:-none}"
echo "  (calls still in flight when h2load stops are cancelled: up to $CONCURRENCY Cancelled per round is expected)"
echo "api/direct p50 per round: ${figures[hop]}"
echo "api/direct p50:        $(m hop) (median of $ROUNDS rounds; spread $(lowest <<<"${figures[hop]}")-$(highest <<<"${figures[hop]}"))"
echo "with/without X-Canary: p50 $(m canary_cost) (median; spread $(lowest <<<"${figures[canary_cost]}")-$(highest <<<"${figures[canary_cost]}")), rps $(ratio "$(m canary_rps)" "$(m api_rps)")"
echo "api total/direct rps:  $(ratio "$(m api_total_rps)" "$(m direct_rps)")"
echo "RSS after the run:     api-service $API_RSS MiB, store-service $STORE_RSS MiB"
echo "load average after:    $(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /) (other work on the machine skews every figure)"

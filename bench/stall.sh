#!/usr/bin/env bash
# Benchmark of a stalled DynamoDB: a benchmark, not a test. It prints figures and asserts nothing.
#
#   bench/stall.sh [--engines "dynamodb-local dynalite"] [--freeze SECONDS] [--concurrency N]
#
# For each engine in turn, starts the stack with scripts/run on free loopback ports, in memory,
# seeds one item, then keeps --concurrency requests in flight (default 16: half GET item, a
# quarter inventory changes, a quarter creates, none with an Idempotency-Key) while the engine is
# frozen with SIGSTOP for --freeze seconds (default 5) and resumed (bench/stall.mjs). Prints, per
# engine: the time to an answer (p50, p99, max) before and during the freeze for reads and
# writes, the statuses during the freeze, how long the store's health and the api's readiness
# took to follow the freeze and the return, and how soon requests succeeded again.
# STORE_SERVICE_EXECUTABLE / API_SERVICE_EXECUTABLE bench published (Native AOT) binaries (see scripts/run).
source "$(dirname "$0")/lib.sh"

ENGINES="dynamodb-local dynalite" FREEZE=5 CONCURRENCY=16
while [ $# -gt 0 ]; do
  case "$1" in
    --engines) ENGINES=$2; shift 2 ;;
    --freeze) FREEZE=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    *) die "unknown argument: $1 (see the comment at the top of $0)" ;;
  esac
done

require_tools
cd "$REPO_ROOT"
npm_install bench

TENANT=900002
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)
work=$(mktemp -d)
trap 'stop_stack; rm -rf "$work"' EXIT

read -r -a engines <<<"${ENGINES//,/ }"
for engine in "${engines[@]}"; do
  state=$work/$engine
  start_stack "$work/run-$engine.log" "$state" --engine "$engine"
  API=http://127.0.0.1:$API_PORT
  item=$(curl -fsS -X POST "$API/api/v1/items" -H "X-Tenant-ID: $TENANT" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: stall-bench-$engine" -d '{"name":"Stall bench item","price":1,"category":"books","inventory_count":1000}')
  echo "measuring: $CONCURRENCY in flight, DynamoDB frozen for $FREEZE s"
  node bench/stall.mjs --api "$API" --store "http://127.0.0.1:$STORE_PORT" --tenant "$TENANT" \
    --item "$(node -p 'JSON.parse(process.argv[1]).id' "$item")" --engine-pid "$(cat "$state/pids/$engine")" \
    --concurrency "$CONCURRENCY" --freeze "$FREEZE" --label "$engine" >"$work/$engine.json"
  stop_stack
done

echo
echo "CanaryDemo stall bench: $(nproc) CPUs, load average before the run $LOAD_BEFORE, binaries: api ${API_SERVICE_EXECUTABLE:-Release build (JIT)}, store ${STORE_SERVICE_EXECUTABLE:-Release build (JIT)}"
echo "$CONCURRENCY requests in flight; DynamoDB frozen (SIGSTOP) for $FREEZE s; store attempt 1 s, call budget 1.5 s, probe every 0.5 s; api deadline 5 s"
node - "$work" "${engines[@]}" <<'JS'
const fs = require('node:fs');
const [work, ...engines] = process.argv.slice(2);
const runs = engines.map((engine) => JSON.parse(fs.readFileSync(`${work}/${engine}.json`, 'utf8')));
const ms = (v) => (v === null || v === undefined ? 'n/a' : `${Math.round(v)}`);
const ratio = (a, b) => (a && b ? (a / b).toFixed(1) : 'n/a');
const row = (name, pick) => console.log(name.padEnd(46) + runs.map((run) => String(pick(run)).padStart(20)).join(''));
console.log(''.padEnd(46) + runs.map((run) => run.label.padStart(20)).join(''));
row('reads before: p50 / p99 ms', (r) => `${ms(r.baseline.reads.p50)} / ${ms(r.baseline.reads.p99)}`);
row('writes before: p50 / p99 ms', (r) => `${ms(r.baseline.writes.p50)} / ${ms(r.baseline.writes.p99)}`);
row('reads frozen: p50 / p99 / max ms', (r) => `${ms(r.frozen.reads.p50)} / ${ms(r.frozen.reads.p99)} / ${ms(r.frozen.reads.max)}`);
row('writes frozen: p50 / p99 / max ms', (r) => `${ms(r.frozen.writes.p50)} / ${ms(r.frozen.writes.p99)} / ${ms(r.frozen.writes.max)}`);
row('  frozen p99 / 1 s store attempt (reads, writes)', (r) => `${ratio(r.frozen.reads.p99, 1000)}, ${ratio(r.frozen.writes.p99, 1000)}`);
row('  frozen p99 / 5 s api deadline (reads, writes)', (r) => `${ratio(r.frozen.reads.p99, 5000)}, ${ratio(r.frozen.writes.p99, 5000)}`);
row('writes before: statuses', (r) => Object.entries(r.baseline.writes.statuses).map(([s, n]) => `${n}x${s}`).join(' '));
row('reads frozen: statuses', (r) => Object.entries(r.frozen.reads.statuses).map(([s, n]) => `${n}x${s}`).join(' '));
row('writes frozen: statuses', (r) => Object.entries(r.frozen.writes.statuses).map(([s, n]) => `${n}x${s}`).join(' '));
row('store NOT_SERVING after the freeze, ms', (r) => ms(r.storeNotServingMs));
row('api /healthz/ready 503 after the freeze, ms', (r) => ms(r.apiNotReadyMs));
row('store SERVING after the resume, ms', (r) => ms(r.storeServingMs));
row('api /healthz/ready 200 after the resume, ms', (r) => ms(r.apiReadyMs));
row('first read OK after the resume, ms', (r) => ms(r.firstReadOkMs));
row('first write OK after the resume, ms', (r) => ms(r.firstWriteOkMs));
row('last answer to a frozen request, after resume, ms', (r) => ms(r.lastFrozenAnswerMs));
JS
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /) (other work on the machine skews every figure)"

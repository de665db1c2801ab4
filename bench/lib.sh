# shellcheck shell=bash
# Shared by the benchmarks that start their own stack: scripts/run on free loopback ports, in
# memory, in the background.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

run_pid=

# start_stack LOG STATE [scripts/run argument...]: starts scripts/run (the AppHost) on free loopback
# ports with STATE as its state folder and its output in LOG, and returns once it is up. Without
# the dashboard: the services export nothing and record no spans, as they ship. Sets
# API_PORT, STORE_PORT, DYNAMO_PORT, API_METRICS_PORT, STORE_METRICS_PORT, DASHBOARD_PORT and run_pid
# (see stop_stack).
start_stack() {
  local log=$1 state=$2
  shift 2
  local otlp_port
  read -r API_PORT STORE_PORT DYNAMO_PORT API_METRICS_PORT STORE_METRICS_PORT DASHBOARD_PORT otlp_port \
    < <(node "$REPO_ROOT/scripts/lib/local-stack.mjs" free-ports 7)
  echo "starting the stack (scripts/run${*:+ $*} on ports $API_PORT, $STORE_PORT, $DYNAMO_PORT)"
  "$REPO_ROOT/scripts/run" "$@" --api-port "$API_PORT" --store-port "$STORE_PORT" --dynamo-port "$DYNAMO_PORT" \
    --api-metrics-port "$API_METRICS_PORT" --store-metrics-port "$STORE_METRICS_PORT" \
    --dashboard-port "$DASHBOARD_PORT" --otlp-port "$otlp_port" \
    --state "$state" --in-memory --no-dashboard >"$log" 2>&1 &
  run_pid=$!
  until grep -qs "Press Ctrl-C to stop." "$log"; do
    kill -0 "$run_pid" 2>/dev/null || { cat "$log"; die "the stack did not start"; }
    sleep 0.5
  done
}

# stop_stack: stops the stack start_stack started, if it runs (SIGTERM to scripts/run, which stops the rest).
stop_stack() {
  if [ -n "$run_pid" ]; then
    kill -TERM "$run_pid" 2>/dev/null || true
    wait "$run_pid" 2>/dev/null || true
    run_pid=
  fi
}

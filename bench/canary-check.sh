#!/usr/bin/env bash
# Benchmark of the canary check: a benchmark, not a test. It prints figures and asserts nothing.
#
#   bench/canary-check.sh [--runs N] [--engine dynamodb-local|dynalite]
#
# Starts `scripts/run --pr 42` on free loopback ports with no stored data: PR 42's tracks are
# built from the same working tree as stable, an identical build. Then runs
# `scripts/canary-check --pr 42` with the default scenario --runs times (default 3) back to back
# and prints, per check, its own time (the tool's, and the command's with process start) and its
# requests, and the latency ratios it reports for each read step (canary over stable, which
# should be near 1 for an identical build). The first check meets freshly started processes.
source "$(dirname "$0")/lib.sh"

RUNS=3 ENGINE=dynamodb-local
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --engine) ENGINE=$2; shift 2 ;;
    *) die "unknown argument: $1 (see the comment at the top of $0)" ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || die "--runs must be 1 to 99"

require_tools
cd "$REPO_ROOT"
work=$(mktemp -d)
trap 'stop_stack; rm -rf "$work"' EXIT

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)
start_stack "$work/run.log" "$work/stack" --engine "$ENGINE" --pr 42
# Built before the first check, so that no check's time includes the build.
scripts/canary-check --help >/dev/null

reports=()
for run in $(seq 1 "$RUNS"); do
  started=$(date +%s%N)
  status=0
  scripts/canary-check --pr 42 --url "http://127.0.0.1:$API_PORT" --out "$work/check-$run" >/dev/null 2>"$work/check-$run.log" || status=$?
  elapsed_ms=$((($(date +%s%N) - started) / 1000000))
  [ -f "$work/check-$run/report.json" ] || { cat "$work/check-$run.log"; die "check $run wrote no report (exit $status)"; }
  reports+=("$work/check-$run/report.json:$status:$elapsed_ms")
done

echo
echo "canary check, default scenario, identical build (scripts/run --engine $ENGINE --pr 42), $RUNS checks back to back"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
node bench/canary-check.mjs "${reports[@]}"

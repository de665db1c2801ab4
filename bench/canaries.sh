#!/usr/bin/env bash
# N PR canaries at once on this machine, Native AOT: what each costs and whether routing holds.
# A benchmark: it prints figures and asserts nothing (not part of scripts/test).
#
#   bench/canaries.sh N [--requests COUNT] [--concurrency C] [--no-publish]
#
# Publishes both services with scripts/publish-aot.sh (the images' own command), starts
# scripts/run --pr 1 ... --pr N with those binaries (stable plus N PR tracks of both services
# behind the local edge and east-west proxies), then prints, from one run:
#   - memory per PR track: VmRSS of its api-service and store-service, and the sum / N;
#   - misroutes and errors of a mixed load through the edge (every PR, a PR without tracks,
#     an invalid value and none, across create/read/list/inventory), each checked against its
#     X-Canary-Route;
#   - the proxies' cost: p50 of GET /api/v1/items/{id} through the edge and east-west proxies
#     divided by p50 of the same call to an api-service that dials the stable store directly,
#     the two interleaved one request at a time.
# --no-publish reuses the binaries of the last publish in artifacts/aot/.
source "$(dirname "$0")/../scripts/lib.sh"
if [ $# -lt 1 ] || ! [[ $1 =~ ^[1-9][0-9]?$ ]]; then
  die "usage: bench/canaries.sh N [--requests COUNT] [--concurrency C] [--no-publish] (N from 1 to 99)"
fi
args=() publish=true
for arg in "$@"; do
  if [ "$arg" = --no-publish ]; then publish=false; else args+=("$arg"); fi
done
require_tools
cd "$REPO_ROOT"
if $publish; then
  scripts/apt-ensure clang:/usr/bin/clang zlib1g-dev:/usr/include/zlib.h
  for service in StoreService ApiService; do
    echo "publishing $service (Native AOT)"
    scripts/publish-aot.sh "$service" "artifacts/aot/$service" >/dev/null || die "publishing $service failed"
  done
fi
export STORE_SERVICE_EXECUTABLE=$REPO_ROOT/artifacts/aot/StoreService/StoreService
export API_SERVICE_EXECUTABLE=$REPO_ROOT/artifacts/aot/ApiService/ApiService
for binary in "$STORE_SERVICE_EXECUTABLE" "$API_SERVICE_EXECUTABLE"; do
  [ -x "$binary" ] || die "$binary is missing: run without --no-publish"
done
exec node bench/canaries.mjs "${args[@]}"

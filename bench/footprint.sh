#!/usr/bin/env bash
# Footprint of both services, Native AOT against JIT, side by side in one run: publish size,
# start to ready, RSS idle, RSS and peak RSS after a short load, and what the load achieved.
# A benchmark: it prints figures and asserts nothing. Loopback only, every port chosen free, so it
# runs beside a running stack. About 3 to 6 minutes on 2 cores, most of it the two AOT publishes.
#
#   bench/footprint.sh [--skip-publish]     --skip-publish measures the outputs of the last run again
#
# Environment: FOOTPRINT_ROUNDS (default 3), FOOTPRINT_LOAD_SECONDS (default 10).
# Outputs, JIT build intermediates and the last round's logs stay in .local/footprint/.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_tools
cd "$REPO_ROOT" || exit

ROUNDS=${FOOTPRINT_ROUNDS:-3}
LOAD_SECONDS=${FOOTPRINT_LOAD_SECONDS:-10}
LOAD_THREADS=2 LOAD_CONNECTIONS=16
IDLE_SECONDS=2
READY_TIMEOUT=60 STOP_TIMEOUT=25
SERVICES=(StoreService ApiService)
VARIANTS=(jit aot)

WORK=.local/footprint
PUBLISH=$WORK/publish LOGS=$WORK/logs
skip_publish=false
case "${1:-}" in
  "") ;;
  --skip-publish) skip_publish=true ;;
  *) die "usage: $0 [--skip-publish]" ;;
esac

scripts/apt-ensure clang:/usr/bin/clang zlib1g-dev:/usr/include/zlib.h wrk:/usr/bin/wrk
npm_install tools/dynalite
npm_install bench
mkdir -p "$PUBLISH" "$LOGS"

# ---------------------------------------------------------------------------------------------
# Publish
# ---------------------------------------------------------------------------------------------
publish() { # publish VARIANT SERVICE
  local out=$PUBLISH/$1/$2
  rm -rf "$out"
  echo "publishing $2 ($1)"
  if [ "$1" = aot ]; then
    scripts/publish-aot.sh "$2" "$out" >"$LOGS/publish-$1-$2.log" 2>&1
  else
    # PublishAot=false also turns off the request-delegate and configuration-binding source
    # generators that PublishAot turns on; without them the AOT analyzers fail the build, and the
    # JIT binary would run other code than the AOT one. The artifacts path keeps this build out of
    # bin/ and obj/, which a stack started by scripts/run may be running from.
    dotnet publish "$2/$2.csproj" -c Release -p:PublishAot=false \
      -p:EnableRequestDelegateGenerator=true -p:EnableConfigurationBindingGenerator=true \
      --artifacts-path "$WORK/artifacts" -o "$out" >"$LOGS/publish-$1-$2.log" 2>&1
  fi || { tail -n 20 "$LOGS/publish-$1-$2.log" >&2; die "publishing $2 ($1) failed; see $LOGS/publish-$1-$2.log"; }
}

main_file() { # main_file VARIANT SERVICE: the file that is executed
  if [ "$1" = aot ]; then echo "$PUBLISH/$1/$2/$2"; else echo "$PUBLISH/$1/$2/$2.dll"; fi
}

if ! $skip_publish; then
  for variant in "${VARIANTS[@]}"; do
    for service in "${SERVICES[@]}"; do publish "$variant" "$service"; done
  done
fi
for variant in "${VARIANTS[@]}"; do
  for service in "${SERVICES[@]}"; do
    [ -f "$(main_file "$variant" "$service")" ] || die "$(main_file "$variant" "$service") is missing; run without --skip-publish"
  done
done

declare -A result # result[variant.service.metric] = one value per round, space-separated

for variant in "${VARIANTS[@]}"; do
  for service in "${SERVICES[@]}"; do
    dir=$PUBLISH/$variant/$service
    result[$variant.$service.folder]=$(du -sb "$dir" | cut -f1)
    # Without the debug symbols (*.dbg beside an AOT binary, *.pdb): what an image ships.
    result[$variant.$service.stripped]=$(find "$dir" -type f ! -name '*.dbg' ! -name '*.pdb' -printf '%s\n' |
      awk '{ total += $1 } END { print total + 0 }')
    result[$variant.$service.main]=$(stat -c %s "$(main_file "$variant" "$service")")
  done
done

# The JIT outputs are framework-dependent: they also need the shared runtime they will run on.
runtime_dir() { # runtime_dir FRAMEWORK: the newest installed 10.x of a shared framework
  dotnet --list-runtimes | awk -v name="$1" '$1 == name && $2 ~ /^10\./ { print $3 "/" $2 }' |
    tr -d '[]' | sort -V | tail -n 1
}
netcore_dir=$(runtime_dir Microsoft.NETCore.App)
aspnetcore_dir=$(runtime_dir Microsoft.AspNetCore.App)
shared_runtime_bytes=$(du -sbc "$netcore_dir" "$aspnetcore_dir" | tail -n 1 | cut -f1)

# ---------------------------------------------------------------------------------------------
# Processes: only the ones started here are ever stopped.
# ---------------------------------------------------------------------------------------------
pids=()
stop_pid() { # stop_pid PID: SIGTERM, then SIGKILL after STOP_TIMEOUT seconds
  local pid=$1 deadline=$((SECONDS + STOP_TIMEOUT)) kept=() p
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}
stop_all() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[i]}"; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# The services' environment as the AppHost gives it: the stack runs once (scripts/run, dynalite, in
# memory, on free ports) and each service's environment is read from its state folder (env/<name>).
# The measured processes then run alone, on the same ports and a dynalite of their own. Left out:
# the telemetry settings (the run's dashboard is gone) and the api's Development environment (its
# OpenAPI UI): not what ships.
echo "reading the services' environment from the AppHost (scripts/run, not measured)"
start_stack "$LOGS/stack.log" "$WORK/stack" --engine dynalite
mapfile -d '' STORE_ENV < <(grep -zv -e '^OTEL_' -e '^ASPNETCORE_ENVIRONMENT=' "$WORK/stack/env/store-service")
mapfile -d '' API_ENV < <(grep -zv -e '^OTEL_' -e '^ASPNETCORE_ENVIRONMENT=' "$WORK/stack/env/api-service")
stop_stack
rm -rf "$WORK/stack"

start_store() { # start_store VARIANT: sets store_pid
  local cmd
  if [ "$1" = aot ]; then cmd=("$(main_file aot StoreService)"); else cmd=(dotnet "$(main_file jit StoreService)"); fi
  env "${STORE_ENV[@]}" "${cmd[@]}" --urls "http://127.0.0.1:$STORE_PORT" >"$LOGS/$1-store.log" 2>&1 &
  store_pid=$!
  pids+=("$store_pid")
}

start_api() { # start_api VARIANT: sets api_pid
  local cmd
  if [ "$1" = aot ]; then cmd=("$(main_file aot ApiService)"); else cmd=(dotnet "$(main_file jit ApiService)"); fi
  env "${API_ENV[@]}" "${cmd[@]}" --urls "http://127.0.0.1:$API_PORT" >"$LOGS/$1-api.log" 2>&1 &
  api_pid=$!
  pids+=("$api_pid")
}

# grpc.health.v1.Health/Check for store.v1.StoreService over h2c with curl: the request and the
# SERVING answer are framed messages encoded from grpc.health.v1's own health.proto.
HEALTH_REQUEST=$WORK/health-request.bin
node bench/grpc-frame.mjs health HealthCheckRequest '{"service":"store.v1.StoreService"}' >"$HEALTH_REQUEST"
SERVING_ANSWER=$(node bench/grpc-frame.mjs health HealthCheckResponse '{"status":"SERVING"}' | od -An -tx1 | tr -d ' \n')

store_serving() {
  [ "$(curl -s --http2-prior-knowledge --max-time 2 -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$HEALTH_REQUEST" "http://127.0.0.1:$STORE_PORT/grpc.health.v1.Health/Check" |
    od -An -tx1 | tr -d ' \n')" = "$SERVING_ANSWER" ]
}

api_ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$API_PORT/healthz/ready"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

now_us() { echo "${EPOCHREALTIME/./}"; }

# wait_ready T0_US PID NAME PROBE...: prints the ms from T0_US until PROBE first passes, polling
# every 10 ms (plus the probe's own few ms: that is the resolution).
wait_ready() {
  local t0=$1 pid=$2 name=$3 deadline=$((SECONDS + READY_TIMEOUT))
  shift 3
  until "$@"; do
    kill -0 "$pid" 2>/dev/null || die "$name exited while starting; see $LOGS/"
    [ $SECONDS -lt $deadline ] || die "$name was not ready within $READY_TIMEOUT s; see $LOGS/"
    sleep 0.01
  done
  echo $(( ($(now_us) - t0) / 1000 ))
}

proc_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; } # proc_kb PID VmRSS|VmHWM
cpu_ticks() { # user + system CPU time of PID in clock ticks
  local stat
  stat=$(<"/proc/$1/stat")
  stat=${stat##*) } # fields after "pid (comm) "; utime and stime are fields 14 and 15
  awk '{ print $12 + $13 }' <<<"$stat"
}
CLOCK_TICKS=$(getconf CLK_TCK)

# ---------------------------------------------------------------------------------------------
# Dynalite, table and one seeded item
# ---------------------------------------------------------------------------------------------
tools/dynalite/node_modules/.bin/dynalite --host 127.0.0.1 --port "$DYNAMO_PORT" >"$LOGS/dynalite.log" 2>&1 &
dynalite_pid=$!
pids+=("$dynalite_pid")
wait_ready "$(now_us)" "$dynalite_pid" dynalite port_open "$DYNAMO_PORT" >/dev/null

# Not measured: creates the table (the measured starts then find it ACTIVE, as in a cluster), seeds
# the item the load reads, and loads the shared framework and dynalite's code paths once.
echo "setup (not measured): table, one item, warm caches"
start_store jit
wait_ready "$(now_us)" "$store_pid" store store_serving >/dev/null
start_api jit
wait_ready "$(now_us)" "$api_pid" api api_ready >/dev/null
ITEM_ID=$(curl -fsS -D - -o /dev/null -X POST "http://127.0.0.1:$API_PORT/api/v1/items" \
  -H 'X-Tenant-ID: 1' -H 'Content-Type: application/json' \
  -d '{"name":"Wireless Headphones","price":299.99,"category":"electronics","sku":"WH-001","inventory_count":150,"tags":["wireless"]}' |
  tr -d '\r' | sed -n 's#^[Ll]ocation: .*/items/##p')
[ -n "$ITEM_ID" ] || die "seeding the item failed; see $LOGS/"
curl -fsS -o /dev/null -H 'X-Tenant-ID: 1' "http://127.0.0.1:$API_PORT/api/v1/items/$ITEM_ID"
stop_pid "$api_pid"
stop_pid "$store_pid"

# ---------------------------------------------------------------------------------------------
# Rounds
# ---------------------------------------------------------------------------------------------
record() { result[$1]+="${result[$1]:+ }$2"; } # record KEY VALUE

measure() { # measure VARIANT ROUND
  local variant=$1 t0 store_ms api_ms
  # The store starts alone; then the api starts against a SERVING store, so each figure is one
  # service's own start (the api's includes its first gRPC connection, part of being ready).
  t0=$(now_us); start_store "$variant"
  store_ms=$(wait_ready "$t0" "$store_pid" "store ($variant)" store_serving)
  t0=$(now_us); start_api "$variant"
  api_ms=$(wait_ready "$t0" "$api_pid" "api ($variant)" api_ready)
  record "$variant.StoreService.ready" "$store_ms"
  record "$variant.ApiService.ready" "$api_ms"

  sleep "$IDLE_SECONDS"
  record "$variant.StoreService.idle" "$(proc_kb "$store_pid" VmRSS)"
  record "$variant.ApiService.idle" "$(proc_kb "$api_pid" VmRSS)"

  local store_cpu0 api_cpu0 wrk_log=$LOGS/$variant-wrk.log
  store_cpu0=$(cpu_ticks "$store_pid") api_cpu0=$(cpu_ticks "$api_pid")
  timeout $((LOAD_SECONDS + 30)) wrk -t"$LOAD_THREADS" -c"$LOAD_CONNECTIONS" -d"${LOAD_SECONDS}s" --timeout 5s \
    -H 'X-Tenant-ID: 1' "http://127.0.0.1:$API_PORT/api/v1/items/$ITEM_ID" >"$wrk_log" 2>&1 ||
    die "wrk failed; see $wrk_log"
  local requests rps not_ok errors service pid cpu0
  requests=$(awk '/ requests in / { print $1 }' "$wrk_log")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$wrk_log")
  not_ok=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$wrk_log")
  errors=$(sed -n 's/^ *Socket errors: *//p' "$wrk_log")
  for service in "${SERVICES[@]}"; do
    if [ "$service" = StoreService ]; then pid=$store_pid cpu0=$store_cpu0; else pid=$api_pid cpu0=$api_cpu0; fi
    record "$variant.$service.loaded" "$(proc_kb "$pid" VmRSS)"
    record "$variant.$service.peak" "$(proc_kb "$pid" VmHWM)"
    record "$variant.$service.rps" "$rps"
    # CPU time per 1,000 requests: the load shares 2 cores with wrk and dynalite, so rps alone
    # mostly measures the machine; CPU per request is the service's own cost.
    record "$variant.$service.cpu" "$(awk -v t="$(( $(cpu_ticks "$pid") - cpu0 ))" -v hz="$CLOCK_TICKS" -v n="$requests" \
      'BEGIN { printf "%.1f", t * 1000 / hz / n * 1000 }')"
  done
  printf '  round %d %s: store ready %5d ms, api ready %5d ms, %s requests, %s rps%s%s\n' \
    "$2" "$variant" "$store_ms" "$api_ms" "$requests" "$rps" \
    "${not_ok:+, $not_ok non-2xx}" "${errors:+, socket errors: $errors}"

  stop_pid "$api_pid"
  stop_pid "$store_pid"
}

echo "measuring: $ROUNDS rounds, JIT and AOT in alternating order; load ${LOAD_SECONDS} s, $LOAD_THREADS threads, $LOAD_CONNECTIONS connections"
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then order=(jit aot); else order=(aot jit); fi
  for variant in "${order[@]}"; do measure "$variant" "$round"; done
done

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
figure() { median <<<"${result[$1]}"; } # figure VARIANT.SERVICE.METRIC: the median over the rounds

METRICS=(folder stripped main ready idle loaded peak rps cpu)
# Bytes for the sizes, kB for the RSS figures; printed as MiB.
scale() { # scale METRIC VALUE
  case $1 in
    folder | stripped | main) awk -v v="$2" 'BEGIN { printf "%.1f", v / 1048576 }' ;;
    idle | loaded | peak) awk -v v="$2" 'BEGIN { printf "%.1f", v / 1024 }' ;;
    rps) awk -v v="$2" 'BEGIN { printf "%.0f", v }' ;;
    *) echo "$2" ;;
  esac
}
row_format='%-13s %-8s %8s %10s %8s %9s %9s %10s %9s %7s %8s\n'

echo
echo "Footprint: Native AOT vs JIT, median of $ROUNDS rounds"
echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runtime: $(basename "$netcore_dir") (JIT: framework-dependent, server GC, as the runtimeconfig sets)"
echo
# shellcheck disable=SC2059 # the format is the table's layout
printf "$row_format" service variant "folder" "no-symbols" "main" "ready" "idle RSS" "after-load" "peak RSS" "rps" "CPU ms"
# shellcheck disable=SC2059
printf "$row_format" "" "" "MiB" "MiB" "MiB" "ms" "MiB" "RSS MiB" "MiB" "" "/1k req"
for service in "${SERVICES[@]}"; do
  for variant in "${VARIANTS[@]}"; do
    cells=()
    for metric in "${METRICS[@]}"; do cells+=("$(scale "$metric" "$(figure "$variant.$service.$metric")")"); done
    # shellcheck disable=SC2059
    printf "$row_format" "$service" "${variant^^}" "${cells[@]}"
  done
  cells=()
  for metric in "${METRICS[@]}"; do
    cells+=("$(awk -v a="$(figure "aot.$service.$metric")" -v j="$(figure "jit.$service.$metric")" \
      'BEGIN { if (j == 0) print "-"; else printf "%.2f", a / j }')")
  done
  # shellcheck disable=SC2059
  printf "$row_format" "$service" "AOT/JIT" "${cells[@]}"
done

cat <<LEGEND

folder       the whole publish folder; no-symbols: without *.dbg / *.pdb (what an image ships);
             main: the AOT executable, or the JIT app's dll. The JIT variant also needs the shared
             framework, not in its folder: $(basename "$(dirname "$netcore_dir")") + $(basename "$(dirname "$aspnetcore_dir")") $(basename "$netcore_dir") = $(scale folder "$shared_runtime_bytes") MiB.
ready        ms from exec to the first passing probe, polled every 10 ms. Store: grpc.health.v1 Check
             of store.v1.StoreService answers SERVING (table found ACTIVE in dynalite, first health
             probe done). Api, started once the store serves: GET /healthz/ready answers 200 (its
             own start plus its first gRPC call to the store).
idle RSS     VmRSS ${IDLE_SECONDS} s after the api was ready.
after-load   VmRSS right after the load; peak RSS: VmHWM, the high-water mark since exec.
rps          wrk, ${LOAD_SECONDS} s, $LOAD_THREADS threads, $LOAD_CONNECTIONS connections, GET /api/v1/items/{id} (X-Tenant-ID: 1):
             each request goes api -> store -> dynalite, all on these $(nproc) cores with wrk itself,
             so the same figure is shown for both services of a variant. These are the first
             seconds of traffic after start: the JIT figures include its tiered compilation.
CPU ms/1k    user + system CPU time the service used during the load, per 1,000 requests.
Logs of the last round: $LOGS/
LEGEND

#!/usr/bin/env bash
# Footprint of both services, side by side in one run: publish size, start to ready, RSS and private
# anonymous memory idle and after a short load, peak RSS, and what the load achieved.
# A benchmark: it prints figures and asserts nothing. Loopback only, every port chosen free, so it
# runs beside a running stack.
#
#   bench/footprint.sh [--skip-publish]
#       Native AOT against JIT: publishes both services both ways (about 3 to 6 minutes on 2 cores,
#       most of it the two AOT publishes); --skip-publish measures the outputs of the last run again.
#   bench/footprint.sh --compare NAME=DIR[,VAR=VALUE...] NAME=DIR[,VAR=VALUE...]...
#       Native AOT binaries already published (DIR/StoreService/StoreService and
#       DIR/ApiService/ApiService, e.g. two commits' scripts/publish-aot.sh outputs), each started
#       with its own extra environment (runtime settings such as DOTNET_GCgen0size=0x200000);
#       figures relative to the first.
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

WORK=.local/footprint
PUBLISH=$WORK/publish LOGS=$WORK/logs

# Variants, in the order they are listed; the first is the one the others are compared with.
VARIANTS=()
declare -A variant_dir variant_kind variant_env # variant_env: extra NAME=VALUE entries, space-separated
add_variant() { # add_variant NAME KIND DIR [NAME=VALUE...]
  local name=$1
  [ -z "${variant_dir[$name]:-}" ] || die "variant $name is named twice"
  VARIANTS+=("$name")
  variant_kind[$name]=$2 variant_dir[$name]=$3
  shift 3
  variant_env[$name]="$*"
}

publish_outputs=true
case "${1:-}" in
  "") ;;
  --skip-publish) [ $# -eq 1 ] || die "usage: see the comment at the top of $0"; publish_outputs=false ;;
  --compare)
    shift
    [ $# -ge 2 ] || die "--compare needs at least two NAME=DIR[,VAR=VALUE...] variants"
    publish_outputs=false
    for spec in "$@"; do
      [[ $spec =~ ^([A-Za-z0-9._-]+)=([^,]+)(,.*)?$ ]] || die "not NAME=DIR[,VAR=VALUE...]: $spec"
      name=${BASH_REMATCH[1]} dir=${BASH_REMATCH[2]} extra=${BASH_REMATCH[3]#,}
      IFS=, read -r -a entries <<<"$extra"
      for entry in "${entries[@]}"; do [[ $entry =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "not VAR=VALUE: $entry (in $spec)"; done
      add_variant "$name" aot "$dir" "${entries[@]}"
    done
    ;;
  *) die "usage: see the comment at the top of $0" ;;
esac
if [ ${#VARIANTS[@]} -eq 0 ]; then
  add_variant JIT jit "$PUBLISH/jit"
  add_variant AOT aot "$PUBLISH/aot"
fi

scripts/apt-ensure clang:/usr/bin/clang zlib1g-dev:/usr/include/zlib.h wrk:/usr/bin/wrk
npm_install tools/dynalite
npm_install bench
mkdir -p "$PUBLISH" "$LOGS"

# ---------------------------------------------------------------------------------------------
# Publish
# ---------------------------------------------------------------------------------------------
publish() { # publish VARIANT SERVICE
  local kind=${variant_kind[$1]} out=${variant_dir[$1]}/$2 log=$LOGS/publish-$1-$2.log
  rm -rf "$out"
  echo "publishing $2 ($1)"
  if [ "$kind" = aot ]; then
    scripts/publish-aot.sh "$2" "$out" >"$log" 2>&1
  else
    # PublishAot=false also turns off the request-delegate and configuration-binding source
    # generators that PublishAot turns on; without them the AOT analyzers fail the build, and the
    # JIT binary would run other code than the AOT one. The artifacts path keeps this build out of
    # bin/ and obj/, which a stack started by scripts/run may be running from.
    dotnet publish "$2/$2.csproj" -c Release -p:PublishAot=false \
      -p:EnableRequestDelegateGenerator=true -p:EnableConfigurationBindingGenerator=true \
      --artifacts-path "$WORK/artifacts" -o "$out" >"$log" 2>&1
  fi || { tail -n 20 "$log" >&2; die "publishing $2 ($1) failed; see $log"; }
}

main_file() { # main_file VARIANT SERVICE: the file that is executed
  if [ "${variant_kind[$1]}" = aot ]; then echo "${variant_dir[$1]}/$2/$2"; else echo "${variant_dir[$1]}/$2/$2.dll"; fi
}

if $publish_outputs; then
  for variant in "${VARIANTS[@]}"; do
    for service in "${SERVICES[@]}"; do publish "$variant" "$service"; done
  done
fi
for variant in "${VARIANTS[@]}"; do
  for service in "${SERVICES[@]}"; do
    [ -f "$(main_file "$variant" "$service")" ] || die "$(main_file "$variant" "$service") is missing"
  done
done

declare -A result # result[variant.service.metric] = one value per round, space-separated

for variant in "${VARIANTS[@]}"; do
  for service in "${SERVICES[@]}"; do
    dir=${variant_dir[$variant]}/$service
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
# The measured processes then run alone, on the same ports and a dynalite of their own. The stack
# runs without its dashboard (start_stack), so there are no telemetry settings; left out: the api's
# Development environment (its OpenAPI UI), not what ships.
echo "reading the services' environment from the AppHost (scripts/run, not measured)"
start_stack "$LOGS/stack.log" "$WORK/stack" --engine dynalite
mapfile -d '' STORE_ENV < <(grep -zv -e '^ASPNETCORE_ENVIRONMENT=' "$WORK/stack/env/store-service")
mapfile -d '' API_ENV < <(grep -zv -e '^ASPNETCORE_ENVIRONMENT=' "$WORK/stack/env/api-service")
stop_stack
rm -rf "$WORK/stack"

start_store() { # start_store VARIANT: sets store_pid
  local cmd extra
  read -r -a extra <<<"${variant_env[$1]}"
  if [ "${variant_kind[$1]}" = aot ]; then cmd=("$(main_file "$1" StoreService)"); else cmd=(dotnet "$(main_file "$1" StoreService)"); fi
  env "${STORE_ENV[@]}" "${extra[@]}" "${cmd[@]}" --urls "http://127.0.0.1:$STORE_PORT" >"$LOGS/$1-store.log" 2>&1 &
  store_pid=$!
  pids+=("$store_pid")
}

start_api() { # start_api VARIANT: sets api_pid
  local cmd extra
  read -r -a extra <<<"${variant_env[$1]}"
  if [ "${variant_kind[$1]}" = aot ]; then cmd=("$(main_file "$1" ApiService)"); else cmd=(dotnet "$(main_file "$1" ApiService)"); fi
  env "${API_ENV[@]}" "${extra[@]}" "${cmd[@]}" --urls "http://127.0.0.1:$API_PORT" >"$LOGS/$1-api.log" 2>&1 &
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

# memory PID: "RSS peak-RSS private-anonymous" in KiB (bench/process-memory.mjs says what each counts).
memory() { node bench/process-memory.mjs "$1"; }
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
start_store "${VARIANTS[0]}"
wait_ready "$(now_us)" "$store_pid" store store_serving >/dev/null
start_api "${VARIANTS[0]}"
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
  local rss peak anon
  read -r rss peak anon < <(memory "$store_pid")
  record "$variant.StoreService.idle" "$rss"
  record "$variant.StoreService.idleanon" "$anon"
  read -r rss peak anon < <(memory "$api_pid")
  record "$variant.ApiService.idle" "$rss"
  record "$variant.ApiService.idleanon" "$anon"

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
    read -r rss peak anon < <(memory "$pid")
    record "$variant.$service.loaded" "$rss"
    record "$variant.$service.loadedanon" "$anon"
    record "$variant.$service.peak" "$peak"
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

echo "measuring: $ROUNDS rounds of ${VARIANTS[*]}, each round starting with the next variant; load ${LOAD_SECONDS} s, $LOAD_THREADS threads, $LOAD_CONNECTIONS connections"
for ((round = 1; round <= ROUNDS; round++)); do
  count=${#VARIANTS[@]}
  for ((i = 0; i < count; i++)); do measure "${VARIANTS[(round - 1 + i) % count]}" "$round"; done
done

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
figure() { median <<<"${result[$1]}"; } # figure VARIANT.SERVICE.METRIC: the median over the rounds

METRICS=(folder stripped main ready idle idleanon loaded loadedanon peak rps cpu)
# Bytes for the sizes, kB for the memory figures; printed as MiB.
scale() { # scale METRIC VALUE
  case $1 in
    folder | stripped | main) awk -v v="$2" 'BEGIN { printf "%.1f", v / 1048576 }' ;;
    idle | idleanon | loaded | loadedanon | peak) awk -v v="$2" 'BEGIN { printf "%.1f", v / 1024 }' ;;
    rps) awk -v v="$2" 'BEGIN { printf "%.0f", v }' ;;
    *) echo "$2" ;;
  esac
}
row_format='%-13s %-12s %7s %7s %7s %7s %7s %7s %7s %7s %7s %6s %7s\n'
reference=${VARIANTS[0]}
has_jit=false
for variant in "${VARIANTS[@]}"; do [ "${variant_kind[$variant]}" = jit ] && has_jit=true; done

echo
echo "Footprint of ${VARIANTS[*]}, median of $ROUNDS rounds"
for variant in "${VARIANTS[@]}"; do
  echo "  $variant: ${variant_kind[$variant]^^} ${variant_dir[$variant]}${variant_env[$variant]:+, with ${variant_env[$variant]}}"
done
echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), load average now $(cut -d' ' -f1-3 /proc/loadavg)"
if $has_jit; then echo "runtime: $(basename "$netcore_dir") (JIT: framework-dependent, with the GC settings its runtimeconfig sets)"; fi
echo
# shellcheck disable=SC2059 # the format is the table's layout
printf "$row_format" service variant "folder" "no-sym" "main" "ready" "idle" "idle" "load" "load" "peak" "rps" "CPU ms"
# shellcheck disable=SC2059
printf "$row_format" "" "" "MiB" "MiB" "MiB" "ms" "RSS" "anon" "RSS" "anon" "RSS" "" "/1k req"
for service in "${SERVICES[@]}"; do
  for variant in "${VARIANTS[@]}"; do
    cells=()
    for metric in "${METRICS[@]}"; do cells+=("$(scale "$metric" "$(figure "$variant.$service.$metric")")"); done
    # shellcheck disable=SC2059
    printf "$row_format" "$service" "$variant" "${cells[@]}"
  done
  for variant in "${VARIANTS[@]:1}"; do
    cells=()
    for metric in "${METRICS[@]}"; do
      cells+=("$(awk -v a="$(figure "$variant.$service.$metric")" -v r="$(figure "$reference.$service.$metric")" \
        'BEGIN { if (r == 0) print "-"; else printf "%.2f", a / r }')")
    done
    # shellcheck disable=SC2059
    printf "$row_format" "$service" "$variant/$reference" "${cells[@]}"
  done
done

echo
echo "spread over the $ROUNDS rounds (lowest-highest, MiB):"
range() { # range KEY: lowest-highest of a memory figure
  tr ' ' '\n' <<<"${result[$1]}" | sort -g | awk 'NF { v[++n] = $1 } END { printf "%.1f-%.1f", v[1] / 1024, v[n] / 1024 }'
}
for service in "${SERVICES[@]}"; do
  for variant in "${VARIANTS[@]}"; do
    printf '  %-13s %-12s idle RSS %s, idle anon %s, load RSS %s, load anon %s\n' "$service" "$variant" \
      "$(range "$variant.$service.idle")" "$(range "$variant.$service.idleanon")" \
      "$(range "$variant.$service.loaded")" "$(range "$variant.$service.loadedanon")"
  done
done

shared_runtime_note=
if $has_jit; then
  shared_runtime_note="
             The JIT variant also needs the shared framework, not in its folder: $(basename "$(dirname "$netcore_dir")") +
             $(basename "$(dirname "$aspnetcore_dir")") $(basename "$netcore_dir") = $(scale folder "$shared_runtime_bytes") MiB."
fi
cat <<LEGEND

folder       the whole publish folder; no-sym: without *.dbg / *.pdb (what an image ships);
             main: the AOT executable, or the JIT app's dll.$shared_runtime_note
ready        ms from exec to the first passing probe, polled every 10 ms. Store: grpc.health.v1 Check
             of store.v1.StoreService answers SERVING (table found ACTIVE in dynalite, first health
             probe done). Api, started once the store serves: GET /healthz/ready answers 200 (its
             own start plus its first gRPC call to the store).
idle         ${IDLE_SECONDS} s after the api was ready; load: right after the load. RSS: VmRSS. anon: private
             anonymous memory, Private_Dirty of the anonymous mappings (GC heap, stacks, native
             allocations): what each replica adds, unlike the executable's pages, which replicas of
             one image share. peak RSS: VmHWM, the high-water mark since exec.
rps          wrk, ${LOAD_SECONDS} s, $LOAD_THREADS threads, $LOAD_CONNECTIONS connections, GET /api/v1/items/{id} (X-Tenant-ID: 1):
             each request goes api -> store -> dynalite, all on these $(nproc) cores with wrk itself,
             so the same figure is shown for both services of a variant. These are the first
             seconds of traffic after start: JIT figures include its tiered compilation.
CPU ms/1k    user + system CPU time the service used during the load, per 1,000 requests.
Goals per AOT service: idle RSS <= 35 MiB, idle anon <= 20 MiB, anon after load <= 30 MiB, no-sym <= 20 MiB.
Logs of the last round: $LOGS/
LEGEND

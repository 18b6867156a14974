#!/usr/bin/env bash
# HTTP load benchmark: the same cart servlet in embedded Jetty, once per session mode, driven by
# wrk over loopback with 1,000 pre-created visitors picked at random per request. Prints one
# table: req/s, latency p50/p99, store commands per request, server CPU per request, and the
# ratio to the hand-written Redis servlet; then bytes stored per session.
#
#   bench/http.sh                              # build, run every mode (about 23 minutes on 2 cores)
#   BENCH_SESSION_SIZE=16k bench/http.sh       # the same with a 16 KB application session
#
# Settings (environment):
#   BENCH_MODES        modes to run, space separated (default: all; memcached only when installed)
#   BENCH_SESSION_SIZE what a visitor's session holds, the same in every mode (cart5):
#                        cart5   a cart of 5 items (about 0.4 KB of JSON)
#                        cart20  a cart of 20 items (about 1.5 KB)
#                        16k     the 20-item cart beside a CSRF token, flash messages and a user
#                                profile with nested maps and lists (about 16 KB)
#                      The cart request changes the cart alone at every size.
#   BENCH_PG           PostgreSQL for the sessionkit-postgres modes, as psql connection options
#                      ("-h 127.0.0.1 -p 5432 -U postgres -d test"; the machine's own server)
#   BENCH_SESSIONS     visitors per mode (1000)
#   BENCH_THREADS      wrk threads (2)         BENCH_CONNECTIONS  wrk connections (16)
#   BENCH_WARMUP       warm-up before the cart run (30s): long enough on 2 cores for the JIT compiler
#                      to finish, which the report checks (the JIT column)
#   BENCH_DURATION     measured cart run (15s); the read-only run takes 2/3 of it, the untouched 1/3
#   BENCH_BUILD=0      reuse session-bench/target/benchmarks.jar instead of building
#   BENCH_JFR          modes to profile: Java Flight Recorder samples every 1 ms during the measured
#                      cart run (RUN_DIR/<mode>.cart.jfr; summarise with bench/jfr-hotspots.py).
#   BENCH_PROFILE      modes to profile with async-profiler instead, fetched from Maven Central: CPU
#                      samples every BENCH_PROFILE_INTERVAL (10ms) during the measured cart run
#                      (RUN_DIR/<mode>.cart.collapsed; summarise with bench/jfr-hotspots.py). On the
#                      2-core machines of docs/benchmarks.md JFR at 1 ms halved the server's rate.
#                      Profiling costs throughput: use such runs for the profile, not the table.
#   BENCH_JVM_OPTS     server JVM options (-Xms512m -Xmx512m)
#   MVN_ARGS           extra Maven arguments for the build, e.g. -o
#
# Everything listens on 127.0.0.1 only: a private redis-server (and memcached) on free ports,
# one server JVM per mode. Every process started here is stopped here, also on Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

MODES_DEFAULT="none jetty-memory sessionkit-filesystem sessionkit-filesystem-throttled sessionkit-memcached
  sessionkit-postgres sessionkit-postgres-throttled sessionkit-redis sessionkit-redis-locking
  spring-redis spring-redis-lettuce spring-redis-indexed spring-redis-indexed-lettuce
  spring4-redis spring4-redis-lettuce spring4-redis-indexed spring4-redis-indexed-lettuce handwritten-redis"
# Modes that are another mode with extra SessionKit settings, one a line: name, the mode it runs,
# then KEY=VALUE settings. The server JVM gets them as environment variables, which a SessionKit
# mode reads over its own settings; a key no part of SessionKit reads is logged as a warning in the
# server log ($RUN_DIR/<mode>.server.log), not refused. Not in the default list: name them in
# BENCH_MODES.
SETTINGS_MODES="
sessionkit-redis-throttled sessionkit-redis SESSION_REFRESH_MIN_INTERVAL=PT5M
sessionkit-redis-nearcache sessionkit-redis SESSION_NEAR_CACHE=10000 SESSION_REFRESH_MIN_INTERVAL=PT5M
"
BENCH_MODES="$(echo ${BENCH_MODES:-$MODES_DEFAULT})"
BENCH_SESSION_SIZE="${BENCH_SESSION_SIZE:-cart5}"
BENCH_SESSIONS="${BENCH_SESSIONS:-1000}"
BENCH_THREADS="${BENCH_THREADS:-2}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-16}"
BENCH_WARMUP="${BENCH_WARMUP:-30s}"
BENCH_DURATION="${BENCH_DURATION:-15s}"
BENCH_BUILD="${BENCH_BUILD:-1}"
BENCH_PG="${BENCH_PG:--h 127.0.0.1 -p 5432 -U postgres -d test}"
BENCH_JFR="${BENCH_JFR:-}"
BENCH_PROFILE="${BENCH_PROFILE:-}"
BENCH_PROFILE_INTERVAL="${BENCH_PROFILE_INTERVAL:-10ms}"
ASYNC_PROFILER="tools.profiler:async-profiler:4.2"
BENCH_JVM_OPTS="${BENCH_JVM_OPTS:--Xms512m -Xmx512m}"
MVN_ARGS="${MVN_ARGS:-}"
JAR="$ROOT/session-bench/target/benchmarks.jar"
# Spring Session 4 needs Spring Framework 7, which cannot share a classpath with session-bench's
# Spring Session 3.5: its modes (spring4-*) run in a server of their own, the same servlet and Jetty.
JAR_SPRING4="$ROOT/session-bench-spring4/target/benchmarks-spring4.jar"
LUA="$ROOT/bench/visitors.lua"
HZ="$(getconf CLK_TCK)"

fail() { echo "bench/http.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 not found on PATH: $2"; }
need wrk "apt-get install -y wrk"
need redis-server "apt-get install -y redis-server"
need redis-cli "apt-get install -y redis-tools"
need java "install a JDK 17"
need python3 "apt-get install -y python3"
seconds() { local d="${1%s}"; echo "$d"; }
case "$BENCH_SESSION_SIZE" in
  cart5|cart20|16k) ;;
  *) fail "BENCH_SESSION_SIZE must be cart5, cart20 or 16k, not '$BENCH_SESSION_SIZE'" ;;
esac
DURATION_S="$(seconds "$BENCH_DURATION")"
READ_S=$(( DURATION_S * 2 / 3 )); UNTOUCHED_S=$(( DURATION_S / 3 ))
(( READ_S >= 1 && UNTOUCHED_S >= 1 )) || fail "BENCH_DURATION must be at least 3s, e.g. 15s"

if [[ "$BENCH_BUILD" != 0 ]]; then
  echo "Building session-bench and session-bench-spring4 (mvn -pl ... -am package, tests skipped) ..." >&2
  # shellcheck disable=SC2086
  mvn -B -q $MVN_ARGS -pl session-bench,session-bench-spring4 -am package -Dmaven.test.skip=true >&2
fi
[[ -f "$JAR" ]] || fail "$JAR is missing; run without BENCH_BUILD=0"
if [[ " $BENCH_MODES " == *" spring4-"* && ! -f "$JAR_SPRING4" ]]; then
  fail "$JAR_SPRING4 is missing; run without BENCH_BUILD=0"
fi

settings_of() { # mode: "base KEY=VALUE ..." of a mode in SETTINGS_MODES, or the mode itself
  local line
  line="$(awk -v mode="$1" '$1 == mode { $1 = ""; print substr($0, 2) }' <<< "$SETTINGS_MODES")"
  echo "${line:-$1}"
}

RUN_DIR="$ROOT/session-bench/target/http-bench/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RUN_DIR"
RESULTS="$RUN_DIR/results.tsv"
: > "$RESULTS"

STARTED_PIDS=()
cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_port() { # port seconds
  local i
  for (( i = 0; i < $2 * 10; i++ )); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# CPU ticks of a JVM's JIT compiler threads (C1, C2). Their names hold a space, so the fields of
# each task's stat are counted after the name's closing parenthesis.
jit_ticks() {
  local task total=0
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      "C1 CompilerThre"*|"C2 CompilerThre"*)
        total=$(( total + $(sed 's/^.*) //' "$task/stat" 2>/dev/null | awk '{ print $12 + $13 }') )) ;;
    esac
  done
  echo "$total"
}

# ---- private stores ---------------------------------------------------------------------------
REDIS_PORT="$(free_port)"
mkdir -p "$RUN_DIR/redis"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$RUN_DIR/redis" \
  --logfile "$RUN_DIR/redis/redis.log" &
REDIS_PID=$!
STARTED_PIDS+=("$REDIS_PID")
wait_for_port "$REDIS_PORT" 10 || fail "redis-server did not start on 127.0.0.1:$REDIS_PORT; see $RUN_DIR/redis/redis.log"
rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

MEMCACHED_PORT=""
MEMCACHED_PID=""
if command -v memcached >/dev/null 2>&1; then
  MEMCACHED_PORT="$(free_port)"
  memcached -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 256 -u "$(id -un)" &
  MEMCACHED_PID=$!
  STARTED_PIDS+=("$MEMCACHED_PID")
  wait_for_port "$MEMCACHED_PORT" 10 || fail "memcached did not start on 127.0.0.1:$MEMCACHED_PORT"
else
  echo "memcached not installed (apt-get install -y memcached): skipping sessionkit-memcached" >&2
  BENCH_MODES="${BENCH_MODES//sessionkit-memcached/}"
fi

redis_calls() { # total commands served, without our own INFO
  rcli info commandstats | tr -d '\r' | awk -F'[:=,]' '/^cmdstat_/ && $1 != "cmdstat_info" { n += $3 } END { print n + 0 }'
}
redis_net_bytes() { # bytes Redis received and sent, as "in out"
  rcli info stats | tr -d '\r' | awk -F: '$1 == "total_net_input_bytes" { i = $2 } $1 == "total_net_output_bytes" { o = $2 } END { print i + 0, o + 0 }'
}
redis_commandstats() { rcli info commandstats | tr -d '\r' | awk -F'[:=,]' '/^cmdstat_/ && $1 != "cmdstat_info" { sub("cmdstat_", "", $1); print $1, $3 }'; }
# shellcheck disable=SC2086
pg() { psql $BENCH_PG -v ON_ERROR_STOP=1 -qtA "$@"; }
pg_url() { # the JDBC URL of BENCH_PG's database
  local host port user db
  host="$(pg -c 'select inet_server_addr()')"; port="$(pg -c 'select inet_server_port()')"
  user="$(pg -c 'select current_user')"; db="$(pg -c 'select current_database()')"
  echo "jdbc:postgresql://${host:-127.0.0.1}:$port/$db?user=$user"
}
postgres_calls() { # transactions committed in the database: one per statement in auto-commit
  pg -c 'select xact_commit from pg_stat_database where datname = current_database()'
}
postgres_rows_written() { pg -c 'select tup_updated + tup_inserted from pg_stat_database where datname = current_database()'; }
memcached_calls() { # get, set, touch and delete commands served
  exec 3<>"/dev/tcp/127.0.0.1/$MEMCACHED_PORT"
  printf 'stats\r\nquit\r\n' >&3
  tr -d '\r' <&3 | awk '$2 ~ /^(cmd_get|cmd_set|cmd_touch|delete_hits|delete_misses)$/ { n += $3 } END { print n + 0 }'
  exec 3<&-
}
store_calls() { # mode
  case "$1" in
    *redis*) redis_calls ;;
    *memcached*) memcached_calls ;;
    *postgres*) postgres_calls ;;
    *) echo "" ;;
  esac
}

# What the visitors' sessions occupy in the mode's store, as FOOTPRINT and SAMPLE lines.
footprint() { # mode
  case "$1" in
    *redis*) java -cp "$JAR" io.sessionkit.bench.http.StoreFootprint "$REDIS_PORT" "$BENCH_SESSIONS" ;;
    *memcached*)
      exec 3<>"/dev/tcp/127.0.0.1/$MEMCACHED_PORT"
      printf 'stats\r\nquit\r\n' >&3
      # bytes: memcached's own count of key, value and item header bytes
      tr -d '\r' <&3 | awk -v n="$BENCH_SESSIONS" '$2 == "curr_items" { items = $3 } $2 == "bytes" { bytes = $3 }
        END { printf "FOOTPRINT items=%d memory_bytes_per_session=%d\n", items, bytes / n }'
      exec 3<&- ;;
    *filesystem*)
      find "$RUN_DIR/files-$1" -type f -printf '%s\n' | awk -v n="$BENCH_SESSIONS" \
        '{ files++; bytes += $1 } END { printf "FOOTPRINT files=%d payload_bytes_per_session=%d\n", files, bytes / n }' ;;
    *postgres*)
      # pg_column_size of the whole row: the stored (possibly compressed) columns with the row header
      pg -F' ' -c "select count(*), coalesce(sum(pg_column_size(t.*)), 0) from bench_sessions t" \
        | awk -v n="$BENCH_SESSIONS" '{ printf "FOOTPRINT rows=%d row_bytes_per_session=%d\n", $1, $2 / n }' ;;
  esac
}

# ---- one mode -----------------------------------------------------------------------------------
measure() { # mode server_pid port variant method path warmup duration
  local mode=$1 pid=$2 port=$3 variant=$4 method=$5 path=$6 warmup=$7 duration=$8
  local url="http://127.0.0.1:$port$path" cookies="$RUN_DIR/$mode.cookies"
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$warmup" -s "$LUA" "$url" -- "$cookies" "$method" \
    > "$RUN_DIR/$mode.$variant.warmup.txt"
  sleep 0.5
  local calls0 cpu0 rcpu0 jit0 calls1 cpu1 rcpu1 jit1 profile="" collapsed=""
  if [[ "$variant" == cart && " $BENCH_JFR " == *" $mode "* ]]; then
    profile="$RUN_DIR/$mode.cart.jfr"
    jcmd "$pid" JFR.start name=bench settings="$RUN_DIR/sampling.jfc" filename="$profile" > /dev/null
  fi
  if [[ "$variant" == cart && " $BENCH_PROFILE " == *" $mode "* ]]; then
    collapsed="$RUN_DIR/$mode.cart.collapsed"
    # The inner quotes keep jcmd from reading the options' "=" as its own.
    jcmd "$pid" JVMTI.agent_load "$PROFILER_LIB" "\"start,event=cpu,interval=$BENCH_PROFILE_INTERVAL\"" > /dev/null
  fi
  redis_commandstats > "$RUN_DIR/$mode.$variant.commandstats.before"
  local net0 net1
  net0="$(redis_net_bytes)"
  local rows0=""
  [[ "$mode" == *postgres* ]] && rows0="$(postgres_rows_written)"
  calls0="$(store_calls "$mode")"; cpu0="$(cpu_ticks "$pid")"; rcpu0="$(cpu_ticks "$REDIS_PID")"
  jit0="$(jit_ticks "$pid")"
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$duration" --latency -s "$LUA" "$url" -- "$cookies" "$method" \
    > "$RUN_DIR/$mode.$variant.txt"
  sleep 0.5 # let requests still in flight when wrk stopped finish before the counters are read
  cpu1="$(cpu_ticks "$pid")"; rcpu1="$(cpu_ticks "$REDIS_PID")"; calls1="$(store_calls "$mode")"
  jit1="$(jit_ticks "$pid")"
  net1="$(redis_net_bytes)"
  redis_commandstats > "$RUN_DIR/$mode.$variant.commandstats.after"
  if [[ -n "$rows0" ]]; then
    echo "rows_written $(( $(postgres_rows_written) - rows0 ))" >> "$RUN_DIR/$mode.$variant.commandstats.after"
  fi
  [[ -n "$profile" ]] && jcmd "$pid" JFR.stop name=bench > /dev/null
  [[ -n "$collapsed" ]] && jcmd "$pid" JVMTI.agent_load "$PROFILER_LIB" "\"stop,collapsed,file=$collapsed\"" > /dev/null
  local result
  result="$(grep '^RESULT' "$RUN_DIR/$mode.$variant.txt")" || fail "wrk printed no RESULT for $mode $variant; see $RUN_DIR/$mode.$variant.txt"
  local breakdown
  breakdown="$(awk 'NR == FNR { before[$1] = $2; next } { d = $2 - before[$1]; if (d > 0) printf "%s:%d ", $1, d }' \
    "$RUN_DIR/$mode.$variant.commandstats.before" "$RUN_DIR/$mode.$variant.commandstats.after")"
  local calls=""
  [[ -n "$calls0" ]] && calls=$(( calls1 - calls0 ))
  local redis_bytes=- in0 out0 in1 out1
  if [[ "$mode" == *redis* ]]; then
    read -r in0 out0 <<< "$net0"; read -r in1 out1 <<< "$net1"
    redis_bytes="$(( in1 - in0 ))/$(( out1 - out0 ))"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$variant" "$result" "${calls:--}" $(( cpu1 - cpu0 )) \
    $(( rcpu1 - rcpu0 )) "${breakdown:--}" "$redis_bytes" $(( jit1 - jit0 )) >> "$RESULTS"
  echo "  $variant: $result store_calls=${calls:--}" >&2
}

# The server's environment: the caller's without any SessionKit key (a SESSION_TYPE exported in the
# shell must not change a mode), plus the mode's own settings.
server_env() { # settings...
  local name unset=()
  for name in $(compgen -e); do
    case "$name" in SESSION_*|SECRET_KEY|SECRET_KEY_FALLBACKS|PERMANENT_SESSION_LIFETIME) unset+=(-u "$name") ;; esac
  done
  echo "${unset[@]}" "$@"
}

run_mode() { # mode
  local mode=$1 port args pid base settings main jar
  read -r base settings <<< "$(settings_of "$mode")"
  port="$(free_port)"
  rcli flushall > /dev/null
  [[ -n "$MEMCACHED_PORT" ]] && printf 'flush_all\r\nquit\r\n' > "/dev/tcp/127.0.0.1/$MEMCACHED_PORT" 2>/dev/null || true
  args=(--mode="$base" --port="$port" --cookies="$RUN_DIR/$mode.cookies" --sessions="$BENCH_SESSIONS"
        --size="$BENCH_SESSION_SIZE" --redis-port="$REDIS_PORT" --file-dir="$RUN_DIR/files-$mode")
  [[ -n "$MEMCACHED_PORT" ]] && args+=(--memcached-port="$MEMCACHED_PORT")
  if [[ "$mode" == *postgres* ]]; then
    # The table is created by the store at start; empty it so every mode starts alike.
    pg -c 'DELETE FROM bench_sessions' 2>/dev/null || true
    args+=(--jdbc-url="$(pg_url)")
  fi
  jar="$JAR"; main=io.sessionkit.bench.http.CartServer
  if [[ "$base" == spring4-* ]]; then
    jar="$JAR_SPRING4"; main=io.sessionkit.bench.spring4.Spring4CartServer
  fi
  echo "[$mode] starting on 127.0.0.1:$port${settings:+ with $settings}" >&2
  [[ -n "$settings" ]] && echo "$mode $settings" >> "$RUN_DIR/settings.txt"
  local jvm_opts="$BENCH_JVM_OPTS"
  # Debug information at every instruction, not only at safepoints, so that a sample names the
  # method it was taken in, inlined or not.
  [[ " $BENCH_PROFILE " == *" $mode "* ]] && jvm_opts+=" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
  # shellcheck disable=SC2046,SC2086
  env $(server_env $settings) java $jvm_opts -cp "$jar" "$main" "${args[@]}" > "$RUN_DIR/$mode.server.log" 2>&1 &
  pid=$!
  STARTED_PIDS+=("$pid")
  local i
  for (( i = 0; i < 1200; i++ )); do
    grep -q '^READY' "$RUN_DIR/$mode.server.log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || fail "$mode server exited at start; see $RUN_DIR/$mode.server.log"
    sleep 0.1
  done
  grep -q '^READY' "$RUN_DIR/$mode.server.log" || fail "$mode server not ready after 120 s; see $RUN_DIR/$mode.server.log"

  measure "$mode" "$pid" "$port" cart POST /cart/add "$BENCH_WARMUP" "${DURATION_S}s"
  measure "$mode" "$pid" "$port" read GET /cart 3s "${READ_S}s"
  measure "$mode" "$pid" "$port" untouched GET /ping 2s "${UNTOUCHED_S}s"
  footprint "$mode" | sed "s/^/$mode /" >> "$RUN_DIR/footprint.txt"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

if [[ -n "$BENCH_JFR" ]]; then
  need jcmd "install a full JDK 17 (jcmd)"
  # The JDK's profile settings, with Java method sampling every 1 ms instead of 10-20 ms.
  JFC="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc"
  [[ -f "$JFC" ]] || fail "JFR settings $JFC not found"
  sed 's#<setting name="period" control="method-sampling-java-interval">[^<]*</setting>#<setting name="period" control="method-sampling-java-interval">1 ms</setting>#' \
    "$JFC" > "$RUN_DIR/sampling.jfc"
fi
if [[ -n "$BENCH_PROFILE" ]]; then
  need jcmd "install a full JDK 17 (jcmd)"
  need unzip "apt-get install -y unzip"
  need mvn "apt-get install -y maven"
  case "$(uname -m)" in x86_64) platform=linux-x64 ;; aarch64) platform=linux-arm64 ;; *) fail "no async-profiler for $(uname -m)" ;; esac
  # From the run directory, where no POM is: from the project's root the goal would run once per module.
  (cd "$RUN_DIR" && mvn -q -B dependency:copy -Dartifact="$ASYNC_PROFILER" -DoutputDirectory="$RUN_DIR/async-profiler") \
    || fail "could not fetch $ASYNC_PROFILER from Maven Central"
  unzip -q -o "$RUN_DIR"/async-profiler/async-profiler-*.jar "$platform/*" -d "$RUN_DIR/async-profiler"
  PROFILER_LIB="$RUN_DIR/async-profiler/$platform/libasyncProfiler.so"
fi
echo "Run directory: $RUN_DIR" >&2
for mode in $BENCH_MODES; do
  run_mode "$mode"
done

# ---- report -------------------------------------------------------------------------------------
pom_property() { sed -n "s#.*<$1.version>\(.*\)</$1.version>.*#\1#p" "$ROOT/sessionkit-parent/pom.xml"; }
size_description() {
  case "$BENCH_SESSION_SIZE" in
    cart5) echo "a cart of 5 items" ;;
    cart20) echo "a cart of 20 items" ;;
    16k) echo "a cart of 20 items, a CSRF token, flash messages and a user profile, about 16 KB of JSON" ;;
  esac
}
{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "session: BENCH_SESSION_SIZE=$BENCH_SESSION_SIZE ($(size_description))"
  echo "command: ${BENCH_COMMAND_LABEL:-bench/http.sh}  (threads $BENCH_THREADS, connections $BENCH_CONNECTIONS, visitors $BENCH_SESSIONS, warm-up $BENCH_WARMUP, measured ${DURATION_S}s/${READ_S}s/${UNTOUCHED_S}s)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average before the report $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java:    $(java -version 2>&1 | head -1), server options $BENCH_JVM_OPTS"
  echo "spring:  Spring Session $(pom_property spring-session) with Spring Data Redis $(pom_property spring-data-redis) and Lettuce $(pom_property lettuce) (spring-*);" \
       "Spring Session $(pom_property spring-session4) with Spring Data Redis $(pom_property spring-data-redis4) and Lettuce $(pom_property lettuce4) (spring4-*); Jedis $(pom_property jedis)"
  if [[ -f "$RUN_DIR/settings.txt" ]]; then
    echo "settings: $(sed 's/$/;/' "$RUN_DIR/settings.txt" | tr '\n' ' ' | sed 's/; $//')"
  fi
  echo "tools:   $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(redis-server --version | cut -d' ' -f1-3)$( [[ -n "$MEMCACHED_PORT" ]] && echo ", $(memcached -V)")"
  echo
  python3 "$ROOT/bench/report.py" "$RESULTS" "$HZ"
  if [[ -f "$RUN_DIR/footprint.txt" ]]; then
    echo
    echo "Bytes stored per session (BENCH_SESSION_SIZE=$BENCH_SESSION_SIZE), from each mode's store after its run:"
    grep ' FOOTPRINT ' "$RUN_DIR/footprint.txt" | sed 's/ FOOTPRINT / /' | column -t
    echo
    echo "One stored session per mode:"
    grep ' SAMPLE ' "$RUN_DIR/footprint.txt" | sed 's/ SAMPLE / /' | cut -c1-400
  fi
  echo
  echo "Raw results and logs: ${RUN_DIR#"$ROOT"/}"
} | tee "$RUN_DIR/report.txt"

#!/usr/bin/env bash
# Shared by bench/run.sh and bench/cache.sh: the processes under test and wrk.
# The caller declares `declare -A PID=() URL=() CMD=() LOGF=() READY=()`, defines log/die, and sets ROOT, OUT,
# and for run_wrk THREADS, CONNS, DUR and RESULTS_TSV.
#   publish_cdnproxy                          the server as it ships (scripts/publish.sh) into SERVER_BIN's folder
#   start_cdnproxy NAME PORT [VAR=VALUE...]   the published server on 127.0.0.1:PORT with MALLOC_ARENA_MAX=2 and the
#                                             given environment (sets PID, CMD, LOGF, READY for NAME)
#   wait_ready NAME SECONDS [CODE-PATTERN]    until READY[NAME] answers (default 200) or die with the log's tail
#   stop_all                                  SIGTERM (then SIGKILL) every PID[...] this script started
#   run_wrk SCENARIO NAME ROUND               wrk against URL[NAME]; appends a row to RESULTS_TSV:
#                                             scenario  server  round  req/s  p50_ms  p99_ms  non2xx  socket_errors
# shellcheck disable=SC2004,SC2034  # PID, CMD, LOGF and READY are the caller's associative arrays.
# The server as it ships: compiled ahead of time by scripts/publish.sh.
SERVER_BIN=$ROOT/.artifacts/publish/CdnProxy.Server

publish_cdnproxy() {
  log "scripts/publish.sh (Release, compiled ahead of time)"
  "$ROOT/scripts/publish.sh" "$(dirname "$SERVER_BIN")" >"$OUT/build.log" 2>&1 \
    || { tail -n 40 "$OUT/build.log" >&2; die "publish failed (full log: $OUT/build.log)"; }
}

stop_all() {
  local name pid i
  for name in "${!PID[@]}"; do
    pid=${PID[$name]}
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "$name (pid $pid) ignored SIGTERM; sending SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
    log "stopped $name (pid $pid)"
  done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() { # first free loopback port from START
  local port=$1
  while ! port_free "$port"; do port=$((port + 1)); done
  echo "$port"
}

start_cdnproxy() { # name port [VAR=VALUE...]
  local name=$1 port=$2
  shift 2
  port_free "$port" || die "port $port is already in use"
  [ -x "$SERVER_BIN" ] || die "CdnProxy was not published: $SERVER_BIN is missing"
  local environment=("$@" MALLOC_ARENA_MAX=2 ASPNETCORE_ENVIRONMENT=Production)
  LOGF[$name]=$OUT/$name.log
  READY[$name]="http://127.0.0.1:$port/healthz/ready"
  CMD[$name]="${environment[*]} ${SERVER_BIN#"$ROOT"/} --urls http://127.0.0.1:$port"
  (
    cd "$(dirname "$SERVER_BIN")" || exit 1
    exec env "${environment[@]}" "$SERVER_BIN" --urls "http://127.0.0.1:$port"
  ) >"${LOGF[$name]}" 2>&1 </dev/null &
  PID[$name]=$!
}

wait_ready() { # name timeout-seconds [code-pattern]
  local name=$1 limit=$2 expect=${3:-200} url=${READY[$1]} i code
  for i in $(seq 1 $((limit * 5))); do
    if ! kill -0 "${PID[$name]}" 2>/dev/null; then
      log "$name exited during start-up; last lines of ${LOGF[$name]}:"; tail -n 30 "${LOGF[$name]}" >&2 || true
      die "$name did not start"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)
    # shellcheck disable=SC2254  # the expected code is a pattern on purpose
    case "$code" in $expect) log "$name ready (pid ${PID[$name]}) after ~$((i / 5)) s"; return 0 ;; esac
    sleep 0.2
  done
  log "last lines of ${LOGF[$name]}:"; tail -n 30 "${LOGF[$name]}" >&2 || true
  die "$name not ready after ${limit}s ($url last answered ${code:-nothing})"
}

to_ms() { # wrk latency ("812.00us", "25.40ms", "1.20s", "1.00m") -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

run_wrk() { # scenario name round
  local scenario=$1 name=$2 round=$3 f rps p50 p99 non2xx sockerr
  f=$OUT/wrk-$scenario-$name-r$round.txt
  log "wrk $scenario / $name, round $round (${DUR}s, $CONNS connections)"
  wrk -t"$THREADS" -c"$CONNS" -d"${DUR}s" --latency "${URL[$name]}" >"$f" 2>&1 || die "wrk failed (see $f)"
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f"); non2xx=${non2xx:-0}
  sockerr=$(awk -F'[ ,]+' '/Socket errors:/ {print $4 + $6 + $8 + $10}' "$f"); sockerr=${sockerr:-0}
  [ -n "$rps" ] || die "could not read wrk output $f"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$name" "$round" "$rps" "$p50" "$p99" "$non2xx" "$sockerr" >>"$RESULTS_TSV"
  log "  $name: $rps req/s, p50 $p50 ms, p99 $p99 ms, non-2xx $non2xx, socket errors $sockerr"
}

peak_rss_mib() { # pid -> VmHWM in MiB
  awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "n/a"
}

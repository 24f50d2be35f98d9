#!/usr/bin/env bash
# Cache-hit benchmarks, one command, everything on loopback:
#   1. in-process cache hits of CdnProxy vs nginx serving the same bytes as a static file (wrk, 64 connections);
#   2. hot-key burst: the server's CPU time per request for cache hits vs cold renders (/proc/PID/stat);
#   3. Redis hits (memory tier off, Redis tier on) -- run only when the server has the Redis tier (see redis_phase).
#   bench/cache.sh
# Environment (all optional):
#   DUR=10          seconds per wrk run (phase 1)    ROUNDS=2     runs per server, order alternating
#   CONNS=64        wrk connections (phases 1, 3)    THREADS=2    wrk threads
#   BURST_DUR=8     seconds of hot-key hits          COLD_DUR=15  seconds of cold renders (COLD_CONNS=2 connections)
#   CDN_PORT=9300 NGINX_PORT=9301 REDIS_CDN_PORT=9302 REDIS_PORT=first free from 6390
#   DOC=docs/benchmarks.md (only the bench:cache section is rewritten)
# Raw outputs: bench/results/cache-<timestamp>/ (git-ignored). Every process started here is stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

DUR=${DUR:-10}
ROUNDS=${ROUNDS:-2}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
BURST_DUR=${BURST_DUR:-8}
COLD_DUR=${COLD_DUR:-15}
COLD_CONNS=${COLD_CONNS:-2}
CDN_PORT=${CDN_PORT:-9300}
NGINX_PORT=${NGINX_PORT:-9301}
REDIS_CDN_PORT=${REDIS_CDN_PORT:-9302}
DOC=${DOC:-$ROOT/docs/benchmarks.md}
IMAGE=photo-3mp-flower.jpg
PATTERN='t.resize(w:300)~t.toFormat(f:jpeg,q:80)'
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/results/cache-$STAMP
RESULTS_TSV=$OUT/results.tsv   # scenario  server  round  req/s  p50_ms  p99_ms  non2xx  socket_errors
CPU_TSV=$OUT/cpu.tsv           # phase  requests  cpu_ms  cpu_us_per_request
mkdir -p "$OUT"
: >"$RESULTS_TSV"; : >"$CPU_TSV"

log() { printf '[bench:cache] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

declare -A PID=() URL=() CMD=() LOGF=() READY=()
# shellcheck source=bench/lib/servers.sh
. "$ROOT/bench/lib/servers.sh"
# shellcheck source=bench/lib/report.sh
. "$ROOT/bench/lib/report.sh"
trap stop_all EXIT
trap 'exit 130' INT TERM

URL[cdnproxy]="http://127.0.0.1:$CDN_PORT/v2/demo/$PATTERN/$IMAGE"
URL[nginx]="http://127.0.0.1:$NGINX_PORT/rendition.jpg"

# ---------------------------------------------------------------------------------------------------- nginx
# A private nginx: its own prefix and config in $OUT/nginx, in the foreground, not the system service.
start_nginx() {
  local prefix=$OUT/nginx
  port_free "$NGINX_PORT" || die "port $NGINX_PORT is already in use"
  mkdir -p "$prefix/html" "$prefix/logs" "$prefix/temp"
  # nginx's workers drop to `nobody` when started as root: they must be able to read the file.
  chmod a+rx "$OUT" "$prefix" "$prefix/html"
  cat >"$prefix/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $prefix/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  keepalive_timeout 65s;
  types { image/jpeg jpg; }
  default_type application/octet-stream;
  client_body_temp_path $prefix/temp/body;
  proxy_temp_path $prefix/temp/proxy;
  fastcgi_temp_path $prefix/temp/fastcgi;
  uwsgi_temp_path $prefix/temp/uwsgi;
  scgi_temp_path $prefix/temp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $prefix/html;
    location / { }
  }
}
CONF
  LOGF[nginx]=$OUT/nginx.log
  READY[nginx]=${URL[nginx]}
  CMD[nginx]="nginx -p bench/results/cache-$STAMP/nginx -c nginx.conf -e stderr   # worker_processes auto, access_log off, sendfile on"
  nginx -p "$prefix" -c "$prefix/nginx.conf" -e stderr >"${LOGF[nginx]}" 2>&1 </dev/null &
  PID[nginx]=$!
}

# ---------------------------------------------------------------------------------------------------- helpers
fetch() { # url file -> prints "HTTP-code Server-Timing"
  local hdr=$2.headers code timing
  code=$(curl -g -s -D "$hdr" -o "$2" -w '%{http_code}' --max-time 30 "$1" || true)
  timing=$(grep -i '^server-timing:' "$hdr" | cut -d: -f2- | tr -d '\r' | sed 's/^ *//' || true)
  echo "$code ${timing:-none}"
}

cpu_ticks() { # pid -> utime + stime of the process (all threads), in clock ticks
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# CPU of the server process over one wrk run: appends "phase requests cpu_ms us_per_request" to CPU_TSV.
cpu_phase() { # phase name connections seconds [wrk script [its arguments...]]
  local phase=$1 name=$2 conns=$3 seconds=$4 script=${5:-} f before after requests hz script_args=()
  shift $(($# < 5 ? $# : 5))
  [ $# -eq 0 ] || script_args=(-- "$@")
  f=$OUT/wrk-cpu-$phase.txt
  hz=$(getconf CLK_TCK)
  log "CPU phase $phase: wrk -c$conns -d${seconds}s${script:+ -s $(basename "$script")} against $name"
  before=$(cpu_ticks "${PID[$name]}")
  wrk -t"$([ "$conns" -lt "$THREADS" ] && echo "$conns" || echo "$THREADS")" -c"$conns" -d"${seconds}s" --latency \
    ${script:+-s "$script"} "${URL[$name]}" "${script_args[@]}" >"$f" 2>&1 || die "wrk failed (see $f)"
  after=$(cpu_ticks "${PID[$name]}")
  requests=$(awk '/requests in/ {print $1}' "$f")
  [ "${requests:-0}" -gt 0 ] || die "no requests completed in $f"
  ! grep -q 'Non-2xx' "$f" || die "non-2xx answers in phase $phase (see $f)"
  awk -v p="$phase" -v r="$requests" -v t=$((after - before)) -v hz="$hz" \
    'BEGIN { ms = t * 1000 / hz; printf "%s\t%d\t%.0f\t%.1f\n", p, r, ms, ms * 1000 / r }' >>"$CPU_TSV"
  log "  $(tail -n 1 "$CPU_TSV")"
}

# ---------------------------------------------------------------------------------------------------- phases
hits_phase() {
  local round list s
  for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then list=(cdnproxy nginx); else list=(nginx cdnproxy); fi
    for s in "${list[@]}"; do run_wrk hits "$s" "$round"; done
  done
}

burst_phase() {
  cpu_phase hit cdnproxy "$CONNS" "$BURST_DUR"
  # Cold: every request has its own cache buster, so each one fetches, renders, encodes and stores the same job. The
  # buster comes from bench/lib/distinct.lua, unique across wrk's threads: each thread runs its own Lua state, and a
  # counter of its own sent the same sequence from both, so coalescing answered half the requests (5.8 ms of CPU per
  # "cold render" instead of ~11).
  cpu_phase cold cdnproxy "$COLD_CONNS" "$COLD_DUR" "$ROOT/bench/lib/distinct.lua" "/v2/demo/$PATTERN/$IMAGE?v={v}"
}

# ---- Redis hits: the hook for the Redis tier ------------------------------------------------------------------------
# Enabled automatically once the server has the Redis tier: a second CdnProxy with the memory tier off
# (CdnProxy__Cache__Memory__MaxBytes=0) and CdnProxy__Cache__Redis__Configuration pointing at a private redis-server;
# "supported" means GET /api/v1/stats (x-api-key from CdnProxy__Api__Keys__0) answers JSON with a redisHits counter
# that grows on a repeated request. Otherwise the phase is skipped with a message and the report says so.
REDIS_STATUS="not run"
redis_stat() { # name -> redisHits from the stats endpoint, or empty
  curl -s --max-time 2 -H "x-api-key: $API_KEY" "http://127.0.0.1:$REDIS_CDN_PORT/api/v1/stats" \
    | grep -oE '"redisHits"[[:space:]]*:[[:space:]]*[0-9]+' | grep -oE '[0-9]+$' || true
}

redis_phase() {
  command -v redis-server >/dev/null 2>&1 || { REDIS_STATUS="skipped: redis-server is not installed"; log "$REDIS_STATUS"; return 0; }
  local redis_port before after round
  redis_port=${REDIS_PORT:-$(free_port 6390)}
  API_KEY="bench-$(od -An -tx1 -N16 /dev/urandom | tr -d " \n")"   # ≥ 32 characters, as CdnProxy:Api:Keys requires
  LOGF[redis]=$OUT/redis.log
  CMD[redis]="redis-server --bind 127.0.0.1 --port $redis_port --save '' --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru"
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --maxmemory 256mb \
    --maxmemory-policy allkeys-lru --dir "$OUT" >"${LOGF[redis]}" 2>&1 </dev/null &
  PID[redis]=$!
  start_cdnproxy cdnproxy-redis "$REDIS_CDN_PORT" CdnProxy__Cache__Memory__MaxBytes=0 \
    "CdnProxy__Cache__Redis__Configuration=127.0.0.1:$redis_port" "CdnProxy__Api__Keys__0=$API_KEY"
  CMD[cdnproxy-redis]=${CMD[cdnproxy-redis]//$API_KEY/<random key>}
  URL[cdnproxy-redis]="http://127.0.0.1:$REDIS_CDN_PORT/v2/demo/$PATTERN/$IMAGE"
  wait_ready cdnproxy-redis 60
  fetch "${URL[cdnproxy-redis]}" "$OUT/redis-first.jpg" >/dev/null
  before=$(redis_stat)
  if [ -z "$before" ]; then
    REDIS_STATUS="skipped: the server has no Redis tier yet (GET /api/v1/stats gave no redisHits counter)"
    log "$REDIS_STATUS"; return 0
  fi
  fetch "${URL[cdnproxy-redis]}" "$OUT/redis-second.jpg" >/dev/null
  after=$(redis_stat)
  if [ "${after:-0}" -le "$before" ]; then
    REDIS_STATUS="skipped: redisHits did not grow on a repeated request ($before → ${after:-?}); the Redis tier is not in effect"
    log "$REDIS_STATUS"; return 0
  fi
  cmp -s "$OUT/redis-second.jpg" "$OUT/nginx/html/rendition.jpg" || log "note: the Redis hit's bytes differ from the in-process rendition"
  for round in $(seq 1 "$ROUNDS"); do run_wrk redis cdnproxy-redis "$round"; done
  REDIS_STATUS="run: redisHits $before → $(redis_stat) over the phase"
}

# ---------------------------------------------------------------------------------------------------- report
mean_of() { # scenario server column(4 rps, 5 p50, 6 p99) -> mean over rounds
  awk -F'\t' -v sc="$1" -v s="$2" -v c="$3" '$1 == sc && $2 == s { t += $c; n++ } END { if (n) printf "%.2f", t / n }' "$RESULTS_TSV"
}

hits_table() {
  local s
  echo "| server | req/s (mean) | p50 ms | p99 ms | runs (req/s) | non-2xx + socket errors |"
  echo "|---|---|---|---|---|---|"
  for s in "$@"; do
    awk -F'\t' -v s="$s" '$2 == s && ($1 == "hits" || $1 == "redis") { n++; r += $4; p50 += $5; p99 += $6; bad += $7 + $8
        runs = runs (runs == "" ? "" : ", ") $4 }
      END { if (n) printf "| %s | %.0f | %.2f | %.2f | %s | %d |\n", s, r / n, p50 / n, p99 / n, runs, bad }' "$RESULTS_TSV"
  done
}

verdict() { if awk -v a="$1" -v b="$2" "BEGIN { exit !(a $3 b) }"; then echo "**pass**"; else echo "**miss**"; fi; }

write_report() {
  local section=$OUT/section-cache.md rps_c rps_n p99_c ratio hit_us cold_us cpu_ratio
  rps_c=$(mean_of hits cdnproxy 4); rps_n=$(mean_of hits nginx 4); p99_c=$(mean_of hits cdnproxy 6)
  ratio=$(awk -v a="$rps_c" -v b="$rps_n" 'BEGIN { printf "%.2f", a / b }')
  hit_us=$(awk -F'\t' '$1 == "hit" {print $4}' "$CPU_TSV"); cold_us=$(awk -F'\t' '$1 == "cold" {print $4}' "$CPU_TSV")
  cpu_ratio=$(awk -v h="$hit_us" -v c="$cold_us" 'BEGIN { printf "%.3f", h / c }')
  {
    echo "## Cache hits: in-process vs nginx static file, hot-key CPU, Redis"
    echo
    echo "Generated by \`bench/cache.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Raw output: \`bench/results/cache-$STAMP/\` (not committed)."
    echo
    echo "**Machine:** $(machine_summary); load average $LOAD when the run started. wrk and the servers share these CPUs."
    echo
    echo "**Versions:** .NET SDK $(dotnet --version 2>/dev/null || echo n/a), CdnProxy $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)'), $(nginx -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $(redis-server --version 2>/dev/null | cut -d' ' -f1-3 || echo 'redis-server n/a')."
    echo
    echo "**Rendition:** \`/v2/demo/$PATTERN/$IMAGE\`, $(stat -c %s "$OUT/nginx/html/rendition.jpg") bytes; rendered once, then served from CdnProxy's in-process cache (embedded default config, 256 MiB). nginx serves exactly those bytes (checked with \`cmp\`) as a static file."
    echo
    echo "**Commands** (both servers up during the whole run, $ROUNDS rounds, one server loaded at a time, order alternating):"
    echo
    echo '```'
    echo "${CMD[cdnproxy]}"
    echo "${CMD[nginx]}"
    echo "wrk -t$THREADS -c$CONNS -d${DUR}s --latency '${URL[cdnproxy]}'"
    echo "wrk -t$THREADS -c$CONNS -d${DUR}s --latency '${URL[nginx]}'"
    echo '```'
    echo
    hits_table cdnproxy nginx
    echo
    echo "| target | bound | measured | result |"
    echo "|---|---|---|---|"
    echo "| in-process hits vs nginx, req/s at $CONNS connections | ≥ 0.5× | ${ratio}× | $(verdict "$ratio" 0.5 '>=') |"
    echo "| in-process hits, p99 at $CONNS connections | < 5 ms | ${p99_c} ms | $(verdict "$p99_c" 5 '<') |"
    echo "| hot-key CPU per hit vs per cold render | ≤ 0.1× | ${cpu_ratio}× | $(verdict "$cpu_ratio" 0.1 '<=') |"
    echo
    echo "**Hot-key burst** (CPU time of the CdnProxy process from \`/proc/PID/stat\`, utime + stime, before and after each wrk run; clock tick $(getconf CLK_TCK) Hz):"
    echo
    echo "| phase | wrk | requests | server CPU ms | CPU µs / request |"
    echo "|---|---|---|---|---|"
    awk -F'\t' -v hc="$CONNS" -v hd="$BURST_DUR" -v cc="$COLD_CONNS" -v cd="$COLD_DUR" '
      $1 == "hit"  { printf "| cache hit (one hot key) | -c%s -d%ss | %d | %d | %.1f |\n", hc, hd, $2, $3, $4 }
      $1 == "cold" { printf "| cold render (unique ?v= per request) | -c%s -d%ss | %d | %d | %.1f |\n", cc, cd, $2, $3, $4 }' "$CPU_TSV"
    echo
    echo "A hit costs **$(awk -v h="$hit_us" -v c="$cold_us" 'BEGIN { printf "1/%.0f", c / h }')** of a cold render's CPU."
    echo
    echo "**Redis hits** (memory tier off, Redis tier on; $REDIS_STATUS):"
    echo
    if awk -F'\t' '$1 == "redis" { found = 1 } END { exit !found }' "$RESULTS_TSV"; then
      echo '```'
      echo "${CMD[redis]}"
      echo "${CMD[cdnproxy-redis]}"
      echo "wrk -t$THREADS -c$CONNS -d${DUR}s --latency '${URL[cdnproxy-redis]}'"
      echo '```'
      echo
      hits_table cdnproxy-redis
    else
      echo "No numbers yet. The phase starts a private redis-server and a CdnProxy with \`CdnProxy__Cache__Memory__MaxBytes=0\` and \`CdnProxy__Cache__Redis__Configuration=127.0.0.1:PORT\`, and runs only when \`GET /api/v1/stats\` reports a growing \`redisHits\`."
    fi
  } >"$section"
  write_section cache "$section"
  cat "$section"
  log "report written to ${DOC#"$ROOT"/} (section bench:cache)"
}

# ---------------------------------------------------------------------------------------------------- main
"$ROOT/scripts/setup.sh" --for-bench
for tool in wrk curl nginx dotnet cmp; do command -v "$tool" >/dev/null 2>&1 || die "$tool not found"; done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

publish_cdnproxy

# The embedded default configuration: in-process rendition cache on (256 MiB).
start_cdnproxy cdnproxy "$CDN_PORT"
wait_ready cdnproxy 60

read -r code timing <<<"$(fetch "${URL[cdnproxy]}" "$OUT/first.jpg")"
[ "$code" = 200 ] || die "CdnProxy answered HTTP $code for ${URL[cdnproxy]}"
log "first request (render): $timing"
read -r code timing <<<"$(fetch "${URL[cdnproxy]}" "$OUT/hit.jpg")"
[ "$code" = 200 ] || die "CdnProxy answered HTTP $code on the second request"
case "$timing" in *render*) die "the second request rendered again ($timing): the in-process cache is not on" ;; esac
log "second request (hit): $timing"
cmp -s "$OUT/first.jpg" "$OUT/hit.jpg" || die "the cache hit's bytes differ from the rendered ones"

start_nginx
mkdir -p "$OUT/nginx/html"
cp "$OUT/hit.jpg" "$OUT/nginx/html/rendition.jpg"
chmod a+r "$OUT/nginx/html/rendition.jpg"
wait_ready nginx 20
read -r code _ <<<"$(fetch "${URL[nginx]}" "$OUT/nginx-check.jpg")"
[ "$code" = 200 ] || die "nginx answered HTTP $code"
cmp -s "$OUT/nginx-check.jpg" "$OUT/hit.jpg" || die "nginx serves different bytes"

# Warm both (JIT is off in CdnProxy, but connections and caches warm up too).
for s in cdnproxy nginx; do wrk -t1 -c4 -d2s "${URL[$s]}" >/dev/null 2>&1 || true; done

hits_phase
burst_phase
redis_phase
write_report

#!/usr/bin/env bash
# Scale-out proof on this machine, one command, everything on loopback:
#   bench/scale-out.sh
# Starts one redis-server (no persistence, its own folder), one s3rver holding samples/ (bucket `originals`) and three
# CdnProxy processes sharing both: replicas A and B (memory + Redis tiers) and C (memory tier off, for Redis hits).
# Every process gets the same environment: cloud `demo` on the S3 origin, Redis, one random API key.
# Then it checks, prints and writes into docs/benchmarks.md (section bench:scale-out):
#   1. 500 concurrent identical requests for one uncached rendition, half to A and half to B: all 200 with identical
#      bytes, 1 render and 1 origin fetch in total (sum of both replicas' GET /api/v1/stats);
#   2. a rendition made by A is a Redis hit on B (B's redisHits +1, B's renders unchanged);
#   3. DELETE /api/v1/purge on A empties both replicas and Redis (B renders again; then A gets B's copy from Redis);
#   4. redis-server SIGKILLed during a steady stream of mixed requests over A and B: success ≥ 99.9 %; once a
#      replica's breaker is open, no request spends longer than the Redis timeout outside fetch + render + encode;
#      redis-server restarted on the same port → Redis hits again within BreakMilliseconds + RECOVER_SLACK seconds;
#   5. Redis-hit throughput: wrk against C (memory tier off), every answer a Redis hit.
# Exits non-zero when a claim fails. Every process started here is stopped on exit.
# Environment (all optional):
#   BURST=500             requests in claim 1          STREAM_SECONDS=12  KILL_AT=3  STREAM_CONCURRENCY=8
#   BREAK_MS=5000         breaker break (default config: 30000; shorter so the run stays under two minutes)
#   REDIS_TIMEOUT_MS=250  CdnProxy:Cache:Redis:TimeoutMilliseconds (the default)
#   RECOVER_SLACK=5       seconds allowed after the break for reconnecting
#   WRK_DUR=6 WRK_CONNS=64 THREADS=2   claim 5         BASE_PORT=9310 (first port tried for the replicas)
#   DOC=docs/benchmarks.md (only the bench:scale-out section is rewritten)
# Raw outputs: bench/results/scale-out-<timestamp>/ (git-ignored).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

BURST=${BURST:-500}
STREAM_SECONDS=${STREAM_SECONDS:-12}
KILL_AT=${KILL_AT:-3}
STREAM_CONCURRENCY=${STREAM_CONCURRENCY:-8}
BREAK_MS=${BREAK_MS:-5000}
REDIS_TIMEOUT_MS=${REDIS_TIMEOUT_MS:-250}
RECOVER_SLACK=${RECOVER_SLACK:-5}
WRK_DUR=${WRK_DUR:-6}
WRK_CONNS=${WRK_CONNS:-64}
THREADS=${THREADS:-2}
BASE_PORT=${BASE_PORT:-9310}
DOC=${DOC:-$ROOT/docs/benchmarks.md}
BUCKET=originals
S3RVER_JS=$ROOT/.native/s3rver/node_modules/s3rver/bin/s3rver.js
DRIVER=$ROOT/bench/scale-out/driver.mjs
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/results/scale-out-$STAMP
CLAIMS_TSV=$OUT/claims.tsv   # id  claim  measured  PASS|FAIL
mkdir -p "$OUT"
: >"$CLAIMS_TSV"
STARTED=$SECONDS

log() { printf '[bench:scale-out +%3ds] %s\n' $((SECONDS - STARTED)) "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

declare -A PID=() CMD=() LOGF=() READY=() BASE=()
# shellcheck source=bench/lib/servers.sh
. "$ROOT/bench/lib/servers.sh"
# shellcheck source=bench/lib/report.sh
. "$ROOT/bench/lib/report.sh"
trap stop_all EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------- helpers
claim() { # id text measured pass(0/1)
  local verdict=FAIL
  [ "$4" = 1 ] && verdict=PASS
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$verdict" >>"$CLAIMS_TSV"
  log "claim $1 $verdict: $2 -- $3"
}

is() { if awk "BEGIN { exit !($*) }"; then echo 1; else echo 0; fi; }   # is '3 <= 4' -> 1

wait_port() { # name port seconds
  local i
  for _ in $(seq 1 $(($3 * 10))); do
    ! port_free "$2" && return 0
    kill -0 "${PID[$1]}" 2>/dev/null || { tail -n 20 "${LOGF[$1]}" >&2 || true; die "$1 exited during start-up"; }
    sleep 0.1
  done
  die "$1 is not listening on port $2 after $3 s"
}

start_redis() {
  mkdir -p "$OUT/redis"
  LOGF[redis]=$OUT/redis.log
  CMD[redis]="redis-server --bind 127.0.0.1 --port $REDIS_PORT --save '' --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru --dir <temp>"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --maxmemory 256mb \
    --maxmemory-policy allkeys-lru --dir "$OUT/redis" >>"${LOGF[redis]}" 2>&1 </dev/null &
  PID[redis]=$!
  wait_port redis "$REDIS_PORT" 10
}

start_s3rver() {
  mkdir -p "$OUT/s3rver"
  LOGF[s3rver]=$OUT/s3rver.log
  CMD[s3rver]="node .native/s3rver/node_modules/s3rver/bin/s3rver.js -d <temp> -a 127.0.0.1 -p $S3_PORT --configure-bucket $BUCKET -s"
  node "$S3RVER_JS" -d "$OUT/s3rver" -a 127.0.0.1 -p "$S3_PORT" --configure-bucket "$BUCKET" -s \
    >"${LOGF[s3rver]}" 2>&1 </dev/null &
  PID[s3rver]=$!
  wait_port s3rver "$S3_PORT" 20
}

upload_samples() { # s3rver 3.7.1 accepts anonymous writes: a plain PUT per object, no signing needed here
  local f key code
  for f in samples/*.jpg samples/*.jpeg samples/*.png samples/*.gif samples/*.webp; do
    [ -f "$f" ] || continue
    key=$(basename "$f")
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary "@$f" "http://127.0.0.1:$S3_PORT/$BUCKET/$key")
    [ "$code" = 200 ] || die "upload of $key to s3rver answered HTTP $code"
  done
  # The burst/purge image also under a folder, as most real keys are.
  code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary @samples/photo-3mp-flower.jpg \
    "http://127.0.0.1:$S3_PORT/$BUCKET/photos/flower.jpg")
  [ "$code" = 200 ] || die "upload of photos/flower.jpg answered HTTP $code"
}

replica_environment() { # the configuration every CdnProxy process shares (printed in the report with the key hidden)
  printf '%s\n' \
    CdnProxy__Clouds__demo__Origin__Type=s3 \
    "CdnProxy__Clouds__demo__Origin__Bucket=$BUCKET" \
    "CdnProxy__Clouds__demo__Origin__ServiceUrl=http://127.0.0.1:$S3_PORT" \
    CdnProxy__Clouds__demo__Origin__AccessKey=S3RVER \
    CdnProxy__Clouds__demo__Origin__SecretKey=S3RVER \
    CdnProxy__Clouds__demo__Origin__ForcePathStyle=true \
    "CdnProxy__Cache__Redis__Configuration=127.0.0.1:$REDIS_PORT" \
    "CdnProxy__Cache__Redis__TimeoutMilliseconds=$REDIS_TIMEOUT_MS" \
    "CdnProxy__Cache__Redis__Breaker__BreakMilliseconds=$BREAK_MS" \
    "CdnProxy__Api__Keys__0=$API_KEY"
}

start_replica() { # name port [extra VAR=VALUE...]
  local name=$1 port=$2 environment
  shift 2
  mapfile -t environment < <(replica_environment)
  start_cdnproxy "$name" "$port" "${environment[@]}" "$@"
  CMD[$name]=${CMD[$name]//$API_KEY/<random key>}
  BASE[$name]="http://127.0.0.1:$port"
}

fetch() { # name path file -> prints the HTTP code; headers in FILE.headers
  curl -g -s -D "$3.headers" -o "$3" -w '%{http_code}' --max-time 30 "${BASE[$1]}$2" || echo 000
}

snapshot() { # name label -> $OUT/stats-LABEL-NAME.json
  curl -s --max-time 10 -H "x-api-key: $API_KEY" "${BASE[$1]}/api/v1/stats" >"$OUT/stats-$2-$1.json" \
    || die "GET /api/v1/stats on $1 failed"
}

counter() { # name label counter -> value from that snapshot
  jq -r ".counters.$3" "$OUT/stats-$2-$1.json"
}

delta() { # name from-label to-label counter
  echo $(($(counter "$1" "$3" "$4") - $(counter "$1" "$2" "$4")))
}

field() { jq -r "$2" "$1"; }   # file jq-filter

# ---------------------------------------------------------------------------------------------------- claims
# Warm each replica (JIT-free start-up aside: the S3 client, libvips, the Redis connection) on renditions not used below.
warm_up() {
  local name code
  for name in a b c; do
    code=$(fetch "$name" "/v2/demo/t.resize(w:48)/alpha-500-tulips.png?v=warm-$name" "$OUT/warm-$name.png")
    [ "$code" = 200 ] || die "warm-up request on $name answered HTTP $code (log: ${LOGF[$name]})"
  done
}

claim_burst() {
  BURST_PATH='/v2/demo/t.resize(w:640)~t.toFormat(f:webp,q:75)/photos/flower.jpg'
  snapshot a before-burst; snapshot b before-burst
  log "claim 1: $BURST concurrent requests for $BURST_PATH, half on A, half on B"
  node "$DRIVER" burst --targets "${BASE[a]},${BASE[b]}" --path "$BURST_PATH" --count "$BURST" >"$OUT/burst.json" \
    || die "the burst driver failed"
  snapshot a after-burst; snapshot b after-burst
  local ok digests renders fetches
  ok=$(field "$OUT/burst.json" .ok); digests=$(field "$OUT/burst.json" .digests)
  renders=$(($(delta a before-burst after-burst renders) + $(delta b before-burst after-burst renders)))
  fetches=$(($(delta a before-burst after-burst originFetches) + $(delta b before-burst after-burst originFetches)))
  BURST_FIGURES="$(jq -r '.perTarget | join(" + ")' "$OUT/burst.json") requests issued within $(field "$OUT/burst.json" .issueMs) ms; $ok/$BURST × 200, $digests distinct body, renders A+B = $renders ($(delta a before-burst after-burst renders)+$(delta b before-burst after-burst renders)), origin fetches = $fetches, lockWaits B+A = $(($(delta a before-burst after-burst lockWaits) + $(delta b before-burst after-burst lockWaits))), latency p50 $(field "$OUT/burst.json" .latency.p50) ms / max $(field "$OUT/burst.json" .latency.max) ms"
  claim 1 "$BURST concurrent identical requests over 2 replicas: all succeed, identical bytes, 1 render, 1 origin fetch" \
    "$BURST_FIGURES" "$(is "$ok == $BURST && $digests == 1 && $renders == 1 && $fetches == 1")"
}

claim_shared_hit() {
  SHARED_PATH='/v2/demo/t.resize(w:500)~t.toFormat(f:jpeg,q:80)/photos/flower.jpg'
  local code_a code_b
  code_a=$(fetch a "$SHARED_PATH" "$OUT/shared-a.jpg")
  snapshot b before-shared
  code_b=$(fetch b "$SHARED_PATH" "$OUT/shared-b.jpg")
  snapshot b after-shared
  local hits renders same=0
  hits=$(delta b before-shared after-shared redisHits); renders=$(delta b before-shared after-shared renders)
  cmp -s "$OUT/shared-a.jpg" "$OUT/shared-b.jpg" && same=1
  claim 2 "a rendition made by A is a Redis hit on B" \
    "A $code_a, B $code_b, same bytes: $([ $same = 1 ] && echo yes || echo no); B redisHits +$hits, B renders +$renders; B Server-Timing: $(timing "$OUT/shared-b.jpg")" \
    "$(is "$code_a == 200 && $code_b == 200 && $same == 1 && $hits == 1 && $renders == 0")"
}

timing() { grep -i '^server-timing:' "$1.headers" | cut -d: -f2- | tr -d '\r' | sed 's/^ *//' || true; }

claim_purge() {
  snapshot a before-purge; snapshot b before-purge
  local answer complete code_b code_a b_renders a_renders a_redis a_memory
  answer=$(curl -s --max-time 10 -X DELETE -H "x-api-key: $API_KEY" -H 'Content-Type: application/json' \
    -d '{"cloud":"demo","filePath":"photos/flower.jpg"}' "${BASE[a]}/api/v1/purge")
  complete=$(jq -r '.complete' <<<"$answer" 2>/dev/null || echo false)
  log "purge on A answered $answer"
  # B first: a render there proves B's memory and Redis were emptied; then A must get B's new copy from Redis,
  # which proves A's own memory copy was gone too.
  code_b=$(fetch b "$SHARED_PATH" "$OUT/purged-b.jpg")
  snapshot b after-purge
  code_a=$(fetch a "$SHARED_PATH" "$OUT/purged-a.jpg")
  snapshot a after-purge
  b_renders=$(delta b before-purge after-purge renders)
  a_renders=$(delta a before-purge after-purge renders); a_redis=$(delta a before-purge after-purge redisHits)
  a_memory=$(delta a before-purge after-purge memoryHits)
  claim 3 "purge on A empties both replicas' memory and Redis" \
    "answer $answer; then B $code_b renders +$b_renders; then A $code_a renders +$a_renders, redisHits +$a_redis, memoryHits +$a_memory" \
    "$(is "\"$complete\" == \"true\" && $code_b == 200 && $b_renders == 1 && $code_a == 200 && $a_renders == 0 && $a_redis == 1 && $a_memory == 0")"
}

claim_redis_throughput() {
  REDIS_PATH='/v2/demo/t.resize(w:300)~t.toFormat(f:jpeg,q:80)/photo-3mp-flower.jpg'
  local code f=$OUT/wrk-redis-hits.txt requests non2xx
  code=$(fetch a "$REDIS_PATH" "$OUT/redis-path-a.jpg")
  [ "$code" = 200 ] || die "A answered HTTP $code for $REDIS_PATH"
  snapshot c before-wrk
  WRK_CMD="wrk -t$THREADS -c$WRK_CONNS -d${WRK_DUR}s --latency '${BASE[c]}$REDIS_PATH'"
  log "claim 5: $WRK_CMD"
  wrk -t"$THREADS" -c"$WRK_CONNS" -d"${WRK_DUR}s" --latency "${BASE[c]}$REDIS_PATH" >"$f" 2>&1 || die "wrk failed (see $f)"
  snapshot c after-wrk
  requests=$(awk '/requests in/ {print $1}' "$f")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f"); non2xx=${non2xx:-0}
  REDIS_RPS=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  REDIS_P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
  REDIS_P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
  local hits renders memory
  hits=$(delta c before-wrk after-wrk redisHits); renders=$(delta c before-wrk after-wrk renders)
  memory=$(delta c before-wrk after-wrk memoryHits)
  claim 5 "Redis hits (memory tier off): every answer from Redis" \
    "$REDIS_RPS req/s, p50 $REDIS_P50 ms, p99 $REDIS_P99 ms at $WRK_CONNS connections; $requests requests, non-2xx $non2xx; C redisHits +$hits, memoryHits +$memory, renders +$renders" \
    "$(is "$non2xx == 0 && $requests > 0 && $hits >= $requests && $renders == 0 && $memory == 0")"
}

claim_redis_killed() {
  local hot=() image width
  # Hot renditions made by A: B's first request for each is a Redis hit, later ones are memory hits.
  for image in alpha-500-tulips.png rose-lossy-alpha.webp cmyk-video001.jpeg photo-3mp-flower.jpg; do
    for width in 90 180; do
      hot+=("/v2/demo/t.resize(w:$width)/$image")
      [ "$(fetch a "${hot[-1]}" "$OUT/hot.bin")" = 200 ] || die "A could not render ${hot[-1]}"
    done
  done
  local hot_list fresh='/v2/demo/t.resize(w:120)~t.toFormat(f:jpeg)/alpha-500-tulips.png?v=stream-{n}'
  hot_list=$(IFS=,; echo "${hot[*]}")
  snapshot a before-stream; snapshot b before-stream
  STREAM_CMD="node bench/scale-out/driver.mjs stream --targets A,B --seconds $STREAM_SECONDS --concurrency $STREAM_CONCURRENCY --hot-share 0.7 --kill-at $KILL_AT (8 hot renditions, fresh: $fresh)"
  log "claim 4: $STREAM_CMD; redis-server (pid ${PID[redis]}) gets SIGKILL at ${KILL_AT}s"
  node "$DRIVER" stream --targets "${BASE[a]},${BASE[b]}" --seconds "$STREAM_SECONDS" --concurrency "$STREAM_CONCURRENCY" \
    --hot "$hot_list" --fresh "$fresh" --hot-share 0.7 --api-key "$API_KEY" --kill-pid "${PID[redis]}" --kill-at "$KILL_AT" \
    >"$OUT/stream.json" || die "the stream driver failed"
  wait "${PID[redis]}" 2>/dev/null || true
  snapshot a after-stream; snapshot b after-stream
  local s=$OUT/stream.json success open_a open_b tiers
  success=$(field "$s" .successPercent)
  open_a=$(field "$s" '.breakerOpenAfterKillMs[0]'); open_b=$(field "$s" '.breakerOpenAfterKillMs[1]')
  tiers=$(field "$s" .afterOpen.cacheTiers.max)
  STREAM_FIGURES="$(field "$s" .requests) requests ($(field "$s" .rps) req/s, $(field "$s" .freshRenditions) fresh renditions), $success % succeeded ($(jq -c .statuses "$s"))"
  claim 4a "Redis SIGKILLed mid-load: success ≥ 99.9 %" "$STREAM_FIGURES" "$(is "$success >= 99.9")"
  STREAM_WINDOWS=$(jq -r '["before the kill", .beforeKill], ["kill → breaker open", .killToOpen], ["breaker open → end", .afterOpen]
    | "| \(.[0]) | \(.[1].count) | \(.[1].ok) | \(.[1].p50) | \(.[1].p99) | \(.[1].max) | \(.[1].cacheTiers.p99) | \(.[1].cacheTiers.max) |"' "$s")
  claim 4b "once a replica's breaker is open, no request waits on Redis longer than the timeout ($REDIS_TIMEOUT_MS ms)" \
    "breaker seen open $open_a ms (A) / $open_b ms (B) after the kill; after that $(field "$s" .afterOpen.count) requests: time in the cache tiers max $tiers ms (p99 $(field "$s" .afterOpen.cacheTiers.p99) ms); latency p99 $(field "$s" .afterOpen.p99) ms, max $(field "$s" .afterOpen.max) ms (before the kill: p99 $(field "$s" .beforeKill.p99) ms, max $(field "$s" .beforeKill.max) ms)" \
    "$(is "\"$open_a\" != \"null\" && \"$open_b\" != \"null\" && $tiers <= $REDIS_TIMEOUT_MS")"
  claim_redis_back
}

claim_redis_back() {
  local restarted n=0 elapsed=-1 limit=$((BREAK_MS / 1000 + RECOVER_SLACK)) hits_before hits_now
  start_redis
  restarted=$(date +%s%N)
  log "redis-server restarted on port $REDIS_PORT (pid ${PID[redis]}); a fresh rendition on A, then on B, every 250 ms"
  snapshot b before-recovery
  hits_before=$(counter b before-recovery redisHits)
  while [ $(( ($(date +%s%N) - restarted) / 1000000000 )) -lt $((limit + 5)) ]; do
    n=$((n + 1))
    fetch a "/v2/demo/t.resize(w:100)/alpha-500-tulips.png?v=recover-$n" "$OUT/recover.png" >/dev/null
    fetch b "/v2/demo/t.resize(w:100)/alpha-500-tulips.png?v=recover-$n" "$OUT/recover.png" >/dev/null
    snapshot b recovery
    hits_now=$(counter b recovery redisHits)
    if [ "$hits_now" -gt "$hits_before" ]; then elapsed=$(( ($(date +%s%N) - restarted) / 1000000 )); break; fi
    sleep 0.25
  done
  claim 4c "redis-server restarted on the same port: Redis hits again within ${limit} s (break ${BREAK_MS} ms + ${RECOVER_SLACK} s)" \
    "$([ "$elapsed" -ge 0 ] && echo "B's redisHits grew $elapsed ms after the restart ($n attempts)" || echo "no Redis hit on B within $((limit + 5)) s")" \
    "$(is "$elapsed >= 0 && $elapsed <= $limit * 1000")"
}

# ---------------------------------------------------------------------------------------------------- report
write_report() {
  local section=$OUT/section-scale-out.md
  {
    echo "## Scale-out: two replicas, one Redis, an S3 origin"
    echo
    echo "Generated by \`bench/scale-out.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') in $((SECONDS - STARTED)) s. Raw output: \`bench/results/scale-out-$STAMP/\` (not committed)."
    echo
    echo "**Machine:** $(machine_summary); load average $LOAD when the run started. The load driver, wrk, Redis, s3rver and three CdnProxy processes share these CPUs."
    echo
    echo "**Versions:** .NET SDK $(dotnet --version 2>/dev/null || echo n/a), CdnProxy $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)'), $(redis-server --version | cut -d' ' -f1-3), s3rver $(jq -r .version "$ROOT/.native/s3rver/node_modules/s3rver/package.json"), node $(node --version), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)."
    echo
    echo "**Processes** (replicas A and B: default memory tier; C: \`CdnProxy__Cache__Memory__MaxBytes=0\`; all three share this environment; the breaker's break is ${BREAK_MS} ms instead of the default 30 s so the run stays short):"
    echo
    echo '```'
    echo "${CMD[redis]}"
    echo "${CMD[s3rver]}   # samples/ uploaded with curl -X PUT"
    replica_environment | sed "s/$API_KEY/<random key>/"
    echo ".artifacts/publish/CdnProxy.Server --urls http://127.0.0.1:{A,B,C port}"
    echo '```'
    echo
    echo "| # | claim | measured | result |"
    echo "|---|---|---|---|"
    sort -V "$CLAIMS_TSV" | awk -F'\t' '{ printf "| %s | %s | %s | **%s** |\n", $1, $2, $3, $4 }'
    echo
    echo "**Claim 4 by window** (latencies in ms at the client; *cache tiers* = the \`Server-Timing\` stages \`cache\` + \`lock\` + \`store\`, the time a request spent looking up, locking and storing in memory and Redis):"
    echo
    echo "| window | requests | 200 | p50 | p99 | max | cache tiers p99 | cache tiers max |"
    echo "|---|---|---|---|---|---|---|---|"
    echo "$STREAM_WINDOWS"
    echo
    echo "Load: claim 1 \`node bench/scale-out/driver.mjs burst\` ($BURST requests issued in one tick over $BURST pre-opened keep-alive connections, alternating A/B; path \`$BURST_PATH\`); claim 4 \`$STREAM_CMD\`; claim 5 \`$WRK_CMD\`."
  } >"$section"
  write_section scale-out "$section"
  log "report written to ${DOC#"$ROOT"/} (section bench:scale-out)"
}

print_summary() {
  echo
  echo "Scale-out proof ($(machine_summary); load $LOAD)"
  sort -V "$CLAIMS_TSV" | awk -F'\t' '{ printf "  %-4s %-4s %s\n         %s\n", $1, $4, $2, $3 }'
  if grep -q $'\tFAIL$' "$CLAIMS_TSV"; then echo "RESULT: FAIL"; else echo "RESULT: PASS (all claims)"; fi
}

# ---------------------------------------------------------------------------------------------------- main
"$ROOT/scripts/setup.sh" --for-bench >"$OUT/setup.log" 2>&1 || { tail -n 20 "$OUT/setup.log" >&2; die "scripts/setup.sh --for-bench failed"; }
for tool in redis-server node wrk curl jq dotnet cmp; do command -v "$tool" >/dev/null 2>&1 || die "$tool not found"; done
[ -f "$S3RVER_JS" ] || die "s3rver is not installed in .native/s3rver"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

publish_cdnproxy

API_KEY="scale-out-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d " \n")"   # the server wants ≥ 32 characters
REDIS_PORT=$(free_port 6390); start_redis
S3_PORT=$(free_port 4570); start_s3rver
upload_samples
log "redis-server on $REDIS_PORT, s3rver on $S3_PORT (bucket $BUCKET, samples uploaded)"
port_a=$(free_port "$BASE_PORT"); port_b=$(free_port $((port_a + 1))); port_c=$(free_port $((port_b + 1)))
start_replica a "$port_a"
start_replica b "$port_b"
start_replica c "$port_c" CdnProxy__Cache__Memory__MaxBytes=0
for name in a b c; do wait_ready "$name" 90; done
warm_up

claim_burst
claim_shared_hit
claim_purge
claim_redis_throughput   # before claim 4, which kills Redis
claim_redis_killed
write_report
print_summary
! grep -q $'\tFAIL$' "$CLAIMS_TSV"

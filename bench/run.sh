#!/usr/bin/env bash
# Side-by-side HTTP benchmark: CdnProxy against the sharp peer, same image, same job, same concurrency, one run.
#   bench/run.sh
# Environment (all optional):
#   DUR=15        seconds per wrk run          ROUNDS=2      runs per server (order alternates every round)
#   CONNS=4       wrk connections              THREADS=2     wrk threads
#   SERVERS="cdnproxy sharp"                   run only some servers, e.g. SERVERS=sharp
#   CDN_PORT=9200 SHARP_PORT=9100              loopback ports
#   DOC=docs/benchmarks.md                     report file (only the generated section is rewritten)
# Raw outputs: bench/results/<timestamp>/ (git-ignored). Everything runs on 127.0.0.1; every process this script
# starts is recorded by PID and stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

DUR=${DUR:-15}
ROUNDS=${ROUNDS:-2}
CONNS=${CONNS:-4}
THREADS=${THREADS:-2}
SERVERS=${SERVERS:-cdnproxy sharp}
CDN_PORT=${CDN_PORT:-9200}
SHARP_PORT=${SHARP_PORT:-9100}
DOC=${DOC:-$ROOT/docs/benchmarks.md}
IMAGE=photo-3mp-flower.jpg
WIDTH=300
PEER_DIR=$ROOT/bench/peers/sharp
SERVER_DLL=$ROOT/src/CdnProxy.Server/bin/Release/net10.0/CdnProxy.Server.dll
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/results/$STAMP
RESULTS_TSV=$OUT/results.tsv   # scenario  server  round  req/s  p50_ms  p99_ms  non2xx  socket_errors
mkdir -p "$OUT"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# ---------------------------------------------------------------------------------------------------- servers
# name -> pid / url / start command (filled in when started)
declare -A PID=() URL=() CMD=() LOGF=() READY=()
# shellcheck source=bench/lib/servers.sh
. "$ROOT/bench/lib/servers.sh"
URL[cdnproxy]="http://127.0.0.1:$CDN_PORT/v2/demo/t.resize(w:$WIDTH)~t.toFormat(f:jpeg,q:80)/$IMAGE"
URL[sharp]="http://127.0.0.1:$SHARP_PORT/resize?w=$WIDTH&src=$IMAGE"
READY[sharp]="http://127.0.0.1:$SHARP_PORT/"   # any HTTP answer (404) means it is listening

trap stop_all EXIT
trap 'exit 130' INT TERM

start_sharp() {
  port_free "$SHARP_PORT" || die "port $SHARP_PORT is already in use"
  LOGF[sharp]=$OUT/sharp.log
  CMD[sharp]="IMG_ROOT=samples PORT=$SHARP_PORT node bench/peers/sharp/server.js"
  (
    cd "$PEER_DIR"
    export IMG_ROOT="$ROOT/samples" PORT="$SHARP_PORT" HOST=127.0.0.1
    exec node "$PEER_DIR/server.js"
  ) >"${LOGF[sharp]}" 2>&1 </dev/null &
  PID[sharp]=$!
}

# ---------------------------------------------------------------------------------------------------- checks
jpeg_size() { # file -> "WIDTHxHEIGHT" from the JPEG SOF header
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
if d[:2] != b'\xff\xd8': sys.exit(1)
i = 2
while i + 9 < len(d):
    if d[i] != 0xFF: i += 1; continue
    m = d[i + 1]
    if m in (0xD8, 0x01) or 0xD0 <= m <= 0xD7: i += 2; continue
    seg = struct.unpack('>H', d[i + 2:i + 4])[0]
    if m in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
        h, w = struct.unpack('>HH', d[i + 5:i + 9]); print(f'{w}x{h}'); sys.exit(0)
    i += 2 + seg
sys.exit(1)
PY
  else
    file -b "$1" | grep -oE 'precision [0-9]+, [0-9]+x[0-9]+' | grep -oE '[0-9]+x[0-9]+$'
  fi
}

verify() { # name: 200, image/jpeg, WIDTH px wide
  local name=$1 body=$OUT/verify-$1.jpg hdr=$OUT/verify-$1.headers code ctype size
  code=$(curl -g -s -D "$hdr" -o "$body" -w '%{http_code}' --max-time 30 "${URL[$name]}" || true)
  ctype=$(grep -i '^content-type:' "$hdr" | tail -n 1 | cut -d: -f2- | tr -d ' \r' || true)
  size=$(jpeg_size "$body" || true)
  log "$name: HTTP $code, $ctype, ${size:-not a JPEG}, $(stat -c %s "$body" 2>/dev/null || echo 0) bytes"
  [ "$code" = 200 ] || die "$name answered HTTP $code for ${URL[$name]} (see $body)"
  case "$ctype" in image/jpeg*) ;; *) die "$name answered Content-Type '$ctype', expected image/jpeg" ;; esac
  [ "${size%%x*}" = "$WIDTH" ] || die "$name returned an image ${size:-of unknown size}, expected width $WIDTH"
}

# ---------------------------------------------------------------------------------------------------- load
warm_up() { # name
  local i
  for i in $(seq 1 20); do curl -g -s -o /dev/null --max-time 30 "${URL[$1]}" || true; done
}

# ---------------------------------------------------------------------------------------------------- report
# Markdown for one scenario from results.tsv: one row per server (mean of its rounds) plus the CdnProxy/sharp ratios.
render_scenario_table() { # scenario
  awk -F'\t' -v sc="$1" -v rssfile="$OUT/rss.tsv" -v order="$SERVERS" '
    BEGIN {
      while ((getline line < rssfile) > 0) { split(line, r, "\t"); rss[r[1]] = r[2] }
      ns = split(order, names, " ")
    }
    $1 == sc { n[$2]++; rps[$2] += $4; p50[$2] += $5; p99[$2] += $6; bad[$2] += $7 + $8
               runs[$2] = runs[$2] (runs[$2] == "" ? "" : ", ") $4 }
    END {
      print "| server | req/s (mean) | p50 ms | p99 ms | peak RSS MiB (VmHWM) | runs (req/s) | non-2xx + socket errors |"
      print "|---|---|---|---|---|---|---|"
      for (i = 1; i <= ns; i++) { s = names[i]; if (!n[s]) continue
        printf "| %s | %.1f | %.1f | %.1f | %s | %s | %d |\n", s, rps[s] / n[s], p50[s] / n[s], p99[s] / n[s], rss[s], runs[s], bad[s] }
      if (n["cdnproxy"] && n["sharp"]) {
        printf "\nRatios CdnProxy / sharp: **req/s %.2f**", (rps["cdnproxy"] / n["cdnproxy"]) / (rps["sharp"] / n["sharp"])
        if (rss["cdnproxy"] + 0 > 0 && rss["sharp"] + 0 > 0) printf ", **peak RSS %.2f**", rss["cdnproxy"] / rss["sharp"]
        printf " (p50 %.2f, p99 %.2f).\n", (p50["cdnproxy"] / n["cdnproxy"]) / (p50["sharp"] / n["sharp"]), (p99["cdnproxy"] / n["cdnproxy"]) / (p99["sharp"] / n["sharp"])
      }
    }' "$RESULTS_TSV"
}

# Replace the text between <!-- bench:NAME:start --> and <!-- bench:NAME:end --> in DOC with the contents of a file;
# create DOC, or append the markers, when they are missing. Other sections and hand-written text are kept.
# shellcheck source=bench/lib/report.sh
. "$ROOT/bench/lib/report.sh"

versions() {
  local sharp_versions="n/a" cdn_vips="n/a" runtime
  runtime=$(dotnet --list-runtimes 2>/dev/null | awk '/^Microsoft.AspNetCore.App/ {v = $2} END {print v}')
  if [ -d "$PEER_DIR/node_modules/sharp" ]; then
    sharp_versions=$(cd "$PEER_DIR" && node -e 'const s = require("sharp"); console.log("sharp " + s.versions.sharp + ", libvips " + s.versions.vips)' 2>/dev/null || echo n/a)
  fi
  local so; so=$(find "$ROOT/.native/libvips/lib" -maxdepth 1 -name 'libvips-cpp.so.*' 2>/dev/null | head -n 1 || true)
  if [ -n "$so" ]; then
    cdn_vips="libvips ${so##*libvips-cpp.so.} (npm package $(awk -F'"' '/"name"/ {n = $4} /"version"/ {v = $4} END {print n "@" v}' "$ROOT/.native/libvips/package.json"), loaded through CDNPROXY_LIBVIPS)"
  elif dpkg -s libvips42 >/dev/null 2>&1; then
    cdn_vips="libvips $(dpkg-query -W -f='${Version}' libvips42) (Debian libvips42)"
  fi
  echo "- .NET SDK $(dotnet --version 2>/dev/null || echo n/a), ASP.NET Core runtime ${runtime:-n/a}"
  [[ " $SERVERS " != *" cdnproxy "* ]] || echo "- CdnProxy: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)'), $cdn_vips"
  echo "- Node.js $(node --version 2>/dev/null || echo n/a); sharp peer: $sharp_versions"
  echo "- $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
}

# ---------------------------------------------------------------------------------------------------- main
for s in $SERVERS; do
  case "$s" in cdnproxy|sharp) ;; *) die "unknown server '$s' in SERVERS (use cdnproxy and/or sharp)" ;; esac
done

"$ROOT/scripts/setup.sh" --for-bench
for tool in wrk curl node npm dotnet; do command -v "$tool" >/dev/null 2>&1 || die "$tool not found"; done

if [[ " $SERVERS " == *" sharp "* ]]; then
  lock_sum=$(sha256sum "$PEER_DIR/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$PEER_DIR/node_modules/.lock-sha256" 2>/dev/null || true)" != "$lock_sum" ]; then
    log "npm ci in bench/peers/sharp"
    (cd "$PEER_DIR" && npm ci --silent --no-audit --no-fund >"$OUT/npm-ci.log" 2>&1) || { cat "$OUT/npm-ci.log" >&2; die "npm ci failed"; }
    echo "$lock_sum" >"$PEER_DIR/node_modules/.lock-sha256"
  fi
fi

if [[ " $SERVERS " == *" cdnproxy "* ]]; then
  log "dotnet build -c Release src/CdnProxy.Server"
  dotnet build -c Release "$ROOT/src/CdnProxy.Server" -nologo -v q -tl:off >"$OUT/build.log" 2>&1 \
    || { tail -n 40 "$OUT/build.log" >&2; die "dotnet build of src/CdnProxy.Server failed (full log: $OUT/build.log)"; }
fi

for s in $SERVERS; do
  case "$s" in cdnproxy) start_cdnproxy cdnproxy "$CDN_PORT" CdnProxy__Cache__Memory__MaxBytes=0 ;; sharp) start_sharp ;; esac
done
for s in $SERVERS; do
  case "$s" in cdnproxy) wait_ready "$s" 60 ;; sharp) wait_ready "$s" 30 "[1-5]??" ;; esac
done
for s in $SERVERS; do verify "$s"; done
for s in $SERVERS; do warm_up "$s"; done

# Scenario "render": the hot path, every request decodes, resizes and encodes (no cache on either side).
read -r -a order <<<"$SERVERS"
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then list=("${order[@]}"); else list=(); for ((i = ${#order[@]} - 1; i >= 0; i--)); do list+=("${order[$i]}"); done; fi
  for s in "${list[@]}"; do run_wrk render "$s" "$round"; done
done

: >"$OUT/rss.tsv"
for s in $SERVERS; do
  kill -0 "${PID[$s]}" 2>/dev/null || die "$s (pid ${PID[$s]}) died during the benchmark; see ${LOGF[$s]}"
  printf '%s\t%s\n' "$s" "$(peak_rss_mib "${PID[$s]}")" >>"$OUT/rss.tsv"
done
server_timing=""
if [[ " $SERVERS " == *" cdnproxy "* ]]; then
  server_timing=$(grep -i '^server-timing:' "$OUT/verify-cdnproxy.headers" | cut -d: -f2- | tr -d '\r' | sed 's/^ *//' || true)
fi

section=$OUT/section-render.md
{
  echo "## Render hot path: ${IMAGE} → ${WIDTH} px JPEG q80, no cache"
  echo
  echo "Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Raw output: \`bench/results/$STAMP/\` (not committed)."
  echo
  echo "**Machine:** $(machine_summary). wrk and the servers share these CPUs, so the numbers are per box, not per core."
  echo
  echo "**Versions:**"
  versions
  echo
  echo "**Commands** (servers on loopback, each checked to answer 200 image/jpeg ${WIDTH} px wide and warmed up with 20 requests; $ROUNDS rounds of wrk, one server at a time while the other idles, order alternating between rounds):"
  echo
  echo '```'
  for s in $SERVERS; do echo "${CMD[$s]}"; done
  for s in $SERVERS; do echo "wrk -t$THREADS -c$CONNS -d${DUR}s --latency '${URL[$s]}'"; done
  echo '```'
  echo
  render_scenario_table render
  echo
  echo "Peak RSS is the process's VmHWM (\`/proc/PID/status\`) read after all rounds; p50/p99 are means over the rounds."
  if [ -n "$server_timing" ]; then echo "CdnProxy's \`Server-Timing\` for the check request: \`$server_timing\`."; fi
} >"$section"

write_section render "$section"
cat "$section"
log "report written to ${DOC#"$ROOT"/} (section bench:render)"

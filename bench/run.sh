#!/usr/bin/env bash
# Side-by-side render benchmark: CdnProxy against the sharp peer (bench/peers/sharp), same images, same work, same
# concurrency, in one run, with every request a different URL unless a scenario says otherwise.
#   bench/run.sh
# Scenarios (SCENARIOS to pick some):
#   fixed300    3 MP JPEG → 300 px JPEG q80                      every request a distinct URL (?v=N)
#   srcset      3 MP JPEG → width 250–1249, quality 70–89        every request a distinct URL
#   webp        3 MP JPEG → width 400–799 WebP q80               every request a distinct URL
#   avif        3 MP JPEG → width 400–799 AVIF q50 (effort 1)    every request a distinct URL
#   png-alpha   3 MP RGBA PNG → width 400–799 PNG (alpha kept)   every request a distinct URL
#   jpeg16mp    16 MP progressive JPEG → width 250–1249 JPEG     every request a distinct URL
#   single1249  3 MP JPEG → 1249 px JPEG, ONE connection: the latency of a render on an otherwise idle server
#   coalescing  3 MP JPEG → 300 px, the SAME URL over 4 connections: CdnProxy merges concurrent identical
#               requests, sharp renders each. A coalescing figure, not render throughput.
# Environment: DUR=5 (s per run) ROUNDS=6 (order alternates: short alternating runs average out a shared box's drift,
#   which moved one server's req/s by 15–30 % between 10-s runs minutes apart) CONNS=4 THREADS=2 SERVERS="cdnproxy sharp"
#   CDN_PORT=9200 SHARP_PORT=9100 DOC=docs/benchmarks.md
# Per run: req/s, p50/p99 (wrk), CPU ms per render (utime+stime of the server process over the run / requests), peak
# RSS (VmHWM, reset before each run; both servers restarted for every scenario). CdnProxy runs with its memory cache off, so it renders every request as sharp
# does. Raw output: bench/results/<timestamp>/ (git-ignored). Everything on 127.0.0.1; processes stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

DUR=${DUR:-5}
ROUNDS=${ROUNDS:-6}
CONNS=${CONNS:-4}
THREADS=${THREADS:-2}
SERVERS=${SERVERS:-cdnproxy sharp}
SCENARIOS=${SCENARIOS:-fixed300 srcset webp avif png-alpha jpeg16mp single1249 coalescing}
CDN_PORT=${CDN_PORT:-9200}
SHARP_PORT=${SHARP_PORT:-9100}
DOC=${DOC:-$ROOT/docs/benchmarks.md}
PEER_DIR=$ROOT/bench/peers/sharp
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/results/$STAMP
RESULTS_TSV=$OUT/results.tsv # scenario server round req/s p50_ms p99_ms cpu_ms_per_req peak_rss_mib errors
mkdir -p "$OUT/origin"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

declare -A PID=() URL=() CMD=() LOGF=() READY=()
# shellcheck source=bench/lib/servers.sh
. "$ROOT/bench/lib/servers.sh"
# shellcheck source=bench/lib/report.sh
. "$ROOT/bench/lib/report.sh"
trap stop_all EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------- scenarios
# name -> "IMAGE|FORMAT|QUALITY-RANGE|WIDTH-RANGE|CONNECTIONS|DISTINCT(yes/no)"
declare -A SCENARIO=(
  [fixed300]="photo-3mp-flower.jpg|jpeg|80 80|300 300|$CONNS|yes"
  [srcset]="photo-3mp-flower.jpg|jpeg|70 89|250 1249|$CONNS|yes"
  [webp]="photo-3mp-flower.jpg|webp|80 80|400 799|$CONNS|yes"
  [avif]="photo-3mp-flower.jpg|avif|50 50|400 799|$CONNS|yes"
  [png-alpha]="alpha-3mp.png|png|80 80|400 799|$CONNS|yes"
  [jpeg16mp]="photo-16mp-seeding.jpg|jpeg|80 80|250 1249|$CONNS|yes"
  [single1249]="photo-3mp-flower.jpg|jpeg|80 80|1249 1249|1|yes"
  [coalescing]="photo-3mp-flower.jpg|jpeg|80 80|300 300|$CONNS|no"
)
field() { cut -d'|' -f"$2" <<<"${SCENARIO[$1]}"; }

path_template() { # server scenario -> path with {w} {q} {v}
  local image format v=""; image=$(field "$2" 1); format=$(field "$2" 2)
  if [ "$(field "$2" 6)" = yes ]; then v="v={v}"; fi
  case "$1" in
    cdnproxy) echo "/v2/bench/t.resize(w:{w})~t.toFormat(f:$format,q:{q})/$image${v:+?$v}" ;;
    sharp) echo "/resize?w={w}&q={q}&f=$format&src=$image${v:+&$v}" ;;
  esac
}

port_of() { case "$1" in cdnproxy) echo "$CDN_PORT" ;; sharp) echo "$SHARP_PORT" ;; esac; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run_scenario() { # scenario server round
  local sc=$1 name=$2 round=$3 f pid conns template t0 t1 n rps p50 p99 errors widths quality
  f=$OUT/wrk-$sc-$name-r$round.txt
  pid=${PID[$name]}
  conns=$(field "$sc" 5)
  template=$(path_template "$name" "$sc")
  read -r -a widths <<<"$(field "$sc" 4)"
  read -r -a quality <<<"$(field "$sc" 3)"
  echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true # resets VmHWM: the peak is this run's
  t0=$(cpu_ticks "$pid")
  wrk -t"$([ "$conns" -lt "$THREADS" ] && echo "$conns" || echo "$THREADS")" -c"$conns" -d"${DUR}s" --latency --timeout 30s \
    -s "$ROOT/bench/lib/distinct.lua" "http://127.0.0.1:$(port_of "$name")" -- "$template" \
    "${widths[0]}" "${widths[1]}" "${quality[0]}" "${quality[1]}" >"$f" 2>&1 || die "wrk failed (see $f)"
  t1=$(cpu_ticks "$pid")
  n=$(awk '/requests in/ {print $1}' "$f")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
  errors=$(awk '/Non-2xx or 3xx responses:/ {e += $NF} /Socket errors:/ {gsub(/[^0-9 ]/, " "); e += $1 + $2 + $3 + $4} END {print e + 0}' "$f")
  [ -n "$rps" ] && [ "${n:-0}" -gt 0 ] || die "could not read wrk output $f"
  local cpu; cpu=$(awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) * 1000 / hz / n}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$sc" "$name" "$round" "$rps" "$p50" "$p99" "$cpu" "$(peak_rss_mib "$pid")" "$errors" >>"$RESULTS_TSV"
  log "  $sc / $name r$round: $rps req/s, p50 $p50 ms, p99 $p99 ms, $cpu ms CPU per render, errors $errors"
}

verify() { # scenario server: 200 and the scenario's content type
  local sc=$1 name=$2 url code ctype
  url="http://127.0.0.1:$(port_of "$name")$(path_template "$name" "$sc" | sed "s/{w}/$(field "$sc" 4 | cut -d' ' -f1)/; s/{q}/$(field "$sc" 3 | cut -d' ' -f1)/; s/{v}/check/")"
  read -r code ctype < <(curl -g -s -o "$OUT/check-$sc-$name.bin" -w '%{http_code} %{content_type}\n' --max-time 60 "$url")
  [ "$code" = 200 ] || die "$name answered $code for $url"
  [ "$ctype" = "image/$(field "$sc" 2)" ] || die "$name answered $ctype for $url"
}

# ---------------------------------------------------------------------------------------------------- set-up
"$ROOT/scripts/setup.sh" --for-bench
for tool in wrk curl node npm dotnet python3; do command -v "$tool" >/dev/null 2>&1 || die "$tool not found"; done
lock_sum=$(sha256sum "$PEER_DIR/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$PEER_DIR/node_modules/.lock-sha256" 2>/dev/null || true)" != "$lock_sum" ]; then
  log "npm ci in bench/peers/sharp"
  (cd "$PEER_DIR" && npm ci --silent --no-audit --no-fund >"$OUT/npm-ci.log" 2>&1) || { cat "$OUT/npm-ci.log" >&2; die "npm ci failed"; }
  echo "$lock_sum" >"$PEER_DIR/node_modules/.lock-sha256"
fi
cp samples/photo-3mp-flower.jpg bench/images/photo-16mp-seeding.jpg "$OUT/origin/"
# The RGBA PNG: the 3 MP photo with a left-to-right alpha ramp (made with the peer's sharp; not committed).
(cd "$PEER_DIR" && node -e '
  const sharp = require("sharp");
  (async () => {
    const { data, info } = await sharp(process.argv[1]).raw().toBuffer({ resolveWithObject: true });
    const rgba = Buffer.alloc(info.width * info.height * 4);
    for (let i = 0, p = 0; i < info.width * info.height; i++) {
      rgba[p++] = data[i * 3]; rgba[p++] = data[i * 3 + 1]; rgba[p++] = data[i * 3 + 2]; rgba[p++] = (i % info.width) * 255 / info.width;
    }
    await sharp(rgba, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toFile(process.argv[2]);
  })();' "$OUT/origin/photo-3mp-flower.jpg" "$OUT/origin/alpha-3mp.png") || die "could not make the RGBA PNG"

publish_cdnproxy

# Fresh servers for every scenario: memory one scenario leaves behind (allocator arenas, a library's own cache) must
# not count in the next one's peak RSS, for either server.
start_servers() {
  for s in $SERVERS; do
    case "$s" in
      cdnproxy)
        start_cdnproxy cdnproxy "$CDN_PORT" CdnProxy__Cache__Memory__MaxBytes=0 \
          CdnProxy__Clouds__bench__Origin__Type=local "CdnProxy__Clouds__bench__Origin__Root=$OUT/origin" ;;
      sharp)
        port_free "$SHARP_PORT" || die "port $SHARP_PORT is already in use"
        LOGF[sharp]=$OUT/sharp.log
        CMD[sharp]="IMG_ROOT=<origin> PORT=$SHARP_PORT node bench/peers/sharp/server.js"
        (cd "$PEER_DIR" && IMG_ROOT="$OUT/origin" PORT="$SHARP_PORT" HOST=127.0.0.1 exec node "$PEER_DIR/server.js") >"${LOGF[sharp]}" 2>&1 </dev/null &
        PID[sharp]=$!
        READY[sharp]="http://127.0.0.1:$SHARP_PORT/" ;;
      *) die "unknown server $s" ;;
    esac
  done
  for s in $SERVERS; do case "$s" in cdnproxy) wait_ready "$s" 60 ;; sharp) wait_ready "$s" 30 "[1-5]??" ;; esac; done
}

# ---------------------------------------------------------------------------------------------------- runs
read -r -a order <<<"$SERVERS"
for sc in $SCENARIOS; do
  [ -n "${SCENARIO[$sc]:-}" ] || die "unknown scenario $sc"
  start_servers
  for s in $SERVERS; do verify "$sc" "$s"; done
  # Warm-up, the same distinct-URL load for 3 s (libvips' first use of each codec; the peer's JIT).
  for s in $SERVERS; do
    wrk -t1 -c2 -d3s -s "$ROOT/bench/lib/distinct.lua" "http://127.0.0.1:$(port_of "$s")" -- "$(path_template "$s" "$sc")" \
      $(field "$sc" 4) $(field "$sc" 3) >/dev/null 2>&1 || true
  done
  for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then list=("${order[@]}"); else list=(); for ((i = ${#order[@]} - 1; i >= 0; i--)); do list+=("${order[$i]}"); done; fi
    for s in "${list[@]}"; do run_scenario "$sc" "$s" "$round"; done
  done
  for s in $SERVERS; do kill -0 "${PID[$s]}" 2>/dev/null || die "$s died during the benchmark; see ${LOGF[$s]}"; done
  stop_all
done

# ---------------------------------------------------------------------------------------------------- report
versions() {
  local sharp_versions cdn_vips
  sharp_versions=$(cd "$PEER_DIR" && node -e 'const s = require("sharp"); console.log("sharp " + s.versions.sharp + ", libvips " + s.versions.vips)' 2>/dev/null || echo n/a)
  cdn_vips=$(grep -o 'libvips [0-9.]* loaded ([a-z]*' "${LOGF[cdnproxy]:-/dev/null}" 2>/dev/null | head -n 1 | sed 's/loaded (/(/; s/$/)/' || true)
  echo "- .NET SDK $(dotnet --version 2>/dev/null || echo n/a), ASP.NET Core $(dotnet --list-runtimes 2>/dev/null | awk '/^Microsoft.AspNetCore.App/ {v = $2} END {print v}')"
  echo "- CdnProxy $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)'), published ahead of time (Native AOT), ${cdn_vips:-libvips n/a} through NetVips"
  echo "- Node.js $(node --version); sharp peer: $sharp_versions"
  echo "- $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
}

section=$OUT/section-render.md
python3 - "$RESULTS_TSV" "$SCENARIOS" >"$OUT/tables.md" <<'PY'
import sys, collections, statistics
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
scenarios = sys.argv[2].split()
by = collections.defaultdict(list)
for sc, s, r, rps, p50, p99, cpu, rss, err in rows:
    by[(sc, s)].append(dict(rps=float(rps), p50=float(p50), p99=float(p99), cpu=float(cpu), rss=float(rss), err=int(err)))
mean = lambda sc, s, k: statistics.mean(x[k] for x in by[(sc, s)])
peak = lambda sc, s: max(x['rss'] for x in by[(sc, s)])
print('| scenario | req/s CdnProxy | req/s sharp | **req/s ratio** | p50 ms (C / s) | p99 ms (C / s) | CPU ms per render (C / s) | peak RSS MiB (C / s) | **RSS ratio** | errors |')
print('|---|---|---|---|---|---|---|---|---|---|')
for sc in scenarios:
    if (sc, 'cdnproxy') not in by or (sc, 'sharp') not in by: continue
    c, s = 'cdnproxy', 'sharp'
    ratio = mean(sc, c, 'rps') / mean(sc, s, 'rps')
    runs = ', '.join(f"{x['rps']:.1f}" for x in by[(sc, c)]) + ' / ' + ', '.join(f"{x['rps']:.1f}" for x in by[(sc, s)])
    label = sc + (' (coalescing: the same URL)' if sc == 'coalescing' else '')
    print(f"| {label} | {mean(sc, c, 'rps'):.1f} | {mean(sc, s, 'rps'):.1f} | **{ratio:.2f}** | {mean(sc, c, 'p50'):.1f} / {mean(sc, s, 'p50'):.1f} | "
          f"{mean(sc, c, 'p99'):.1f} / {mean(sc, s, 'p99'):.1f} | {mean(sc, c, 'cpu'):.2f} / {mean(sc, s, 'cpu'):.2f} | "
          f"{peak(sc, c):.0f} / {peak(sc, s):.0f} | **{peak(sc, c) / peak(sc, s):.2f}** | {sum(x['err'] for x in by[(sc, c)] + by[(sc, s)])} |")
print()
print('Runs (req/s, CdnProxy / sharp): ' + '; '.join(
    f"{sc}: " + ', '.join(f"{x['rps']:.1f}" for x in by[(sc, 'cdnproxy')]) + ' / ' + ', '.join(f"{x['rps']:.1f}" for x in by[(sc, 'sharp')])
    for sc in scenarios if (sc, 'cdnproxy') in by and (sc, 'sharp') in by) + '.')
PY
{
  echo "## Render: CdnProxy against sharp, distinct URLs"
  echo
  echo "Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Raw output: \`bench/results/$STAMP/\` (not committed)."
  echo
  echo "**Machine:** $(machine_summary); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg). wrk and the servers share these CPUs: compare the ratios, not absolute numbers across machines."
  echo
  echo "**Versions:**"
  versions
  echo
  echo "**How:** $ROUNDS rounds of ${DUR} s per scenario and server, one server at a time, order alternating; every request a distinct URL (\`bench/lib/distinct.lua\`: \`?v=\` unique, width and quality drawn from the scenario's ranges) except in \`coalescing\`; $CONNS connections except \`single1249\` (1). CdnProxy runs with its memory cache off (\`CdnProxy__Cache__Memory__MaxBytes=0\`) and otherwise its shipped defaults; the peer is sharp 0.35.5 with CdnProxy's encoder settings. Both servers start fresh for every scenario. CPU ms per render is the server's own CPU time over the run divided by its requests; peak RSS is VmHWM, reset before each run."
  echo
  echo '```'
  for s in $SERVERS; do echo "${CMD[$s]}"; done
  for s in $SERVERS; do echo "wrk -t$THREADS -c$CONNS -d${DUR}s --latency -s bench/lib/distinct.lua http://127.0.0.1:$(port_of "$s") -- '$(path_template "$s" fixed300)' 300 300 80 80"; done
  echo '```'
  echo
  cat "$OUT/tables.md"
} >"$section"
write_section render "$section"
cat "$section"
log "report written to ${DOC#"$ROOT"/} (section bench:render)"

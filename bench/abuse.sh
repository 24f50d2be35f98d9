#!/usr/bin/env bash
# Worst-case URLs and decompression bombs mixed with normal traffic, against one CdnProxy on its shipped defaults
# (memory cache on, render deadline 10 s, memory budget 512 MiB).
#   bench/abuse.sh
# Reports: normal traffic's success rate and p99 during the storm, every worst-case request's status and time (the
# slowest answer), RSS: idle baseline, peak, and the return afterwards (sampled every 0.5 s for 60 s), beside the
# memory tier's size (its metric on the management port): the normal traffic keeps filling the rendition cache during
# the storm, so the return is judged against the idle baseline plus what the cache has grown by since (the issue's
# "idle-plus-cache baseline"), and the plain comparison with the idle baseline is reported next to it.
# Environment: NORMAL_SECONDS=45 (normal traffic), STORM_AT=5 (seconds into it), HEAVY=40 and BOMBS=40 (requests),
#   AFTER=60 (seconds watched after the storm), CDN_PORT=9300 (and the next port for metrics), DOC=docs/benchmarks.md.
# Everything runs on 127.0.0.1; every process started here is stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

NORMAL_SECONDS=${NORMAL_SECONDS:-45}
STORM_AT=${STORM_AT:-5}
HEAVY=${HEAVY:-40}
BOMBS=${BOMBS:-40}
AFTER=${AFTER:-60}
CDN_PORT=${CDN_PORT:-9300}
DOC=${DOC:-$ROOT/docs/benchmarks.md}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/results/abuse-$STAMP
mkdir -p "$OUT/origin"

log() { printf '[abuse] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

declare -A PID=() URL=() CMD=() LOGF=() READY=()
# shellcheck source=bench/lib/servers.sh
. "$ROOT/bench/lib/servers.sh"
# shellcheck source=bench/lib/report.sh
. "$ROOT/bench/lib/report.sh"
SAMPLER=""
cleanup() { [ -z "$SAMPLER" ] || kill "$SAMPLER" 2>/dev/null || true; stop_all; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$ROOT/scripts/setup.sh" --for-bench
"$ROOT/scripts/fetch-testimages.sh" >/dev/null || die "the GPL test images (pixel bomb) could not be fetched"
for tool in wrk curl python3 dotnet; do command -v "$tool" >/dev/null 2>&1 || die "$tool not found"; done

# ---------------------------------------------------------------------------------------------------- originals
cp samples/photo-3mp-flower.jpg bench/images/photo-16mp-seeding.jpg "$OUT/origin/"
cp .testdata/edge/pixelbomb-64250x64250.jpg "$OUT/origin/bomb-jpeg.jpg"
# A 14000 x 14000 single-colour PNG of about 600 KB: decoded it would be 588 MB.
python3 - "$OUT/origin/bomb-png.png" <<'PY'
import struct, sys, zlib
w = h = 14000
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
z = zlib.compressobj(9)
row = b'\x00' + b'\x7f' * (w * 3)
idat = b''.join(z.compress(row) for _ in range(h)) + z.flush()
with open(sys.argv[1], 'wb') as f:
    f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', idat) + chunk(b'IEND', b''))
PY

publish_cdnproxy

METRICS_PORT=$(free_port $((CDN_PORT + 1)))
start_cdnproxy cdnproxy "$CDN_PORT" "CdnProxy__Management__Urls=http://127.0.0.1:$METRICS_PORT" CdnProxy__Clouds__abuse__Origin__Type=local "CdnProxy__Clouds__abuse__Origin__Root=$OUT/origin"
wait_ready cdnproxy 60
BASE="http://127.0.0.1:$CDN_PORT/v2/abuse"
PROC=${PID[cdnproxy]}
rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$PROC/status"; }
# Bytes the memory tier counts for its renditions (overhead per entry included), in MiB; n/a if the scrape fails.
cache_mib() {
  curl -s --max-time 2 "http://127.0.0.1:$METRICS_PORT/metrics" \
    | awk '/^cdnproxy_rendition_cache_memory_size/ {printf "%.1f", $NF / 1048576; found = 1} END {if (!found) print "n/a"}'
}

# ---------------------------------------------------------------------------------------------------- baseline
# Normal traffic: thumbnails of the 3 MP photo, every one a different URL (width 100-199, quality 70-89).
NORMAL_PATH="/v2/abuse/t.resize(w:{w})~t.toFormat(f:jpeg,q:{q})/photo-3mp-flower.jpg?v={v}"
log "warm-up and baseline: 15 s of normal traffic, then idle"
wrk -t1 -c2 -d15s -s bench/lib/distinct.lua "http://127.0.0.1:$CDN_PORT" -- "$NORMAL_PATH" 100 199 70 89 >"$OUT/warmup.txt"
sleep 14 # past the idle trim (10 s) and the GC's own settling
BASELINE=$(rss_mib)
BASELINE_CACHE=$(cache_mib)
[ "$BASELINE_CACHE" != n/a ] || die "could not read the memory tier's size from http://127.0.0.1:$METRICS_PORT/metrics"
log "baseline RSS (idle, cache warm): $BASELINE MiB, of which the memory tier counts $BASELINE_CACHE MiB"

# ---------------------------------------------------------------------------------------------------- storm
(while kill -0 "$PROC" 2>/dev/null; do printf '%s\t%s\t%s\n' "$(date +%s.%N)" "$(rss_mib)" "$(cache_mib)"; sleep 0.5; done) >"$OUT/rss.tsv" &
SAMPLER=$!

log "normal traffic for ${NORMAL_SECONDS}s; the storm starts ${STORM_AT}s in"
wrk -t1 -c2 -d"${NORMAL_SECONDS}s" --latency --timeout 30s -s bench/lib/distinct.lua "http://127.0.0.1:$CDN_PORT" -- "$NORMAL_PATH" 100 199 70 89 >"$OUT/normal.txt" &
WRK=$!
sleep "$STORM_AT"

HEAVY_PATTERNS=(
  "t.resize(w:8000)~t.rotate(a:45)/photo-16mp-seeding.jpg?dpr=5"   # the URL that once rendered for 234 s
  "t.resize(w:5000)~t.rotate(a:33)/photo-16mp-seeding.jpg"
  "t.blur(s:100)/photo-16mp-seeding.jpg"
  "t.median(s:10)/photo-16mp-seeding.jpg"
  "t.resize(w:9990,h:4000,f:fill)~t.sharpen(s:10)~t.toFormat(f:png)/photo-16mp-seeding.jpg"
  "t.rotate(a:17)~t.blur(s:50)~t.toFormat(f:avif)/photo-16mp-seeding.jpg"
  "t.resize(w:100000)~t.toFormat(f:webp)/photo-3mp-flower.jpg"
  "t.extend(t:500,l:500,b:500,r:500,bt:reflect,dpr:5)~t.normalise()~t.trim()/photo-16mp-seeding.jpg"
  # Chains of windows, light in memory: fifteen 3×3 medians (~6 s of CPU each) once took every worker
  "$(printf 't.median(s:3)~%.0s' {1..14})t.median(s:3)/photo-3mp-flower.jpg"
  "$(printf 't.blur(s:100)~%.0s' {1..14})t.blur(s:100)/photo-3mp-flower.jpg"
)
BOMB_FILES=(bomb-jpeg.jpg bomb-png.png)
: >"$OUT/storm-urls.txt"
for i in $(seq 1 "$HEAVY"); do echo "heavy	$BASE/${HEAVY_PATTERNS[$((i % ${#HEAVY_PATTERNS[@]}))]}$( [[ ${HEAVY_PATTERNS[$((i % ${#HEAVY_PATTERNS[@]}))]} == *\?* ]] && echo '&' || echo '?')v=storm$i" >>"$OUT/storm-urls.txt"; done
for i in $(seq 1 "$BOMBS"); do echo "bomb	$BASE/t.resize(w:$((100 + i)))/${BOMB_FILES[$((i % 2))]}?v=storm$i" >>"$OUT/storm-urls.txt"; done
STORM_START=$(date +%s.%N)
# Every storm request at once; each line: kind, status, seconds, url.
# shellcheck disable=SC2016
tr '\n' '\0' <"$OUT/storm-urls.txt" | xargs -0 -P $((HEAVY + BOMBS)) -I{} sh -c '
  kind=${1%%	*}; url=${1#*	}
  printf "%s\t%s\t%s\n" "$kind" "$(curl -g -s -o /dev/null --max-time 120 -w "%{http_code}\t%{time_total}" "$url")" "$url"' _ {} >"$OUT/storm.tsv"
STORM_END=$(date +%s.%N)
wait "$WRK"
log "storm answered in $(echo "$STORM_END - $STORM_START" | bc) s; watching RSS for ${AFTER}s"
sleep "$AFTER"
kill "$SAMPLER" 2>/dev/null || true
SAMPLER=""
PEAK=$(peak_rss_mib "$PROC")
kill -0 "$PROC" 2>/dev/null || die "CdnProxy died during the storm; see ${LOGF[cdnproxy]}"

# ---------------------------------------------------------------------------------------------------- report
section=$OUT/section-abuse.md
python3 - "$OUT" "$BASELINE" "$PEAK" "$STORM_START" "$STORM_END" "$AFTER" "$BASELINE_CACHE" >"$section" <<'PY'
import sys, re, collections
out, baseline, peak, t0, t1, after = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
baseline_cache = float(sys.argv[7])
normal = open(f'{out}/normal.txt').read()
total = int(re.search(r'(\d+) requests in', normal).group(1))
bad = int(m.group(1)) if (m := re.search(r'Non-2xx or 3xx responses: (\d+)', normal)) else 0
sock = sum(int(x) for x in re.findall(r'(?:connect|read|write|timeout) (\d+)', normal))
def lat(p):
    m = re.search(rf'^\s+{p}%\s+(\S+)', normal, re.M); return m.group(1) if m else 'n/a'
rows = [l.rstrip('\n').split('\t') for l in open(f'{out}/storm.tsv') if l.strip()]
def number(v):
    try: return float(v)
    except ValueError: return None
# time, RSS MiB, memory tier MiB (None when a scrape failed: that sample is judged by RSS alone)
rss = [(float(a), float(b), number(c)) for a, b, c in (l.rstrip('\n').split('\t') for l in open(f'{out}/rss.tsv') if l.strip())]
print('## Abuse: worst-case URLs and bombs mixed with normal traffic')
print()
print('Generated by `bench/abuse.sh`. One CdnProxy on its shipped defaults (memory cache on, render deadline 10 s, render memory budget 512 MiB, cores + 1 render workers, one libvips thread per image).')
print()
print(f'- **Normal traffic** (every request a different thumbnail URL of the 3 MP photo, 2 connections) during the storm: '
      f'**{100.0 * (total - bad - sock) / total:.1f} %** of {total} succeeded ({bad} non-2xx, {sock} socket errors); p50 {lat(50)}, p99 **{lat(99)}**.')
by = collections.defaultdict(list)
for kind, code, secs, url in rows:
    by[(kind, url.split('/v2/abuse/')[1].split('?v=')[0].split('&v=')[0])].append((code, float(secs)))
slowest = max(float(r[2]) for r in rows)
print(f'- **Storm:** {len(rows)} requests at once, answered within {t1 - t0:.1f} s; the slowest single answer took **{slowest:.2f} s**.')
print()
print('| kind | URL (pattern/file) | answers | slowest s |')
print('|---|---|---|---|')
for (kind, url), answers in sorted(by.items()):
    codes = collections.Counter(c for c, _ in answers)
    print(f"| {kind} | `{url}` | {', '.join(f'{n}× {c}' for c, n in sorted(codes.items()))} | {max(s for _, s in answers):.2f} |")
print()
after_storm = [(t - t1, r, c) for t, r, c in rss if t >= t1]
idle = baseline - baseline_cache  # the process without its renditions
def target(c):  # 1.5x the idle-plus-cache baseline, the cache taken as it is at that moment
    return 1.5 * (idle + (c if c is not None else baseline_cache))
def settled(inside):  # the first moment after which every sample stays inside (None if the last one is outside)
    t_in = None
    for t, r, c in after_storm:
        t_in = (t_in if t_in is not None else t) if inside(r, c) else None
    return t_in
within_plain = settled(lambda r, c: r <= 1.5 * baseline)
within = settled(lambda r, c: r <= target(c))
end, end_cache = (after_storm[-1][1], after_storm[-1][2]) if after_storm else (float('nan'), None)
def when(t):
    return f'**{t:.1f} s** after the storm ended' if t is not None else f'**not within {after} s**'
print(f'- **RSS:** idle baseline with a warm cache {baseline:.0f} MiB ({baseline_cache:.0f} MiB of it renditions in the memory '
      f'tier, as the tier counts them); peak (VmHWM) **{float(peak):.0f} MiB**; {end:.0f} MiB {after} s after the storm, '
      f'the tier then holding {end_cache if end_cache is not None else float("nan"):.0f} MiB (the normal traffic kept adding thumbnails). '
      f'Back and staying within 1.5× the idle-plus-cache baseline (idle {idle:.0f} MiB + the tier at that moment): {when(within)}; '
      f'within 1.5× the idle baseline as measured before the storm ({1.5 * baseline:.0f} MiB): {when(within_plain)}.')
PY
write_section abuse "$section"
cat "$section"
log "report written to ${DOC#"$ROOT"/} (section bench:abuse); raw output in ${OUT#"$ROOT"/}"

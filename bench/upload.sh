#!/usr/bin/env bash
# Measures a big upload through the signed, chunked path into the local `uploads` cloud: wall time (throughput) and
# the server's and client's peak RSS (VmHWM), against their RSS before. Usage: bench/upload.sh [MEGABYTES=200]
# Needs python3 (writes the test image: an uncompressed RGB TIFF of noise, which does not compress).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MB=${1:-200}
WORK=$(mktemp -d)
PORT=${PORT:-8937}
KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

dotnet build "$ROOT/src/CdnProxy.Server" -c Release -v q -nologo >/dev/null
dotnet build "$ROOT/src/CdnProxy.Cli" -c Release -v q -nologo >/dev/null

python3 - "$WORK/big.tiff" "$MB" <<'PY'
import os, struct, sys
path, mb = sys.argv[1], int(sys.argv[2])
width = 8192
height = mb * 1024 * 1024 // (width * 3)
data = width * height * 3
entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 3, 0), (259, 3, 1, 1), (262, 3, 1, 2),
           (273, 4, 1, 0), (277, 3, 1, 3), (278, 4, 1, height), (279, 4, 1, data)]
ifd_size = 2 + 12 * len(entries) + 4
bits_at = 8 + ifd_size
strip_at = bits_at + 6
with open(path, "wb") as f:
    f.write(b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(entries)))
    for tag, kind, count, value in entries:
        value = bits_at if tag == 258 else strip_at if tag == 273 else value
        f.write(struct.pack("<HHI", tag, kind, count) + (struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)))
    f.write(struct.pack("<I", 0) + struct.pack("<HHH", 8, 8, 8))
    left = data
    while left:
        n = min(left, 8 << 20); f.write(os.urandom(n)); left -= n
PY
SIZE=$(stat -c %s "$WORK/big.tiff")

(cd "$ROOT/src/CdnProxy.Server/bin/Release/net10.0" && exec env CdnProxy__DataDirectory="$WORK/data" CdnProxy__Api__Keys__0="$KEY" \
  CdnProxy__Uploads__RequestsPerMinute=0 dotnet CdnProxy.Server.dll --urls "http://127.0.0.1:$PORT" >"$WORK/server.log" 2>&1) &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz/live" >/dev/null && break; sleep 0.2; done
# Warm up the upload path once (JIT, pools) with a small file, then read the server's RSS.
curl -sf -H "Authorization: Bearer $KEY" -F name=warm -F file=@"$ROOT/samples/photo-3mp-flower.jpg" "http://127.0.0.1:$PORT/api/v1/upload" >/dev/null
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
SERVER_PID=$(pgrep -P "$SERVER" -f CdnProxy.Server.dll || echo "$SERVER")
BEFORE=$(rss "$SERVER_PID")

START=$(date +%s.%N)
CDNPROXY_API_KEY=$KEY dotnet "$ROOT/src/CdnProxy.Cli/bin/Release/net10.0/cdnproxy.dll" upload "$WORK/big.tiff" \
  --server "http://127.0.0.1:$PORT" --name big >"$WORK/result.json" 2>"$WORK/cli.err" &
CLI=$!
CLI_HWM=0
while kill -0 "$CLI" 2>/dev/null; do
  h=$(hwm "$CLI" 2>/dev/null || echo 0); [ "${h:-0}" -gt "$CLI_HWM" ] && CLI_HWM=$h; sleep 0.05
done
wait "$CLI" || { echo "cdnproxy upload failed:"; cat "$WORK/cli.err"; exit 1; }
END=$(date +%s.%N)
PEAK=$(hwm "$SERVER_PID")
grep -q '"fileId": "big.tiff"' "$WORK/result.json" || { echo "upload failed:"; cat "$WORK/cli.err" "$WORK/result.json"; exit 1; }
cmp -s "$WORK/big.tiff" "$WORK/data/uploads/big.tiff" || { echo "stored bytes differ"; exit 1; }

awk -v size="$SIZE" -v s="$START" -v e="$END" -v before="$BEFORE" -v peak="$PEAK" -v cli="$CLI_HWM" 'BEGIN {
  t = e - s
  printf "file: %.1f MB; wall (create + parts + complete, CLI start included): %.2f s; throughput: %.1f MB/s\n", size/1e6, t, size/1e6/t
  printf "server RSS before: %.1f MB; server peak RSS (VmHWM): %.1f MB; growth: %.1f MB\n", before/1024, peak/1024, (peak-before)/1024
  printf "client (cdnproxy upload) peak RSS: %.1f MB\n", cli/1024
}'

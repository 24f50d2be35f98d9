#!/usr/bin/env bash
# Tests the server as it ships: publishes it ahead of time (scripts/publish.sh) and runs checks over HTTP against the
# executable, on the paths where a compiled-ahead build could differ from the JIT one the unit and integration tests
# run (configuration binding of every origin kind, JSON bodies, SQLite jobs, presets, signing, metrics).
# Prints one line at the end: "published server: N passed, N failed". Exit status non-zero if any check failed.
#   scripts/test-published.sh [published folder]   default: publishes into .artifacts/publish first
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[published] %s\n' "$*" >&2; }

if [ $# -ge 1 ]; then BIN="$1/CdnProxy.Server"; else BIN=$("$ROOT/scripts/publish.sh" | tail -1) || BIN=""; fi
if [ ! -x "$BIN" ]; then log "no published server"; echo "published server: 0 passed, 1 failed"; exit 1; fi

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d " \n"; }
KEY=$(random_hex 32)
SIGN_KEY=published-test TOKEN=$(random_hex 16)
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# Every origin kind's own settings come through configuration binding: a local cloud (shipped), an http cloud reading
# from this server itself, an S3 cloud (bound and validated only: no request goes to it), a signed cloud and a preset.
env -i PATH="$PATH" HOME="$WORK" MALLOC_ARENA_MAX=2 ASPNETCORE_ENVIRONMENT=Production \
  CdnProxy__DataDirectory="$WORK/data" \
  CdnProxy__Api__Keys__0="$KEY" \
  CdnProxy__Management__Urls="http://127.0.0.1:$MPORT" \
  CdnProxy__Clouds__web__Origin__Type=http \
  CdnProxy__Clouds__web__Origin__BaseUrl="$BASE/v2/demo/original/" \
  CdnProxy__Clouds__web__Origin__AllowPrivateNetworks=true \
  CdnProxy__Clouds__bucket__Origin__Type=s3 \
  CdnProxy__Clouds__bucket__Origin__Bucket=images \
  CdnProxy__Clouds__bucket__Origin__ServiceUrl=http://127.0.0.1:1 \
  CdnProxy__Clouds__bucket__Origin__Region=us-east-1 \
  CdnProxy__Clouds__secure__Origin__Type=local \
  CdnProxy__Clouds__secure__Origin__Root="$ROOT/samples" \
  CdnProxy__Clouds__secure__RequireSignedUrls=true \
  CdnProxy__Signing__Keys__0__AccessKey="$SIGN_KEY" \
  CdnProxy__Signing__Keys__0__Token="$TOKEN" \
  CdnProxy__Presets__small__Pattern='t.resize(w:$w)' \
  CdnProxy__Presets__small__Variables__w__Type=integer \
  CdnProxy__Presets__small__Variables__w__Default=64 \
  "$BIN" --urls "$BASE" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "$BASE/healthz/live" && break; sleep 0.1; done

passed=0 failed=0
check() { # name, then a command that succeeds when the check holds
  local name=$1; shift
  if "$@" >"$WORK/check.out" 2>&1; then passed=$((passed + 1)); log "ok    $name"
  else failed=$((failed + 1)); log "FAIL  $name"; sed 's/^/        /' "$WORK/check.out" | head -5 >&2; fi
}
# status, content type and body of one request: answer <expected status> <content type prefix> <curl args...>
answer() {
  local want=$1 type=$2; shift 2
  read -r code ctype < <(curl -g -s -o "$WORK/body" -w '%{http_code} %{content_type}\n' --max-time 30 "$@")
  echo "status $code, type $ctype, $(wc -c <"$WORK/body") bytes: $(head -c 200 "$WORK/body" | tr -cd '[:print:]')"
  [ "$code" = "$want" ] && [[ "$ctype" == "$type"* ]]
}
jpeg_width() { python3 - "$WORK/body" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read(); i = 2
while i < len(data):
    marker, length = data[i + 1], struct.unpack('>H', data[i + 2:i + 4])[0]
    if marker in (0xC0, 0xC1, 0xC2):
        print(struct.unpack('>H', data[i + 7:i + 9])[0]); break
    i += 2 + length
PY
}
width_is() { answer 200 image/jpeg "$2" && [ "$(jpeg_width)" = "$1" ]; }
body_has() { grep -q -- "$1" "$WORK/body"; }

check "ready" eval 'answer 200 application/json "$BASE/healthz/ready" && body_has "\"ready\""'
check "render 300 px JPEG (local origin)" width_is 300 "$BASE/v2/demo/t.resize(w:300)/photo-3mp-flower.jpg"
check "f_auto WebP" answer 200 image/webp -H 'Accept: image/webp,*/*' "$BASE/v2/demo/t.resize(w:120)/photo-3mp-flower.jpg?f_auto=true"
check "dpr 2" width_is 200 "$BASE/v2/demo/t.resize(w:100)/photo-3mp-flower.jpg?dpr=2"
check "render through the http origin" width_is 80 "$BASE/v2/web/t.resize(w:80)/photo-3mp-flower.jpg"
check "preset with a default" width_is 64 "$BASE/v2/demo/p:small/photo-3mp-flower.jpg"
check "preset with an argument" width_is 90 "$BASE/v2/demo/p:small(w:90)/photo-3mp-flower.jpg"
check "bad pattern: JSON 400" eval 'answer 400 application/json "$BASE/v2/demo/t.resize(w:abc)/photo-3mp-flower.jpg" && body_has "\"error\""'
check "unknown path: JSON 404" eval 'answer 404 application/json "$BASE/nothing/here" && body_has "\"error\""'
check "unsigned URL of a signed cloud: 401" answer 401 application/json "$BASE/v2/secure/t.resize(w:50)/photo-3mp-flower.jpg"
CLI="$ROOT/src/CdnProxy.Cli/bin/Release/net10.0/cdnproxy.dll"
[ -f "$CLI" ] || dotnet build "$ROOT/src/CdnProxy.Cli" -c Release -v q -nologo >"$WORK/cli-build.log" 2>&1
signed=$(dotnet "$CLI" sign "$BASE/v2/secure/t.resize(w:50)/photo-3mp-flower.jpg" \
  --expiry-seconds 300 --access-key "$SIGN_KEY" --token "$TOKEN" 2>"$WORK/sign.err")
check "signed URL: 200" width_is 50 "$signed"
check "upload (multipart)" eval 'answer 200 application/json -H "Authorization: Bearer $KEY" -F path=smoke -F name=flower \
  -F "file=@$ROOT/samples/photo-3mp-flower.jpg" "$BASE/api/v1/upload"'
check "render the upload" width_is 40 "$BASE/v2/uploads/t.resize(w:40)/smoke/flower.jpeg"
check "job created" eval 'answer 200 application/json -H "x-api-key: $KEY" -H "Content-Type: application/json" \
  -d "{\"input\":{\"a\":\"cloud://demo/photo-3mp-flower.jpg\"},\"output\":[{\"pattern\":\"t.resize(w:32)\",\"type\":\"image/png\"}],\"data\":{\"id\":\"smoke\"}}" \
  "$BASE/api/v1/jobs"'
job=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/body" 2>/dev/null || true)
job_done() {
  for _ in $(seq 1 100); do
    answer 200 application/json -H "x-api-key: $KEY" "$BASE/api/v1/jobs/$job" >/dev/null || return 1
    body_has '"status": *"complete"' && return 0
    body_has '"status": *"failed"' && { cat "$WORK/body"; return 1; }
    sleep 0.2
  done
  return 1
}
check "job completes" job_done
check "job output served" eval 'answer 200 image/png "$BASE/v2/uploads/original/jobs/$job/outputs/a-1.png" \
  || answer 200 image/png "$(python3 -c "import json,sys; print([f[\"url\"] for f in json.load(open(sys.argv[1])).get(\"output\",[{}])[0].get(\"files\",[])][0])" "$WORK/body" 2>/dev/null)"'
check "metrics on the management port" eval 'answer 200 text/plain "http://127.0.0.1:$MPORT/metrics" && body_has "cdnproxy_"'

if [ "$failed" -gt 0 ]; then log "server log: $WORK/server.log (tail)"; tail -20 "$WORK/server.log" >&2; fi
echo "published server: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

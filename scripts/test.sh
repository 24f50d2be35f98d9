#!/usr/bin/env bash
# The one command that sets up and runs the whole test suite.
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Urls]
# Runs scripts/setup.sh --for-tests, then `dotnet test CdnProxy.sln -c Release` with a trx logger, then the engine's
# tests again on the system libvips, then the published (ahead-of-time compiled) server's checks over HTTP
# (scripts/test-published.sh), and ends with one summary line summed over all of them:
#   N passed, N failed, N skipped
# Exit status: non-zero if any test failed, if no test ran, or if dotnet test itself failed (build error, crash, hang).
# Logs and .trx files: TestResults/run-<timestamp>/ (git-ignored).
# Environment: TEST_TIMEOUT (whole run, default 20m), TEST_HANG_TIMEOUT (one test, default 5m).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

log() { printf '[test] %s\n' "$*" >&2; }

if ! "$ROOT/scripts/setup.sh" --for-tests; then
  log "scripts/setup.sh --for-tests failed"
  echo "0 passed, 0 failed, 0 skipped"
  exit 1
fi
command -v dotnet >/dev/null 2>&1 || { log "dotnet not found"; echo "0 passed, 0 failed, 0 skipped"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en   # the summary lines parsed below are localised otherwise

RESULTS="$ROOT/TestResults/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RESULTS"
LOG="$RESULTS/dotnet-test.log"

# -tl:off: classic console output (stable "Passed!/Failed!" lines even on a terminal).
# --blame-hang-timeout: a hung test is killed and reported instead of blocking the run.
timeout --kill-after=30s "${TEST_TIMEOUT:-20m}" \
  dotnet test "$ROOT/CdnProxy.sln" -c Release -tl:off \
    --logger trx --results-directory "$RESULTS" \
    --blame-hang-timeout "${TEST_HANG_TIMEOUT:-5m}" --blame-hang-dump-type none \
    "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}

# The engine's own tests once more on the OS's libvips (Debian libvips42, 8.14): the explicit fallback
# `-p:CdnProxyLibvips=system` must keep working. Built apart (.artifacts/) so the main build stays untouched.
if [ "$rc" -eq 0 ] && [ "$#" -eq 0 ]; then
  timeout --kill-after=30s 10m \
    dotnet test "$ROOT/tests/CdnProxy.Vips.Tests" -c Release -tl:off -p:CdnProxyLibvips=system \
      --artifacts-path "$ROOT/.artifacts/system-libvips" \
      --logger "trx;LogFileName=system-libvips.trx" --results-directory "$RESULTS" 2>&1 | tee -a "$LOG"
  rc=${PIPESTATUS[0]}
fi

# The server as it ships: published ahead of time and checked over HTTP (scripts/test-published.sh). Its result
# line ("published server: N passed, N failed") is added to the sums below.
if [ "$rc" -eq 0 ] && [ "$#" -eq 0 ]; then
  timeout --kill-after=30s 15m "$ROOT/scripts/test-published.sh" 2>&1 | tee -a "$LOG" "$RESULTS/published.log"
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    log "the published server's checks failed (see $RESULTS/published.log)"
    # Killed or broken before its result line: count it as one failure, never as nothing.
    grep -q '^published server:' "$RESULTS/published.log" || echo "published server: 0 passed, 1 failed" >>"$LOG"
  fi
fi

# Sum the per-project lines, e.g.
#   Passed!  - Failed:     0, Passed:    12, Skipped:     1, Total:    13, Duration: 85 ms - X.Tests.dll (net10.0)
#   Failed!  - Failed:     1, Passed:     3, Skipped:     0, Total:     4, Duration: 1 s - Y.Tests.dll (net10.0)
# (colour codes and carriage returns stripped first).
read -r projects passed failed skipped < <(
  sed -E $'s/\x1b\\[[0-9;?]*[A-Za-z]//g; s/\x1b[=>]//g; s/\r//g' "$LOG" |
  awk '
    match($0, /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+, +Total: +[0-9]+/) {
      s = substr($0, RSTART, RLENGTH); gsub(/[^0-9,]/, "", s); split(s, n, ",")
      p++; f += n[1]; ok += n[2]; sk += n[3]
    }
    match($0, /^published server: [0-9]+ passed, [0-9]+ failed/) {
      s = substr($0, RSTART, RLENGTH); gsub(/[^0-9,]/, "", s); split(s, n, ",")
      p++; ok += n[1]; f += n[2]
    }
    END { printf "%d %d %d %d\n", p, ok, f, sk }')

# Fallback: the .trx files (if the console format ever changes). Skipped = total - executed.
if [ "$projects" -eq 0 ] && compgen -G "$RESULTS/*.trx" >/dev/null; then
  log "no summary lines in the console output; reading the .trx files"
  read -r projects passed failed skipped < <(
    cat "$RESULTS"/*.trx | grep -o '<Counters [^>]*>' |
    awk '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/[^0-9]/, "", kv[2]); c[kv[1]] = kv[2] + 0 }
      p++; ok += c["passed"]; f += c["failed"] + c["error"] + c["timeout"] + c["aborted"]; sk += c["total"] - c["executed"]
    } END { printf "%d %d %d %d\n", p, ok, f, sk }')
fi

status=0
if [ "$failed" -gt 0 ]; then
  log "$failed test(s) failed (details above and in $RESULTS)"; status=1
fi
if [ $((passed + failed)) -eq 0 ]; then
  log "no tests ran"; status=1
fi
if [ "$rc" -ne 0 ]; then
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then log "dotnet test timed out after ${TEST_TIMEOUT:-20m}"; fi
  log "dotnet test exited with status $rc ($projects test project(s) reported results)"; status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"

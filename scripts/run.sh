#!/usr/bin/env bash
# Runs the CdnProxy server from source in Release mode on the embedded default (libvips comes with dotnet restore).
#   scripts/run.sh [server arguments]      default: --urls http://127.0.0.1:8080
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"   # keeps RSS flat under libvips' threads
if [ "$#" -eq 0 ]; then set -- --urls http://127.0.0.1:8080; fi
exec dotnet run --project "$ROOT/src/CdnProxy.Server" -c Release -- "$@"

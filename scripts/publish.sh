#!/usr/bin/env bash
# Publishes the server as it ships (Dockerfile, benchmarks): compiled ahead of time (Native AOT) for this machine's
# architecture, one executable with libvips, config/ and samples/ beside it. Installs the native toolchain first
# (scripts/setup.sh --for-publish: clang, zlib).
#   scripts/publish.sh [output folder]      default: .artifacts/publish   (run: <folder>/CdnProxy.Server --urls ...)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/.artifacts/publish}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

"$ROOT/scripts/setup.sh" --for-publish
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *) echo "[publish] unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
dotnet publish "$ROOT/src/CdnProxy.Server" -c Release -r "$rid" -o "$OUT" -v q -nologo
test -x "$OUT/CdnProxy.Server" || { echo "[publish] no executable in $OUT" >&2; exit 1; }
echo "$OUT/CdnProxy.Server"

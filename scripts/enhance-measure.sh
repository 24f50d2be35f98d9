#!/usr/bin/env bash
# Builds degraded versions (darkened, low contrast, colour cast, slight blur) of the permissively licensed photos in
# samples/ and measures Pixble Magic (enhance.magic()) on them: PSNR/SSIM against the clean original before and after.
# The degradations and metrics are in tests/CdnProxy.Core.Tests/Transformations/Enhance/MagicMeasurement.cs; the
# bounds are tests there. Prints the tables for docs/enhance.md. Usage: scripts/enhance-measure.sh [output-file]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$(mktemp)}
ENHANCE_REPORT="$OUT" dotnet test "$ROOT/tests/CdnProxy.Core.Tests" -c Release \
  --filter "FullyQualifiedName~MagicMeasurementTests" >&2
cat "$OUT"

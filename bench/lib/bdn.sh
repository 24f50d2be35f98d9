#!/usr/bin/env bash
# Shared by bench/micro.sh and bench/operations.sh: one BenchmarkDotNet run of bench/CdnProxy.Bench in Release.
#   run_bdn NAME [PROJECT ARGUMENTS...]    (uses $ROOT and $FILTER; needs log/die)
# Sets STAMP, OUT (raw output folder), LOAD (load average at the start), COMMAND (as shown in the report) and
# TSV (the summary the benchmark program wrote), or dies with the tail of the run log.
# shellcheck disable=SC2034  # STAMP, LOAD and COMMAND are read by the calling script.
run_bdn() {
  local name=$1 project=bench/CdnProxy.Bench
  shift
  STAMP=$(date -u +%Y%m%dT%H%M%SZ)
  OUT=$ROOT/bench/results/$name-$STAMP
  mkdir -p "$OUT"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  COMMAND="dotnet run -c Release --project $project -- ${*:+$* }--filter '$FILTER' --artifacts bench/results/$name-$STAMP"
  log "$COMMAND"
  dotnet run -c Release --project "$project" -- "$@" --filter "$FILTER" --artifacts "$OUT" >"$OUT/run.log" 2>&1 \
    || { tail -n 40 "$OUT/run.log" >&2; die "benchmark run failed (log: ${OUT#"$ROOT"/}/run.log)"; }
  TSV=$OUT/results/$name-summary.tsv
  [ -s "$TSV" ] || die "no summary written (log: ${OUT#"$ROOT"/}/run.log)"
}

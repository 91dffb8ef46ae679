#!/usr/bin/env bash
# Scale-out benchmark (docs/BENCHMARKS.md, "Scale-out"): a throwaway PostgreSQL, the Release build, then
# tests/scale/bench.mjs with 1, 2 and 3 worker processes (BENCH_WORKERS, BENCH_RUNS, BENCH_PROBES to change).
# Prints a markdown table last.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
work="$(mktemp -d /tmp/ts-bench.XXXXXX)"
pids="$work/pids"; touch "$pids"; export SCALE_PIDS="$pids"
source tests/scale/postgres.sh
cleanup() { while read -r p; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null; done <"$pids"; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT INT TERM
start_postgres || exit 1
[ -d node_modules/@microsoft/signalr ] || npm ci --no-audit --no-fund --loglevel=error >&2 || exit 1
dotnet build -c Release src/TrainingService.Api -nologo -v quiet >&2 || exit 1
node tests/scale/bench.mjs

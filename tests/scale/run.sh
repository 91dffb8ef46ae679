#!/usr/bin/env bash
# Scale-out tests with real processes on a throwaway PostgreSQL 15 (initdb + pg_ctl on 127.0.0.1, a free port, as
# the postgres user when run as root): the PostgreSQL tests of the API test project (drift, migrations, NOTIFY, SKIP
# LOCKED, cross-node cancel), then tests/scale/*.test.mjs (one API process, three worker processes; twelve runs, a
# SIGKILLed worker, a SignalR client; a run through two server restarts). Everything is torn down on exit, failure
# included.
# Last line: "N passed, N failed". Needs: PostgreSQL 15 server binaries (PG_BIN, default /usr/lib/postgresql/15/bin),
# psql, dotnet SDK 10, node + npm (npm ci installs @microsoft/signalr).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
work="$(mktemp -d /tmp/ts-scale.XXXXXX)"
pids="$work/pids"
results="$root/tests/scale/artifacts/TestResults"
touch "$pids"
export SCALE_PIDS="$pids"
source tests/scale/postgres.sh

cleanup() {
  # App processes the node tests started (they stop them themselves; this covers a crash), then the server.
  while read -r p; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null; done <"$pids"
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
fail() { echo "scale: $1" >&2; echo "0 passed, 1 failed"; exit 1; }

echo "== PostgreSQL (throwaway)" >&2
start_postgres || fail "could not start PostgreSQL"

echo "== build (Release) and npm packages" >&2
[ -d node_modules/@microsoft/signalr ] || npm ci --no-audit --no-fund --loglevel=error >&2 || fail "npm ci failed"
dotnet build -c Release tests/TrainingService.Api.Tests -nologo -v quiet >&2 || fail "build failed"

passed=0 failed=0
echo "== PostgreSQL tests of the API test project (TRAINING_TEST_POSTGRES set)" >&2
rm -rf "$results"
dotnet test tests/TrainingService.Api.Tests -c Release --no-build --filter "FullyQualifiedName~PostgresTests" \
  --logger trx --results-directory "$results" >&2
dotnet_status=$?
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$dotnet_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "== cluster tests: 1 API process, 3 worker processes (node --test)" >&2
mkdir -p tests/scale/artifacts
tap=tests/scale/artifacts/scale.tap
node --test --test-force-exit --test-concurrency=1 --test-reporter=tap tests/scale/*.test.mjs | tee "$tap" >&2
node_status=${PIPESTATUS[0]}
np=$(grep -E '^# pass [0-9]+' "$tap" | tail -1 | awk '{print $3}')
nf=$(grep -E '^# fail [0-9]+' "$tap" | tail -1 | awk '{print $3}')
nc=$(grep -E '^# cancelled [0-9]+' "$tap" | tail -1 | awk '{print $3}')
np=${np:-0}; nf=$(( ${nf:-0} + ${nc:-0} ))
if [ "$node_status" -ne 0 ] && [ "$nf" -eq 0 ]; then nf=1; fi
passed=$((passed + np)); failed=$((failed + nf))

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

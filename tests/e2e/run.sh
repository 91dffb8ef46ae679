#!/usr/bin/env bash
# Everything the e2e tests need, on a fresh Debian machine: chromium, npm packages, the API built in Release,
# then the node tests (SignalR client, headless chromium, libman check, hosting).
# Last line of output: "N passed, N failed" (node tests). Exit status non-zero on any failure or when none ran.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: installing chromium" >&2
  sudo_=""; [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium >/dev/null \
    || { echo "e2e: could not install chromium" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

npm ci --no-audit --no-fund --loglevel=error >&2 || { echo "e2e: npm ci failed" >&2; echo "0 passed, 1 failed"; exit 1; }
dotnet build -c Release src/TrainingService.Api -nologo -v quiet >&2 || { echo "e2e: build failed" >&2; echo "0 passed, 1 failed"; exit 1; }

mkdir -p tests/e2e/artifacts
tap=tests/e2e/artifacts/e2e.tap
node --test --test-force-exit --test-concurrency=1 --test-reporter=tap tests/e2e/*.test.mjs | tee "$tap"
status=${PIPESTATUS[0]}

passed=$(grep -E '^# pass [0-9]+' "$tap" | tail -1 | awk '{print $3}')
failed=$(grep -E '^# fail [0-9]+' "$tap" | tail -1 | awk '{print $3}')
cancelled=$(grep -E '^# cancelled [0-9]+' "$tap" | tail -1 | awk '{print $3}')
passed=${passed:-0}; failed=$(( ${failed:-0} + ${cancelled:-0} ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$failed" -ne 0 ]; then # the servers' logs say what the app saw while a test failed
  for f in tests/e2e/artifacts/*.log; do [ -s "$f" ] && { echo "--- tail of $f"; tail -n 25 "$f"; }; done
fi
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

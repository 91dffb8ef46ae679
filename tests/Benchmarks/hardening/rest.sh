#!/usr/bin/env bash
# REST read throughput with 1,000 runs × 1,000 steps stored: GET /api/runs and GET /api/runs/{id}/metrics?maxPoints=1000
# (random run per request). Starts the Release build on a free port with a throwaway data directory, trains one real
# run, seeds 1,000 more rows-alike through SQL (seed.py), then runs wrk against each endpoint.
#   bash tests/Benchmarks/hardening/rest.sh [seconds=15] [connections=16] [threads=2]
# Needs: the Release build (dotnet build -c Release src/TrainingService.Api), wrk (apt-get install -y wrk), python3.
set -euo pipefail
seconds=${1:-15}; connections=${2:-16}; threads=${3:-2}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
here="$root/tests/Benchmarks/hardening"
dll="$root/src/TrainingService.Api/bin/Release/net10.0/TrainingService.Api.dll"
dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"

Training__DataDirectory="$dir/data" ConnectionStrings__Training="Data Source=$dir/training.db" Logging__LogLevel__Default=Warning \
  ASPNETCORE_ENVIRONMENT=Production dotnet "$dll" --urls "$url" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 200); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done

curl -sf -X POST "$url/api/runs" -H 'content-type: application/json' -d '{"name":"real","dataset":{"name":"spiral"},"epochs":3}' >/dev/null
for _ in $(seq 1 200); do curl -sf "$url/api/runs/1" | grep -q '"status":"succeeded"' && break; sleep 0.2; done
python3 "$here/seed.py" "$dir/training.db" 1000 1000
echo "runs stored: $(curl -sf "$url/api/runs?pageSize=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"

echo "== GET /api/runs (first page of 20)"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$url/api/runs"
echo "== GET /api/runs/{random 2..1001}/metrics?maxPoints=1000"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$here/metrics.lua" "$url"
echo "server RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status)"

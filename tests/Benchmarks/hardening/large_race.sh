#!/usr/bin/env bash
# A valid but large race: 12 variants of a [4096, 4096] network (16.8 M weights each, each within the run limits).
# Starts the Release build (worker off, so nothing trains) on a free port with a throwaway data directory and prints
# the time to answer and the server's resident memory before and at its peak.
#   bash tests/Benchmarks/hardening/large_race.sh
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
Training__WorkerEnabled=false Training__DataDirectory=$dir Logging__LogLevel__Default=Warning dotnet "$root/src/TrainingService.Api/bin/Release/net10.0/TrainingService.Api.dll" --urls http://127.0.0.1:$port >$dir/log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf $dir' EXIT
for i in $(seq 100); do kill -0 $pid 2>/dev/null || { echo "server died"; cat $dir/log; exit 1; }; curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.2; done
ss -ltnp | grep ":$port " | grep -q "pid=$pid," || { echo "port $port is not my server's"; exit 1; }
v='{"optimizer":{"type":"sgd"}}'; vs=$(printf "$v,%.0s" $(seq 11))$v
body='{"base":{"model":{"hidden":[4096,4096]},"epochs":1},"variants":['$vs']}'
before=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status)
start=$(date +%s.%N)
curl -s -o /dev/null -w "%{http_code} %{size_download} bytes\n" -X POST http://127.0.0.1:$port/api/races -H 'content-type: application/json' -d "$body"
end=$(date +%s.%N)
echo "12-variant race of hidden [4096,4096]: $(python3 -c "print(f'{$end-$start:.2f}')") s; RSS before $before MB, peak $(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status) MB"

#!/usr/bin/env bash
# Hostile input: a 4 MB spec whose model.hidden is two million zeros, POSTed N times in parallel (default 4) to
# /api/runs and, with `races`, as the base of POST /api/races. Starts the Release build on a free port with a throwaway
# data directory; prints the wall time for all N answers, each answer's status and size, and the server's resident
# memory before, at its peak (VmHWM) and after.
#   bash tests/Benchmarks/hardening/hostile_spec.sh [parallel=4] [runs|races]
# Needs: the Release build (dotnet build -c Release src/TrainingService.Api), curl, python3.
set -euo pipefail
parallel=${1:-4}; route=${2:-runs}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dll="$root/src/TrainingService.Api/bin/Release/net10.0/TrainingService.Api.dll"
dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"

Training__DataDirectory="$dir/data" ConnectionStrings__Training="Data Source=$dir/training.db" Logging__LogLevel__Default=Warning \
  ASPNETCORE_ENVIRONMENT=Production dotnet "$dll" --urls "$url" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 200); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done

python3 - "$dir/body.json" "$route" <<'PY'
import sys
zeros = ",".join(["0"] * 2_000_000)
spec = '{"model":{"hidden":[' + zeros + ']}}'
body = spec if sys.argv[2] == "runs" else '{"base":' + spec + ',"variants":[{"optimizer":{"type":"sgd"}},{"optimizer":{"type":"adam"}}]}'
open(sys.argv[1], "w").write(body)
PY
echo "body: $(stat -c %s "$dir/body.json") bytes, POST /api/$route ×$parallel in parallel"
# Warm up the route (JIT, database) with one small invalid spec, then take the baseline.
curl -s -o /dev/null -X POST "$url/api/$route" -H 'content-type: application/json' -d '{"model":{"hidden":[0]}}'
sleep 1
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status; }
before=$(rss)
start=$(date +%s.%N)
curls=()
for i in $(seq 1 "$parallel"); do
  curl -s -o "$dir/answer$i" -w "answer $i: %{http_code}, %{size_download} bytes, %{time_total} s\n" \
    -X POST "$url/api/$route" -H 'content-type: application/json' --data-binary "@$dir/body.json" &
  curls+=($!)
done
wait "${curls[@]}"
end=$(date +%s.%N)
peak=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)
sleep 2
echo "all $parallel answered in $(python3 -c "print(f'{$end - $start:.2f}')") s"
echo "server RSS: before ${before} MB, peak ${peak} MB (+$((peak - before)) MB), 2 s after $(rss) MB"
head -c 300 "$dir/answer1"; echo

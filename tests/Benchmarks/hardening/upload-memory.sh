#!/usr/bin/env bash
# Server memory for ten parallel 20 MB CSV uploads: one server process per case (over the row limit: 1.18 M rows, 400;
# within the limits: 0.95 M rows, 201 each under its own name; one 20 MB header line, 400). Prints the server's RSS before, its peak (VmHWM) and
# its RSS 5 s after the uploads, from /proc, and the wall time of the ten uploads.
#   bash tests/Benchmarks/hardening/upload-memory.sh [path/to/TrainingService.Api.dll]
# Needs: a Release build (dotnet build -c Release src/TrainingService.Api), curl, python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dll="${1:-$root/src/TrainingService.Api/bin/Release/net10.0/TrainingService.Api.dll}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# ~20,000,000 bytes each: 17-byte rows (1.18 M > the 1 M row limit), 21-byte rows (0.95 M, within it), one line.
python3 - "$work" <<'EOF'
import sys
def write(path, row):
    size, rows = 20_000_000, []
    with open(path, "w") as f:
        f.write("a,b,label\n"); n = 10; i = 0
        while n + len(row(i)) <= size:
            f.write(row(i)); n += len(row(i)); i += 1
write(sys.argv[1] + "/over.csv", lambda i: f"{i % 1000:7.2f},{i % 997:6d},{'xy'[i % 2]}\n")
write(sys.argv[1] + "/within.csv", lambda i: f"{i % 1000:7.2f},{i % 997:5d},{i % 13:4d}.5\n")
with open(sys.argv[1] + "/oneline.csv", "w") as f: # a header of 2.3 M columns on one 20 MB line
    n = i = 0
    while n < 19_900_000:
        f.write(f"c{i},"); n += len(f"c{i},"); i += 1
    f.write("label\n1,x\n")
EOF

kb() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$2/status"; }

measure() { # case file expected-status
  local name=$1 file=$2 expected=$3 dir port url pid
  dir="$work/$name"; mkdir -p "$dir"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  url="http://127.0.0.1:$port"
  Training__DataDirectory="$dir/data" Training__RateLimitPermits=0 Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$dll" --urls "$url" >"$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done
  # One small upload first, so start-up costs are in the baseline.
  printf 'a,b,label\n1,2,x\n3,4,y\n' >"$dir/small.csv"
  curl -s -o /dev/null -F "file=@$dir/small.csv" -F name=warmup "$url/api/datasets"
  sleep 2
  local before; before=$(kb VmRSS $pid)
  local start; start=$(date +%s.%N)
  for i in $(seq 1 10); do
    curl -s -o "$dir/response$i" -w '%{http_code}\n' -F "file=@$file" -F "name=${name}$i" "$url/api/datasets" >"$dir/status$i" &
  done
  wait $(jobs -p | grep -v "^$pid\$")
  local seconds; seconds=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
  local statuses; statuses=$(cat "$dir"/status* | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
  sleep 5
  printf '%-7s statuses: %s(expected %s) | RSS before %4d MB | peak %5d MB | after 5 s %5d MB | %s s\n' \
    "$name" "$statuses" "$expected" $(( before / 1024 )) $(( $(kb VmHWM $pid) / 1024 )) $(( $(kb VmRSS $pid) / 1024 )) "$seconds"
  grep -ho '"detail":"[^"]*"\|"file":\["[^"]*"' "$dir/response1" | head -1 || true
  kill $pid; wait $pid 2>/dev/null || true
}

echo "server: $dll"
measure over "$work/over.csv" 400
measure within "$work/within.csv" 201
measure oneline "$work/oneline.csv" 400

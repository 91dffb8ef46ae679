#!/usr/bin/env bash
# The same MNIST spec trained through the service (HTTP submit, hosted worker, metric pump storing every
# step in SQLite and pushing it to the hub) against the CLI, alternately; prints medians and the ratio.
#
#   tests/Benchmarks/service_vs_cli.sh [ROUNDS] [SPEC]   (default 5 rounds, specs/mnist-784-128-10-adam-30epochs.json:
#   the 5-epoch spec of issue 3 trains for half a second, too short to tell steady-state costs from start-up)
#
# Both report samplesPerSecond over the training loop (the run summary's and the CLI's JSON line), so the
# comparison is the cost of observing, storing and broadcasting every step. The service keeps its default
# tiered JIT; each round uses a fresh service process and trains the spec twice in it (cold, then warm).
# MNIST comes from the repository's tests/data/datasets (DATASETS=DIR for another copy holding mnist/).
set -euo pipefail
rounds=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
spec=${2:-$here/specs/mnist-784-128-10-adam-30epochs.json}
datasets=${DATASETS:-$root/tests/data/datasets}

dotnet build "$root/src/TrainingService.Cli" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/src/TrainingService.Api" -c Release -v quiet -nologo >/dev/null
cli="$root/src/TrainingService.Cli/bin/Release/net10.0/train.dll"
api="$root/src/TrainingService.Api/bin/Release/net10.0/TrainingService.Api.dll"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

sps_acc() { /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["summary"]["samplesPerSecond"], d["summary"]["testAccuracy"])' "$1"; }

# One fresh service process; the spec is submitted twice, one run after the other: the first run shares the
# process's first seconds with start-up JIT work ("cold"), the second is what a long-running service sees ("warm").
# Prints "COLD_SPS WARM_SPS ACCURACY".
service_run() {
  local dir port pid id json cold warm
  dir=$(mktemp -d); port=$(free_port)
  mkdir -p "$dir/data" && ln -s "$datasets/mnist" "$dir/data/mnist"
  env ${SERVICE_ENV:-} Training__DataDirectory="$dir/data" ConnectionStrings__Training="Data Source=$dir/training.db" \
    Logging__LogLevel__Default=Warning dotnet "$api" --urls "http://127.0.0.1:$port" >"$dir/log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
  for pass in cold warm; do
    id=$(curl -sf -X POST "http://127.0.0.1:$port/api/runs" -H 'content-type: application/json' --data @"$spec" \
         | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    while :; do
      json=$(curl -sf "http://127.0.0.1:$port/api/runs/$id")
      case "$json" in *'"status":"queued"'*|*'"status":"running"'*) sleep 0.2 ;; *) break ;; esac
    done
    if [ "$pass" = cold ]; then cold=$(sps_acc "$json"); else warm=$(sps_acc "$json"); fi
  done
  # No point lost: every step the engine reported is a stored row.
  /usr/bin/python3 - "$dir/training.db" >&2 <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for run_id, steps, rows in db.execute('SELECT r.Id, r.Step, (SELECT COUNT(*) FROM StepMetrics m WHERE m.RunId = r.Id) FROM Runs r ORDER BY r.Id'):
    print(f"  run {run_id}: {steps} steps, {rows} rows stored{'' if steps == rows else '  <-- MISMATCH'}")
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  echo "${cold% *} $warm"
}

out=$(mktemp)
for r in $(seq "$rounds"); do
  c=$(dotnet "$cli" train "$spec" --data-dir "$datasets" | tail -n 1 \
      | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["samplesPerSecond"], d["testAccuracy"])')
  s=$(service_run)
  read -r cold warm acc <<<"$s"
  echo "cli $c" >>"$out"; echo "cold $cold $acc" >>"$out"; echo "warm $warm $acc" >>"$out"
  echo "round $r: cli $c | service $s" >&2
done
/usr/bin/python3 - "$out" <<'PY'
import statistics, sys
rows = {"cli": [], "cold": [], "warm": []}
for line in open(sys.argv[1]):
    who, sps, acc = line.split()
    rows[who].append(float(sps))
c = statistics.median(rows["cli"])
print(f"| path | samples/s (median of {len(rows['cli'])}) | / CLI |\n|---|---|---|\n| CLI | {c:,.0f} | 1.000 |")
for who, label in (("cold", "service, first run of a fresh process"), ("warm", "service, second run (long-running host)")):
    s = statistics.median(rows[who])
    print(f"| {label} | {s:,.0f} | {s / c:.3f} ({(1 - s / c) * 100:+.1f} % slower) |")
PY

#!/usr/bin/env bash
# The gradient check on relu 64-64 nets on the 8×8 digits (256 standardized rows, the check of step 0), seeds 1..N:
# per seed the max relative error per layer and the entries left out because θ ± h straddles a relu kink.
# Needs a Release build of the CLI (dotnet build TrainingService.sln -c Release).
#
#   tests/Benchmarks/gradient_check_kinks.sh [SEEDS]      (default 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
spec=$(mktemp --suffix .json); trap 'rm -f "$spec"' EXIT
for seed in $(seq 1 "${1:-10}"); do
  cat > "$spec" <<JSON
{"dataset":{"name":"digits8x8","standardize":true},"model":{"hidden":[64,64],"activation":"relu"},
 "optimizer":{"type":"sgd","learningRate":0.1},"batchSize":256,"epochs":1,"seed":$seed,"gradientCheck":true}
JSON
  line=$(dotnet "$root/src/TrainingService.Cli/bin/Release/net10.0/train.dll" train "$spec" --data-dir "$root/tests/data/datasets/uci" | tail -1)
  echo "seed $seed: $(grep -o '"gradientCheck[^]]*]' <<<"$line" | tr '\n' ' ')"
done

#!/usr/bin/env bash
# The engine-speed benchmark in one command: MLP training (mlp_vs_torch.sh) then GEMM (gemm_vs_torch.sh),
# each alternating our engine and PyTorch+OpenBLAS on the same machine, at 1 and 2 threads.
#
#   tests/Benchmarks/engine_vs_torch.sh [ROUNDS]      (default 6 MLP rounds, 5 GEMM rounds)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-6}
echo "## MLP training, samples/s (median of $rounds interleaved rounds)"
"$here/mlp_vs_torch.sh" "$rounds"
echo
echo "## GEMM N×N, GFLOP/s"
"$here/gemm_vs_torch.sh" "$(( rounds < 5 ? rounds : 5 ))"

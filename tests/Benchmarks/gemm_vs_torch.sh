#!/usr/bin/env bash
# GEMM throughput of the engine (Kernels.MatMul) against torch.mm on OpenBLAS's AVX-512 kernels,
# run alternately on the same machine, N×N float32, N in $SIZES, threads in $THREADS.
#
#   tests/Benchmarks/gemm_vs_torch.sh [ROUNDS]          (default 3 rounds, each 5 timed reps per run)
#
# Installs what is missing: Debian's python3-torch (for /usr/bin/python3), and OpenBLAS 0.3.21
# (libopenblas0-openmp) unpacked into /tmp/ob without touching the system's libblas — see the
# header of the peer. The peer is not part of this repository: it is the team's PyTorch script
# ../shared/bench/peer_pytorch_mlp.py beside the repository (PEER=FILE names another). OPENBLAS_CORETYPE=SkylakeX because 0.3.21 does not
# recognise Sapphire Rapids and would otherwise fall back to its AVX2 kernels.
# Thread counts: ours via --threads; torch via its --threads (torch.set_num_threads), with
# OMP_NUM_THREADS/OPENBLAS_NUM_THREADS set to the same value so OpenBLAS's OpenMP pool agrees.
# The machine is shared: every (N, threads) pair alternates ours/torch once per round, and the
# table reports the median over rounds of each run's median.
set -euo pipefail
rounds=${1:-3}
SIZES=${SIZES:-"256 1024 2048"}
THREADS=${THREADS:-"1 2"}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
peer=${PEER:-$root/../shared/bench/peer_pytorch_mlp.py}
# shellcheck source=peer_env.sh
source "$here/peer_env.sh"
[ -f "$peer" ] || { echo "peer script not found: $peer (set PEER=...)" >&2; exit 1; }

dotnet build "$here/TrainingService.Benchmarks.csproj" -c Release -v quiet -nologo >/dev/null
bench="$here/bin/Release/net10.0/bench"
out=$(mktemp)
for r in $(seq "$rounds"); do
  for n in $SIZES; do
    for t in $THREADS; do
      ours=$("$bench" gemm "$n" --threads "$t" --reps 5)
      theirs=$(LD_LIBRARY_PATH=$ob OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
        /usr/bin/python3 "$peer" --gemm "$n" --gemm-reps 5 --threads "$t")
      echo "ours $ours" >>"$out"; echo "torch $theirs" >>"$out"
      echo "round $r n=$n threads=$t: ours $(sed 's/.*"gflops":\([0-9.]*\).*/\1/' <<<"$ours")" \
        "torch $(sed 's/.*"gflops_median": *\([0-9.]*\).*/\1/' <<<"$theirs") GFLOP/s" >&2
    done
  done
done

/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows, blas = {}, set()
for line in open(sys.argv[1]):
    who, js = line.split(" ", 1)
    d = json.loads(js)
    key = (d["n"], d["threads"])
    rows.setdefault(key, {"ours": [], "torch": []})
    if who == "ours":
        rows[key]["ours"].append(d["gflops"])
    else:
        rows[key]["torch"].append(d["gflops_median"]); blas.add(d["blas"])
print(f"torch.mm BLAS: {', '.join(sorted(blas))}")
print(f"{'N':>6} {'threads':>7} {'ours GFLOP/s':>13} {'torch GFLOP/s':>14} {'ours/torch':>10}   (medians over {len(next(iter(rows.values()))['ours'])} rounds)")
for (n, t), v in sorted(rows.items()):
    o, p = statistics.median(v["ours"]), statistics.median(v["torch"])
    print(f"{n:>6} {t:>7} {o:>13.1f} {p:>14.1f} {o / p:>10.2f}")
PY
rm -f "$out"

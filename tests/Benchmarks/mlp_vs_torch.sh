#!/usr/bin/env bash
# MLP training throughput of the engine CLI against PyTorch (OpenBLAS AVX-512), run alternately on the
# same machine with the same configurations, at 1 and 2 threads; prints medians and ratios.
#
#   tests/Benchmarks/mlp_vs_torch.sh [ROUNDS]        (default 6)
#
# Configurations (MNIST t10k: first 8000 train, last 2000 test; see specs/):
#   784-128-10 ReLU Adam batch 64, 5 epochs; 784-256-256-10 ReLU Adam batch 128, 5 epochs;
#   784-1024-1024-10 ReLU SGD lr 0.1 batch 256, 2 epochs.
# Both sides time the training loop only (ours: trainSeconds of the CLI's JSON line, which excludes
# data loading and the test pass; the peer: its train_seconds). Peak memory is the CLI process's
# peak working set (VmHWM). Installs python3-torch and unpacks libopenblas0-openmp into /tmp/ob when
# missing, as the peer's header explains.
# The peer is not part of this repository: it is the team's PyTorch script in ../shared/bench beside the
# repository (SHARED=DIR names another folder holding bench/). Both sides read MNIST from the repository's
# tests/data/datasets (DATASETS=DIR for another copy holding mnist/).
set -euo pipefail
rounds=${1:-6}
THREADS=${THREADS:-"1 2"}
CONFIGS=${CONFIGS:-"784-128-10-adam 784-256-256-10-adam 784-1024-1024-10-sgd"}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${SHARED:-$root/../shared}
peer=$shared/bench/peer_pytorch_mlp.py
datasets=${DATASETS:-$root/tests/data/datasets}
[ -f "$peer" ] || { echo "peer script not found: $peer (set SHARED=...)" >&2; exit 1; }
# shellcheck source=peer_env.sh
source "$here/peer_env.sh"

dotnet build "$root/src/TrainingService.Cli" -c Release -v quiet -nologo >/dev/null
cli="$root/src/TrainingService.Cli/bin/Release/net10.0/train.dll"

peer_args() {
  case "$1" in
    784-128-10-adam) echo "--layers 784,128,10 --optimizer adam --lr 0.001 --batch-size 64 --epochs 5" ;;
    784-256-256-10-adam) echo "--layers 784,256,256,10 --optimizer adam --lr 0.001 --batch-size 128 --epochs 5" ;;
    784-1024-1024-10-sgd) echo "--layers 784,1024,1024,10 --optimizer sgd --lr 0.1 --batch-size 256 --epochs 2" ;;
  esac
}

out=$(mktemp)
for r in $(seq "$rounds"); do
  for c in $CONFIGS; do
    for t in $THREADS; do
      ours=$(dotnet "$cli" train "$here/specs/mnist-$c.json" --data-dir "$datasets" --threads "$t" | tail -n 1)
      # shellcheck disable=SC2046
      theirs=$(LD_LIBRARY_PATH=$ob OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
        /usr/bin/python3 "$peer" --data-dir "$datasets/mnist" --threads "$t" $(peer_args "$c"))
      echo "$c $t ours $ours" >>"$out"; echo "$c $t torch $theirs" >>"$out"
      echo "round $r $c threads=$t: ours $(sed 's/.*"samplesPerSecond":\([0-9.]*\).*/\1/' <<<"$ours")" \
        "torch $(sed 's/.*"samples_per_second": *\([0-9.]*\).*/\1/' <<<"$theirs") samples/s" >&2
    done
  done
done

/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    cfg, t, who, js = line.split(" ", 3)
    d = json.loads(js)
    r = rows.setdefault((cfg, int(t)), {"ours": [], "torch": [], "oacc": [], "tacc": [], "mem": [], "blas": ""})
    if who == "ours":
        r["ours"].append(d["samplesPerSecond"]); r["oacc"].append(d["testAccuracy"]); r["mem"].append(d["peakWorkingSetMB"])
    else:
        r["torch"].append(d["samples_per_second"]); r["tacc"].append(d["test_accuracy"]); r["blas"] = d.get("blas", "")
med = statistics.median
print(f"| configuration | threads | engine samples/s | PyTorch samples/s | ratio | engine test acc | PyTorch test acc | engine peak MB | runs |")
print("|---|---|---|---|---|---|---|---|---|")
for (cfg, t), r in sorted(rows.items()):
    o, p = med(r["ours"]), med(r["torch"])
    print(f"| {cfg} | {t} | {o:,.0f} | {p:,.0f} | {o / p:.2f}× | {med(r['oacc']):.4f} | {med(r['tacc']):.4f} | {max(r['mem']):.0f} | {len(r['ours'])} |")
print(f"\npeer BLAS: {next(iter(rows.values()))['blas']}")
PY

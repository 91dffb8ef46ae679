#!/usr/bin/env bash
# CNN training throughput of the engine CLI against PyTorch (oneDNN), run alternately on the same machine with
# the same architectures, at 1 and 2 threads; prints medians and ratios.
#
#   tests/Benchmarks/cnn_vs_torch.sh [ROUNDS]        (default 5)
#
# Architectures (the peer's --arch; specs/mnist-cnn-*.json): MNIST t10k, first 8000 train, last 2000 test, pixels in
# [0, 1], Adam lr 0.001, batch 64, 3 epochs.
#   small  conv 3×3 pad 1 (32) relu maxpool 2, conv 3×3 pad 1 (64) relu maxpool 2, flatten, dense 128 relu, dense 10
#   lenet  conv 5×5 (6) relu maxpool 2, conv 5×5 (16) relu maxpool 2, flatten, dense 120 relu, dense 84 relu, dense 10
# Both sides time the training loop only (ours: trainSeconds of the CLI's JSON line; the peer: its train_seconds).
# "% of peak" = samples/s × the arch's training FLOPs per sample (forward, dW and, below the first layer, dX: 2 per
# multiply-add; small 25.0 M, lenet 1.52 M) ÷ (threads × one core's FMA peak, `bench peak`, measured before and after).
# The peer is the team's ../shared/bench/peer_pytorch_cnn.py beside the repository (SHARED=DIR names another folder
# holding bench/), run with /usr/bin/python3 (apt-get install -y python3-torch when missing). Both sides read MNIST
# from the repository's tests/data/datasets (DATASETS=DIR for another copy holding mnist/).
set -euo pipefail
rounds=${1:-5}
THREADS=${THREADS:-"1 2"}
ARCHS=${ARCHS:-"small lenet"}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${SHARED:-$root/../shared}
peer=$shared/bench/peer_pytorch_cnn.py
datasets=${DATASETS:-$root/tests/data/datasets}
[ -f "$peer" ] || { echo "peer script not found: $peer (set SHARED=...)" >&2; exit 1; }
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "PyTorch missing: apt-get install -y python3-torch" >&2; exit 1; }

dotnet build "$root/src/TrainingService.Cli" -c Release -v quiet -nologo >/dev/null
dotnet build "$here" -c Release -v quiet -nologo >/dev/null
cli="$root/src/TrainingService.Cli/bin/Release/net10.0/train.dll"
bench="$here/bin/Release/net10.0/bench.dll"

out=$(mktemp)
dotnet "$bench" peak --reps 5 | sed 's/^/peak /' >>"$out"
for r in $(seq "$rounds"); do
  for a in $ARCHS; do
    for t in $THREADS; do
      ours=$(dotnet "$cli" train "$here/specs/mnist-cnn-$a.json" --data-dir "$datasets" --threads "$t" | tail -n 1)
      theirs=$(OMP_NUM_THREADS=$t /usr/bin/python3 "$peer" --data-dir "$datasets/mnist" --arch "$a" --threads "$t")
      echo "$a $t ours $ours" >>"$out"; echo "$a $t torch $theirs" >>"$out"
      echo "round $r $a threads=$t: ours $(sed 's/.*"samplesPerSecond":\([0-9.]*\).*/\1/' <<<"$ours")" \
        "torch $(sed 's/.*"samples_per_second": *\([0-9.]*\).*/\1/' <<<"$theirs") samples/s" >&2
    done
  done
done

dotnet "$bench" peak --reps 5 | sed 's/^/peak /' >>"$out"

/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = {}
peaks = []
flops = {"small": 2 * 12_497_664, "lenet": 2 * 758_520}
for line in open(sys.argv[1]):
    if line.startswith("peak "):
        peaks.append(json.loads(line[5:])["gflops_per_cpu_second"]); continue
    arch, t, who, js = line.split(" ", 3)
    d = json.loads(js)
    r = rows.setdefault((arch, int(t)), {"ours": [], "torch": [], "oacc": [], "tacc": [], "mem": []})
    if who == "ours":
        r["ours"].append(d["samplesPerSecond"]); r["oacc"].append(d["testAccuracy"]); r["mem"].append(d["peakWorkingSetMB"])
    else:
        r["torch"].append(d["samples_per_second"]); r["tacc"].append(d["test_accuracy"])
med = statistics.median
peak = max(peaks)
print(f"FMA peak of one core: {peak:.0f} GFLOP/s (bench peak, per CPU-second; {', '.join(f'{p:.0f}' for p in peaks)})")
print("| architecture | threads | engine samples/s | PyTorch samples/s | ratio | engine % of peak | PyTorch % of peak | engine test acc | PyTorch test acc | engine peak MB | runs |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for (arch, t), r in sorted(rows.items()):
    o, p = med(r["ours"]), med(r["torch"])
    pct = lambda s: 100 * s * flops[arch] / (t * peak * 1e9)
    print(f"| {arch} | {t} | {o:,.0f} | {p:,.0f} | {o / p:.2f}× | {pct(o):.0f} % | {pct(p):.0f} % | {med(r['oacc']):.4f} | {med(r['tacc']):.4f} | {max(r['mem']):.0f} | {len(r['ours'])} |")
PY

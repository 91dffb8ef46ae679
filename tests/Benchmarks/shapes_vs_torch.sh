#!/usr/bin/env bash
# The MLP's matrix products, ours (`bench mlp`) against PyTorch + OpenBLAS (peer_shapes.py), alternating once per
# round on the same machine; prints the median GFLOP/s of each product over the rounds and the ratio.
#
#   tests/Benchmarks/shapes_vs_torch.sh [ROUNDS]          (default 4; THREADS="2" by default)
#
# Where the MLP benchmark's time goes: the 784-1024-1024-10 run is ~90 % these products.
set -euo pipefail
rounds=${1:-4}
THREADS=${THREADS:-"2"}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=peer_env.sh
source "$here/peer_env.sh"
dotnet build "$here/TrainingService.Benchmarks.csproj" -c Release -v quiet -nologo >/dev/null
bench="$here/bin/Release/net10.0/bench"
out=$(mktemp)
for r in $(seq "$rounds"); do
  for t in $THREADS; do
    LD_LIBRARY_PATH=$ob OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
      /usr/bin/python3 "$here/peer_shapes.py" --threads "$t" | sed 's/^/torch /' >>"$out"
    "$bench" mlp --threads "$t" --reps 5 | sed 's/^/ours /' >>"$out"
    echo "round $r threads=$t done" >&2
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1], encoding="utf-8"):
    who, js = line.split(" ", 1)
    d = json.loads(js)
    rows.setdefault((d["threads"], d["shape"], d["op"]), {"ours": [], "torch": []})[who].append(d["gflops"])
print("| threads | product | shape | ours GFLOP/s | PyTorch GFLOP/s | ours / PyTorch |")
print("|---|---|---|---|---|---|")
for (t, shape, op), v in rows.items():
    if not v["ours"] or not v["torch"]: continue
    o, p = statistics.median(v["ours"]), statistics.median(v["torch"])
    print(f"| {t} | {op} | {shape} | {o:.1f} | {p:.1f} | {o / p:.2f} |")
PY
rm -f "$out"

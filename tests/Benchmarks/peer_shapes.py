"""The MLP's matrix products in PyTorch, timed like `bench mlp` (tests/Benchmarks/Program.cs): the same six
(batch, in, out) layer shapes and three products each — forward Z = H·Wᵀ (F.linear), backward dH = dZ·W and
dW = dZᵀ·H — each rep timing enough back-to-back calls to last >= 20 ms, median over reps. One JSON line per
product, with the same `op` and `shape` strings as `bench mlp`. Run with OpenBLAS as peer_env.sh sets it up:
    LD_LIBRARY_PATH=$ob OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=T python3 peer_shapes.py --threads T
"""
import argparse, json, statistics, time
import torch

SHAPES = [(64, 784, 128), (64, 128, 10), (256, 784, 1024), (256, 1024, 1024), (256, 1024, 10), (128, 256, 256)]


def measure(flops, reps, call):
    call(); call()
    t0, calls = time.perf_counter(), 0
    while time.perf_counter() - t0 < 0.03 or calls < 2:
        call(); calls += 1
    per_rep = max(1, int(calls * 0.02 / (time.perf_counter() - t0)))
    g = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(per_rep):
            call()
        g.append(flops * per_rep / (time.perf_counter() - t0) / 1e9)
    return statistics.median(g)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--reps", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for batch, inp, outp in SHAPES:
        h, w, z = torch.rand(batch, inp), torch.rand(outp, inp), torch.rand(batch, outp)
        flops = 2.0 * batch * inp * outp
        cases = [
            ("forward Z=H·Wᵀ", f"{batch}×{inp}·({outp}×{inp})ᵀ", lambda: torch.nn.functional.linear(h, w)),
            ("backward dH=dZ·W", f"{batch}×{outp}·{outp}×{inp}", lambda: z @ w),
            ("backward dW=dZᵀ·H", f"({batch}×{outp})ᵀ·{batch}×{inp}", lambda: z.t() @ h),
        ]
        for op, shape, call in cases:
            print(json.dumps({"peer": "pytorch", "op": op, "shape": shape, "threads": torch.get_num_threads(),
                              "gflops": round(measure(flops, a.reps, call), 2)}, ensure_ascii=False))


if __name__ == "__main__":
    main()

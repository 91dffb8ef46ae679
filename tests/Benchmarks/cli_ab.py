#!/usr/bin/env python3
"""Training throughput of two engine builds (two train.dll) on the same specs, interleaved A B, B A, A B …: whichever
build runs second in a pair tends to be a little faster here, so the order alternates. Every run's loss and test
figures must match between the builds (a refactoring that claims bit-identical training is checked as it is timed).

    /usr/bin/python3 tests/Benchmarks/cli_ab.py A/train.dll B/train.dll [ROUNDS] [THREADS...]
    (default 6 rounds, threads 1 and 2; specs: the three MNIST configurations of mlp_vs_torch.sh; SPECS=a.json,b.json
    for others, DATASETS=DIR for another copy of tests/data/datasets)

Prints each pair, then per spec and thread count the medians and the median of the per-round ratios B/A, of wall-clock
samples/s (the CLI's samplesPerSecond) and of the whole process's CPU seconds (user + sys: start, data loading and the
test pass included, so its ratio understates a difference in training speed, but time-sharing with other processes
does not dilute it the way it dilutes wall-clock figures on a busy machine).
"""
import json, os, resource, statistics, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
datasets = os.environ.get("DATASETS", os.path.join(root, "tests/data/datasets"))
specs = os.environ.get("SPECS", ",".join(os.path.join(here, "specs", f"mnist-{c}.json") for c in
                                         ["784-128-10-adam", "784-256-256-10-adam", "784-1024-1024-10-sgd"])).split(",")
SAME = ["finalTrainLoss", "trainAccuracy", "testLoss", "testAccuracy", "steps"]


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(dll, spec, threads):
    before = cpu_seconds()
    out = subprocess.run(["dotnet", dll, "train", spec, "--data-dir", datasets, "--threads", str(threads)],
                         check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["cpuSeconds"] = cpu_seconds() - before
    return result


def main():
    a, b = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    threads = [int(t) for t in sys.argv[4:]] or [1, 2]
    results = {}
    for r in range(rounds):
        for spec in specs:
            for t in threads:
                first, second = (a, b) if r % 2 == 0 else (b, a)
                x = run(first, spec, t)
                y = run(second, spec, t)
                ra, rb = (x, y) if first == a else (y, x)
                differ = [k for k in SAME if ra[k] != rb[k]]
                name = os.path.basename(spec).removesuffix(".json")
                print(f"round {r + 1} {name} threads={t}: A {ra['samplesPerSecond']:,.0f} B {rb['samplesPerSecond']:,.0f}"
                      f" samples/s, A {ra['cpuSeconds']:.2f} B {rb['cpuSeconds']:.2f} CPU s"
                      f"{'  RESULTS DIFFER: ' + ', '.join(differ) if differ else ''}", file=sys.stderr, flush=True)
                results.setdefault((name, t), []).append((ra, rb, not differ))
    med = statistics.median
    print("| configuration | threads | A samples/s | B samples/s | B/A wall | A CPU s | B CPU s | A/B CPU | rounds | results identical |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (name, t), rows in sorted(results.items()):
        print(f"| {name} | {t} | {med(x['samplesPerSecond'] for x, _, _ in rows):,.0f} | {med(y['samplesPerSecond'] for _, y, _ in rows):,.0f} |"
              f" {med(y['samplesPerSecond'] / x['samplesPerSecond'] for x, y, _ in rows):.3f} |"
              f" {med(x['cpuSeconds'] for x, _, _ in rows):.2f} | {med(y['cpuSeconds'] for _, y, _ in rows):.2f} |"
              f" {med(x['cpuSeconds'] / y['cpuSeconds'] for x, y, _ in rows):.3f} | {len(rows)} | {all(s for _, _, s in rows)} |")
    print("\nB/A wall above 1 and A/B CPU above 1 both mean B is faster.")


if __name__ == "__main__":
    main()

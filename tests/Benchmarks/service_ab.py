#!/usr/bin/env python3
"""Training throughput of two service builds on one spec, interleaved A B B A A B …: each round starts a fresh service of
each build (SQLite in a temp directory), trains the spec twice in it (the second run is what a long-running host
sees) and records that run's samplesPerSecond; every stored step is counted against the run's step counter.

    /usr/bin/python3 tests/Benchmarks/service_ab.py A.dll B.dll [SPEC] [ROUNDS]
    (default SPEC tests/Benchmarks/specs/spiral-many-steps.json: storage-bound, the hardest case for the pump; 5 rounds)

Prints each round, then the medians and the median of the per-round ratios B/A.
"""
import json, os, sqlite3, statistics, sys

from bench_service import service, train

here = os.path.dirname(os.path.abspath(__file__))


def warm_sps(dll, spec):
    with service(dll) as (proc, base, work):
        sps = [train(base, spec)["summary"]["samplesPerSecond"] for _ in range(2)][1]
        db = sqlite3.connect(f"{work}/training.db")
        for rid, steps, rows in db.execute("SELECT r.Id, r.Step, (SELECT COUNT(*) FROM StepMetrics m WHERE m.RunId = r.Id) FROM Runs r"):
            if steps != rows:
                print(f"  MISMATCH run {rid}: {steps} steps, {rows} rows", file=sys.stderr)
        db.close()
        return sps


def main():
    a, b = sys.argv[1], sys.argv[2]
    spec = json.load(open(sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "specs/spiral-many-steps.json")))
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    sa, sb, ratios = [], [], []
    for r in range(rounds):
        # A B, then B A: whichever build runs second in a round tends to be a little faster here.
        if r % 2 == 0:
            x, y = warm_sps(a, spec), warm_sps(b, spec)
        else:
            y, x = warm_sps(b, spec), warm_sps(a, spec)
        sa.append(x); sb.append(y); ratios.append(y / x)
        print(f"round {r + 1}: A {x:,.0f}  B {y:,.0f}  B/A {y / x:.3f}", flush=True)
    print(f"median samples/s: A {statistics.median(sa):,.0f}  B {statistics.median(sb):,.0f}; median B/A {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")


if __name__ == "__main__":
    main()

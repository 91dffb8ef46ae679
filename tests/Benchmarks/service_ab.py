#!/usr/bin/env python3
"""Training throughput of two service builds on one spec, interleaved A B A B …: each round starts a fresh service of
each build (SQLite in a temp directory), trains the spec twice in it (the second run is what a long-running host
sees) and records that run's samplesPerSecond; every stored step is counted against the run's step counter.

    /usr/bin/python3 tests/Benchmarks/service_ab.py A.dll B.dll [SPEC] [ROUNDS]
    (default SPEC tests/Benchmarks/specs/spiral-many-steps.json: storage-bound, the hardest case for the pump; 5 rounds)

Prints each round, then the medians and the median of the per-round ratios B/A.
"""
import json, os, socket, sqlite3, statistics, subprocess, sys, tempfile, time, urllib.request

here = os.path.dirname(os.path.abspath(__file__))


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def warm_sps(dll, spec):
    work = tempfile.mkdtemp()
    port = free_port()
    env = dict(os.environ, Training__DataDirectory=f"{work}/data", ConnectionStrings__Training=f"Data Source={work}/training.db",
               Logging__LogLevel__Default="Warning", ASPNETCORE_ENVIRONMENT="Production")
    proc = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read(); break
            except Exception:
                time.sleep(0.2)
        sps = None
        for _ in range(2):
            req = urllib.request.Request(base + "/api/runs", data=json.dumps(spec).encode(), headers={"content-type": "application/json"})
            run_id = json.load(urllib.request.urlopen(req))["id"]
            while True:
                run = json.load(urllib.request.urlopen(f"{base}/api/runs/{run_id}"))
                if run["status"] not in ("queued", "running"):
                    break
                time.sleep(0.2)
            sps = run["summary"]["samplesPerSecond"]
        db = sqlite3.connect(f"{work}/training.db")
        for rid, steps, rows in db.execute("SELECT r.Id, r.Step, (SELECT COUNT(*) FROM StepMetrics m WHERE m.RunId = r.Id) FROM Runs r"):
            if steps != rows:
                print(f"  MISMATCH run {rid}: {steps} steps, {rows} rows", file=sys.stderr)
        db.close()
        return sps
    finally:
        proc.terminate(); proc.wait()
        subprocess.run(["rm", "-rf", work])


def main():
    a, b = sys.argv[1], sys.argv[2]
    spec = json.load(open(sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "specs/spiral-many-steps.json")))
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    sa, sb, ratios = [], [], []
    for r in range(rounds):
        x, y = warm_sps(a, spec), warm_sps(b, spec)
        sa.append(x); sb.append(y); ratios.append(y / x)
        print(f"round {r + 1}: A {x:,.0f}  B {y:,.0f}  B/A {y / x:.3f}", flush=True)
    print(f"median samples/s: A {statistics.median(sa):,.0f}  B {statistics.median(sb):,.0f}; median B/A {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")


if __name__ == "__main__":
    main()

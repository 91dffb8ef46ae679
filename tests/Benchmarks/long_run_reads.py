#!/usr/bin/env python3
"""Reads of one long run: time and server memory growth of the thinned read, a zoomed range, the CSV export and the
raw read of every stored step.

    /usr/bin/python3 tests/Benchmarks/long_run_reads.py [EPOCHS ...]   (default 100: xor of 28,572 samples, hidden [4], batch 1: 2M steps)

For each EPOCHS: a fresh service (this tree's Release build, or APP_DLL) on a temp SQLite file trains
{xor of SAMPLES (28,572) samples, hidden [4], batch 1, EPOCHS epochs} (20,000 training rows: 20,000 steps an epoch), then each request is made ROUNDS times (default 3,
env). Memory growth = the process's peak RSS during the request (VmHWM, reset through /proc/PID/clear_refs) minus
its RSS before; time = wall clock of the whole response. Prints one line per request: median seconds, median MB
growth, and the response's size (points or CSV rows).
"""
import json, os, statistics, sys, time, urllib.request

from bench_service import service, train

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
dll = os.environ.get("APP_DLL", os.path.join(root, "src/TrainingService.Api/bin/Release/net10.0/TrainingService.Api.dll"))
rounds = int(os.environ.get("ROUNDS", "3"))


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # MB
    return 0.0


def measure(pid, url):
    rss = status(pid, "VmRSS")
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as r:
        body = r.read()
    seconds = time.perf_counter() - t
    return seconds, status(pid, "VmHWM") - rss, body


def main(epochs_list):
    for epochs in epochs_list:
        with service(dll) as (proc, base, work):
            spec = {"dataset": {"name": "xor", "samples": int(os.environ.get("SAMPLES", "28572"))}, "model": {"hidden": [4]}, "batchSize": 1, "epochs": epochs, "seed": 1}
            t = time.perf_counter()
            run = train(base, spec)
            run_id = run["id"]
            steps = run["progress"]["totalSteps"]
            files = sum(os.path.getsize(f"{work}/{f}") for f in os.listdir(work) if f.startswith("training.db"))
            print(f"# storage: the run reports {run.get('storage', {}).get('bytes', 0) / 1e6:.1f} MB; the SQLite files hold {files / 1e6:.1f} MB", flush=True)
            print(f"# {epochs} epochs: {steps} steps, status {run['status']}, trained and stored in {time.perf_counter() - t:.1f} s; "
                  f"server RSS {status(proc.pid, 'VmRSS'):.0f} MB", flush=True)
            mid = steps // 2
            requests = [
                ("maxPoints=1000", f"/api/runs/{run_id}/metrics?maxPoints=1000"),
                ("zoom 10% maxPoints=1000", f"/api/runs/{run_id}/metrics?fromStep={mid}&toStep={mid + steps // 10}&maxPoints=1000"),
                ("metrics.csv", f"/api/runs/{run_id}/metrics.csv"),
                ("every stored step (no maxPoints)", f"/api/runs/{run_id}/metrics"),
            ]
            for name, path in requests:
                results = [measure(proc.pid, base + path) for _ in range(rounds)]
                body = results[-1][2]
                size = body.count(b"\n") - 1 if path.endswith(".csv") else len(json.loads(body)["steps"])
                last = "" if path.endswith(".csv") else f", last step {json.loads(body)['steps'][-1]['step']}"
                print(f"{name:28s} {statistics.median(r[0] for r in results):7.3f} s  {statistics.median(r[1] for r in results):7.1f} MB growth  "
                      f"({size} {'rows' if path.endswith('.csv') else 'points'}{last})", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100])

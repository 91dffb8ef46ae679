#!/usr/bin/env python3
"""Hostile input, cancellation part (issue 12): against a built service, measure

  1. for each expensive kind of step (gradient check on a wide net, numerical gradients, a genetic population of
     10,000 on a 280,000-row full batch): the time from POST /cancel (or DELETE) of the run, inside its first step,
     to the next queued run being `running`;
  2. the CPU the server burns 5 s after four dropped `landscape?resolution=60` requests on a 2-parameter run over
     1,000,000 samples (the clients give up after 1 s), over the following 5 s.

Usage: python3 cancel.py path/to/TrainingService.Api.dll [--timeout 60] [--landscape-only]
                         [--setting Training__MaxGridCost=1000000000000]
Each scenario gets a fresh service on a fresh data directory (SQLite). Only the standard library is used.
"""
import json, os, shutil, subprocess, sys, tempfile, time, urllib.request, urllib.error

PORT = 5917
BASE = f"http://127.0.0.1:{PORT}"

EXPENSIVE = {
    "gradient check, hidden [1024,1024,1024]": {
        "dataset": {"name": "spiral", "samples": 2000}, "model": {"hidden": [1024, 1024, 1024]},
        "gradientCheck": True, "batchSize": 64, "epochs": 1, "seed": 1},
    "numerical gradients, hidden [128,128], 14,000-row batch": {
        "dataset": {"name": "spiral", "samples": 20000}, "model": {"hidden": [128, 128]},
        "gradient": "numerical", "optimizer": {"type": "sgd"}, "batchSize": 0, "epochs": 1, "seed": 1},
    "genetic, population 10,000, 280,000-row full batch": {
        "dataset": {"name": "spiral", "samples": 400000}, "model": {"hidden": [8]},
        "optimizer": {"type": "genetic", "populationSize": 10000}, "batchSize": 0, "epochs": 1, "seed": 1},
}
SMALL = {"dataset": {"name": "spiral", "samples": 150}, "model": {"hidden": [16]}, "batchSize": 16, "epochs": 1, "seed": 1}
LINE = {"dataset": {"name": "linear", "samples": 1000000}, "model": {"hidden": []}, "loss": "mse",
        "optimizer": {"type": "sgd", "learningRate": 0.1}, "batchSize": 0, "epochs": 2, "seed": 2}


def call(method, path, body=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read()
            is_json = "json" in (r.headers.get("Content-Type") or "")
            return r.status, (json.loads(text) if text and is_json else text)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def status(run_id):
    return call("GET", f"/api/runs/{run_id}")[1]["status"]


def wait(pred, timeout, step=0.02):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred():
            return time.monotonic() - t0
        time.sleep(step)
    return None


class Service:
    def __init__(self, dll, settings):
        self.dir = tempfile.mkdtemp(prefix="cancel-bench-")
        env = dict(os.environ, Training__DataDirectory=self.dir, Logging__LogLevel__Default="Warning", **settings)
        self.proc = subprocess.Popen(["dotnet", dll, "--urls", BASE], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if wait(lambda: self._up(), 30, 0.1) is None:
            self.stop()
            raise SystemExit("service did not start")

    def _up(self):
        try:
            return call("GET", "/healthz", timeout=1)[0] == 200
        except Exception:
            return False

    def cpu_seconds(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.kill()  # this script's own child, by its pid
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def cancel_to_next(dll, settings, name, spec, delete, timeout):
    s = Service(dll, settings)
    try:
        code, run = call("POST", "/api/runs", spec)
        if code != 201:
            return f"refused {code}: {str(run)[:120]}"
        wait(lambda: status(run["id"]) == "running", 60)
        _, nxt = call("POST", "/api/runs", SMALL)
        time.sleep(1.0)  # well inside the first step
        t0 = time.monotonic()
        if delete:
            code, _ = call("DELETE", f"/api/runs/{run['id']}", timeout=120)
            took = time.monotonic() - t0
            extra = f", DELETE answered {code} after {took:.2f} s"
        else:
            call("POST", f"/api/runs/{run['id']}/cancel")
            extra = ""
        started = wait(lambda: status(nxt["id"]) in ("running", "succeeded"), timeout)
        after = time.monotonic() - t0
        return (f"next run running after {after:.2f} s" if started is not None else f"next run still queued after {timeout} s") + extra
    finally:
        s.stop()


def dropped_landscapes(dll, settings):
    s = Service(dll, settings)
    try:
        _, run = call("POST", "/api/runs", LINE)
        wait(lambda: status(run["id"]) == "succeeded", 120, 0.2)
        codes = []
        for _ in range(4):
            try:
                codes.append(call("GET", f"/api/runs/{run['id']}/landscape?resolution=60", timeout=1)[0])
            except Exception:
                codes.append("dropped")
        time.sleep(5)
        c0, t0 = s.cpu_seconds(), time.monotonic()
        time.sleep(5)
        busy = (s.cpu_seconds() - c0) / (time.monotonic() - t0)
        # Then 5 s windows until one is idle (under 0.05 cores), at most 180 s after the requests.
        until, last = 10, busy
        while last >= 0.05 and until < 180:
            c1, t1 = s.cpu_seconds(), time.monotonic()
            time.sleep(5)
            last = (s.cpu_seconds() - c1) / (time.monotonic() - t1)
            until += 5
        total = s.cpu_seconds() - c0
        idle = f"idle from {until} s" if last < 0.05 else f"still {last:.2f} cores at {until} s"
        return f"requests: {codes}; CPU 5-10 s after them: {busy:.2f} cores; {idle}; {total:.1f} CPU-s burnt from 5 s on"
    finally:
        s.stop()


def main():
    args = sys.argv[1:]
    dll = args[0]
    timeout = float(args[args.index("--timeout") + 1]) if "--timeout" in args else 60
    settings = dict(a.split("=", 1) for i, a in enumerate(args) if i > 0 and args[i - 1] == "--setting")
    if "--landscape-only" not in args:
        run_cancels(dll, settings, timeout)
    print(f"4 dropped landscape?resolution=60 on 1,000,000 samples: {dropped_landscapes(dll, settings)}", flush=True)


def run_cancels(dll, settings, timeout):
    for name, spec in EXPENSIVE.items():
        print(f"{name}: cancel → {cancel_to_next(dll, settings, name, spec, False, timeout)}", flush=True)
    name = "genetic, population 10,000, 280,000-row full batch"
    print(f"{name}: DELETE → {cancel_to_next(dll, settings, name, EXPENSIVE[name], True, timeout)}", flush=True)


if __name__ == "__main__":
    main()

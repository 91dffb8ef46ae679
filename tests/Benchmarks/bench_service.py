"""A fresh service process for the Python benchmarks: a Release build (or any Api dll) on a free loopback port with a
temp data directory and SQLite file, and the two calls they all make (submit a spec, wait for the run to end)."""
import contextlib, json, os, socket, subprocess, tempfile, time, urllib.request


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


@contextlib.contextmanager
def service(dll):
    """Yields (process, base URL, work directory); the process is stopped and the directory removed afterwards."""
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
        yield proc, base, work
    finally:
        proc.terminate(); proc.wait()
        subprocess.run(["rm", "-rf", work])


def train(base, spec):
    """Submits the spec and returns the run once it has ended."""
    req = urllib.request.Request(base + "/api/runs", data=json.dumps(spec).encode(), headers={"content-type": "application/json"})
    run_id = json.load(urllib.request.urlopen(req))["id"]
    while True:
        run = json.load(urllib.request.urlopen(f"{base}/api/runs/{run_id}"))
        if run["status"] not in ("queued", "running"):
            return run
        time.sleep(0.2)

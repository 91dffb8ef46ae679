// Starts the built API (Release) on a free port with a throwaway data directory and SQLite file.
// By default the working (content) root is the repository, so the app serves wwwroot/ as it is in the tree;
// { cwd: 'temp' } runs it from the temp dir instead, where it falls back to the wwwroot copy in its build output.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = join(repoRoot, 'tests/e2e/artifacts');
const defaultDll = join(repoRoot, 'src/TrainingService.Api/bin/Release/net10.0/TrainingService.Api.dll');

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

/** `dir`: a data directory to reuse (kept at stop; the caller removes it), e.g. to restart on the same data.
 *  @returns {Promise<{ url: string, pid: number, dir: string, stop: () => Promise<void>, kill: () => Promise<void> }>} */
export async function startServer({ name = 'server', env = {}, cwd = 'repo', dir: reuse } = {}) {
  const dir = reuse ?? await mkdtemp(join(tmpdir(), 'ts-e2e-'));
  const port = await freePort();
  await mkdir(artifacts, { recursive: true });
  const log = createWriteStream(join(artifacts, `${name}.log`));
  // E2E_SERVER_CPUS (e.g. "0,1"): the app's CPU affinity, for benchmarks that pin their own clients elsewhere
  // (`taskset -c 1 node bench.mjs`); a child inherits its parent's affinity otherwise.
  const app = [process.env.E2E_APP_DLL ?? defaultDll, '--urls', `http://127.0.0.1:${port}`];
  const cpus = process.env.E2E_SERVER_CPUS;
  const proc = spawn(cpus ? 'taskset' : 'dotnet', cpus ? ['-c', cpus, 'dotnet', ...app] : app, {
    cwd: cwd === 'temp' ? dir : repoRoot,
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: 'Production',
      Training__DataDirectory: join(dir, 'data'),
      ConnectionStrings__Training: `Data Source=${join(dir, 'training.db')}`,
      Logging__LogLevel__Default: 'Warning',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const exited = new Promise((r) => proc.on('exit', r));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the app exited with ${proc.exitCode}; see ${name}.log`);
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not listening yet */ }
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error('the app did not start within 60 s'); }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    url,
    pid: proc.pid,
    dir,
    /** SIGKILL: no shutdown, no flush, as a crash. */
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) { proc.kill('SIGKILL'); await exited; }
      log.end();
    },
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      log.end();
      if (!reuse) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** POST /api/runs (with the API key when given); returns the run. */
export async function createRun(url, spec, { key } = {}) {
  const headers = { 'Content-Type': 'application/json', ...(key ? { 'X-Api-Key': key } : {}) };
  const res = await fetch(`${url}/api/runs`, { method: 'POST', headers, body: JSON.stringify(spec) });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`POST /api/runs → ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

export async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return res.json();
}

/** Polls until the run has one of `statuses`. */
export async function waitForStatus(url, id, statuses, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getJson(`${url}/api/runs/${id}`);
    if (statuses.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} is ${run.status}, expected ${statuses.join('|')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Real processes on one PostgreSQL: one API node (Training__Role=api) and N worker nodes (Training__Role=worker),
// all from the Release build (or SCALE_APP_DLL), sharing one data directory as the compose file's nodes share a volume.
// Needs SCALE_PG: a connection string to an existing database (tests/scale/run.sh creates one).

import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, rm, mkdir, appendFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, freePort } from '../e2e/server.mjs';

export const artifacts = join(repoRoot, 'tests/scale/artifacts');
const dll = process.env.SCALE_APP_DLL ?? join(repoRoot, 'src/TrainingService.Api/bin/Release/net10.0/TrainingService.Api.dll');

/** One node: its URL, process and worker id. */
async function startNode({ name, role, dataDir, env = {} }) {
  const port = await freePort();
  await mkdir(artifacts, { recursive: true });
  const log = createWriteStream(join(artifacts, `${name}.log`));
  const proc = spawn('dotnet', [dll, '--urls', `http://127.0.0.1:${port}`], {
    cwd: dataDir,
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: 'Production',
      ConnectionStrings__Training: process.env.SCALE_PG,
      Training__Role: role,
      Training__WorkerId: name,
      Training__DataDirectory: dataDir,
      Logging__LogLevel__Default: 'Warning',
      'Logging__LogLevel__TrainingService.Api.Worker': 'Information',
      'Logging__LogLevel__TrainingService.Api.Live': process.env.SCALE_LIVE_LOG ?? 'Information',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  // run.sh kills whatever is left in this file, even if node dies first.
  if (process.env.SCALE_PIDS) await appendFile(process.env.SCALE_PIDS, `${proc.pid}\n`);
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  return { name, role, url: `http://127.0.0.1:${port}`, proc, exited, log };
}

async function waitHealthy(node) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (node.proc.exitCode !== null) throw new Error(`${node.name} exited with ${node.proc.exitCode}; see tests/scale/artifacts/${node.name}.log`);
    try { if ((await fetch(`${node.url}/readyz`)).ok) return; } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`${node.name} not ready within 90 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts the API node first (it migrates the database), then the workers together. */
export async function startCluster({ workers = 3, env = {} } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ts-scale-'));
  const api = await startNode({ name: 'api', role: 'api', dataDir, env });
  await waitHealthy(api);
  const nodes = await Promise.all(Array.from({ length: workers }, (_, i) => startNode({ name: `worker-${i + 1}`, role: 'worker', dataDir, env })));
  await Promise.all(nodes.map(waitHealthy));
  return {
    api,
    workers: nodes,
    async stop() {
      for (const node of [api, ...nodes]) {
        if (node.proc.exitCode === null && node.proc.signalCode === null) {
          node.proc.kill('SIGTERM');
          const t = setTimeout(() => node.proc.kill('SIGKILL'), 15_000);
          await node.exited;
          clearTimeout(t);
        }
        node.log.end();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One value (first column of the first row) or all rows (arrays of text) from the scale database, through psql. */
export function sql(query) {
  const out = execFileSync('psql', [process.env.SCALE_PSQL_URL, '-At', '-F', '\t', '-c', query], { encoding: 'utf8' });
  return out.trim() === '' ? [] : out.trim().split('\n').map((line) => line.split('\t'));
}

const finished = ['succeeded', 'failed', 'cancelled', 'diverged'];

/**
 * Kills the worker training a run once the run has reached `epoch`, whatever the host's speed: the owner is known from
 * the claim, frozen (SIGSTOP) the moment the stored progress shows the epoch, and only then checked and killed, so the
 * run cannot finish between the check and the kill. Throws if the run ended before it could be frozen (the run is
 * too short for this host). Returns the killed worker's id and the stored step the run had reached.
 */
export async function killOwnerMidRun(cluster, runId, epoch) {
  const run = async () => (await fetch(`${cluster.api.url}/api/runs/${runId}`)).json();
  let r;
  for (;;) {
    r = await run();
    if (finished.includes(r.status)) throw new Error(`run ${runId} ended (${r.status}) before it could be interrupted`);
    if (r.status === 'running') break;
    await new Promise((res) => setTimeout(res, 20));
  }
  const [[owner]] = sql(`SELECT "LeaseOwner" FROM "Runs" WHERE "Id" = ${runId}`);
  const victim = cluster.workers.find((w) => w.name === owner);
  if (!victim) throw new Error(`run ${runId} is leased by ${owner}, which is not a worker of this cluster`);
  while (r.progress.epoch < epoch) {
    if (finished.includes(r.status)) throw new Error(`run ${runId} ended (${r.status}) before it could be interrupted`);
    await new Promise((res) => setTimeout(res, 20));
    r = await run();
  }
  victim.proc.kill('SIGSTOP');
  const frozen = await run();
  if (finished.includes(frozen.status)) throw new Error(`run ${runId} ended (${frozen.status}) before it could be interrupted`);
  victim.proc.kill('SIGKILL');
  const { signal } = await victim.exited;
  return { victimOwner: owner, signal, stepAtKill: frozen.progress.step, totalSteps: frozen.progress.totalSteps };
}

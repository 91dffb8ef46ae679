// Crash safety with real processes: the built app is killed with SIGKILL mid-run, restarted on the same data
// directory, and the run finishes exactly as an undisturbed run of the same spec does (summary, every step's
// loss and gradient norm, every epoch, the model's weights bit for bit). The run is long by steps (4,000 epochs), so
// it is killed mid-way at any speed; its stored spec is then shortened (python3's sqlite3) to a few epochs past where
// it stopped, and the reference is an undisturbed run of that length.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, createRun, getJson, waitForStatus } from './server.mjs';

// ≈ 94 steps an epoch; nothing in it depends on the epoch count but where the run stops.
const spec = (epochs) => ({
  name: 'killed mid-run', dataset: { name: 'spiral', samples: 4000 }, model: { hidden: [64, 64] },
  optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 32, epochs, seed: 11,
});

/** Sets the killed run's epochs to a few past both its checkpoint and its progress; returns that count. */
function shorten(db, id) {
  const py = `import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); run = int(sys.argv[2])
(checkpoint,) = db.execute('SELECT Epoch FROM Checkpoints WHERE RunId = ?', (run,)).fetchone()
(epoch, spec) = db.execute('SELECT Epoch, SpecJson FROM Runs WHERE Id = ?', (run,)).fetchone()
n = max(checkpoint, epoch) + 3
assert '"epochs":4000' in spec, spec
db.execute('UPDATE Runs SET SpecJson = ? WHERE Id = ?', (spec.replace('"epochs":4000', '"epochs":%d' % n), run))
db.commit()
print(n)`;
  return Number(execFileSync('python3', ['-c', py, db, String(id)]).toString().trim());
}

async function outcome(url, id) {
  const run = await waitForStatus(url, id, ['succeeded', 'failed', 'cancelled', 'diverged'], 180_000);
  const metrics = await getJson(`${url}/api/runs/${id}/metrics`);
  const model = await (await fetch(`${url}/api/runs/${id}/model`)).text();
  const { trainSeconds, samplesPerSecond, ...summary } = run.summary ?? {};
  return {
    status: run.status, error: run.error, summary, model, epochs: metrics.epochs,
    steps: metrics.steps.map((p) => [p.step, p.epoch, p.loss, p.gradNorm, p.layerGradNorms, p.learningRate]),
  };
}

test('SIGKILL mid-run, restart on the same data: the run finishes exactly as an undisturbed run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ts-e2e-kill-'));
  try {
    const first = await startServer({ name: 'faults-killed', dir });
    let run;
    try {
      run = await createRun(first.url, spec(4000));
      // Kill once epoch 3 is under way: epoch 1's checkpoint at least is stored, and steps past it too.
      for (;;) {
        const r = await getJson(`${first.url}/api/runs/${run.id}`);
        assert.ok(r.status === 'queued' || r.status === 'running', `the run ended (${r.status}) before it could be killed`);
        if (r.progress.epoch >= 3) break;
        await new Promise((res) => setTimeout(res, 20));
      }
    } finally {
      await first.kill();
    }
    const epochs = shorten(join(dir, 'training.db'), run.id);

    const reference = await startServer({ name: 'faults-reference' });
    let expected;
    try {
      expected = await outcome(reference.url, (await createRun(reference.url, spec(epochs))).id);
    } finally {
      await reference.stop();
    }
    assert.equal(expected.status, 'succeeded', expected.error ?? '');

    const second = await startServer({ name: 'faults-restarted', dir });
    try {
      const actual = await outcome(second.url, run.id);
      assert.equal(actual.status, 'succeeded', actual.error ?? '');
      assert.deepEqual(actual.summary, expected.summary);
      assert.equal(actual.steps.length, expected.steps.length);
      assert.deepEqual(actual.steps, expected.steps);
      assert.deepEqual(actual.epochs, expected.epochs);
      assert.equal(actual.model, expected.model, 'the same final weights, bit for bit');
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

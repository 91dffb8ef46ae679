// Crash safety with real processes: the built app is killed with SIGKILL mid-run, restarted on the same data
// directory, and the run finishes exactly as an undisturbed run of the same spec does (summary, every step's
// loss and gradient norm, every epoch, the model's weights bit for bit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, createRun, getJson, waitForStatus } from './server.mjs';

// ≈ 94 steps an epoch, 40 epochs: long enough to kill after a checkpoint, short enough for CI.
const spec = {
  name: 'killed mid-run', dataset: { name: 'spiral', samples: 4000 }, model: { hidden: [64, 64] },
  optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 32, epochs: 40, seed: 11,
};

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
  const reference = await startServer({ name: 'faults-reference' });
  let expected;
  try {
    expected = await outcome(reference.url, (await createRun(reference.url, spec)).id);
  } finally {
    await reference.stop();
  }
  assert.equal(expected.status, 'succeeded', expected.error ?? '');

  const dir = await mkdtemp(join(tmpdir(), 'ts-e2e-kill-'));
  try {
    const first = await startServer({ name: 'faults-killed', dir });
    let run;
    try {
      run = await createRun(first.url, spec);
      // Kill once epoch 3 is under way: epoch 2's checkpoint is stored, and steps past it too.
      for (;;) {
        const r = await getJson(`${first.url}/api/runs/${run.id}`);
        assert.ok(r.status === 'queued' || r.status === 'running', `the run ended (${r.status}) before it could be killed`);
        if (r.progress.epoch >= 3) break;
        await new Promise((res) => setTimeout(res, 20));
      }
    } finally {
      await first.kill();
    }

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

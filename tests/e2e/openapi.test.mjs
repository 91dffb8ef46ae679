// The served OpenAPI document held to an outside linter: Redocly CLI's recommended rules (installed by npm ci, run
// offline) report no error and no warning on GET /swagger/v1/swagger.json, and every JSON request body carries an
// example (the API tests post each one to its endpoint). In Swagger UI, "Try it out" then "Execute" with what the
// page fills in succeeds: a run, a race, a prediction with that run, a CSV upload.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, getJson, repoRoot, waitForStatus } from './server.mjs';
import { launchBrowser } from './browser.mjs';

const run = promisify(execFile);
let server, dir, doc, browser;
before(async () => {
  server = await startServer({ name: 'openapi' });
  dir = await mkdtemp(join(tmpdir(), 'ts-openapi-'));
  doc = await getJson(`${server.url}/swagger/v1/swagger.json`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('Redocly recommended rules: 0 errors, 0 warnings on the served document', async () => {
  const file = join(dir, 'swagger.json');
  await writeFile(file, JSON.stringify(doc, null, 2));
  // From an empty directory, so no redocly.yaml but the recommended set applies; no telemetry or update check.
  const redocly = join(repoRoot, 'node_modules/.bin/redocly');
  let stdout;
  try {
    ({ stdout } = await run(redocly, ['lint', file, '--extends=recommended', '--format=json'], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 16 << 20,
    }));
  } catch (e) {
    ({ stdout } = e); // exit status 1 when there are errors: the report below says which
    if (!stdout) throw e;
  }
  const report = JSON.parse(stdout);
  const problems = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
  assert.deepEqual(problems, []);
  assert.equal(report.totals.errors, 0);
  assert.equal(report.totals.warnings, 0);
});

test('every operation has an operationId, and every JSON request body an example', () => {
  const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ route: `${method} ${path}`, op })));
  assert.ok(ops.length >= 18, `${ops.length} operations`);
  for (const { route, op } of ops) {
    assert.match(op.operationId ?? '', /^[a-z][A-Za-z]+$/, route);
    const json = op.requestBody?.content?.['application/json'];
    if (json) assert.ok(json.example ?? json.examples, `${route} has no example`);
  }
});

/** Opens the operation in Swagger UI, presses "Try it out", lets `fill` change the form, presses "Execute" and
 *  returns the status code the page shows. */
async function tryItOut(page, tag, operationId, fill = async () => {}) {
  const op = page.locator(`#operations-${tag}-${operationId}`);
  await op.locator('.opblock-summary').click();
  await op.getByRole('button', { name: 'Try it out' }).click();
  await fill(op);
  await op.getByRole('button', { name: 'Execute' }).click();
  const status = op.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor();
  return (await status.textContent()).trim().slice(0, 3);
}

test('Swagger UI: Try it out succeeds with the examples as they stand', async (t) => {
  const page = await browser.context.newPage();
  t.after(() => page.close());
  await page.goto(`${server.url}/swagger/index.html`);

  assert.equal(await tryItOut(page, 'Runs', 'createRun'), '201');
  const run = (await getJson(`${server.url}/api/runs`)).items[0];
  assert.equal(run.name, doc.paths['/api/runs'].post.requestBody.content['application/json'].example.name);
  assert.equal(await tryItOut(page, 'Races', 'createRace'), '201');
  await waitForStatus(server.url, run.id, ['succeeded']);
  assert.equal(await tryItOut(page, 'Runs', 'predict', (op) => op.locator('input[placeholder="id"]').fill(String(run.id))), '200');

  const csv = join(dir, 'table.csv'); // stored as 'points', the name field's example
  await writeFile(csv, 'x1,x2,label\n0.1,0.2,a\n0.3,0.1,b\n0.5,0.9,a\n0.7,0.4,b\n');
  assert.equal(await tryItOut(page, 'Datasets', 'createDataset', (op) => op.locator('input[type=file]').setInputFiles(csv)), '201');
  assert.ok((await getJson(`${server.url}/api/datasets`)).some((d) => d.name === 'points'));
});

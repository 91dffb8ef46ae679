// The served OpenAPI document held to an outside linter: Redocly CLI's recommended rules (installed by npm ci, run
// offline) report no error and no warning on GET /swagger/v1/swagger.json, and every JSON request body carries an
// example (the API tests post each one to its endpoint).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, getJson, repoRoot } from './server.mjs';

const run = promisify(execFile);
let server, dir, doc;
before(async () => {
  server = await startServer({ name: 'openapi' });
  dir = await mkdtemp(join(tmpdir(), 'ts-openapi-'));
  doc = await getJson(`${server.url}/swagger/v1/swagger.json`);
});
after(async () => {
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

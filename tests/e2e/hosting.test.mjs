// The API serves the dashboard at / from the copy in its build output (run from elsewhere, as when published),
// while /api routes, the hub and the problem+json 404 for unknown /api routes keep working.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, repoRoot } from './server.mjs';

let server;
before(async () => { server = await startServer({ name: 'hosting', cwd: 'temp' }); });
after(async () => { await server?.stop(); });

test('/ serves index.html and the scripts it loads, as built from wwwroot/', async () => {
  const res = await fetch(`${server.url}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.equal(await res.text(), await readFile(join(repoRoot, 'wwwroot/index.html'), 'utf8'));
  for (const path of ['js/app.js', 'css/site.css', 'lib/chart.js/dist/chart.umd.min.js', 'lib/microsoft-signalr/dist/browser/signalr.min.js']) {
    const r = await fetch(`${server.url}/${path}`);
    assert.equal(r.status, 200, path);
    assert.equal(await r.text(), await readFile(join(repoRoot, 'wwwroot', path), 'utf8'), `${path} in the build output is stale: rebuild`);
  }
});

test('unknown /api routes still answer 404 problem+json, and API routes still work', async () => {
  const res = await fetch(`${server.url}/api/no-such-route`);
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type'), /application\/problem\+json/);
  assert.equal((await res.json()).status, 404);
  const runs = await fetch(`${server.url}/api/runs`);
  assert.equal(runs.status, 200);
  assert.deepEqual((await runs.json()).items, []);
});

test('no page script is inline (the dashboard must run under a CSP without unsafe-inline)', async () => {
  const html = await (await fetch(`${server.url}/`)).text();
  for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g)) assert.match(tag, /^<script[^>]*\bsrc="[^"]+"[^>]*><\/script>$/, tag);
  assert.doesNotMatch(html, /\son[a-z]+=|style="/i, 'no inline handlers or styles');
});

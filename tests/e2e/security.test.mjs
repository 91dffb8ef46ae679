// Dashboard hygiene in headless chromium: every page runs under the Content-Security-Policy with no violation (and
// the policy does block inline script); hostile CSV headers and labels, run names and tags render as text; with an
// API key the dashboard asks for it once, keeps it for the session and sends it on REST and the hub.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { startServer, createRun, getJson, waitForStatus, artifacts, freePort } from './server.mjs';
import { launchBrowser } from './browser.mjs';

const hostile = '<img src=x onerror=alert(1)>';
let server, browser;
before(async () => {
  server = await startServer({ name: 'security' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page that records script errors, dialogs (alert/confirm/prompt), CSP violations and CSP console messages. */
async function openPage(t, url) {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) problems.push(`console: ${m.text()}`); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  t.after(() => page.close());
  await page.goto(url);
  return { page, problems, violations: () => page.evaluate(() => window.__csp) };
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

async function upload(url, name, csv) {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), `${name}.csv`);
  form.append('name', name);
  const res = await fetch(`${url}/api/datasets`, { method: 'POST', body: form });
  assert.equal(res.status, 201, await res.text());
}

test('every page runs under the CSP with no violation, and the CSP blocks inline script', async (t) => {
  const res = await fetch(`${server.url}/`);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');

  // A live run for the pages to show; batches of 4 keep its stream (and stored rows) to a quarter of per-sample SGD's,
  // which is not what this test is about. (Its CI failures were the charts re-laying themselves once per point of a
  // long history: see downsample.js and the 159,000-step test in dashboard.test.mjs.)
  const a = await createRun(server.url, { name: 'csp a', batchSize: 4, epochs: 3000 });
  t.after(() => fetch(`${server.url}/api/runs/${a.id}/cancel`, { method: 'POST' }));
  const { page, problems, violations } = await openPage(t, `${server.url}/#/runs`);
  await page.waitForSelector(`tr[data-id="${a.id}"]`);
  await page.goto(`${server.url}/#/new`);
  await page.waitForSelector('#submit-run');
  await page.goto(`${server.url}/#/run/${a.id}`);
  // The live chart draws (Chart.js sizes its canvas through the CSSOM, which style-src does not govern).
  await page.waitForFunction(() => Number(document.querySelector('#loss-chart canvas')?.dataset.points) > 50, null, { timeout: 60_000 });
  await page.goto(`${server.url}/#/compare?ids=${a.id}`);
  await page.waitForFunction(() => Number(document.querySelector('#compare-chart canvas')?.dataset.points) > 0, null, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#connection')?.textContent.includes('live'));
  await shot(page, 'csp-compare');
  assert.deepEqual(await violations(), []);
  assert.deepEqual(problems, []);

  // The policy is in force: an injected inline script does not run, and is reported.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
    return window.__injected === true;
  });
  assert.equal(ran, false);
  await page.waitForFunction(() => window.__csp.some((v) => v.startsWith('script-src')));
});

test('hostile CSV headers and labels, run names and tags render as text and run no script', async (t) => {
  const dataDir = join(server.dir, 'data');
  // Labels show in the dataset's description on the form; a header shows in the error of a run whose file broke.
  const rows = Array.from({ length: 30 }, (_, i) => `${i % 5},${i % 3},${i % 2 ? '<script>alert(2)</script>' : '<b>bold</b>'}`).join('\n');
  await upload(server.url, 'hostile', `${hostile},"<svg onload=alert(3)>",label\n${rows}\n`);
  await upload(server.url, 'labels', `${hostile},"<svg onload=alert(3)>",label\n${rows}\n`);

  const blocker = await createRun(server.url, { name: 'blocker', batchSize: 1, epochs: 100000 });
  await waitForStatus(server.url, blocker.id, ['running']);
  const run = await createRun(server.url, { name: hostile, tags: ['<b>tag</b>', '"><script>alert(4)</script>'], dataset: { name: 'hostile' }, epochs: 2 });
  // The upload breaks after the run was queued: in the database (the truth) and in this disk's cached copy.
  const broken = `${hostile},"<svg onload=alert(3)>",label\n1,oops,x\n`;
  await writeFile(join(dataDir, 'uploads', 'hostile.csv'), broken);
  execFileSync('python3', ['-c', `import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute('UPDATE Uploads SET Content = ? WHERE Name = ?', (sys.argv[2].encode(), 'hostile'))
db.commit()`, join(server.dir, 'training.db'), broken]);
  await fetch(`${server.url}/api/runs/${blocker.id}/cancel`, { method: 'POST' });
  const failed = await waitForStatus(server.url, run.id, ['failed']);
  assert.match(failed.error, /<img src=x onerror=alert\(1\)>|<svg onload=alert\(3\)>/);

  const { page, problems, violations } = await openPage(t, `${server.url}/#/runs`);
  await page.waitForSelector(`tr[data-id="${run.id}"]`);
  assert.equal(await page.textContent(`tr[data-id="${run.id}"] td.name a`), hostile);
  assert.deepEqual((await page.$$eval(`tr[data-id="${run.id}"] .tag`, (els) => els.map((e) => e.textContent))).sort(), ['"><script>alert(4)</script>', '<b>tag</b>']);

  await page.goto(`${server.url}/#/run/${run.id}`);
  await page.waitForFunction(() => document.querySelector('#run-error')?.textContent.includes('oops'));
  assert.equal(await page.textContent('#run-error'), failed.error);

  await page.goto(`${server.url}/#/new`);
  await page.waitForSelector('#f-dataset-name');
  await page.selectOption('#f-dataset-name', 'labels');
  const datasets = await getJson(`${server.url}/api/datasets`);
  const description = datasets.find((d) => d.id === 'labels').description;
  assert.match(description, /<script>alert\(2\)<\/script>/);
  await page.waitForFunction((d) => [...document.querySelectorAll('.help')].some((e) => e.textContent === d), description);
  await shot(page, 'xss-csv');

  assert.equal(await page.$$eval('#page img, #page b, #page svg, #page script', (els) => els.length), 0, 'no element was created from user text');
  assert.deepEqual(await violations(), []);
  assert.deepEqual(problems, [], 'no dialog fired, no script error');
});

test('with an API key the dashboard asks for it once, keeps it for the session, and sends it on REST and the hub', async (t) => {
  const key = 'k-' + Math.random().toString(36).slice(2);
  const keyed = await startServer({ name: 'security-key', env: { Training__ApiKey: key, Training__ProtectReads: 'true' } });
  t.after(() => keyed.stop());
  const seeded = await createRun(keyed.url, { name: 'seeded', epochs: 2 }, { key });

  const { page, problems, violations } = await openPage(t, `${keyed.url}/#/runs`);
  // Reads and the hub are refused: one dialog. A wrong key is refused and the dialog comes back.
  await page.waitForSelector('#api-key-dialog[open]');
  await page.fill('#api-key-input', 'wrong');
  await page.click('#api-key-ok');
  await page.waitForSelector('#api-key-dialog[open]');
  assert.match(await page.textContent('#api-key-dialog h2'), /refused/);
  await page.fill('#api-key-input', key);
  await page.click('#api-key-ok');
  await page.waitForSelector(`tr[data-id="${seeded.id}"]`);
  await page.waitForFunction(() => document.querySelector('#connection')?.textContent.includes('live'));
  assert.equal(await page.evaluate(() => sessionStorage.getItem('trainingservice.apiKey')), key);
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'the key is not kept beyond the session');

  // A change from the form carries the key; the live status reaches the list over the hub.
  await page.goto(`${keyed.url}/#/new`);
  await page.fill('#f-name', 'with the key');
  await page.fill('#f-epochs', '2');
  await page.click('#submit-run');
  await page.waitForURL(/#\/run\/\d+$/);
  const id = Number(page.url().match(/run\/(\d+)$/)[1]);
  await page.waitForFunction(() => document.querySelector('#run-status')?.textContent === 'succeeded', null, { timeout: 60_000 });
  assert.equal((await (await fetch(`${keyed.url}/api/runs/${id}`, { headers: { 'X-Api-Key': key } })).json()).name, 'with the key');

  // A reload in the same session asks nothing.
  await page.goto(`${keyed.url}/#/runs`);
  await page.reload();
  await page.waitForSelector(`tr[data-id="${id}"]`);
  await page.waitForFunction(() => document.querySelector('#connection')?.textContent.includes('live'));
  assert.equal(await page.$('#api-key-dialog'), null);
  await shot(page, 'api-key');
  assert.deepEqual(await violations(), []);
  assert.deepEqual(problems, []);
});

test('a page of another site can neither cancel a run nor upload a dataset (no-cors fetch, form post)', async (t) => {
  const run = await createRun(server.url, { name: 'target', batchSize: 1, epochs: 100000 });
  t.after(() => fetch(`${server.url}/api/runs/${run.id}/cancel`, { method: 'POST' }));
  await waitForStatus(server.url, run.id, ['running']);
  // The attacker's page: another origin and another site (localhost, while the service is at 127.0.0.1).
  const port = await freePort();
  const attacker = createServer((req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><form id="f" method="post" enctype="multipart/form-data" action="${server.url}/api/datasets">
      <input type="file" name="file"></form>`);
  });
  await new Promise((r) => attacker.listen(port, '127.0.0.1', r));
  t.after(() => attacker.close());
  const page = await browser.context.newPage();
  t.after(() => page.close());
  await page.goto(`http://localhost:${port}/`);
  // The browser sends both; the page never sees an answer (the service's Cross-Origin-Resource-Policy blocks it, so
  // the fetch rejects), which is why the request itself must be refused.
  const sent = [];
  page.on('request', (r) => { if (r.url().startsWith(server.url)) sent.push(r.method()); });
  await page.evaluate(async ({ url, id }) => {
    await fetch(`${url}/api/runs/${id}/cancel`, { method: 'POST', mode: 'no-cors' }).catch(() => {});
    const form = new FormData();
    form.append('file', new Blob(['a,label\n1,x\n2,y\n'], { type: 'text/csv' }), 'planted.csv');
    await fetch(`${url}/api/datasets`, { method: 'POST', mode: 'no-cors', body: form }).catch(() => {});
  }, { url: server.url, id: run.id });
  assert.deepEqual(sent, ['POST', 'POST']);
  // A classic form post of a file (a top-level navigation, outside CORS altogether) is refused the same way.
  await page.setInputFiles('#f input[type=file]', { name: 'formplanted.csv', mimeType: 'text/csv', buffer: Buffer.from('a,label\n1,x\n2,y\n') });
  await Promise.all([page.waitForURL(`${server.url}/api/datasets`), page.evaluate(() => document.getElementById('f').submit())]);
  assert.match(await page.textContent('body'), /cross-site request refused/);
  assert.equal((await getJson(`${server.url}/api/runs/${run.id}`)).status, 'running');
  const names = (await getJson(`${server.url}/api/datasets`)).map((d) => d.id);
  assert.ok(!names.includes('planted') && !names.includes('formplanted'), names.join(', '));
});

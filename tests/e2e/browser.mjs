// Debian's chromium through playwright-core, headless with the flags that work here (no sandbox, GPU, QUIC or background
// networking) and a fresh profile.

import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { startServer, artifacts } from './server.mjs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'ts-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A new page at `${url}/${hash}` that records any script error or dialog in `problems` (tests assert it stays
 *  empty) and closes when the test ends. */
export async function openPageAt(browser, url, t, hash) {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
  t.after(() => page.close());
  await page.goto(`${url}/${hash}`);
  return { page, problems };
}

/** One server and one browser for a test file's tests: started before them, stopped after. `suite.server` and
 *  `suite.browser` are set once `before` has run; `openPage(t, hash)` is {@link openPageAt} on that server;
 *  `shot(page, name)` saves a full-page screenshot to tests/e2e/artifacts/. */
export function useDashboard(name, env = {}) {
  const suite = {
    server: null,
    browser: null,
    openPage: (t, hash) => openPageAt(suite.browser, suite.server.url, t, hash),
    shot: (page, file) => page.screenshot({ path: join(artifacts, `${file}.png`), fullPage: true }),
  };
  before(async () => {
    suite.server = await startServer({ name, env });
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}

// The client libraries committed under wwwroot/lib are exactly what libman.json declares: same versions as the
// npm packages pinned in package.json / package-lock.json, and byte-identical to those packages' files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { repoRoot } from './server.mjs';

const read = async (p) => JSON.parse(await readFile(join(repoRoot, p), 'utf8'));
const libman = await read('libman.json');
const pkg = await read('package.json');
const lock = await read('package-lock.json');

/** "@microsoft/signalr@10.0.11" → ["@microsoft/signalr", "10.0.11"] */
const split = (library) => { const at = library.lastIndexOf('@'); return [library.slice(0, at), library.slice(at + 1)]; };

test('libman.json uses unpkg and exact versions', () => {
  assert.equal(libman.defaultProvider, 'unpkg');
  for (const lib of libman.libraries) {
    assert.equal(lib.provider ?? libman.defaultProvider, 'unpkg', lib.library);
    assert.match(split(lib.library)[1], /^\d+\.\d+\.\d+$/, `${lib.library}: exact version`);
  }
});

for (const lib of libman.libraries) {
  const [name, version] = split(lib.library);

  test(`${name}: libman, package.json, package-lock.json and node_modules agree on ${version}`, async () => {
    assert.equal(pkg.devDependencies[name], version, 'package.json devDependencies');
    assert.equal(lock.packages[`node_modules/${name}`]?.version, version, 'package-lock.json');
    const installed = JSON.parse(await readFile(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8'));
    assert.equal(installed.version, version, 'node_modules (run npm ci)');
  });

  test(`${name}: committed files are byte-identical to the npm package's`, async () => {
    for (const file of lib.files) {
      const committed = await readFile(join(repoRoot, lib.destination, file));
      const published = await readFile(join(repoRoot, 'node_modules', name, file));
      assert.ok(committed.equals(published), `${lib.destination}${file} differs from ${name}@${version}/${file}`);
    }
  });
}

test('wwwroot/lib holds only the files libman.json lists', async () => {
  const declared = new Set(libman.libraries.flatMap((l) => l.files.map((f) => join(repoRoot, l.destination, f))));
  const walk = async (dir) => (await Promise.all((await readdir(dir, { withFileTypes: true }))
    .map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])))).flat();
  for (const file of await walk(join(repoRoot, 'wwwroot/lib'))) assert.ok(declared.has(file), `${relative(repoRoot, file)} is not declared in libman.json`);
});

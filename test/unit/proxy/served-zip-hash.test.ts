// The h1 a HEAD answer vouches for: remembered only for the file as it was when hashed,
// computed otherwise, and never given for bytes it cannot be sure of.
import assert from 'node:assert/strict';
import { mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkModuleZip } from '../../../src/gomod/module-zip.ts';
import type { OpenFile } from '../../../src/proxy/reply.ts';
import { ServedZipHashes } from '../../../src/proxy/served-zip-hash.ts';
import { moduleZip } from '../../support/fixture-modules.ts';

const dir = await mkdtemp(join(tmpdir(), 'served-zip-hash-'));
after(() => rm(dir, { recursive: true, force: true }));

const module = 'example.com/zh';
const version = 'v1.0.0';

async function opened(path: string): Promise<OpenFile & { handle: Awaited<ReturnType<typeof open>> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return { handle, size, close: () => handle.close() };
}

test('a remembered hash answers without hashing; a remembered hash is not used for another module@version', async () => {
  const path = join(dir, 'a.zip');
  await writeFile(path, await moduleZip({ path: module, version }));
  const real = (await checkModuleZip(path, module, version)).hash;
  const hashes = new ServedZipHashes();
  const file = await opened(path);
  try {
    // What the store hashed when it verified the blob (a wrong value here shows it is reused).
    await hashes.remember(file.handle, module, version, 'h1:remembered');
    assert.equal(await hashes.hashOf(file, path, module, version), 'h1:remembered');
    assert.equal(hashes.computed, 0);
    // Not remembered for this module@version: computed (and not a valid zip of it).
    assert.equal(await hashes.hashOf(file, path, 'example.com/other', version), null);
  } finally {
    await file.close();
  }
  const fresh = new ServedZipHashes();
  const again = await opened(path);
  try {
    assert.equal(await fresh.hashOf(again, path, module, version), real);
    assert.equal(fresh.computed, 1);
    assert.equal(await fresh.hashOf(again, path, module, version), real);
    assert.equal(fresh.computed, 1, 'remembered after computing');
  } finally {
    await again.close();
  }
});

test('no hash for an answer whose file is not what its name holds, whose size changed, or that is no module zip', async () => {
  const hashes = new ServedZipHashes();
  const path = join(dir, 'b.zip');
  await writeFile(path, await moduleZip({ path: module, version }));
  const file = await opened(path);
  try {
    // The name now holds another file (replaced by a rename): the open one cannot be hashed by name.
    const other = join(dir, 'b-new.zip');
    await writeFile(other, await moduleZip({ path: module, version, files: { 'x.go': 'package zh\n' } }));
    await rename(other, path);
    assert.equal(await hashes.hashOf(file, path, module, version), null);
  } finally {
    await file.close();
  }
  const stale = await opened(path);
  try {
    await writeFile(path, Buffer.concat([await moduleZip({ path: module, version }), Buffer.alloc(10)]));
    assert.equal(await hashes.hashOf(stale, path, module, version), null, 'size changed since opened');
  } finally {
    await stale.close();
  }
  await writeFile(path, 'not a zip');
  const junk = await opened(path);
  try {
    assert.equal(await hashes.hashOf(junk, path, module, version), null);
  } finally {
    await junk.close();
  }
});

test('many HEADs asking at once for the h1 of one zip not hashed yet: it is hashed once, not once per request', async () => {
  // Each hash reads (and inflates) the whole zip: one client's burst of HEADs must not
  // multiply that work.
  const path = join(dir, 'burst.zip');
  await writeFile(path, await moduleZip({ path: module, version }));
  const real = (await checkModuleZip(path, module, version)).hash;
  const hashes = new ServedZipHashes();
  const files = await Promise.all(Array.from({ length: 20 }, () => opened(path)));
  try {
    const answers = await Promise.all(files.map((f) => hashes.hashOf(f, path, module, version)));
    assert.deepEqual(new Set(answers), new Set([real]));
    assert.equal(hashes.computed, 1);
  } finally {
    await Promise.all(files.map((f) => f.close()));
  }
});

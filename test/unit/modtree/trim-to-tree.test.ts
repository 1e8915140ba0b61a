// trimToTree on a GOMODCACHE laid out as the go command leaves it (the real go command's layout
// is exercised end to end in test/e2e/gitlab-build-cache.test.ts): what a cache that archives the
// whole directory must not carry goes, the extracted tree and its metadata stay.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { listTree, trimToTree } from '../../../src/modtree/mod-tree.ts';
import { makeTempDir } from '../../support/go-env.ts';

async function put(root: string, file: string, content = 'x'): Promise<void> {
  await mkdir(dirname(join(root, file)), { recursive: true });
  await writeFile(join(root, file), content);
}

test('trimToTree leaves the extracted modules and their metadata, removes zips, locks, sumdb tiles, vcs and a half-extracted module', async (t) => {
  const root = makeTempDir('trim-tree');
  t.after(() => rm(root, { recursive: true, force: true }));
  const dl = 'cache/download/example.com/!upper/lib/@v';
  for (const file of ['list', 'v1.0.0.info', 'v1.0.0.mod', 'v1.0.0.ziphash', 'v1.1.0.mod'])
    await put(root, `${dl}/${file}`);
  await put(root, `${dl}/v1.0.0.zip`, 'zipzipzip');
  await put(root, `${dl}/v1.0.0.lock`);
  await put(root, `${dl}/v1.0.0.zip.tmp-123`);
  await put(root, 'example.com/!upper/lib@v1.0.0/lib.go');
  // Killed mid-extract: the .partial marker is still beside a directory with a .ziphash.
  await put(root, 'cache/download/example.com/half/@v/v2.0.0.ziphash');
  await put(root, 'cache/download/example.com/half/@v/v2.0.0.partial');
  await put(root, 'cache/download/example.com/half/@v/v2.0.0.mod');
  await put(root, 'example.com/half@v2.0.0/half.go');
  await put(root, 'cache/download/sumdb/sum.example/tile/8/0/000', 'tile');
  await put(root, 'cache/vcs/0123abcd/HEAD');
  // The go command's module directories are read-only (without -modcacherw).
  await chmod(join(root, 'example.com/!upper/lib@v1.0.0'), 0o555);

  const trim = await trimToTree(root);

  const left = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
  assert.deepEqual(left, [
    'cache/download/example.com/!upper/lib/@v/list',
    'cache/download/example.com/!upper/lib/@v/v1.0.0.info',
    'cache/download/example.com/!upper/lib/@v/v1.0.0.mod',
    'cache/download/example.com/!upper/lib/@v/v1.0.0.ziphash',
    'cache/download/example.com/!upper/lib/@v/v1.1.0.mod',
    'cache/download/example.com/half/@v/v2.0.0.mod',
    'example.com/!upper/lib@v1.0.0/lib.go',
  ]);
  assert.equal(trim.partialModules, 1);
  assert.equal(trim.removedFiles, 6, 'zip, lock, tmp, partial, tile, vcs file');
  assert.equal(trim.removedBytes, 9 + 1 + 1 + 1 + 4 + 1);
  assert.equal(statSync(join(root, 'example.com/!upper/lib@v1.0.0')).mode & 0o200, 0o200, 'left writable');
  const { modules } = await listTree(root);
  assert.deepEqual(
    modules.map((m) => `${m.path}@${m.version}`),
    ['example.com/Upper/lib@v1.0.0'],
  );
});

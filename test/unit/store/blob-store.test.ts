// BlobStore without the go command: layout, lists under concurrency, metadata, the sumdb cache,
// prune to exactly the used set, and refusal of paths that would leave the store.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { BlobStore } from '../../../src/store/blob-store.ts';
import { scanStoredVersions } from '../../../src/store/store-inventory.ts';

async function openTempStore(t: { after: (fn: () => Promise<void>) => void }): Promise<BlobStore> {
  const parent = await mkdtemp(join(tmpdir(), 'store-unit-'));
  t.after(() => rm(parent, { recursive: true, force: true }));
  return BlobStore.open(join(parent, 'store'));
}

/** Every file under `root`, relative, with '/' separators, sorted. */
async function treeOf(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function storeVersion(
  store: BlobStore,
  module: string,
  version: string,
  zipBytes = 100,
): Promise<void> {
  await store.writeFileAtomic(module, version, 'info', Buffer.from(`{"Version":"${version}"}\n`));
  await store.writeFileAtomic(module, version, 'mod', Buffer.from(`module ${module}\n`));
  await store.writeFileAtomic(module, version, 'zip', Buffer.alloc(zipBytes, 1));
  await store.writeFileAtomic(module, version, 'ziphash', Buffer.from('h1:abc=\n'));
  await store.addVersionToList(module, version);
}

test('store: paths follow the module cache download layout with case-encoding', async (t) => {
  const store = await openTempStore(t);
  assert.equal(
    store.filePath('github.com/Azure/azure-sdk', 'v1.0.0-RC1', 'zip'),
    join(store.root, 'github.com', '!azure', 'azure-sdk', '@v', 'v1.0.0-!r!c1.zip'),
  );
  assert.equal(store.listPath('example.com/m/v2'), join(store.root, 'example.com', 'm', 'v2', '@v', 'list'));
  assert.equal(
    store.metaPath('example.com/M', 'v2.0.0+incompatible'),
    join(store.root, '.goproxy-action', 'meta', 'example.com', '!m', '@v', 'v2.0.0+incompatible.json'),
  );
  assert.equal(
    store.sumdbPath('sum.example.org', 'tile/8/0/x001/234.p/5'),
    join(store.root, 'sumdb', 'sum.example.org', 'tile', '8', '0', 'x001', '234.p', '5'),
  );
});

test('store: write, stat, read and stream a blob; missing blobs are null', async (t) => {
  const store = await openTempStore(t);
  const data = Buffer.from('zip bytes');
  assert.equal(await store.stat('example.com/a', 'v1.0.0', 'zip'), null);
  assert.equal(await store.readFile('example.com/a', 'v1.0.0', 'zip'), null);

  const pending = await store.beginWrite('example.com/a', 'v1.0.0', 'zip');
  assert.equal(dirname(pending.path), dirname(store.filePath('example.com/a', 'v1.0.0', 'zip')));
  await pending.write(data.subarray(0, 3));
  assert.equal(await store.stat('example.com/a', 'v1.0.0', 'zip'), null, 'invisible before commit');
  await pending.write(data.subarray(3));
  await pending.commit();
  assert.equal(await exists(pending.path), false);
  await assert.rejects(pending.write(data), /write after commit, discard, detach or a failed write/);
  await pending.discard(); // harmless after commit

  assert.deepEqual(await store.stat('example.com/a', 'v1.0.0', 'zip'), { size: data.byteLength });
  assert.deepEqual(await store.readFile('example.com/a', 'v1.0.0', 'zip'), data);

  // A second commit over the same (immutable) blob is fine.
  await store.writeFileAtomic('example.com/a', 'v1.0.0', 'zip', data);
  assert.deepEqual(await store.readFile('example.com/a', 'v1.0.0', 'zip'), data);

  // A discarded write leaves nothing.
  const dropped = await store.beginWrite('example.com/a', 'v1.1.0', 'zip');
  await dropped.write(Buffer.from('bad bytes'));
  await dropped.discard();
  assert.equal(await exists(dropped.path), false);
  assert.equal(await store.stat('example.com/a', 'v1.1.0', 'zip'), null);
  assert.deepEqual(await treeOf(store.root), ['example.com/a/@v/v1.0.0.zip']);

  // A detached write keeps its (closed) temp file for the caller, and never becomes the blob.
  const kept = await store.beginWrite('example.com/a', 'v1.2.0', 'zip');
  await kept.write(Buffer.from('unverified bytes'));
  assert.equal(await kept.detach(), kept.path);
  assert.equal(await readFile(kept.path, 'utf8'), 'unverified bytes');
  await kept.discard(); // no-op once detached: the file is the caller's now
  assert.equal(await readFile(kept.path, 'utf8'), 'unverified bytes');
  await assert.rejects(kept.commit(), /commit after commit, discard, detach or a failed write/);
  assert.equal(await store.stat('example.com/a', 'v1.2.0', 'zip'), null);
  assert.deepEqual(await store.summary(), { files: 1, bytes: data.byteLength, versions: 1, modules: 1 });
});

test("store: a symbolic link in a blob's place is never read through: it counts as not stored", async (t) => {
  // A store restored from a cache entry someone else saved could hold links to files the proxy
  // can read (a netrc, a token file); served, they would reach the client.
  const store = await openTempStore(t);
  await storeVersion(store, 'example.com/a', 'v1.0.0');
  const secret = join(dirname(store.root), 'secret');
  await writeFile(secret, 'machine example.com password hunter2\n');
  for (const ext of ['zip', 'mod', 'info'] as const) {
    const path = store.filePath('example.com/a', 'v1.0.0', ext);
    await unlink(path);
    await symlink(secret, path);
    assert.equal(await store.stat('example.com/a', 'v1.0.0', ext), null, `${ext}: stat`);
    assert.equal(await store.openBlob('example.com/a', 'v1.0.0', ext), null, `${ext}: open`);
    assert.equal(await store.readFile('example.com/a', 'v1.0.0', ext), null, `${ext}: read`);
  }
  // The list is read the same way: a linked list is no list.
  const listPath = join(dirname(store.filePath('example.com/a', 'v1.0.0', 'zip')), 'list');
  await unlink(listPath);
  await symlink(secret, listPath);
  await store.addVersionToList('example.com/a', 'v1.1.0');
  assert.equal(
    await readFile(secret, 'utf8'),
    'machine example.com password hunter2\n',
    'the link target is untouched',
  );
});

test('store: many concurrent addVersionToList calls leave one correct list in Go order', async (t) => {
  const store = await openTempStore(t);
  const module = 'example.com/Concurrent';
  const listable = [
    'v0.1.0',
    'v0.9.0',
    'v0.10.0',
    'v1.0.0-alpha',
    'v1.0.0-alpha.1',
    'v1.0.0-beta.2',
    'v1.0.0-beta.11',
    'v1.0.0-rc.1',
    'v1.0.0',
    'v1.2.3',
    'v1.10.0',
    'v2.0.0+incompatible',
    'v3.0.0+incompatible',
  ];
  const ignored = [
    'v0.0.0-20240101000000-abcdefabcdef',
    'v1.2.4-0.20240101000000-abcdefabcdef',
    'v1',
    'latest',
    'master',
  ];
  // Every version several times, interleaved, all at once.
  const calls: Promise<void>[] = [];
  for (let round = 0; round < 8; round++) {
    const order = [...listable, ...ignored].sort(() => Math.random() - 0.5);
    for (const v of order) calls.push(store.addVersionToList(module, v));
  }
  await Promise.all(calls);
  const text = await readFile(store.listPath(module), 'utf8');
  assert.equal(text, `${listable.join('\n')}\n`);
  assert.deepEqual(await treeOf(store.root), ['example.com/!concurrent/@v/list'], 'no temp files left');

  // A list with a time column and junk lines (as some proxies write) is kept clean on update.
  await mkdir(dirname(store.listPath('example.com/b')), { recursive: true });
  await writeFile(store.listPath('example.com/b'), 'v1.1.0 2024-01-01T00:00:00Z\nnot-a-version\n\nv1.0.0\n');
  await store.addVersionToList('example.com/b', 'v1.0.1');
  assert.equal(await readFile(store.listPath('example.com/b'), 'utf8'), 'v1.0.0\nv1.0.1\nv1.1.0\n');
});

test('store: two instances on one root (two processes) lose no @v/list line and no metadata field', async (t) => {
  const a = await openTempStore(t);
  const b = await BlobStore.open(a.root);
  const module = 'example.com/shared';
  const versions = Array.from({ length: 100 }, (_, i) => `v1.${Math.floor(i / 10)}.${i % 10}`);
  await Promise.all(versions.map((v, i) => (i % 2 === 0 ? a : b).addVersionToList(module, v)));
  const listed = (await readFile(a.listPath(module), 'utf8')).trim().split('\n');
  assert.equal(listed.length, 100, `${100 - listed.length} versions lost`);

  const fields = Array.from({ length: 40 }, (_, i) => `f${i}`);
  await Promise.all(
    fields.map((f, i) =>
      (i % 2 === 0 ? a : b).updateMeta(module, 'v1.0.0', (current) => ({ ...current, [f]: true })),
    ),
  );
  assert.deepEqual(Object.keys((await a.readMeta(module, 'v1.0.0')) ?? {}).sort(), [...fields].sort());
});

test('store: versionsWithInfo lists every version with a stored .info, pseudo-versions included, in Go order', async (t) => {
  const store = await openTempStore(t);
  const module = 'example.com/Sv';
  for (const v of ['v1.10.0', 'v1.2.0', 'v0.0.0-20240101000000-abcdefabcdef', 'v1.0.0-RC1']) {
    await store.writeFileAtomic(module, v, 'info', Buffer.from(`{"Version":"${v}"}`));
  }
  await store.writeFileAtomic(module, 'v1.3.0', 'mod', Buffer.from(`module ${module}\n`));
  assert.deepEqual(await store.versionsWithInfo(module), [
    'v0.0.0-20240101000000-abcdefabcdef',
    'v1.0.0-RC1',
    'v1.2.0',
    'v1.10.0',
  ]);
  assert.deepEqual(await store.versionsWithInfo('example.com/none'), []);
});

test('store: metadata and the sumdb cache round-trip; bad sumdb paths are refused', async (t) => {
  const store = await openTempStore(t);
  assert.equal(await store.readMeta('example.com/a', 'v1.0.0'), null);
  const meta = { verifiedBy: 'go.sum', h1: 'h1:abc=', decision: { allowed: true } };
  await store.writeMeta('example.com/a', 'v1.0.0', meta);
  assert.deepEqual(await store.readMeta('example.com/a', 'v1.0.0'), meta);
  await writeFile(store.metaPath('example.com/a', 'v1.1.0'), '{"truncated":');
  await assert.rejects(
    store.readMeta('example.com/a', 'v1.1.0'),
    /corrupt metadata file .*v1\.1\.0\.json.*delete it/,
  );

  const lookup = Buffer.from('123\ngolang.org/x/text v0.3.0 h1:...\n');
  await store.writeSumdb('sum.example.org', 'lookup/golang.org/x/text@v0.3.0', lookup);
  assert.deepEqual(await store.readSumdb('sum.example.org', 'lookup/golang.org/x/text@v0.3.0'), lookup);
  assert.equal(await store.readSumdb('sum.example.org', 'tile/8/0/000'), null);

  for (const [name, subpath] of [
    ['sum.example.org', '../x'],
    ['sum.example.org', 'lookup/../../../etc/passwd'],
    ['sum.example.org', 'lookup//x'],
    ['sum.example.org', '/lookup/x'],
    ['sum.example.org', 'lookup/x/'],
    ['sum.example.org', ''],
    ['sum.example.org', 'lookup/.tmp-1-x'],
    ['sum.example.org', 'lookup\\..\\..\\x'],
    ['sum.example.org', 'lookup/a\0b'],
    ['..', 'latest'],
    ['', 'latest'],
    ['sum/evil', 'latest'],
    ['.hidden', 'latest'],
  ] as const) {
    assert.throws(() => store.sumdbPath(name, subpath), /invalid checksum database/, `${name} ${subpath}`);
    await assert.rejects(store.writeSumdb(name, subpath, Buffer.from('x')), /invalid checksum database/);
  }
  assert.deepEqual(await treeOf(store.root), [
    '.goproxy-action/meta/example.com/a/@v/v1.0.0.json',
    '.goproxy-action/meta/example.com/a/@v/v1.1.0.json',
    'sumdb/sum.example.org/lookup/golang.org/x/text@v0.3.0',
  ]);
});

test('store: module paths and versions that would escape the store are refused', async (t) => {
  const store = await openTempStore(t);
  // Each refusal names what is wrong: the module path checks of the gomod layer, or our own guard.
  const refusal = /malformed module path|invalid|refusing/;
  const badModules = [
    '../evil.com/x',
    'example.com/../../evil',
    'example.com/./x',
    '/etc/passwd',
    'example.com//x',
    'example.com/x/',
    'C:/evil.com',
    'c:\\evil.com',
    'example.com\\..\\..\\evil',
    'example.com/.goproxy-action',
    '.goproxy-action/meta',
    'sumdb/sum.example.org',
    'example.com/a\0b',
    'example.com/%2e%2e',
    'example.com/!x',
    '',
    `example.com/${'a'.repeat(300)}`,
  ];
  for (const module of badModules) {
    assert.throws(() => store.filePath(module, 'v1.0.0', 'zip'), refusal, JSON.stringify(module));
    assert.throws(() => store.listPath(module), refusal, JSON.stringify(module));
    assert.throws(() => store.metaPath(module, 'v1.0.0'), refusal, JSON.stringify(module));
    await assert.rejects(store.writeFileAtomic(module, 'v1.0.0', 'zip', Buffer.from('x')), refusal);
    await assert.rejects(store.addVersionToList(module, 'v1.0.0'), refusal);
  }
  const badVersions = ['../../../evil', 'v1.0.0/../../x', '..', '.', 'v1.0.0\\..\\x', 'v1!0', '', 'v1.0.0\0'];
  for (const version of badVersions) {
    assert.throws(() => store.filePath('example.com/a', version, 'zip'), refusal, JSON.stringify(version));
    await assert.rejects(store.beginWrite('example.com/a', version, 'mod'), refusal);
    await assert.rejects(store.writeMeta('example.com/a', version, {}), refusal);
  }
  assert.throws(() => store.filePath('example.com/a', 'v1.0.0', '../x' as 'zip'), /unknown blob kind/);
  assert.deepEqual(await treeOf(dirname(store.root)), [], 'nothing was written anywhere');
});

test('store: prune keeps exactly the used versions, rewrites lists, removes meta and empty directories', async (t) => {
  const store = await openTempStore(t);
  const all = [
    ['example.com/keep', 'v1.0.0'],
    ['example.com/keep', 'v1.1.0'],
    ['example.com/mixed', 'v1.0.0'],
    ['example.com/mixed', 'v1.2.0'],
    ['example.com/mixed', 'v0.0.0-20240101000000-abcdefabcdef'],
    ['example.com/Gone/deep/v2', 'v2.0.0'],
    ['example.com/Gone', 'v1.0.0'],
  ] as const;
  for (const [m, v] of all) {
    await storeVersion(store, m, v, 1000);
    await store.writeMeta(m, v, { m, v });
  }
  // Meta for a version with no blobs at all, and bookkeeping/sumdb files prune must not touch.
  await store.writeMeta('example.com/orphan', 'v9.0.0', { orphan: true });
  await store.writeSumdb('sum.example.org', 'lookup/example.com/gone@v1.0.0', Buffer.from('record'));
  await writeFile(join(store.root, '.goproxy-action', 'state.json'), '{}');

  store.markUsed('example.com/keep', 'v1.0.0');
  store.markUsed('example.com/keep', 'v1.1.0');
  store.markUsed('example.com/mixed', 'v1.2.0');
  store.markUsed('example.com/mixed', 'v0.0.0-20240101000000-abcdefabcdef');
  store.markUsed('example.com/never-stored', 'v1.0.0'); // used but not stored: harmless
  const used = store.usedVersions();
  assert.equal(used.size, 5);

  const before = await store.summary();
  assert.deepEqual(before, { files: 28, bytes: before.bytes, versions: 7, modules: 4 });
  const result = await store.prune();
  const blobBytes = (m: string, v: string) =>
    `{"Version":"${v}"}\n`.length + `module ${m}\n`.length + 1000 + 'h1:abc=\n'.length;
  assert.deepEqual(result, {
    removedFiles: 12,
    removedBytes:
      blobBytes('example.com/mixed', 'v1.0.0') +
      blobBytes('example.com/Gone/deep/v2', 'v2.0.0') +
      blobBytes('example.com/Gone', 'v1.0.0'),
    keptFiles: 16,
    keptBytes: before.bytes - result.removedBytes,
  });

  const kept = new Set((await scanStoredVersions(store.root)).map((v) => `${v.module}@${v.version}`));
  assert.deepEqual(kept, new Set([...used].filter((k) => !k.startsWith('example.com/never-stored'))));
  assert.equal(await readFile(store.listPath('example.com/mixed'), 'utf8'), 'v1.2.0\n');
  assert.equal(await readFile(store.listPath('example.com/keep'), 'utf8'), 'v1.0.0\nv1.1.0\n');
  assert.deepEqual(await treeOf(store.root), [
    '.goproxy-action/meta/example.com/keep/@v/v1.0.0.json',
    '.goproxy-action/meta/example.com/keep/@v/v1.1.0.json',
    '.goproxy-action/meta/example.com/mixed/@v/v0.0.0-20240101000000-abcdefabcdef.json',
    '.goproxy-action/meta/example.com/mixed/@v/v1.2.0.json',
    '.goproxy-action/state.json',
    'example.com/keep/@v/list',
    'example.com/keep/@v/v1.0.0.info',
    'example.com/keep/@v/v1.0.0.mod',
    'example.com/keep/@v/v1.0.0.zip',
    'example.com/keep/@v/v1.0.0.ziphash',
    'example.com/keep/@v/v1.1.0.info',
    'example.com/keep/@v/v1.1.0.mod',
    'example.com/keep/@v/v1.1.0.zip',
    'example.com/keep/@v/v1.1.0.ziphash',
    'example.com/mixed/@v/list',
    'example.com/mixed/@v/v0.0.0-20240101000000-abcdefabcdef.info',
    'example.com/mixed/@v/v0.0.0-20240101000000-abcdefabcdef.mod',
    'example.com/mixed/@v/v0.0.0-20240101000000-abcdefabcdef.zip',
    'example.com/mixed/@v/v0.0.0-20240101000000-abcdefabcdef.ziphash',
    'example.com/mixed/@v/v1.2.0.info',
    'example.com/mixed/@v/v1.2.0.mod',
    'example.com/mixed/@v/v1.2.0.zip',
    'example.com/mixed/@v/v1.2.0.ziphash',
    'sumdb/sum.example.org/lookup/example.com/gone@v1.0.0',
  ]);
  assert.equal(
    await exists(join(store.root, 'example.com', '!gone')),
    false,
    'empty module directories removed',
  );
  assert.equal(await exists(join(store.root, '.goproxy-action', 'meta', 'example.com', 'orphan')), false);
  assert.deepEqual(await store.summary(), { files: 16, bytes: result.keptBytes, versions: 4, modules: 2 });

  // Pruning again with an explicit empty set removes every module version but nothing else.
  const second = await store.prune(new Set());
  assert.equal(second.removedFiles, 16);
  assert.equal(second.keptFiles, 0);
  assert.deepEqual(await treeOf(store.root), [
    '.goproxy-action/state.json',
    'sumdb/sum.example.org/lookup/example.com/gone@v1.0.0',
  ]);
  assert.deepEqual(await store.summary(), { files: 0, bytes: 0, versions: 0, modules: 0 });
});

test('store: prune running in a loop beside writers fails no write and leaves no temp or partial file', async (t) => {
  const store = await openTempStore(t);
  let writing = true;
  const pruneLoop = (async () => {
    while (writing) await store.prune(new Set());
  })();
  try {
    for (let round = 0; round < 40; round++) {
      // Every write must succeed (Promise.all rejects otherwise), however prune interleaves.
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          store.writeFileAtomic(`example.com/r${i}`, `v1.${round}.0`, 'zip', Buffer.alloc(100)),
        ),
      );
    }
  } finally {
    writing = false;
    await pruneLoop;
  }
  const files = await treeOf(store.root);
  assert.ok(
    files.every((f) => !f.includes('.tmp-')),
    'no temp files remain',
  );
  for (const f of files.filter((f) => f.endsWith('.zip'))) {
    assert.equal((await stat(join(store.root, f))).size, 100, `${f} is whole`);
  }
});

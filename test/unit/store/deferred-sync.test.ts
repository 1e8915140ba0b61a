// .info/.mod written visibly before their fsync (deferred-sync.ts): visible at once, covered
// by a durable marker until fsynced, and what a dead writer's marker makes the next open do
// (fsync when only the process died, remove and rebuild lists when the machine went down).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BlobStore } from '../../../src/store/blob-store.ts';
import { currentBootId, markerDir, storeIdentity } from '../../../src/store/deferred-sync.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const mod = 'example.com/deferred';

async function tempRoot(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'store-deferred-'));
  t.after(() => rm(parent, { recursive: true, force: true }));
  return join(parent, 'store');
}

async function markers(root: string): Promise<string[]> {
  return readdir(markerDir(root)).catch(() => []);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const info = (v: string) => Buffer.from(`{"Version":"${v}"}\n`);

/** Counts fsync and fdatasync calls on file handles (every one the store makes goes through them). */
async function countSyncs(t: { after: (fn: () => void) => void }, dir: string): Promise<() => number> {
  await mkdir(dir, { recursive: true });
  const probe = await open(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void>; datasync: () => Promise<void> };
  await probe.close();
  const { sync, datasync } = proto;
  let calls = 0;
  proto.sync = function (this: unknown) {
    calls++;
    return sync.call(this);
  };
  proto.datasync = function (this: unknown) {
    calls++;
    return datasync.call(this);
  };
  t.after(() => {
    proto.sync = sync;
    proto.datasync = datasync;
  });
  return () => calls;
}

test('deferred write: the file is readable at once, a durable marker covers it until the fsync pass, then goes', async (t) => {
  const root = await tempRoot(t);
  const store = await BlobStore.open(root);
  const syncs = await countSyncs(t, join(root, '..', 'probe'));
  await store.writeFileDeferred(mod, 'v0.9.0', 'info', info('v0.9.0'));
  await store.writeFileDeferred(mod, 'v1.0.0', 'info', info('v1.0.0'));
  await store.writeFileDeferred(mod, 'v1.0.0', 'mod', Buffer.from(`module ${mod}\n`));
  // Visible before any fsync: what the answer implies is there when the client has it.
  assert.deepEqual(await store.readFile(mod, 'v1.0.0', 'info'), info('v1.0.0'));
  assert.equal((await store.readFile(mod, 'v1.0.0', 'mod'))?.toString(), `module ${mod}\n`);
  const held = await markers(root);
  assert.equal(held.length, 1, `one marker while unsynced: ${held}`);
  const marker = JSON.parse(await readFile(join(markerDir(root), held[0]!), 'utf8'));
  assert.equal(marker.pid, process.pid);
  assert.equal(marker.boot, currentBootId());
  assert.ok(typeof marker.since === 'number' && marker.since <= Date.now());
  await store.syncDeferred();
  // The marker (its file and its directory) once for the epoch, then each file once: written
  // the durable way, each would have cost its own fsync on top of the pass's.
  assert.equal(syncs(), 2 + 3, 'one marker, then each of the three files fsynced once');
  assert.deepEqual(await markers(root), [], 'the marker goes once everything it covered is fsynced');
  // Another epoch starts with a new marker.
  await store.writeFileDeferred(mod, 'v1.1.0', 'info', info('v1.1.0'));
  assert.equal((await markers(root)).length, 1);
  await store.syncDeferred();
  assert.equal(syncs(), 5 + 2 + 1);
  assert.deepEqual(await markers(root), []);
});

test('deferred write: an empty .info or .mod (what a crash can leave) reads as missing', async (t) => {
  const root = await tempRoot(t);
  const store = await BlobStore.open(root);
  await store.writeFileAtomic(mod, 'v1.0.0', 'info', Buffer.alloc(0));
  await store.writeFileAtomic(mod, 'v1.0.0', 'mod', Buffer.alloc(0));
  assert.equal(await store.readFile(mod, 'v1.0.0', 'info'), null);
  assert.equal(await store.readFile(mod, 'v1.0.0', 'mod'), null);
  assert.equal(await store.stat(mod, 'v1.0.0', 'mod'), null);
  // A zip is judged by its own checks, not by size here.
  await store.writeFileAtomic(mod, 'v1.0.0', 'zip', Buffer.alloc(0));
  assert.deepEqual(await store.stat(mod, 'v1.0.0', 'zip'), { size: 0 });
});

test('deferred write: a writer SIGKILLed before its fsync pass ends leaves a marker; the next open fsyncs and keeps its files', async (t) => {
  const root = await tempRoot(t);
  const child = spawn(process.execPath, [join(here, 'deferred-writer-child.ts'), root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited (${code}) before reporting`)));
  });
  child.kill('SIGKILL');
  await exited;
  assert.equal(
    (await markers(root)).length,
    1,
    'the killed writer left its marker (its epoch was still open)',
  );
  const store = await BlobStore.open(root);
  assert.deepEqual(await markers(root), [], 'open took the marker over');
  // Same boot: the page cache held every byte, so nothing is lost.
  for (let i = 0; i < 20; i++) {
    assert.deepEqual(await store.readFile(mod, `v1.0.${i}`, 'info'), info(`v1.0.${i}`));
    assert.equal((await store.readFile(mod, `v1.0.${i}`, 'mod'))?.toString(), `module ${mod}\n`);
  }
  assert.equal((await readFile(store.listPath(mod), 'utf8')).split('\n').filter(Boolean).length, 20);
});

test('deferred write: after a crash of the machine (a marker from another boot) the files of its window are removed and the list rebuilt', async (t) => {
  const root = await tempRoot(t);
  const store = await BlobStore.open(root);
  // Before the window: synced long ago, kept.
  for (const v of ['v1.0.0', 'v1.1.0']) {
    await store.writeFileAtomic(mod, v, 'info', info(v));
    await store.writeFileAtomic(mod, v, 'mod', Buffer.from(`module ${mod}\n`));
    await store.writeFileAtomic(mod, v, 'zip', Buffer.from('zip bytes'));
    await store.addVersionToList(mod, v);
  }
  // A pseudo-version is stored but never listed, by the rebuild either.
  const pseudo = 'v0.0.0-20240101000000-abcdefabcdef';
  await store.writeFileAtomic(mod, pseudo, 'info', info(pseudo));
  await store.addVersionToList(mod, pseudo);
  const old = new Date(Date.now() - 3_600_000);
  await utimes(store.filePath(mod, pseudo, 'info'), old, old);
  for (const v of ['v1.0.0', 'v1.1.0'])
    for (const ext of ['info', 'mod', 'zip'] as const) await utimes(store.filePath(mod, v, ext), old, old);
  // In the window: written after the marker's time; one of them torn (empty) by the crash.
  await store.writeFileAtomic(mod, 'v1.2.0', 'info', Buffer.alloc(0));
  await store.writeFileAtomic(mod, 'v1.2.0', 'mod', Buffer.from(`module ${mod}\n`));
  await store.writeFileAtomic(mod, 'v1.2.0', 'zip', Buffer.from('zip bytes'));
  await store.addVersionToList(mod, 'v1.2.0');
  await store.writeFileAtomic('example.com/other', 'v0.1.0', 'info', info('v0.1.0'));
  await store.addVersionToList('example.com/other', 'v0.1.0');
  await mkdir(markerDir(root), { recursive: true });
  await writeFile(
    join(markerDir(root), '4194999-1.json'),
    JSON.stringify({
      pid: 4194999,
      boot: 'another-boot',
      since: Date.now() - 60_000,
      store: await storeIdentity(root),
    }),
  );

  const reopened = await BlobStore.open(root);
  assert.deepEqual(await markers(root), []);
  for (const v of ['v1.0.0', 'v1.1.0']) {
    assert.deepEqual(await reopened.readFile(mod, v, 'info'), info(v), `${v} predates the window`);
    assert.ok(await reopened.stat(mod, v, 'mod'));
  }
  assert.equal(await exists(reopened.filePath(mod, 'v1.2.0', 'info')), false);
  assert.equal(await exists(reopened.filePath(mod, 'v1.2.0', 'mod')), false);
  assert.equal(await reopened.stat(mod, 'v1.2.0', 'zip'), null, 'a zip of the window may be torn too');
  for (const v of ['v1.0.0', 'v1.1.0']) assert.ok(await reopened.stat(mod, v, 'zip'), `${v}.zip predates it`);
  assert.equal(
    await readFile(reopened.listPath(mod), 'utf8'),
    'v1.0.0\nv1.1.0\n',
    'list rebuilt from the .info left',
  );
  assert.equal(await exists(reopened.listPath('example.com/other')), false, 'a list left empty is removed');
});

test("deferred write: a live writer's marker is left alone by another open of the store", async (t) => {
  const root = await tempRoot(t);
  const writer = await BlobStore.open(root);
  await writer.writeFileDeferred(mod, 'v1.0.0', 'info', info('v1.0.0'));
  const held = await markers(root);
  assert.equal(held.length, 1);
  const other = await BlobStore.open(root);
  assert.deepEqual(await markers(root), held, 'the live writer keeps its marker');
  assert.deepEqual(await other.readFile(mod, 'v1.0.0', 'info'), info('v1.0.0'));
  await writer.syncDeferred();
  assert.deepEqual(await markers(root), []);
});

test('deferred write: a marker that came with a restored or copied store (another directory) is dropped, its files kept', async (t) => {
  const root = await tempRoot(t);
  const store = await BlobStore.open(root);
  await store.writeFileAtomic(mod, 'v1.0.0', 'info', info('v1.0.0'));
  await store.writeFileAtomic(mod, 'v1.0.0', 'zip', Buffer.from('zip bytes'));
  await mkdir(markerDir(root), { recursive: true });
  await writeFile(
    join(markerDir(root), '4194999-1.json'),
    JSON.stringify({ pid: 4194999, boot: 'another-boot', since: Date.now() - 60_000, store: '1:2' }),
  );
  const reopened = await BlobStore.open(root);
  assert.deepEqual(await markers(root), []);
  assert.deepEqual(await reopened.readFile(mod, 'v1.0.0', 'info'), info('v1.0.0'));
  assert.ok(await reopened.stat(mod, 'v1.0.0', 'zip'));
});

test('deferred write: a hold given up without a file (a zip not stored) ends its epoch, and a later drain returns', async (t) => {
  const root = await tempRoot(t);
  const store = await BlobStore.open(root);
  const release = await store.holdUnsynced(mod, 'v1.0.0', 'zip');
  assert.equal((await markers(root)).length, 1);
  release(null);
  // The pass it scheduled runs with nothing to sync.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await store.syncDeferred();
  assert.deepEqual(await markers(root), []);
  await store.writeFileDeferred(mod, 'v1.0.0', 'info', info('v1.0.0'));
  await store.syncDeferred();
  assert.deepEqual(await markers(root), []);
});

test('deferred write: an unreadable marker is taken as a crash, its window dated by the marker file itself', async (t) => {
  const root = await tempRoot(t);
  const store = await BlobStore.open(root);
  await store.writeFileAtomic(mod, 'v1.0.0', 'info', info('v1.0.0'));
  await store.writeFileAtomic(mod, 'v1.0.0', 'zip', Buffer.from('zip bytes'));
  const old = new Date(Date.now() - 3_600_000);
  await utimes(store.filePath(mod, 'v1.0.0', 'info'), old, old);
  await utimes(store.filePath(mod, 'v1.0.0', 'zip'), old, old);
  await store.writeFileAtomic(mod, 'v1.1.0', 'info', info('v1.1.0'));
  await mkdir(markerDir(root), { recursive: true });
  const marker = join(markerDir(root), '4194999-1.json');
  await writeFile(marker, '{"pid": 41');
  const minuteAgo = new Date(Date.now() - 60_000);
  await utimes(marker, minuteAgo, minuteAgo);
  const reopened = await BlobStore.open(root);
  assert.deepEqual(await markers(root), []);
  assert.deepEqual(
    await reopened.readFile(mod, 'v1.0.0', 'info'),
    info('v1.0.0'),
    'older than the marker: kept',
  );
  assert.ok(await reopened.stat(mod, 'v1.0.0', 'zip'));
  assert.equal(await reopened.readFile(mod, 'v1.1.0', 'info'), null, 'written after it: removed');
});

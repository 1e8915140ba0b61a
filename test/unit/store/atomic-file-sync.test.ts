// PendingBlob.sync: the fsync of a blob taken early (beside its zip check), so the commit after
// it only renames; bytes written after the sync are fsynced again by the commit.
import assert from 'node:assert/strict';
import { mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { beginAtomicWrite } from '../../../src/store/atomic-file.ts';

/** Counts FileHandle.sync calls (every fsync the atomic writer makes goes through it). */
async function countSyncs(t: { after: (fn: () => void) => void }, dir: string): Promise<() => number> {
  const probe = await open(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  const original = proto.sync;
  let calls = 0;
  proto.sync = function (this: unknown) {
    calls++;
    return original.call(this);
  };
  t.after(() => {
    proto.sync = original;
  });
  return () => calls;
}

test('atomic file: sync then commit fsyncs once and renames the whole file into place', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'atomic-sync-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const syncs = await countSyncs(t, dir);
  const pending = await beginAtomicWrite(join(dir, 'blob.zip'));
  await pending.write(Buffer.from('hello '));
  await pending.write(Buffer.from('world'));
  await pending.sync();
  assert.equal(syncs(), 1);
  assert.deepEqual(
    await readdir(dir).then((names) => names.includes('blob.zip')),
    false,
    'not visible before commit',
  );
  await pending.commit();
  assert.equal(syncs(), 1, 'the commit after a sync with nothing written since needs no second fsync');
  assert.equal(await readFile(join(dir, 'blob.zip'), 'utf8'), 'hello world');
  assert.deepEqual((await readdir(dir)).sort(), ['blob.zip', 'probe'], 'no temp file left');
});

test('atomic file: bytes written after a sync are fsynced again by the commit', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'atomic-sync-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const syncs = await countSyncs(t, dir);
  const pending = await beginAtomicWrite(join(dir, 'blob.zip'));
  await pending.write(Buffer.from('part one, '));
  await pending.sync();
  await pending.write(Buffer.from('part two'));
  await pending.commit();
  assert.equal(syncs(), 2);
  assert.equal(await readFile(join(dir, 'blob.zip'), 'utf8'), 'part one, part two');
});

test('atomic file: sync after a discard is refused; discard after a sync leaves nothing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'atomic-sync-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pending = await beginAtomicWrite(join(dir, 'blob.zip'));
  await pending.write(Buffer.from('rejected bytes'));
  await pending.sync();
  await pending.discard();
  assert.deepEqual(await readdir(dir), []);
  await assert.rejects(pending.sync(), /sync after commit, discard, detach or a failed write/);
});

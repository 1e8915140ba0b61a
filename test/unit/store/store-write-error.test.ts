// Item 4: every filesystem refusal to write the store is one kind of error the proxy handles
// alike (serve, do not store, count it); errors without an errno are bugs and stay as they are.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { beginAtomicWrite, writeFileAtomic } from '../../../src/store/atomic-file.ts';
import { asStoreWriteError, StoreWriteError } from '../../../src/store/store-write-error.ts';

test('item 4: EACCES, ENOTDIR, ENOENT, EMFILE, ENOSPC, EROFS... all become a StoreWriteError that says what to do', () => {
  for (const [code, words] of [
    ['EACCES', /permission denied/],
    ['EPERM', /permission denied/],
    ['ENOTDIR', /a file stands where a directory must be/],
    ['ENOENT', /vanished/],
    ['EMFILE', /too many open files/],
    ['ENOSPC', /disk full \(ENOSPC\)/],
    ['EROFS', /read-only filesystem/],
    ['EIO', /refused the write \(EIO\)/],
  ] as const) {
    const err = asStoreWriteError(Object.assign(new Error(code), { code }), '/store/x.zip');
    assert.ok(err instanceof StoreWriteError, code);
    assert.equal(err.code, code);
    assert.match(err.message, words);
  }
  const bug = new TypeError('not a filesystem error');
  assert.equal(asStoreWriteError(bug, '/store/x.zip'), bug);
});

test('item 4: a real ENOTDIR (a file where the directory must be) is a StoreWriteError, and nothing is left behind', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'store-write-error-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await writeFile(join(root, 'example.com'), 'a file, not a directory\n');
  await assert.rejects(
    writeFileAtomic(join(root, 'example.com', '@v', 'v1.0.0.info'), Buffer.from('{}')),
    (err) => {
      assert.ok(err instanceof StoreWriteError);
      assert.match(err.code, /^(ENOTDIR|EEXIST)$/);
      return true;
    },
  );
  assert.equal(await readFile(join(root, 'example.com'), 'utf8'), 'a file, not a directory\n');
});

test('atomic write: size counts the bytes on disk; detach hands the temp file over', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'store-write-size-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const pending = await beginAtomicWrite(join(root, 'blob.zip'));
  await pending.write(Buffer.from('abc'));
  await pending.write(Buffer.from('defg'));
  assert.equal(pending.size, 7);
  const kept = await pending.detach();
  assert.equal(await readFile(kept, 'utf8'), 'abcdefg');
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fstatSync } from 'node:fs';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BlobStore, openOrNull } from '../../../src/store/blob-store.ts';
import { OpenBlobCache } from '../../../src/store/open-blob-cache.ts';

test('OpenBlobCache: hits reuse one open file; eviction closes only idle ones; clear forgets all', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blob-cache-'));
  try {
    const files = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const f = join(dir, `b${i}.zip`);
        await writeFile(f, randomBytes(10 + i));
        return f;
      }),
    );
    const cache = new OpenBlobCache(2);
    const a1 = (await cache.acquire(files[0]!, openOrNull))!;
    const a2 = (await cache.acquire(files[0]!, openOrNull))!;
    assert.equal(a1.handle.fd, a2.handle.fd, 'a hit reuses the open file');
    assert.equal(a1.size, 10);
    await a2.close();
    // Two more files push the first out while a1 still reads it: it must stay open for a1.
    const b = (await cache.acquire(files[1]!, openOrNull))!;
    const c = (await cache.acquire(files[2]!, openOrNull))!;
    assert.equal(fstatSync(a1.handle.fd).size, 10, 'an evicted file in use stays open');
    await a1.close();
    await new Promise((r) => setImmediate(r));
    assert.equal(a1.handle.fd, -1, 'closed once its last user released it');
    await b.close();
    await c.close();
    cache.clear();
    await new Promise((r) => setImmediate(r));
    assert.equal(b.handle.fd, -1);
    assert.equal(c.handle.fd, -1);
    const again = (await cache.acquire(files[1]!, openOrNull))!;
    assert.equal(again.size, 11);
    await again.close();
    assert.equal(await cache.acquire(join(dir, 'missing.zip'), openOrNull), null);
    cache.clear();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('BlobStore.openBlob: a hit after prune (or after the file was removed by another process) is not served from a stale open file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blob-cache-store-'));
  try {
    const store = await BlobStore.open(dir);
    const bytes = randomBytes(100);
    await store.writeFileAtomic('example.com/a', 'v1.0.0', 'zip', bytes);
    const first = (await store.openBlob('example.com/a', 'v1.0.0', 'zip'))!;
    await first.close();
    const second = (await store.openBlob('example.com/a', 'v1.0.0', 'zip'))!;
    assert.equal(second.handle.fd, first.handle.fd, 'the second hit reuses the open file');
    await second.close();

    // prune (nothing used): the cache is cleared with it, so the removed blob is a miss.
    await store.prune(new Set());
    assert.equal(await store.openBlob('example.com/a', 'v1.0.0', 'zip'), null);

    // Removed behind the store's back: noticed once the open file is a second old.
    await store.writeFileAtomic('example.com/a', 'v1.0.0', 'zip', bytes);
    const third = (await store.openBlob('example.com/a', 'v1.0.0', 'zip'))!;
    await third.close();
    await unlink(store.filePath('example.com/a', 'v1.0.0', 'zip'));
    await new Promise((r) => setTimeout(r, 1_100));
    assert.equal(await store.openBlob('example.com/a', 'v1.0.0', 'zip'), null);
    store.closeOpenBlobs();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('OpenBlobCache: a recheck racing an eviction never hands out a closed file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blob-cache-race-'));
  try {
    const a = join(dir, 'a.zip');
    const b = join(dir, 'b.zip');
    await writeFile(a, randomBytes(20));
    await writeFile(b, randomBytes(30));
    // Room for one; every hit rechecks (0 ms).
    const cache = new OpenBlobCache(1, 0);
    await (await cache.acquire(a, openOrNull))!.close();
    for (let i = 0; i < 50; i++) {
      // The hit on `a` rechecks while the miss on `b` (opened already, so it lands at once)
      // evicts and closes it.
      const openedB = await openOrNull(b);
      const [gotA, gotB] = await Promise.all([
        cache.acquire(a, openOrNull),
        cache.acquire(b, async () => openedB),
      ]);
      assert.equal(fstatSync(gotA!.handle.fd).size, 20, 'the file handed out is open');
      assert.equal(fstatSync(gotB!.handle.fd).size, 30);
      await gotA!.close();
      await gotB!.close();
    }
    cache.clear();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('OpenBlobCache.acquireOpen: only a file held open and still linked; never opens one itself', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blob-cache-open-'));
  try {
    const a = join(dir, 'a.zip');
    await writeFile(a, randomBytes(20));
    // Every hit rechecks (0 ms): an unlinked file is noticed at once.
    const cache = new OpenBlobCache(4, 0);
    assert.equal(cache.acquireOpen(a), null, 'not held: nothing is opened');
    const first = (await cache.acquire(a, openOrNull))!;
    assert.equal(first.warm, false);
    await first.close();
    const held = cache.acquireOpen(a);
    assert.ok(held, 'held open after a hit');
    assert.equal(held.warm, true);
    assert.equal(held.handle.fd, first.handle.fd);
    assert.equal(held.size, 20);
    await held.close();
    cache.clear();
    assert.equal(cache.acquireOpen(a), null, 'cleared (a prune): no longer handed out');
    await (await cache.acquire(a, openOrNull))!.close();
    await unlink(a);
    assert.equal(cache.acquireOpen(a), null, 'removed from disk: not handed out');
    assert.equal(await cache.acquire(a, openOrNull), null, 'and a full acquire finds it missing');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { withFileLock } from '../../../src/store/file-lock.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-lock-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

test('the lock file exists while the work runs and is gone after, also when the work throws', async () => {
  const lock = join(dir, 'sub', 'a.lock');
  const seen = await withFileLock(lock, async () => existsSync(lock));
  assert.equal(seen, true);
  assert.equal(existsSync(lock), false);
  await assert.rejects(
    withFileLock(lock, async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(existsSync(lock), false);
});

test('work under one lock never interleaves', async () => {
  const lock = join(dir, 'b.lock');
  let inside = 0;
  let maxInside = 0;
  await Promise.all(
    Array.from({ length: 20 }, () =>
      withFileLock(lock, async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await new Promise((r) => setImmediate(r));
        inside--;
      }),
    ),
  );
  assert.equal(maxInside, 1);
});

test('a lock left by a dead process on this host is broken at once', async () => {
  const lock = join(dir, 'c.lock');
  await writeFile(lock, JSON.stringify({ host: hostname(), pid: await deadPid(), nonce: 'x' }));
  assert.equal(await withFileLock(lock, async () => 'ran'), 'ran');
  assert.equal(existsSync(lock), false);
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n.startsWith('c.lock')),
    [],
    'no broken lock left aside',
  );
});

test('a live holder is waited for; an old lock is broken even if its holder looks alive', async () => {
  const lock = join(dir, 'd.lock');
  await writeFile(lock, JSON.stringify({ host: hostname(), pid: process.pid, nonce: 'live' }));
  const order: string[] = [];
  const waiting = withFileLock(lock, async () => {
    order.push('work');
  });
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
  order.push('released');
  await unlink(lock);
  await waiting;
  assert.deepEqual(order, ['released', 'work'], 'the work waited for the live holder');

  await writeFile(lock, JSON.stringify({ host: 'another-host', pid: 1, nonce: 'old' }));
  const old = new Date(Date.now() - 60 * 60 * 1000);
  await utimes(lock, old, old);
  assert.equal(await withFileLock(lock, async () => 'ran'), 'ran');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZipPrefetch } from '../../../src/proxy/zip-prefetch.ts';

/** A prefetcher whose fetches wait until the test lets them finish. */
function harness(options: { concurrency: number; ahead: number; ttlMs?: number; skip?: Set<string> }) {
  const started: string[] = [];
  const finish = new Map<string, (v: string | null) => void>();
  const events: string[] = [];
  const prefetch = new ZipPrefetch<string>({
    concurrency: options.concurrency,
    ahead: options.ahead,
    ttlMs: options.ttlMs ?? 60_000,
    fetch: (module, version) => {
      const key = `${module}@${version}`;
      started.push(key);
      return new Promise((resolve) => finish.set(key, resolve));
    },
    onPrefetched: (event) => events.push(event),
  });
  const done = async (key: string, value: string | null = key) => {
    finish.get(key)!(value);
    await new Promise((r) => setImmediate(r));
  };
  return { prefetch, started, done, events };
}

test('zip prefetch: oldest first, at most `concurrency` at once, at most `ahead` waiting unasked', async () => {
  const { prefetch, started, done, events } = harness({ concurrency: 2, ahead: 3 });
  for (const m of ['a', 'b', 'c', 'd', 'e']) prefetch.offer(m, 'v1.0.0');
  prefetch.offer('a', 'v1.0.0'); // already started: nothing new
  assert.deepEqual(started, ['a@v1.0.0', 'b@v1.0.0']);
  await done('a@v1.0.0');
  assert.deepEqual(started, ['a@v1.0.0', 'b@v1.0.0', 'c@v1.0.0'], 'a slot freed: the next starts');
  await done('b@v1.0.0');
  assert.equal(started.length, 3, 'three prefetched and unasked: the bound holds');
  assert.equal(await prefetch.claim('a', 'v1.0.0'), 'a@v1.0.0', 'the client takes the result');
  assert.deepEqual(started.at(-1), 'd@v1.0.0', 'asked for: its place goes to the next');
  assert.deepEqual(events, ['stored', 'stored', 'asked']);
  assert.equal(await prefetch.claim('a', 'v1.0.0'), null, 'taken once');
});

test('zip prefetch: a client asking for a queued zip takes it off the queue (it fetches it itself); a skipped one frees its place', async () => {
  const { prefetch, started, done, events } = harness({ concurrency: 1, ahead: 1 });
  prefetch.offer('a', 'v1.0.0');
  prefetch.offer('b', 'v1.0.0');
  prefetch.offer('c', 'v1.0.0');
  assert.equal(await prefetch.claim('b', 'v1.0.0'), null);
  await done('a@v1.0.0', null); // skipped (refused, stored, not stored): no place held
  assert.deepEqual(started, ['a@v1.0.0', 'c@v1.0.0'], 'b was never prefetched');
  const claimed = prefetch.claim('c', 'v1.0.0');
  await done('c@v1.0.0');
  assert.equal(await claimed, 'c@v1.0.0', 'a client asking mid-fetch waits for it');
  assert.deepEqual(events, ['stored', 'asked']);
});

test('zip prefetch: queued too long, or closed, nothing starts', async () => {
  const expired = harness({ concurrency: 1, ahead: 4, ttlMs: -1 });
  expired.prefetch.offer('a', 'v1.0.0');
  assert.deepEqual(expired.started, []);
  const closing = harness({ concurrency: 1, ahead: 4 });
  closing.prefetch.offer('a', 'v1.0.0');
  closing.prefetch.offer('b', 'v1.0.0');
  const closed = closing.prefetch.close();
  await closing.done('a@v1.0.0');
  await closed;
  closing.prefetch.offer('c', 'v1.0.0');
  assert.deepEqual(closing.started, ['a@v1.0.0']);
});

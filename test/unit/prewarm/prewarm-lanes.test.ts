// How prewarm schedules its work: FIFO slots bound the requests at once and serve them in plan
// order; a module gives its request lane back as soon as its zip is on disk, so the zip's check
// (CPU) never holds the proxy's requests back; a zip that fails its check is still a mismatch,
// and no scratch file is left.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ProxyClient } from '../../../src/prewarm/proxy-client.ts';
import { Slots } from '../../../src/prewarm/slots.ts';
import { warmModule } from '../../../src/prewarm/warm-module.ts';
import type { WarmItem } from '../../../src/prewarm/warm-plan.ts';
import { goSumFor, writeFixtureModules } from '../../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../../support/fixture-proxy.ts';
import { makeTempDir } from '../../support/go-env.ts';

test('slots: at most size holders, waiters served first come first served, release once', async () => {
  const slots = new Slots(2);
  const order: string[] = [];
  const a = await slots.acquire();
  const b = await slots.acquire();
  const waiters = ['c', 'd', 'e'].map((name) => slots.acquire().then((release) => ({ name, release })));
  for (const w of waiters) void w.then(({ name }) => order.push(name));
  await new Promise((done) => setImmediate(done));
  assert.deepEqual(order, []);
  a();
  a(); // a second release of the same slot gives nothing more
  await new Promise((done) => setImmediate(done));
  assert.deepEqual(order, ['c']);
  b();
  await new Promise((done) => setImmediate(done));
  assert.deepEqual(order, ['c', 'd']);
  (await waiters[0])?.release();
  await new Promise((done) => setImmediate(done));
  assert.deepEqual(order, ['c', 'd', 'e']);
  assert.throws(() => new Slots(0), /positive integer/);
});

test('slots: an aborted waiter leaves the queue without taking a slot', async () => {
  const slots = new Slots(1);
  const held = await slots.acquire();
  const controller = new AbortController();
  const aborted = slots.acquire(controller.signal);
  const next = slots.acquire();
  controller.abort(new Error('stop'));
  await assert.rejects(aborted, /stop/);
  held();
  const release = await next;
  release();
  // Free again: taken at once.
  (await slots.acquire())();
});

test('slots: ranked waiters: a freed slot goes to the lowest rank read at that moment (unranked ones rank 0), arrival order among equals', async () => {
  const slots = new Slots(1);
  const held = await slots.acquire();
  const sizes = new Map<string, number>();
  const order: string[] = [];
  const take = (name: string, rank?: () => number) =>
    slots.acquire(undefined, rank).then((release) => {
      order.push(name);
      release();
    });
  // Ranks are never below 0 (unranked waiters rank 0): bigger sizes rank lower, above 0.
  const bySize = (name: string) => () => 1 / (1 + (sizes.get(name) ?? 0));
  const all = [
    take('plain-1'),
    take('small', bySize('small')),
    take('big', bySize('big')),
    take('unranked-2'),
    take('same-as-big', bySize('same-as-big')),
  ];
  // Ranks are read when the slot is freed, not when the waiters asked.
  sizes.set('big', 10).set('small', 1).set('same-as-big', 10);
  held();
  await Promise.all(all);
  assert.deepEqual(order, ['plain-1', 'unranked-2', 'big', 'same-as-big', 'small']);
});

const module = { path: 'example.com/lanes/big', version: 'v1.0.0' };
let dir: string;
let proxy: FixtureProxy;
let zipHash: string;
let modHash: string;

before(async () => {
  dir = makeTempDir('prewarm-lanes');
  await writeFixtureModules(dir, [
    { ...module, files: { 'big.go': `package big\n\n// ${'x'.repeat(200_000)}\n` } },
  ]);
  const sums = (await goSumFor(dir, [module])).trim().split('\n');
  zipHash = sums.find((l) => !l.includes('/go.mod '))?.split(' ')[2] ?? '';
  modHash = sums.find((l) => l.includes('/go.mod '))?.split(' ')[2] ?? '';
  proxy = await startFixtureProxy({ dir });
});
after(async () => {
  await proxy?.close();
});

function client(): ProxyClient {
  return new ProxyClient({
    baseUrl: proxy.url,
    timeoutMs: 30_000,
    attempts: 1,
    retryBudget: 0,
    backoffMs: 1,
    maxBackoffMs: 1,
    connections: 2,
  });
}

function item(zipHashes: string[]): WarmItem {
  return {
    module: module.path,
    version: module.version,
    want: 'full',
    zipHashes,
    modHashes: [modHash],
    sources: ['test'],
  };
}

// The timeout only turns a lane never given back (a hang) into a failure.
test('a module gives its lane back once its zip is on disk; the check runs in a slot of its own', {
  timeout: 120_000,
}, async () => {
  const lanes = new Slots(1);
  const checks = new Slots(1);
  const scratchDir = makeTempDir('prewarm-lanes-scratch');
  const c = client();
  try {
    // Every check slot taken: the module can download but not check.
    const holdChecks = await checks.acquire();
    let settled = false;
    const warming = warmModule(item([zipHash]), {
      client: c,
      scratchDir,
      warmLatencyMs: 0,
      lanes,
      pendingZips: new Slots(2),
      checks,
    }).finally(() => {
      settled = true;
    });
    // The lane comes back while the module still waits for its check.
    const lane = await lanes.acquire();
    assert.equal(settled, false);
    assert.deepEqual(
      proxy.requestsFor(module.path).map((r) => r.path.split('/').at(-1)),
      ['v1.0.0.info', 'v1.0.0.mod', 'v1.0.0.zip'],
    );
    assert.equal((await readdir(scratchDir)).length, 1, 'the zip waits on disk for its check');
    lane();
    holdChecks();
    const outcome = await warming;
    assert.equal(outcome.status, 'warmed');
    assert.deepEqual(
      outcome.blobs.map((b) => `${b.kind} ${b.verified}`),
      ['info false', 'mod true', 'zip true'],
    );
    assert.deepEqual(await readdir(scratchDir), []);
  } finally {
    await c.close();
  }
});

test('a zip whose check fails after the lane is gone is still a loud mismatch; its scratch file is removed', async () => {
  const scratchDir = makeTempDir('prewarm-lanes-scratch');
  const c = client();
  try {
    const outcome = await warmModule(item([`h1:${'A'.repeat(43)}=`]), {
      client: c,
      scratchDir,
      warmLatencyMs: 0,
      lanes: new Slots(1),
      pendingZips: new Slots(1),
      checks: new Slots(1),
    });
    assert.equal(outcome.status, 'failed');
    assert.ok(outcome.status === 'failed' && outcome.mismatch);
    assert.match(outcome.status === 'failed' ? outcome.reason : '', /^zip: CHECKSUM MISMATCH/);
    assert.deepEqual(await readdir(join(scratchDir)), []);
  } finally {
    await c.close();
  }
});

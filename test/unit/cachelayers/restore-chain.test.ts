// The chain restore's decisions, over an in-memory cache: which entries are asked for, in which
// order or all at once, and what a missing base or layer leaves. The real @actions/cache flow is
// test/e2e/github-build-cache.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layerKey, layerPrefix } from '../../../src/cachelayers/layer-keys.ts';
import {
  baseStillStored,
  type CacheClient,
  confirmLayerBase,
  restoreChain,
} from '../../../src/cachelayers/layered-cache.ts';

const family = 'goproxy-action-gocache-v1-linux-amd64-go1.26.8-';
const baseId = '42-0000abcd';

/** A cache holding the given layers of one chain; records restores and how many ran at once. */
function memoryCache(layers: number[]): CacheClient & { asked: string[]; peak: number } {
  const keys = new Set(layers.map((l) => layerKey(family, baseId, l)));
  let running = 0;
  const client = {
    asked: [] as string[],
    peak: 0,
    // The newest entry of the chain, as the service's prefix lookup finds it.
    async lookup() {
      return layerKey(family, baseId, Math.max(...layers));
    },
    async restore(key: string) {
      client.asked.push(key);
      running++;
      client.peak = Math.max(client.peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return keys.has(key) ? key : undefined;
    },
    async save() {
      return false;
    },
  };
  return client;
}

test('restore chain, concurrent: every entry asked at once; a complete chain', async () => {
  const cache = memoryCache([0, 1, 2, 3]);
  const got = await restoreChain(cache, family, { concurrent: true });
  assert.equal(cache.peak, 4);
  assert.deepEqual(got.chain, { baseId, count: 4, complete: true });
  assert.equal(got.restoredKeys.length, 4);
  assert.equal(got.strayLayers, undefined);
});

test('restore chain, concurrent: a missing layer stops the chain there (later layers extracted, not counted)', async () => {
  const cache = memoryCache([0, 2, 3]);
  const got = await restoreChain(cache, family, { concurrent: true });
  assert.deepEqual(got.chain, { baseId, count: 1, complete: false });
  assert.deepEqual(got.restoredKeys, [layerKey(family, baseId, 0)]);
  assert.match(got.note ?? '', /-01 is gone \(evicted\): restored the chain up to layer 0/);
});

test('restore chain, concurrent: a missing base is cold, and extracted layers are reported as stray', async () => {
  const cache = memoryCache([1, 2]);
  const got = await restoreChain(cache, family, { concurrent: true });
  assert.equal(got.chain, undefined);
  assert.deepEqual(got.restoredKeys, []);
  assert.equal(got.strayLayers, true);
  assert.match(got.note ?? '', /-00 is gone \(evicted\): starting cold/);
});

test('restore chain, in order: one entry at a time, stopping at the first missing one', async () => {
  const cache = memoryCache([0, 2, 3]);
  const got = await restoreChain(cache, family);
  assert.equal(cache.peak, 1);
  assert.deepEqual(cache.asked, [layerKey(family, baseId, 0), layerKey(family, baseId, 1)]);
  assert.deepEqual(got.chain, { baseId, count: 1, complete: false });
});

test('restore chain, in order: a prefetching client is told every entry before the first restore, and drops the rest when the chain stops', async () => {
  const cache = memoryCache([0, 2, 3]);
  const events: string[] = [];
  const client: CacheClient = {
    ...cache,
    prefetch(entries) {
      events.push(`prefetch ${entries.map((e) => e.key.slice(family.length)).join(' ')}`);
      return () => events.push('drop');
    },
    async restore(key) {
      events.push(`restore ${key.slice(family.length)}`);
      return await cache.restore(key);
    },
  };
  const got = await restoreChain(client, family);
  assert.deepEqual(got.chain, { baseId, count: 1, complete: false });
  assert.deepEqual(events, [
    `prefetch ${baseId}-00 ${baseId}-01 ${baseId}-02 ${baseId}-03`,
    `restore ${baseId}-00`,
    `restore ${baseId}-01`,
    'drop',
  ]);
  // The concurrent restore asks for everything at once: nothing to prefetch.
  events.length = 0;
  await restoreChain(client, family, { concurrent: true });
  assert.ok(!events.some((e) => e.startsWith('prefetch')));
});

test('confirm layer base: a layer is saved only on a base still stored; otherwise a new base', async () => {
  const stored = new Set([layerKey(family, baseId, 0), layerKey(family, baseId, 1)]);
  const asked: string[] = [];
  const client: CacheClient = {
    async lookup(key, restoreKeys) {
      asked.push(`${key} [${restoreKeys.join(',')}]`);
      return stored.has(key) ? key : undefined;
    },
    async restore() {
      return undefined;
    },
    async save() {
      return false;
    },
  };
  const layer = { kind: 'layer', layer: 2 } as const;
  assert.deepEqual(await confirmLayerBase(client, family, baseId, layer), layer);
  assert.deepEqual(asked, [`${layerKey(family, baseId, 0)} []`], 'one exact lookup of the base');
  // The base deleted by a concurrent job's compaction (or evicted) since the restore.
  stored.delete(layerKey(family, baseId, 0));
  assert.deepEqual(await confirmLayerBase(client, family, baseId, layer), {
    kind: 'base',
    reason: 'chain-broken',
  });
  // Nothing asked for other plans.
  asked.length = 0;
  const base = { kind: 'base', reason: 'cold' } as const;
  assert.deepEqual(await confirmLayerBase(client, family, undefined, base), base);
  assert.deepEqual(await confirmLayerBase(client, family, baseId, { kind: 'skip', reason: 'nothing-new' }), {
    kind: 'skip',
    reason: 'nothing-new',
  });
  assert.deepEqual(asked, []);
  // A lookup that fails (the service down) keeps the layer: the restore side copes with a hole.
  const failing: CacheClient = { ...client, lookup: async () => Promise.reject(new Error('down')) };
  assert.deepEqual(await confirmLayerBase(failing, family, baseId, layer), layer);
});

test('confirm layer base: a base check started earlier (beside other work) decides, with no second lookup', async () => {
  const base = layerKey(family, baseId, 0);
  let stored = true;
  let lookups = 0;
  const client: CacheClient = {
    async lookup(key) {
      lookups++;
      return stored && key === base ? key : undefined;
    },
    async restore() {
      return undefined;
    },
    async save() {
      return false;
    },
  };
  const layer = { kind: 'layer', layer: 1 } as const;
  const early = baseStillStored(client, family, baseId);
  assert.equal(await early, true);
  assert.deepEqual(await confirmLayerBase(client, family, baseId, layer, { baseStored: early }), layer);
  assert.equal(lookups, 1);
  stored = false;
  const gone = baseStillStored(client, family, baseId);
  assert.deepEqual(await confirmLayerBase(client, family, baseId, layer, { baseStored: gone }), {
    kind: 'base',
    reason: 'chain-broken',
  });
  assert.equal(lookups, 2);
  // A plan that turned out a base anyway ignores the check.
  const cold = { kind: 'base', reason: 'mostly-unused' } as const;
  assert.deepEqual(await confirmLayerBase(client, family, baseId, cold, { baseStored: gone }), cold);
});

test('restore chain, tagged: the lookup is told first, earlier layers are asked by their prefix, the newest by its key', async () => {
  const tagged = 'goproxy-action-v2-modtree2-linux-';
  const stored = [
    layerKey(tagged, baseId, 0, 'aaaa'),
    layerKey(tagged, baseId, 1, 'bbbbw'),
    layerKey(tagged, baseId, 2, 'cccc'),
  ];
  const events: string[] = [];
  const client: CacheClient = {
    async lookup(key, restoreKeys) {
      events.push(`lookup ${key} [${restoreKeys.join(',')}]`);
      return stored.at(-1);
    },
    async restore(key, prefix) {
      events.push(`restore ${key}${prefix ? ` prefix ${prefix}` : ''}`);
      if (stored.includes(key)) return key;
      return prefix ? stored.find((k) => k.startsWith(prefix)) : undefined;
    },
    async save() {
      return false;
    },
  };
  const got = await restoreChain(client, tagged, { onNewest: (key) => events.push(`newest ${key}`) });
  assert.deepEqual(got.chain, { baseId, count: 3, complete: true });
  assert.deepEqual(got.restoredKeys, stored, 'the keys restored, tags included');
  const p0 = layerPrefix(tagged, baseId, 0);
  const p1 = layerPrefix(tagged, baseId, 1);
  assert.deepEqual(events, [
    `lookup ${tagged} [${tagged}]`,
    `newest ${stored[2]}`,
    `restore ${p0} prefix ${p0}`,
    `restore ${p1} prefix ${p1}`,
    `restore ${stored[2]}`,
  ]);
  // A missing earlier layer stops the chain there, as for untagged keys.
  stored.splice(1, 1);
  const broken = await restoreChain(client, tagged);
  assert.deepEqual(broken.chain, { baseId, count: 1, complete: false });
  // No entry at all: the listener hears undefined, nothing is restored.
  let heard: string | undefined = 'not called';
  const empty: CacheClient = { ...client, lookup: async () => undefined };
  assert.deepEqual(await restoreChain(empty, tagged, { onNewest: (key) => (heard = key) }), {
    restoredKeys: [],
  });
  assert.equal(heard, undefined);
});

test('confirm layer base, tagged: the base is found by its layer prefix, whatever its tag', async () => {
  const tagged = 'goproxy-action-v2-modtree2-linux-';
  let stored = [layerKey(tagged, baseId, 0, 'aaaa')];
  const asked: string[] = [];
  const client: CacheClient = {
    async lookup(key, restoreKeys) {
      asked.push(`${key} [${restoreKeys.join(',')}]`);
      return stored.find((k) => k === key || restoreKeys.some((r) => k.startsWith(r)));
    },
    async restore() {
      return undefined;
    },
    async save() {
      return false;
    },
  };
  const layer = { kind: 'layer', layer: 1 } as const;
  assert.deepEqual(await confirmLayerBase(client, tagged, baseId, layer, { tagged: true }), layer);
  const prefix = layerPrefix(tagged, baseId, 0);
  assert.deepEqual(asked, [`${prefix} [${prefix}]`]);
  stored = [layerKey(tagged, '43-0000abcd', 0, 'aaaa')];
  assert.deepEqual(await confirmLayerBase(client, tagged, baseId, layer, { tagged: true }), {
    kind: 'base',
    reason: 'chain-broken',
  });
});

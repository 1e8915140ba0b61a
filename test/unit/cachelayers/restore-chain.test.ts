// The chain restore's decisions, over an in-memory cache: which entries are asked for, in which
// order or all at once, and what a missing base or layer leaves. The real @actions/cache flow is
// test/e2e/github-build-cache.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layerKey } from '../../../src/cachelayers/layer-keys.ts';
import { type CacheClient, confirmLayerBase, restoreChain } from '../../../src/cachelayers/layered-cache.ts';

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

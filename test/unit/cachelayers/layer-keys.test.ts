import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  layerKey,
  layerPrefix,
  MAX_LAYERS,
  newBaseId,
  parseLayerKey,
} from '../../../src/cachelayers/layer-keys.ts';
import { planSave } from '../../../src/cachelayers/save-plan.ts';

const family = 'goproxy-action-gocache-v1-linux-amd64-go1.26.8-';

test('layer keys: round trip, fixed width, no key a prefix of another', () => {
  const keys: string[] = [];
  for (const baseId of ['12-0000abcd', '123-0000abcd', '12-0000abce'])
    for (let layer = 0; layer <= 12; layer++) {
      const key = layerKey(family, baseId, layer);
      assert.deepEqual(parseLayerKey(family, key), { baseId, layer });
      keys.push(key);
    }
  for (const a of keys)
    for (const b of keys) if (a !== b) assert.ok(!b.startsWith(a), `${a} is a prefix of ${b}`);
  assert.equal(layerKey(family, '7-deadbeef', 3), `${family}7-deadbeef-03`);
});

test('layer keys: other keys and bad parts are refused', () => {
  assert.equal(parseLayerKey(family, 'goproxy-action-v1-abc'), undefined);
  assert.equal(parseLayerKey(family, `${family}7-deadbeef-3`), undefined);
  assert.equal(parseLayerKey(family, `${family}7-deadbeef-03x`), undefined);
  assert.throws(() => layerKey(family, '7-DEADBEEF', 0), /bad cache base id/);
  assert.throws(() => layerKey(family, '7-deadbeef', 100), /bad cache layer/);
});

test('newBaseId: run id plus random hex; the time without a run id', () => {
  assert.equal(
    newBaseId({ GITHUB_RUN_ID: '4242' }, () => '0123abcd'),
    '4242-0123abcd',
  );
  assert.match(
    newBaseId({}, () => '0123abcd'),
    /^\d{13}-0123abcd$/,
  );
  assert.throws(() => newBaseId({}, () => 'xyz'), /8 hex digits/);
});

const chain = { baseId: '1-00000000', count: 1, complete: true };
const figures = {
  addedFiles: 10,
  addedBytes: 1 << 20,
  unusedBytes: 0,
  restoredBytes: 100 << 20,
  minAddedBytes: 256 << 10,
};

test('planSave: cold saves a base; nothing new or too little saves nothing', () => {
  assert.deepEqual(planSave({ ...figures }), { kind: 'base', reason: 'cold' });
  assert.deepEqual(planSave({ ...figures, chain, addedFiles: 0, addedBytes: 0 }), {
    kind: 'skip',
    reason: 'nothing-new',
  });
  assert.deepEqual(planSave({ ...figures, chain, addedBytes: 1000 }), {
    kind: 'skip',
    reason: 'below-threshold',
  });
  // Cold: anything at all is worth a first entry.
  assert.deepEqual(planSave({ ...figures, addedBytes: 1000 }), { kind: 'base', reason: 'cold' });
});

test('planSave: layers up to the bound, then compaction; broken chains and dead weight compact', () => {
  for (let count = 1; count <= MAX_LAYERS; count++)
    assert.deepEqual(planSave({ ...figures, chain: { ...chain, count } }), { kind: 'layer', layer: count });
  assert.deepEqual(planSave({ ...figures, chain: { ...chain, count: MAX_LAYERS + 1 } }), {
    kind: 'base',
    reason: 'layers-full',
  });
  // A chain with its own bound (the build cache's, restored all at once).
  assert.deepEqual(planSave({ ...figures, maxLayers: 8, chain: { ...chain, count: 8 } }), {
    kind: 'layer',
    layer: 8,
  });
  assert.deepEqual(planSave({ ...figures, maxLayers: 8, chain: { ...chain, count: 9 } }), {
    kind: 'base',
    reason: 'layers-full',
  });
  assert.deepEqual(planSave({ ...figures, chain: { ...chain, count: 2, complete: false } }), {
    kind: 'base',
    reason: 'chain-broken',
  });
  assert.deepEqual(planSave({ ...figures, chain, unusedBytes: 60 << 20 }), {
    kind: 'base',
    reason: 'mostly-unused',
  });
});

test('layer keys, tagged: round trip; a layer prefix matches its own layer only, never an untagged or another layer', () => {
  const key = layerKey(family, '7-deadbeef', 3, '0123456789abcdefw');
  assert.equal(key, `${family}7-deadbeef-03-0123456789abcdefw`);
  assert.deepEqual(parseLayerKey(family, key), { baseId: '7-deadbeef', layer: 3, tag: '0123456789abcdefw' });
  const prefix = layerPrefix(family, '7-deadbeef', 3);
  assert.ok(key.startsWith(prefix));
  for (const other of [
    layerKey(family, '7-deadbeef', 3),
    layerKey(family, '7-deadbeef', 30, 'abc'),
    layerKey(family, '7-deadbeef', 4, 'abc'),
    layerKey(family, '7-deadbeee', 3, 'abc'),
  ])
    assert.ok(!other.startsWith(prefix), `${other} starts with ${prefix}`);
  assert.throws(() => layerKey(family, '7-deadbeef', 0, 'Bad-Tag'), /bad cache key tag/);
  assert.throws(() => layerKey(family, '7-deadbeef', 0, ''), /bad cache key tag/);
  assert.equal(parseLayerKey(family, `${family}7-deadbeef-03-`), undefined);
  assert.equal(parseLayerKey(family, `${family}7-deadbeef-03-a-b`), undefined);
});

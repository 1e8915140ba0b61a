import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Counters } from '../../../src/daemon/admin-client.ts';
import type { RunReport } from '../../../src/github/run-report.ts';
import { renderSummary } from '../../../src/github/summary.ts';
import { saveDecision, timingLines } from '../../../src/github/teardown.ts';
import { ProxyStats } from '../../../src/proxy/proxy-stats.ts';

const totals: Counters = {
  requests: 120,
  hits: 100,
  misses: 20,
  upstreamFetches: 20,
  upstreamBytes: 3 * 1024 * 1024,
  servedBytes: 9 * 1024 * 1024,
  errors: 1,
  staleServed: 0,
  unverified: 2,
  notStored: 2,
  denied: 3,
};

test('summary: modules, hits/misses, upstream, cache key and hit kind, saved size, problems', () => {
  const report: RunReport = {
    mode: 'ephemeral',
    proxyUrl: 'http://127.0.0.1:4000',
    stats: { ...new ProxyStats().snapshot(), totals, modules: new Array(42).fill({}) },
    cache: {
      enabled: true,
      key: 'goproxy-action-v1-abc',
      restore: 'partial',
      matchedKey: 'goproxy-action-v1-old',
      restoreMs: 1500,
      restoredBlobs: 300,
      restoredBytes: 10 * 1024 * 1024,
      addedBlobs: 3,
      addedBytes: 2048,
      save: 'saved',
      savedAs: 'layer',
      saveMs: 800,
      savedBlobs: 290,
      savedBytes: 9 * 1024 * 1024,
    },
    pruned: { removedFiles: 13, removedBytes: 1024 * 1024, keptFiles: 290, keptBytes: 9 * 1024 * 1024 },
    pruneMs: 12,
    problems: ['1 module requests failed | at the proxy'],
  };
  const md = renderSummary(report);
  assert.match(md, /\| modules served \| 42 \|/);
  assert.match(md, /\| requests \| 120: 100 hits, 20 misses \|/);
  assert.match(md, /\| upstream \| 20 fetches, 3\.0 MiB \|/);
  assert.match(md, /\| cache key \| `goproxy-action-v1-abc` \|/);
  assert.match(md, /\| restored \| partial from `goproxy-action-v1-old`: 300 blobs, 10 MiB in 1\.5 s \|/);
  assert.match(md, /\| saved \| saved \(a delta layer\): 290 blobs, 9\.0 MiB in 800 ms \|/);
  assert.match(md, /\| denied by policy \| 3 \|/);
  assert.match(md, /\| pruned \| 13 unused files \(1\.0 MiB\) in 12 ms \|/);
  assert.match(md, /- 1 module requests failed \\\| at the proxy/);
  assert.ok(md.length < 4000, 'short');
});

test('summary: exact hit and cache off render what happened', () => {
  const exact = renderSummary({
    mode: 'ephemeral',
    proxyUrl: 'http://127.0.0.1:1',
    cache: { enabled: true, key: 'k', restore: 'exact', matchedKey: 'k', save: 'exact-hit' },
    problems: [],
  });
  assert.match(exact, /\| restored \| exact in - \|/);
  assert.match(exact, /not saved \(exact hit: nothing new\)/);
  assert.doesNotMatch(exact, /Problems/);
  const off = renderSummary({ mode: 'remote', proxyUrl: 'https://p.example.com', problems: [] });
  assert.match(off, /goproxy-action, remote/);
  assert.doesNotMatch(off, /cache key/);
});

test('summary: the build cache rows say what was restored, used, added and saved', () => {
  const md = renderSummary({
    mode: 'remote',
    proxyUrl: 'https://p.example.com',
    buildCache: {
      enabled: true,
      restoredKeys: ['fam-1-0000abcd-00', 'fam-1-0000abcd-01'],
      restoreMs: 2100,
      restoredEntries: 900,
      restoredBytes: 50 * 1024 * 1024,
      usedEntries: 700,
      addedEntries: 12,
      addedBytes: 3 * 1024 * 1024,
      prunedEntries: 0,
      prunedBytes: 0,
      save: 'saved-layer',
      savedKey: 'fam-1-0000abcd-02',
      saveMs: 400,
    },
    problems: [],
  });
  assert.match(
    md,
    /\| build cache restored \| 2 entries \(`fam-1-0000abcd-01`\): 900 objects, 50 MiB in 2\.1 s \|/,
  );
  assert.match(md, /\| build cache use \| 700 restored objects used, 12 added \(3\.0 MiB\) \|/);
  assert.match(md, /\| build cache saved \| saved a delta layer: `fam-1-0000abcd-02` in 400 ms \|/);
});

test('save decision: a base or a layer when the store gained blobs, and only when writable', () => {
  const layer = { kind: 'layer', layer: 1 } as const;
  const skip = { kind: 'skip', reason: 'nothing-new' } as const;
  const base = { enabled: true, writable: true, restore: 'partial' as const, plan: layer };
  assert.equal(saveDecision(base), 'save');
  assert.equal(saveDecision({ ...base, restore: 'none', plan: { kind: 'base', reason: 'cold' } }), 'save');
  assert.equal(saveDecision({ ...base, restore: 'exact', plan: skip }), 'exact-hit');
  assert.equal(saveDecision({ ...base, plan: skip }), 'nothing-new');
  assert.equal(saveDecision({ ...base, writable: false }), 'read-only');
  assert.equal(saveDecision({ ...base, enabled: false }), 'disabled');
  // The store skipped on an exact module tree: what it gained is never saved, as a base or a layer.
  const skipped = { ...base, restore: 'exact' as const, storeSkipped: true };
  assert.equal(saveDecision({ ...skipped, plan: { kind: 'base', reason: 'cold' } }), 'not-restored');
  assert.equal(saveDecision({ ...skipped, plan: layer }), 'not-restored');
  assert.equal(saveDecision({ ...skipped, plan: skip }), 'exact-hit');
});

test('summary and timing lines: the store skipped on an exact module tree; build cache use not counted', () => {
  const report = {
    mode: 'ephemeral' as const,
    proxyUrl: 'x',
    cache: {
      enabled: true,
      key: 'k',
      restore: 'exact' as const,
      storeSkipped: true,
      restoreMs: 0,
      save: 'not-restored' as const,
      addedBlobs: 3,
      addedBytes: 2048,
    },
    buildCache: {
      enabled: true,
      restoredKeys: ['fam-1-0000abcd-00'],
      restoreMs: 900,
      restoredEntries: 900,
      restoredBytes: 1024,
      addedEntries: 2,
      addedBytes: 10 * 1024,
      prunedEntries: 0,
      prunedBytes: 0,
      save: 'below-threshold' as const,
    },
    problems: [],
  };
  const md = renderSummary(report);
  assert.match(md, /\| restored \| not restored: the module tree restored exactly/);
  assert.match(md, /\| saved \| not saved \(the store was not restored, the module tree was/);
  assert.match(md, /\| build cache use \| 2 added \(10 KiB\) \|/);
  assert.deepEqual(timingLines(report), [
    'restore: skipped (the module tree restored exactly)',
    'new blobs: 3 (2.0 KiB)',
    'save: skipped (not-restored)',
  ]);
});

test('timing lines: restore, prune and save with sizes', () => {
  const lines = timingLines({
    mode: 'ephemeral',
    proxyUrl: 'x',
    cache: { enabled: true, key: 'k', restore: 'none', restoreMs: 5, save: 'nothing-new', addedBlobs: 0 },
    problems: [],
  });
  assert.deepEqual(lines, [
    'restore: none in 5 ms (0 blobs, 0 B)',
    'new blobs: 0 (0 B)',
    'save: skipped (nothing-new)',
  ]);
});

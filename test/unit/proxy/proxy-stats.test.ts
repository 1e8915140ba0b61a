import assert from 'node:assert/strict';
import { test } from 'node:test';
import { otherModules, ProxyStats } from '../../../src/proxy/proxy-stats.ts';

test('statistics stay bounded: past 10,000 modules (and denials) the rest share one bucket, counts stay exact', () => {
  const stats = new ProxyStats();
  const requests = 12_500;
  for (let i = 0; i < requests; i++) {
    stats.record({
      kind: 'zip',
      module: `example.com/m${i}`,
      version: 'v1.0.0',
      status: 403,
      source: 'none',
      bytes: 0,
      durationMs: 1,
      denial: { rule: 'deny', reason: 'test' },
    });
  }
  const snapshot = stats.snapshot();
  assert.equal(snapshot.modules.length, 10_001, 'ten thousand modules plus the shared bucket');
  const other = snapshot.modules.find((m) => m.path === otherModules);
  assert.ok(other, 'the bucket exists');
  assert.equal(other.requests, requests - 10_000);
  assert.equal(snapshot.totals.requests, requests, 'totals count every request');
  assert.equal(snapshot.totals.denied, requests);
  assert.equal(snapshot.denials.length, 10_001);
  assert.equal(snapshot.denials.find((d) => d.module === otherModules)?.count, requests - 10_000);
});

test('statistics keep at most 1,000 versions per module', () => {
  const stats = new ProxyStats();
  for (let i = 0; i < 1_500; i++) {
    stats.record({
      kind: 'info',
      module: 'example.com/many',
      version: `v1.0.${i}`,
      status: 200,
      source: 'store',
      bytes: 10,
      durationMs: 1,
    });
  }
  const [only] = stats.snapshot().modules;
  assert.equal(only?.versions.length, 1_000);
  assert.equal(only?.requests, 1_500);
});

// OSV range evaluation, fail-on parsing and its severity filter, and the baseline diff.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failures, parseFailOn } from '../../../src/health/fail-on.ts';
import type { HealthSnapshot, ModuleHealth, Vulnerability } from '../../../src/health/snapshot.ts';
import { summarize } from '../../../src/health/snapshot.ts';
import { diffSnapshots } from '../../../src/health/snapshot-diff.ts';
import { inRange } from '../../../src/health/vuln-database.ts';

test('OSV SEMVER ranges: introduced inclusive, fixed exclusive, last_affected inclusive, several ranges', () => {
  const ev = [{ introduced: '0' }, { fixed: '1.2.0' }, { introduced: '1.5.0' }, { last_affected: '1.6.0' }];
  assert.equal(inRange('v1.0.0', ev), true);
  assert.equal(inRange('v1.1.9', ev), true);
  assert.equal(inRange('v1.2.0', ev), false);
  assert.equal(inRange('v1.4.9', ev), false);
  assert.equal(inRange('v1.5.0', ev), true);
  assert.equal(inRange('v1.6.0', ev), true);
  assert.equal(inRange('v1.6.1', ev), false);
  assert.equal(inRange('v2.0.0-rc.1', [{ introduced: '2.0.0-rc.1' }]), true);
  assert.equal(inRange('v1.0.0-rc.1', [{ introduced: '1.0.0' }]), false);
  assert.equal(inRange('not-a-version', [{ introduced: '0' }]), false);
});

function vuln(id: string, severity: string | null): Vulnerability {
  return { id, aliases: [], summary: 's', fixed: [], severity, ranges: [] };
}

function moduleAt(path: string, version: string, extra: Partial<ModuleHealth> = {}): ModuleHealth {
  const fetch = { status: 200, ms: 1, bytes: 1 };
  return {
    path,
    version,
    indirect: false,
    location: { file: 'go.mod', line: 5 },
    replace: null,
    resolvable: { ok: true, info: fetch, mod: fetch, zip: fetch, source: 'unknown' },
    verified: {
      zip: 'match',
      mod: 'match',
      zipHash: 'h1:x',
      zipHashedBy: 'download',
      modHash: 'h1:y',
      missingLines: [],
    },
    current: {
      update: null,
      latest: version,
      behind: 'none',
      versionsBehind: 0,
      newerMajor: null,
      usedTime: null,
      latestTime: null,
      usedAgeDays: null,
      latestAgeDays: null,
    },
    deprecated: null,
    retracted: null,
    policy: { action: 'allow', rule: null, reason: null, private: false, noSumDb: false },
    vulnerabilities: [],
    errors: [],
    ...extra,
  };
}

function snapshotOf(modules: ModuleHealth[]): HealthSnapshot {
  return {
    schemaVersion: 1,
    generatedAt: '2026-01-01T00:00:00Z',
    workspace: {
      dir: '.',
      buildListSource: 'go-list',
      buildListNote: null,
      goModFiles: ['go.mod'],
      goWorkFiles: [],
      goSumFiles: ['go.sum'],
      mainModules: ['m'],
    },
    proxy: {
      url: 'http://p',
      statsSource: 'probes',
      requests: 0,
      errors: 0,
      errorRate: 0,
      p50Ms: 0,
      p95Ms: 0,
      cacheHitRatio: null,
      bytes: 0,
      byKind: {},
      modules: [],
    },
    vulnDb: null,
    policySource: null,
    modules,
    summary: summarize(modules),
  };
}

test('fail-on: unknown conditions and misplaced severities are refused with the fix', () => {
  assert.throws(
    () => parseFailOn('retracted,nope'),
    /unknown condition 'nope'; use any of retracted, denied, checksum, vuln, new-vuln/,
  );
  assert.throws(() => parseFailOn('retracted:high'), /only vuln and new-vuln take a severity/);
  assert.throws(() => parseFailOn('vuln:severe'), /severity must be one of low, moderate, high, critical/);
  assert.deepEqual(parseFailOn(' vuln:High , denied\n'), [
    { condition: 'vuln', minSeverity: 'HIGH' },
    { condition: 'denied', minSeverity: null },
  ]);
});

test('fail-on severity filters only entries that carry a severity', () => {
  const s = snapshotOf([
    moduleAt('a.example/m', 'v1.0.0', {
      vulnerabilities: [vuln('GO-1', 'LOW'), vuln('GO-2', null), vuln('GO-3', 'CRITICAL')],
    }),
  ]);
  assert.deepEqual(failures(s, parseFailOn('vuln:high'), null), [
    'a.example/m@v1.0.0 is affected by GO-2',
    'a.example/m@v1.0.0 is affected by GO-3',
  ]);
  assert.equal(failures(s, parseFailOn('vuln'), null).length, 3);
  assert.deepEqual(failures(s, parseFailOn('retracted,denied,checksum'), null), []);
});

test('diff: added, removed, upgraded, downgraded, newly deprecated/retracted/denied/vulnerable', () => {
  const before = snapshotOf([
    moduleAt('a.example/up', 'v1.0.0'),
    moduleAt('a.example/down', 'v1.2.0'),
    moduleAt('a.example/gone', 'v1.0.0'),
    moduleAt('a.example/same', 'v1.0.0', { vulnerabilities: [vuln('GO-1', null)] }),
  ]);
  const after = snapshotOf([
    moduleAt('a.example/up', 'v1.1.0', { retracted: ['oops'] }),
    moduleAt('a.example/down', 'v1.1.0', { deprecated: 'use x' }),
    moduleAt('a.example/new', 'v0.1.0', {
      policy: { action: 'deny', rule: 'deny a.example/new', reason: 'r', private: false, noSumDb: false },
    }),
    moduleAt('a.example/same', 'v1.0.0', { vulnerabilities: [vuln('GO-1', null), vuln('GO-9', null)] }),
  ]);
  assert.deepEqual(diffSnapshots(before, after), {
    added: [{ path: 'a.example/new', version: 'v0.1.0' }],
    removed: [{ path: 'a.example/gone', version: 'v1.0.0' }],
    upgraded: [{ path: 'a.example/up', from: 'v1.0.0', to: 'v1.1.0' }],
    downgraded: [{ path: 'a.example/down', from: 'v1.2.0', to: 'v1.1.0' }],
    newlyDeprecated: ['a.example/down@v1.1.0'],
    newlyRetracted: ['a.example/up@v1.1.0'],
    newlyDenied: ['a.example/new@v0.1.0'],
    newlyVulnerable: [{ module: 'a.example/same', version: 'v1.0.0', id: 'GO-9' }],
  });
  const diff = diffSnapshots(before, after);
  assert.deepEqual(failures(after, parseFailOn('new-vuln'), diff), [
    'a.example/same@v1.0.0 is newly affected by GO-9',
  ]);
});

// Report rendering details: XML-safe JUnit for hostile text, progress on a terminal and in a log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createProgress } from '../../../src/health/progress.ts';
import { renderJUnit } from '../../../src/health/render-reports.ts';
import type { HealthSnapshot, ModuleHealth } from '../../../src/health/snapshot.ts';
import { summarize } from '../../../src/health/snapshot.ts';

test('JUnit stays valid XML whatever a module answer holds (markup, control characters)', () => {
  const fetch = { status: 200, ms: 1, bytes: 1 };
  const m: ModuleHealth = {
    path: 'a.example/m',
    version: 'v1.0.0',
    indirect: false,
    location: null,
    replace: null,
    resolvable: { ok: true, info: fetch, mod: fetch, zip: fetch, source: 'unknown' },
    verified: {
      zip: 'match',
      mod: 'match',
      zipHash: null,
      zipHashedBy: null,
      modHash: null,
      missingLines: [],
    },
    current: {
      update: null,
      latest: 'v1.0.0',
      behind: 'none',
      versionsBehind: 0,
      newerMajor: null,
      usedTime: null,
      latestTime: null,
      usedAgeDays: null,
      latestAgeDays: null,
    },
    deprecated: null,
    retracted: ['</failure><x a="1">&\u0000\u001b[31m]]>'],
    policy: { action: 'allow', rule: null, reason: null, private: false, noSumDb: false },
    vulnerabilities: null,
    errors: [],
  };
  const s: HealthSnapshot = {
    schemaVersion: 1,
    generatedAt: '2026-01-01T00:00:00Z',
    workspace: {
      dir: '.',
      buildListSource: 'go-mod',
      buildListNote: 'n',
      goModFiles: ['sub/go.mod'],
      goWorkFiles: [],
      goSumFiles: [],
      mainModules: [],
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
    modules: [m],
    summary: summarize([m]),
  };
  const xml = renderJUnit(s);
  assert.equal(XMLValidator.validate(xml), true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const testcase = parsed.testsuites.testsuite.testcase;
  assert.equal(testcase.file, 'sub/go.mod'); // no go.mod names it: the first go.mod of the workspace
  assert.equal(testcase.failure.type, 'retracted');
  assert.match(testcase.failure['#text'], /<\/failure><x a="1">&\[31m\]\]>/);
});

test('progress: one rewritten line on a terminal, plain lines at most every interval in a log', () => {
  const tty: string[] = [];
  const p1 = createProgress({ isTTY: true, write: (s: string) => tty.push(s) > 0 });
  p1.update(1, 3, 'a@v1');
  p1.update(2, 3, 'b@v1');
  p1.finish();
  assert.ok(tty.every((s) => s.startsWith('\r')));
  assert.ok(!tty.some((s) => s.includes('\n')));
  const log: string[] = [];
  const p2 = createProgress({ write: (s: string) => log.push(s) > 0 }, 60_000);
  for (let i = 1; i <= 100; i++) p2.update(i, 100, `m${i}`);
  p2.finish();
  assert.deepEqual(log, ['health: 1/100 modules (m1)\n', 'health: 100/100 modules (m100)\n']);
});

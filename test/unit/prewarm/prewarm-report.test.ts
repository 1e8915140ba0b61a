import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  hasFailures,
  type ModuleReport,
  type PrewarmReport,
  slowestOf,
  totalsOf,
} from '../../../src/prewarm/prewarm-report.ts';
import { createProgress } from '../../../src/prewarm/progress.ts';
import { formatReportMarkdown } from '../../../src/prewarm/report-markdown.ts';

function mod(
  module: string,
  version: string,
  status: ModuleReport['status'],
  ms: number,
  extra: Partial<ModuleReport> = {},
): ModuleReport {
  return { module, version, want: 'full', status, bytes: 100, ms, blobs: [], sources: [], ...extra };
}

function report(modules: ModuleReport[]): PrewarmReport {
  return {
    schemaVersion: 1,
    proxy: 'https://proxy.example',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1500,
    interrupted: false,
    settings: { concurrency: 8, timeoutMs: 60000, attempts: 4, retryBudget: 100, allowPrivate: false },
    totals: totalsOf(modules, 2),
    queries: [],
    modules,
    slowest: slowestOf(modules),
  };
}

test('totals, the slowest list (slowest first, ties by path) and the failure verdict', () => {
  const modules = [
    mod('a.example/x', 'v1.0.0', 'warmed', 30),
    mod('b.example/y', 'v1.0.0', 'already-warm', 50),
    mod('c.example/z', 'v1.0.0', 'failed', 50, { reason: 'zip: HTTP 500', mismatch: false }),
    mod('d.example/p', 'v1.0.0', 'skipped', 0, { reason: 'private' }),
    mod('e.example/q', 'v1.0.0', 'not-started', 0),
  ];
  const r = report(modules);
  assert.deepEqual(r.totals, {
    modules: 5,
    warmed: 1,
    alreadyWarm: 1,
    failed: 1,
    mismatches: 0,
    skipped: 1,
    notStarted: 1,
    bytes: 500,
    retries: 2,
  });
  assert.deepEqual(
    r.slowest.map((s) => s.module),
    ['b.example/y', 'c.example/z', 'a.example/x'],
  );
  assert.equal(hasFailures(r), true);
  assert.equal(hasFailures(report(modules.filter((m) => m.status !== 'failed'))), false);
  assert.equal(
    hasFailures({
      ...report([]),
      queries: [{ module: 'm.example/a', query: 'latest', source: '--module', error: 'HTTP 404' }],
    }),
    true,
  );
});

test('Markdown: hostile text from a proxy cannot break the table or inject markup', () => {
  const r = report([
    mod('a.example/x', 'v1.0.0', 'failed', 10, {
      reason: 'zip: HTTP 500: <script>|x\n## fake',
      mismatch: false,
    }),
  ]);
  const md = formatReportMarkdown(r);
  assert.match(md, /^## goproxy prewarm: failures$/m);
  assert.ok(!md.includes('<script>'));
  assert.ok(!/^## fake/m.test(md));
  const row = md.split('\n').find((l) => l.startsWith('| a.example/x'));
  assert.equal(row?.split('|').length, 5, row);
});

test('progress: plain lines at an interval when not a terminal (no escape codes), a redrawn bar on one', () => {
  let now = 0;
  const out: string[] = [];
  const lines = createProgress({
    write: (t) => out.push(t),
    mode: 'lines',
    intervalMs: 10_000,
    now: () => now,
  });
  const state = { done: 1, total: 4, failed: 0, bytes: 2048 };
  lines.update(state);
  now = 5_000;
  lines.update(state);
  now = 10_000;
  lines.update({ ...state, done: 2, failed: 1 });
  lines.finish({ ...state, done: 4, failed: 1 });
  assert.deepEqual(out, [
    'prewarm: 2/4 module versions, 1 failed, 2.0 KiB\n',
    'prewarm: 4/4 module versions, 1 failed, 2.0 KiB\n',
  ]);
  assert.ok(out.every((l) => !l.includes('\x1b') && !l.includes('\r')));
  const bar: string[] = [];
  now = 0;
  const live = createProgress({ write: (t) => bar.push(t), mode: 'bar', now: () => now });
  now = 200;
  live.update({ done: 2, total: 4, failed: 0, bytes: 0 });
  live.finish({ done: 4, total: 4, failed: 0, bytes: 0 });
  assert.equal(bar[0], `\r\x1b[2K[${'#'.repeat(15)}${'.'.repeat(15)}] 2/4 module versions, 0 B`);
  assert.ok(bar.at(-1)?.endsWith('\n'));
});

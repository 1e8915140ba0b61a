// prewarm against a misbehaving proxy (the fixture proxy, with faults): 500s, 429 with
// Retry-After, slow answers, resets and a wrong hash. Retries are bounded (per request and by
// the run's budget), the report says what happened to each module, the exit status follows.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { escapePath } from '../../src/gomod/module-path.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { runPrewarmCli } from '../support/prewarm-cli.ts';

let world: FixtureWorld;
let proxy: FixtureProxy;

before(async () => {
  world = await createFixtureWorld();
  proxy = await startFixtureProxy({ dir: world.dir });
});
after(async () => {
  await proxy?.close();
  await world?.remove();
});
beforeEach(() => {
  proxy.clearFaults();
  proxy.resetLog();
});

const lib = { path: 'example.com/lib', version: 'v1.5.0' };
const isLibZip = (path: string) => path === `/${lib.path}/@v/${lib.version}.zip`;

function prewarm(args: string[]) {
  return runPrewarmCli(['--proxy', proxy.url, '--files', 'go.sum', ...args], { cwd: world.program });
}

describe('prewarm faults', () => {
  test('a 500 once per zip is retried: everything warmed, retries counted, exit 0', async () => {
    // `once` applies to the first matching request only: one fault per zip.
    for (const r of world.requires) {
      const zip = `/${escapePath(r.path)}/@v/${r.version}.zip`;
      proxy.setFault((p) => p === zip, { kind: 'once', fault: { kind: 'status', status: 500 } });
    }
    const run = await prewarm(['--concurrency', '2']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const totals = run.report?.totals;
    assert.equal((totals?.warmed ?? 0) + (totals?.alreadyWarm ?? 0), world.requires.length);
    assert.equal(totals?.failed, 0);
    assert.equal(totals?.retries, world.requires.length);
    const zips = proxy.requests.filter((r) => r.path.endsWith('.zip'));
    assert.equal(zips.filter((r) => r.status === 500).length, world.requires.length);
    assert.equal(zips.filter((r) => r.status === 200).length, world.requires.length);
  });

  test('a persistent 503 fails that module after exactly --attempts requests; exit 1, or 0 with --allow-failures', async () => {
    proxy.setFault(isLibZip, { kind: 'status', status: 503, body: 'upstream down' });
    const run = await prewarm(['--attempts', '3', '--concurrency', '1']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const failed = run.report?.modules.filter((m) => m.status === 'failed') ?? [];
    assert.deepEqual(
      failed.map((m) => `${m.module}@${m.version}`),
      [`${lib.path}@${lib.version}`],
    );
    assert.match(failed[0]?.reason ?? '', /^zip: HTTP 503: upstream down \(after 3 attempts\)$/);
    assert.equal(failed[0]?.mismatch, false);
    assert.equal(proxy.requests.filter((r) => isLibZip(r.path)).length, 3);
    assert.match(run.stdout, /FAILED example\.com\/lib@v1\.5\.0: zip: HTTP 503/);
    assert.match(run.markdown, /### Failed/);
    proxy.resetLog();
    const allowed = await prewarm(['--attempts', '2', '--allow-failures']);
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.equal(allowed.report?.totals.failed, 1);
  });

  test('429 with Retry-After is retried and then warmed', async () => {
    proxy.setFault(isLibZip, { kind: 'once', fault: { kind: 'status', status: 429, retryAfter: '1' } });
    const run = await prewarm(['--concurrency', '1']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(
      proxy.requests.filter((r) => isLibZip(r.path)).map((r) => r.status),
      [429, 200],
    );
    const libReport = run.report?.modules.find((m) => m.module === lib.path);
    assert.equal(libReport?.blobs.find((b) => b.kind === 'zip')?.attempts, 2);
  });

  test('a slow answer times out (--timeout) and is retried; a reset is retried', async () => {
    proxy.setFault(isLibZip, { kind: 'once', fault: { kind: 'delay', ms: 4_000 } });
    const isMultiMod = (p: string) => p === '/example.com/multi/@v/v1.1.0.mod';
    proxy.setFault(isMultiMod, { kind: 'once', fault: { kind: 'reset' } });
    const run = await prewarm(['--timeout', '300ms', '--concurrency', '2']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.report?.totals.failed, 0);
    assert.equal(proxy.requests.filter((r) => isLibZip(r.path)).length, 2);
    assert.equal(proxy.requests.filter((r) => isMultiMod(r.path)).length, 2);
    assert.ok((run.report?.totals.retries ?? 0) >= 2);
  });

  test('a zip that does not match go.sum is a loud CHECKSUM MISMATCH, not retried, exit 1', async () => {
    proxy.setFault(isLibZip, { kind: 'corrupt' });
    const run = await prewarm([]);
    assert.equal(run.code, 1);
    const libReport = run.report?.modules.find((m) => m.module === lib.path);
    assert.equal(libReport?.status, 'failed');
    assert.equal(libReport?.mismatch, true);
    assert.match(
      libReport?.reason ?? '',
      /^zip: CHECKSUM MISMATCH: the proxy serves a zip with h1:\S+, go\.sum has h1:/,
    );
    assert.equal(run.report?.totals.mismatches, 1);
    assert.equal(proxy.requests.filter((r) => isLibZip(r.path)).length, 1);
    assert.match(run.stdout, /CHECKSUM MISMATCH/);
    assert.match(run.markdown, /\*\*zip: CHECKSUM MISMATCH/);
    // A go.mod that does not match is caught the same way.
    proxy.clearFaults();
    const isLibMod = (p: string) => p === `/${lib.path}/@v/${lib.version}.mod`;
    proxy.setFault(isLibMod, { kind: 'corrupt' });
    const modRun = await prewarm([]);
    assert.equal(modRun.code, 1);
    assert.match(
      modRun.report?.modules.find((m) => m.module === lib.path)?.reason ?? '',
      /^mod: CHECKSUM MISMATCH/,
    );
  });

  test('the retry budget bounds the whole run: a proxy answering 500 to everything costs N + budget requests', async () => {
    proxy.setFault(() => true, { kind: 'status', status: 500 });
    const run = await prewarm(['--attempts', '10', '--retry-budget', '3', '--concurrency', '1']);
    assert.equal(run.code, 1);
    const n = world.requires.length;
    assert.equal(run.report?.totals.failed, n);
    assert.equal(run.report?.totals.retries, 3);
    // Each module stops at its first request (.info) once the budget is spent.
    assert.equal(proxy.requests.length, n + 3);
    assert.ok(run.report?.modules.some((m) => /retry budget of 3 is spent/.test(m.reason ?? '')));
  });

  test('SIGTERM stops cleanly: exit 143 and a partial report', async () => {
    proxy.setFault(() => true, { kind: 'delay', ms: 60_000 });
    const run = await runPrewarmCli(['--proxy', proxy.url, '--files', 'go.sum', '--concurrency', '1'], {
      cwd: world.program,
      onSpawn(child) {
        const poll = setInterval(() => {
          if (proxy.requests.length > 0) {
            clearInterval(poll);
            child.kill('SIGTERM');
          }
        }, 20);
        child.once('exit', () => clearInterval(poll));
      },
    });
    assert.equal(run.code, 143, run.stdout + run.stderr);
    assert.equal(run.report?.interrupted, true);
    assert.equal(run.report?.totals.notStarted, world.requires.length);
    assert.equal(run.report?.totals.failed, 0);
    assert.match(run.markdown, /prewarm: interrupted/);
  });
});

// prewarm against real proxies: our own serve, real Athens and real goproxy/goproxy (built from
// the pinned sources), each with a local fixture upstream. After the prewarm the upstream is
// switched off, and the go command with a fresh module cache still downloads every module of the
// fixture program through the warmed proxy.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type AnchorKind, startAnchorProxy } from '../support/anchor-proxies.ts';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, runGo } from '../support/go-env.ts';
import { runPrewarmCli } from '../support/prewarm-cli.ts';
import { startTestProxy } from '../support/test-proxy.ts';

let world: FixtureWorld;

before(async () => {
  world = await createFixtureWorld();
});
after(async () => {
  await world?.remove();
});

type Target = {
  url: string;
  stop(): Promise<void>;
  holds?: (m: string, v: string, k: 'info' | 'mod' | 'zip') => Promise<boolean>;
};

const targets: Record<string, (upstream: string) => Promise<Target>> = {
  'our serve': async (upstream) => {
    // Our serve stores only what it can verify: it gets the program's go.sum, as in a real job.
    const proxy = await startTestProxy({ upstream, goSumFiles: [join(world.program, 'go.sum')] });
    return { url: proxy.url, stop: () => proxy.close() };
  },
  athens: (upstream) => startAnchor('athens', upstream),
  'goproxy/goproxy': (upstream) => startAnchor('goproxy', upstream),
};

async function startAnchor(kind: AnchorKind, upstream: string): Promise<Target> {
  const peer = await startAnchorProxy(kind, { upstream });
  return { url: peer.url, stop: () => peer.stop(), holds: (m, v, k) => peer.holds(m, v, k) };
}

for (const [name, start] of Object.entries(targets)) {
  describe(`prewarm into ${name}`, () => {
    test('after prewarm it serves every module of the program with its upstream switched off', async () => {
      const upstream = await startFixtureProxy({ dir: world.dir });
      let target: Target | null = null;
      try {
        target = await start(upstream.url);
        const run = await runPrewarmCli(['--proxy', target.url, '--files', 'go.sum', '--concurrency', '4'], {
          cwd: world.program,
        });
        assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
        const report = run.report;
        assert.ok(report);
        assert.equal(report.totals.failed, 0);
        assert.equal(report.totals.modules, world.requires.length);
        // Every module was fetched whole and checked against go.sum (zip and go.mod hashes).
        for (const m of report.modules) {
          assert.equal(m.want, 'full', `${m.module}@${m.version}`);
          assert.deepEqual(
            m.blobs.map((b) => [b.kind, b.verified]),
            [
              ['info', false],
              ['mod', true],
              ['zip', true],
            ],
          );
        }
        // The fixture upstream saw each zip asked for (by the peer, on our behalf).
        for (const r of world.requires)
          assert.ok(
            upstream.requestsFor(r.path).some((q) => q.path.endsWith('.zip')),
            r.path,
          );
        if (target.holds) {
          for (const r of world.requires) {
            assert.ok(
              await target.holds(r.path, r.version, 'zip'),
              `${name} stores ${r.path}@${r.version}.zip`,
            );
            assert.ok(
              await target.holds(r.path, r.version, 'mod'),
              `${name} stores ${r.path}@${r.version}.mod`,
            );
          }
        }

        await upstream.close();
        const env = goEnv({ goproxy: target.url });
        const download = await runGo(['mod', 'download', 'all'], world.program, env);
        assert.equal(download.code, 0, download.stderr);
        const build = await runGo(['build', '-o', '/dev/null', '.'], world.program, env);
        assert.equal(build.code, 0, build.stderr);
      } finally {
        await target?.stop();
        await upstream.close().catch(() => {});
      }
    });
  });
}

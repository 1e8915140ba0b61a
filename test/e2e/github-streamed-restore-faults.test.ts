// The bundled action's main step when its streamed restores fail mid-download (the cache-service
// stand-in cuts the module tree's download and corrupts the build cache's and the store's): each
// entry is restored as a miss, the job goes on, and the real go command fetches every module
// through the proxy, never taking a half-extracted module directory as complete. The signed
// download URLs (SAS credentials) appear in no log.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { useActionFixtures } from '../support/action-fixtures.ts';
import type { CacheService } from '../support/cache-service.ts';
import type { FixtureProxy } from '../support/fixture-proxy.ts';
import type { FixtureWorld } from '../support/fixture-world.ts';
import { runFreshRunnerJob } from '../support/fresh-runner-job.ts';
import { type GoResult, runGo } from '../support/go-env.ts';

let world: FixtureWorld;
let upstream: FixtureProxy;
let service: CacheService;
let distDir = '';

useActionFixtures((f) => {
  ({ distDir, world, upstream, service } = f);
});

async function zipsInModcache(): Promise<string[]> {
  const root = join(world.root, 'runner-gomodcache', 'cache', 'download');
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((p) => p.endsWith('.zip')).sort();
}

async function job(): Promise<{ main: string; post: string; build: GoResult }> {
  const runner = { distDir, world, upstreamUrl: upstream.url, service };
  const done = await runFreshRunnerJob(runner, {}, async (env) => ({
    build: await runGo(['build', './...'], world.program, env),
  }));
  return {
    main: `${done.main.main.stdout}\n${done.main.main.stderr}`,
    post: done.post,
    build: done.steps.build,
  };
}

test('github action: broken restore streams are misses, the go command fetches through the proxy, no signed URL logged', async () => {
  const cold = await job();
  assert.equal(cold.build.code, 0, cold.build.stderr);
  assert.match(cold.main, /Module tree restore: none,/);
  const zipsCold = await zipsInModcache();
  assert.ok(zipsCold.length >= 3, 'a cold job downloads the zips');

  // Every entry's download is broken: the tree's cut after half its bytes, the others corrupted.
  service.downloadFault = (key) => (key.includes('-modtree2-') ? 'cut' : 'corrupt');
  let broken: Awaited<ReturnType<typeof job>>;
  try {
    broken = await job();
  } finally {
    service.downloadFault = undefined;
  }
  for (const family of ['modtree2', 'gocache', 'store'])
    assert.match(
      broken.main,
      new RegExp(
        `Cache restore of goproxy-action-\\S*${family}-\\S+ failed \\(.+\\): removed the \\d+ files`,
      ),
      family,
    );
  assert.match(broken.main, /Module tree restore: none,/);
  assert.equal(broken.build.code, 0, broken.build.stderr);
  // The go command found no module in the tree and fetched each zip again through the proxy.
  assert.deepEqual(await zipsInModcache(), zipsCold);

  // Restores whole again once the downloads are.
  const warm = await job();
  assert.equal(warm.build.code, 0, warm.build.stderr);
  assert.match(warm.main, /Module tree restore: (exact|partial) \(/);
  assert.match(warm.main, /Cache hit for: goproxy-action-v2-modtree2-\S+, [0-9.]+ MiB streamed into tar/);
  assert.doesNotMatch(warm.main, / failed \(/);
  assert.deepEqual(await zipsInModcache(), []);

  for (const log of [cold.main, cold.post, broken.main, broken.post, warm.main, warm.post]) {
    // @actions/cache's own debug lines show its answer's URL, masked by the runner as it asks
    // (`::add-mask::`); ours are plain lines, which nothing masks.
    const plain = log
      .split('\n')
      .filter((l) => !l.startsWith('::debug::') && !l.startsWith('::add-mask::'))
      .join('\n');
    assert.doesNotMatch(plain, /sig=/, 'no signed URL in a log');
    assert.doesNotMatch(log, new RegExp(service.runtimeToken), 'no runtime token in a log');
  }
});

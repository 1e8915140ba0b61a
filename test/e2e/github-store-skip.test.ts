// The module store is not restored when the module tree restored exactly (setup-ephemeral.ts):
// the bundled action as a runner runs it, the real go command, the real @actions/cache against
// the cache-service stand-in. What is proven: a warm job downloads no store entry and saves
// nothing; a go command that still asks the proxy (a `go mod download` of the zips the tree does
// not carry) is answered through the upstream and its blobs never replace the complete entry;
// the tree's marker then records that the store was wanted, and the next such run restores it;
// a later dependency change restores the store, fetches only the new module through the proxy
// and saves it as a layer that a job without the tree then serves from.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { useActionFixtures } from '../support/action-fixtures.ts';
import type { ActionRun } from '../support/action-runner.ts';
import type { CacheService } from '../support/cache-service.ts';
import type { FixtureProxy } from '../support/fixture-proxy.ts';
import type { FixtureWorld } from '../support/fixture-world.ts';
import { runFreshRunnerJob } from '../support/fresh-runner-job.ts';
import { type GoResult, runGo } from '../support/go-env.ts';

const STORE = 'goproxy-action-v2-store-';
const TREE = 'goproxy-action-v2-modtree2-';

let world: FixtureWorld;
let upstream: FixtureProxy;
let service: CacheService;
let distDir = '';

useActionFixtures((f) => {
  ({ distDir, world, upstream, service } = f);
});

type Job = { run: ActionRun; build: GoResult; post: string; extra?: GoResult };

/** One job on a fresh runner: main, `go build ./...`, `go test ./...`, an optional go command, post. */
async function job(options: { inputs?: Record<string, string>; extra?: string[] } = {}): Promise<Job> {
  const runner = { distDir, world, upstreamUrl: upstream.url, service };
  const done = await runFreshRunnerJob(runner, { inputs: options.inputs ?? {} }, async (env) => {
    const build = await runGo(['build', './...'], world.program, env);
    assert.equal(build.code, 0, `go build failed:\n${build.stderr}`);
    const tested = await runGo(['test', './...'], world.program, env);
    assert.equal(tested.code, 0, `go test failed:\n${tested.stdout}${tested.stderr}`);
    return { build, extra: options.extra ? await runGo(options.extra, world.program, env) : undefined };
  });
  assert.doesNotMatch(done.post, /::warning::/, 'post had no warnings');
  const { build, extra } = done.steps;
  return { run: done.run, build, post: done.post, ...(extra ? { extra } : {}) };
}

function keys(prefix = 'goproxy-action-'): string[] {
  return service.entries.filter((e) => e.key.startsWith(prefix)).map((e) => e.key);
}

/** Cache service requests that name a key of the family. */
function requestsFor(prefix: string): string[] {
  return service.requests
    .filter((r) => r.keys.some((k) => k.startsWith(prefix)) || r.matchedKey?.startsWith(prefix))
    .map((r) => `${r.op}:${r.matchedKey ?? r.keys.join(',')}`);
}

/**
 * Holds the restore of the tree's base (its lookup at the stand-in) until the store's first
 * lookup arrives: a store restore that waited for the tree's would never come while the tree is
 * held, and the hold ends after a minute only so that such a failure does not hang the test.
 * Returns what ended the hold; the store lookup then precedes the base's in the request log.
 */
function holdTreeBaseUntilStoreLookup(): () => string {
  let storeAsked: () => void = () => {};
  const storeLookup = new Promise<void>((resolve) => {
    storeAsked = resolve;
  });
  let outcome = 'the tree base was never looked up';
  service.beforeLookup = async (keys) => {
    if (keys[0]!.startsWith(STORE)) storeAsked();
    else if (
      keys[0]!.startsWith(TREE) &&
      /-00-$/.test(keys[0]!) &&
      outcome.startsWith('the tree base was never')
    ) {
      outcome = 'held';
      let timer: NodeJS.Timeout | undefined;
      outcome = await Promise.race([
        storeLookup.then(() => 'released by the store lookup'),
        new Promise<string>((resolve) => {
          timer = setTimeout(
            () => resolve('released after a minute: the store was not looked up meanwhile'),
            60_000,
          );
        }),
      ]);
      clearTimeout(timer);
    }
  };
  return () => outcome;
}

/** The op and first key of each lookup, in the order the stand-in answered them. */
function lookupOrder(): string[] {
  return service.requests.filter((r) => r.op === 'lookup').map((r) => r.keys[0]!);
}

function upstreamBlobs(): string[] {
  return upstream.requests.filter((r) => /\/@v\/.+\.(zip|mod|info)$/.test(r.path)).map((r) => r.path);
}

async function zipsInModcache(): Promise<string[]> {
  const root = join(world.root, 'runner-gomodcache', 'cache', 'download');
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((p) => p.endsWith('.zip')).sort();
}

test('github action: an exact module tree skips the store restore and saves nothing; the go command still gets what it asks through the proxy, and the tree marker then has later runs restore the store; a new dependency restores the store and saves a layer', async () => {
  // Job 1: cold. The store, the tree and the build cache each save a base.
  const cold = await job();
  assert.match(cold.run.main.stdout, /Cache restore: none/);
  assert.match(cold.post, /^save: base goproxy-action-v2-store-\S+-00 /m);
  assert.match(cold.post, /module tree save: saved-base /);
  const storeBase = keys(STORE);
  assert.equal(storeBase.length, 1);
  const afterCold = keys();

  // Job 2: nothing changed. The tree restores exactly: the store's entry is neither looked up
  // nor downloaded, the proxy is asked nothing, and nothing at all is saved.
  // An entry of the earlier, untagged tree family (same cache version, newest of all, its
  // archive gone) is there too: never looked up, so it can break nothing.
  const treeEntry = service.entries.find((e) => e.key.startsWith(TREE))!;
  const oldFormat = {
    ...treeEntry,
    id: 1_000_000,
    key: 'goproxy-action-v2-modtree-linux-1-0000abcd-00',
    location: 'no-such-blob.tar',
    createdAt: Date.now() + 60_000,
  };
  service.entries.push(oldFormat);
  upstream.resetLog();
  service.requests.length = 0;
  const warm = await job();
  service.entries.splice(service.entries.indexOf(oldFormat), 1);
  assert.deepEqual(requestsFor('goproxy-action-v2-modtree-'), [], 'the old tree family is not asked for');
  assert.match(warm.run.main.stdout, /Module tree restore: exact /);
  assert.match(
    warm.run.main.stdout,
    /Cache restore: skipped \(the module tree restored exactly: the go command needs nothing from the store\)/,
  );
  assert.equal(warm.run.outputs['cache-hit'], 'true');
  // The tree's key said so before its download: the proxy started meanwhile, on the empty store.
  assert.match(warm.run.main.stdout, /Proxy \S+ ready in \d+ ms, started beside the module tree restore /);
  assert.equal(warm.run.outputs['cache-restore'], 'exact');
  assert.deepEqual(requestsFor(STORE), [], 'the store entry is not touched');
  assert.deepEqual(
    service.requests.filter((r) => r.op === 'create' || r.op === 'finalize'),
    [],
    'nothing is saved',
  );
  assert.deepEqual(keys(), afterCold);
  assert.deepEqual(upstream.requests, []);
  assert.match(warm.run.summary, /\| requests \| 0: 0 hits, 0 misses \|/);
  assert.match(warm.post, /^restore: skipped \(the module tree restored exactly\)$/m);
  assert.match(warm.post, /^save: skipped \(exact-hit\)$/m);
  assert.match(warm.post, /module tree save: skipped \(nothing-new\)/);

  // Job 3: nothing changed, but the job runs `go mod download`, which wants the zips the tree
  // does not carry. The empty store misses, the proxy fetches them from the upstream (verified
  // against go.sum as always) and the go command succeeds; what the store gained is a subset of
  // the stored entry and is not saved (a base of it would replace the complete entry). The
  // tree's marker records that the store was wanted: one tiny layer.
  upstream.resetLog();
  service.requests.length = 0;
  const download = await job({ extra: ['mod', 'download'] });
  assert.match(download.run.main.stdout, /Cache restore: skipped/);
  assert.equal(download.extra?.code, 0, `go mod download failed:\n${download.extra?.stderr}`);
  assert.ok((await zipsInModcache()).length > 0, 'the zips were downloaded');
  assert.ok(
    upstreamBlobs().some((p) => p.endsWith('.zip')),
    'the zips came through the proxy from the upstream',
  );
  assert.deepEqual(requestsFor(STORE), []);
  assert.match(download.post, /^new blobs: [1-9]\d* /m);
  assert.match(download.post, /^save: skipped \(not-restored\)$/m);
  assert.match(download.run.summary, /\| saved \| not saved \(the store was not restored/);
  assert.deepEqual(keys(STORE), storeBase, 'the complete store entry is kept as it was');
  // Its key's tag ends in w (the store is wanted): later runs know it from the lookup alone.
  const markerLayer = /module tree save: saved-layer (\S+-01-[0-9a-f]{16}w) .*\(0 new modules\)/.exec(
    download.post,
  )?.[1];
  assert.ok(markerLayer, download.post);
  assert.ok(service.entries.find((e) => e.key === markerLayer)!.sizeBytes < 4096, 'the marker layer is tiny');
  assert.deepEqual(
    keys().filter((k) => k !== markerLayer),
    afterCold,
  );

  // Job 3b: nothing changed, the same `go mod download`: the tree is still exact, but its marker
  // says the store is wanted, so the store is restored and serves every zip: the upstream is
  // asked nothing, and nothing is saved.
  // The tree key's tag says so before any download: the store's restore starts beside the tree's.
  upstream.resetLog();
  service.requests.length = 0;
  const wantedHold = holdTreeBaseUntilStoreLookup();
  const wanted = await job({ extra: ['mod', 'download'] });
  service.beforeLookup = undefined;
  assert.equal(wantedHold(), 'released by the store lookup');
  assert.match(wanted.run.main.stdout, /Module tree restore: exact /);
  assert.match(wanted.run.main.stdout, /the store is restored too/);
  assert.match(wanted.run.main.stdout, new RegExp(`Cache restore: exact \\(${storeBase[0]}, 1 entry\\)`));
  assert.equal(wanted.extra?.code, 0, `go mod download failed:\n${wanted.extra?.stderr}`);
  assert.deepEqual(upstreamBlobs(), [], 'every zip came from the restored store');
  assert.deepEqual(
    service.requests.filter((r) => r.op === 'create'),
    [],
    'nothing is saved',
  );

  // Job 4: one dependency added. The tree is no longer exact, so the store is restored; the go
  // command downloads only the new module, through the proxy, and the store saves it as a layer.
  // The tree's newest key names other dependencies, which the lookup says before any download:
  // the store's restore does not wait for the tree's (its lookup comes while the tree's base
  // restore is held at the stand-in).
  const added = await world.addDependency();
  upstream.resetLog();
  service.requests.length = 0;
  const grownHold = holdTreeBaseUntilStoreLookup();
  const grown = await job();
  service.beforeLookup = undefined;
  assert.equal(grownHold(), 'released by the store lookup');
  const order = lookupOrder();
  const storeAt = order.findIndex((k) => k.startsWith(STORE));
  const treeBaseAt = order.findIndex((k) => k.startsWith(TREE) && k.endsWith('-00-'));
  assert.ok(
    storeAt >= 0 && treeBaseAt > storeAt,
    `the store looked up before the tree's base: ${order.join(' ')}`,
  );
  // The tree's key lookup itself comes first: its answer is what lets the store go.
  const treeLookupAt = order.findIndex((k) => new RegExp(`^${TREE}[a-z0-9_]+-$`).test(k));
  assert.ok(treeLookupAt >= 0 && treeLookupAt < storeAt, order.join(' '));
  assert.match(grown.run.main.stdout, /Module tree restore: partial /);
  assert.match(grown.run.main.stdout, new RegExp(`Cache restore: partial \\(${storeBase[0]}, 1 entry\\)`));
  assert.equal(grown.run.outputs['cache-hit'], 'false');
  const fetched = upstreamBlobs();
  assert.ok(fetched.length > 0, 'the new module was fetched');
  assert.deepEqual(
    fetched.filter((p) => !p.startsWith(`/${added.path}/@v/`)),
    [],
    `only ${added.path} fetched upstream`,
  );
  const layer = storeBase[0]!.replace(/-00$/, '-01');
  assert.match(grown.post, new RegExp(`^save: layer ${layer} `, 'm'));
  assert.match(grown.post, /module tree save: saved-layer /);
  assert.deepEqual(keys(STORE), [storeBase[0], layer]);

  // Job 5: without the tree, the store alone (base + layer) serves the whole build, the new
  // module included: the upstream is asked nothing.
  upstream.resetLog();
  const storeOnly = await job({ inputs: { 'module-tree': 'false' } });
  assert.equal(storeOnly.run.outputs['cache-hit'], 'true');
  assert.match(storeOnly.run.main.stdout, new RegExp(`Cache restore: exact \\(${layer}, 2 entries\\)`));
  assert.deepEqual(upstreamBlobs(), []);
  assert.ok(keys(TREE).length >= 2);
});

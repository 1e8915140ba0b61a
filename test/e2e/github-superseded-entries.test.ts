// Superseded cache entries deleted after a compaction, as a runner runs the bundled action: the
// real @actions/cache saves and restores against the cache-service stand-in, and the post step
// lists and deletes through the stand-in's REST endpoints (GITHUB_API_URL) with the
// github-token input. The build cache is the family compacted here: a run that uses less than
// half of what it restored saves a new, pruned base (src/cachelayers/save-plan.ts).
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { useActionFixtures } from '../support/action-fixtures.ts';
import type { ActionRun } from '../support/action-runner.ts';
import type { CacheEntry, CacheService } from '../support/cache-service.ts';
import type { FixtureProxy } from '../support/fixture-proxy.ts';
import type { FixtureWorld } from '../support/fixture-world.ts';
import { runFreshRunnerJob } from '../support/fresh-runner-job.ts';
import { type GoResult, runGo } from '../support/go-env.ts';

const WRITE_TOKEN = 'ghs_superseded-write-0123456789';
const READ_TOKEN = 'ghs_superseded-read-0123456789';

let world: FixtureWorld;
let upstream: FixtureProxy;
let service: CacheService;
let distDir = '';

useActionFixtures(
  (f) => {
    ({ distDir, world, upstream, service } = f);
  },
  { cacheService: { apiTokens: { [WRITE_TOKEN]: 'write', [READ_TOKEN]: 'read' } } },
);

type Job = { run: ActionRun; test: GoResult; post: string };

/** One job on a fresh runner for refs/heads/main: main, `go build ./...`, `go test ./...`, post. */
async function job(token: string): Promise<Job> {
  const runner = { distDir, world, upstreamUrl: upstream.url, service };
  const env = { ...service.envRest(), GITHUB_REF: 'refs/heads/main' };
  const done = await runFreshRunnerJob(runner, { inputs: { 'github-token': token }, env }, async (jobEnv) => {
    const build = await runGo(['build', './...'], world.program, jobEnv);
    assert.equal(build.code, 0, `go build failed:\n${build.stderr}`);
    return runGo(['test', './...'], world.program, jobEnv);
  });
  // Never printed: the only line holding it is the runner's mask command (core.setSecret).
  const { main, run } = done;
  for (const text of [main.main.stdout, main.main.stderr, run.post?.stdout, run.post?.stderr, run.summary]) {
    const shown = (text ?? '')
      .split('\n')
      .filter((l) => l !== `::add-mask::${token}`)
      .join('\n');
    assert.ok(token === '' || !shown.includes(token), `the token is never printed:\n${shown}`);
  }
  return { run, test: done.steps, post: done.post };
}

/** An entry the service lists but never restores (a version no restore asks for). */
function listedOnly(key: string, ref: string, accessedAt: number): CacheEntry {
  const entry: CacheEntry = {
    id: 100_000 + service.entries.length,
    api: 'v2',
    key,
    version: 'never-restored',
    createdAt: Date.now() - 3_600_000,
    finalized: true,
    sizeBytes: 1234,
    location: 'none',
    ref,
    lastAccessedAt: accessedAt,
  };
  service.entries.push(entry);
  return entry;
}

const keysOf = (prefix: string) =>
  service.entries
    .filter((e) => e.key.startsWith(prefix))
    .map((e) => `${e.ref} ${e.key}`)
    .sort();

async function writePackage(name: string, imports: string): Promise<void> {
  await mkdir(join(world.program, name), { recursive: true });
  await writeFile(join(world.program, name, `${name}.go`), `package ${name}\n\nimport _ "${imports}"\n`);
}

/**
 * A package whose compiled output in the build cache is large (about `mebibytes`: the string is
 * in its object code) for little compiling: it weighs what a package using net/http weighs
 * (~47 MiB over the program's ~33 MiB), which is what the compaction below is decided by (more
 * than half of what was restored goes unused), in a few CPU seconds instead of net/http's ~49
 * (~110 packages).
 */
async function writeHeavyPackage(name: string, mebibytes: number): Promise<void> {
  await mkdir(join(world.program, name), { recursive: true });
  const line = '0123456789abcdef'.repeat(4);
  const text = line.repeat((mebibytes * 1024 * 1024) / line.length);
  await writeFile(
    join(world.program, name, `${name}.go`),
    `package ${name}\n\nconst Text = "${text}"\n\nvar Size = len(Text)\n`,
  );
}

test('github action: a compaction deletes exactly the superseded entries of its family on this ref', async () => {
  // Job 1: cold, with a heavy package: bases of the store, the tree and the build cache.
  await writeHeavyPackage('heavy', 48);
  const cold = await job(WRITE_TOKEN);
  const base1 = /build cache save: saved-base (\S+)-00 /.exec(cold.post)?.[1];
  assert.ok(base1, cold.post);
  const family = base1.replace(/[0-9]+-[0-9a-f]{8}$/, '');
  assert.doesNotMatch(cold.post, /superseded cache entries/, 'a cold save supersedes nothing');

  // Job 2: one more package: a delta layer on that base.
  await writePackage('xmlish', 'encoding/xml');
  const layered = await job(WRITE_TOKEN);
  assert.match(layered.post, new RegExp(`build cache save: saved-layer ${base1}-01 `));

  // Entries the REST listing shows beside them: an older chain on this branch (superseded), a
  // chain a concurrent job restored after this one (in use: kept), and another branch's (kept).
  const olderChain = listedOnly(`${family}1-00000001-00`, 'refs/heads/main', Date.now() - 3_600_000);
  const inUse = listedOnly(`${family}1-00000002-00`, 'refs/heads/main', Date.now() + 600_000);
  const otherBranch = listedOnly(`${family}1-00000003-00`, 'refs/heads/feature', Date.now() - 3_600_000);
  const storeBefore = keysOf('goproxy-action-v2-store-');
  const treeBefore = keysOf('goproxy-action-v2-modtree2-');

  // Job 3: the heavy package removed and a small one added: most of what it restored goes
  // unused, so it compacts into a new base, and deletes what the new base supersedes.
  await rm(join(world.program, 'heavy'), { recursive: true, force: true });
  await rm(join(world.program, 'xmlish'), { recursive: true, force: true });
  await writePackage('parsing', 'go/parser');
  service.requests.length = 0;
  const compacted = await job(WRITE_TOKEN);
  const base2 = /build cache save: saved-base (\S+)-00 /.exec(compacted.post)?.[1];
  assert.ok(base2 && base2 !== base1, compacted.post);
  assert.match(
    compacted.post,
    new RegExp(
      `superseded cache entries: deleted 3 of ${family}\\* \\([0-9.]+ MiB\\), 2 kept on refs/heads/main`,
    ),
  );
  assert.deepEqual(
    keysOf(family),
    [
      `refs/heads/feature ${otherBranch.key}`,
      `refs/heads/main ${base2}-00`,
      `refs/heads/main ${inUse.key}`,
    ].sort(),
  );
  assert.ok(!service.entries.includes(olderChain));
  // Other families are untouched (they saved no new base here).
  assert.deepEqual(keysOf('goproxy-action-v2-store-'), storeBefore);
  assert.deepEqual(keysOf('goproxy-action-v2-modtree2-'), treeBefore);
  // The requests as sent: one listing of this family on this ref, with the token; three deletes.
  const rest = service.requests.filter((r) => r.op === 'rest-list' || r.op === 'rest-delete');
  const shown = (r: (typeof rest)[number]) =>
    `${r.op} ${r.status} ${r.op === 'rest-list' ? `${r.query?.key} ${r.query?.ref}` : r.keys[0]}`;
  assert.equal(shown(rest[0]!), `rest-list 200 ${family} refs/heads/main`);
  assert.deepEqual(
    rest.slice(1).map(shown).sort(),
    [`${base1}-00`, `${base1}-01`, olderChain.key].map((k) => `rest-delete 204 ${k}`).sort(),
  );
  // A chain's newest layer goes first, its base last.
  const order = rest.map((r) => r.keys[0]);
  assert.ok(order.indexOf(`${base1}-01`) < order.indexOf(`${base1}-00`), order.join(' '));
  assert.ok(rest.every((r) => r.authorization === `Bearer ${WRITE_TOKEN}` && r.apiVersion === '2022-11-28'));

  // Job 4: the next run restores the new base and uses it (adding nothing: nothing compiled).
  const warm = await job(WRITE_TOKEN);
  assert.match(warm.run.main.stdout, new RegExp(`Build cache restore: ${base2}-00,`));
  // Used: the build added no entry to the restored cache (nothing to save, so not counted).
  assert.match(warm.post, /build cache use: restored entries not counted \(nothing to save\), 0 added/);
});

test('github action: a token without actions: write keeps the superseded entries, says so once, and the job passes', async () => {
  const base = service.entries.find(
    (e) =>
      /^goproxy-action-gocache-.*-00$/.test(e.key) &&
      e.ref === 'refs/heads/main' &&
      e.version !== 'never-restored',
  )!;
  const family = base.key.replace(/[0-9]+-[0-9a-f]{8}-00$/, '');
  const older = listedOnly(`${family}1-00000004-00`, 'refs/heads/main', Date.now() - 3_600_000);
  // The base evicted: this job starts cold and saves a new base, superseding the older chain.
  service.entries.splice(service.entries.indexOf(base), 1);
  service.requests.length = 0;
  const refused = await job(READ_TOKEN);
  assert.equal(refused.test.code, 0, refused.test.stdout);
  assert.match(refused.post, /build cache save: saved-base /);
  assert.equal(
    refused.post
      .split('\n')
      .filter((l) => /superseded cache entries/.test(l))
      .join('\n'),
    'superseded cache entries kept: the token lacks actions: write',
  );
  assert.ok(service.entries.includes(older), 'nothing deleted');
  assert.ok(service.requests.some((r) => r.op === 'rest-delete' && r.status === 403));
  assert.doesNotMatch(refused.run.post?.stdout ?? '', /::(warning|error)/);
});

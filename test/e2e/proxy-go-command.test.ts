// The engine with the real go command: downloads and builds through our proxy must leave
// exactly the module cache that GOPROXY=file:// of the same fixtures leaves, and a warm
// proxy must not touch its upstream.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { diffDigests, modCacheDigest } from '../support/mod-cache-compare.ts';
import { startTestProxy } from '../support/test-proxy.ts';

let world: FixtureWorld;
let upstream: FixtureProxy;

before(async () => {
  world = await createFixtureWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await upstream.close();
  await world.remove();
});

test('go mod download + go build through the proxy equal GOPROXY=file:// of the same fixtures', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [join(world.program, 'go.sum')] });
  try {
    const viaProxy = makeTempDir('modcache-proxy');
    const viaFile = makeTempDir('modcache-file');
    const envProxy = goEnv({ goproxy: proxy.url, gomodcache: viaProxy });
    const envFile = goEnv({ goproxy: pathToFileURL(world.dir).href, gomodcache: viaFile });
    for (const env of [envProxy, envFile]) {
      const download = await runGo(['mod', 'download', 'all'], world.program, env);
      assert.equal(download.code, 0, download.stderr);
      const build = await runGo(['build', '-o', join(makeTempDir('bin'), 'prog'), '.'], world.program, env);
      assert.equal(build.code, 0, build.stderr);
    }
    const diffs = diffDigests(await modCacheDigest(viaProxy), await modCacheDigest(viaFile));
    assert.deepEqual(diffs, []);
    const digest = await modCacheDigest(viaProxy);
    assert.ok(
      [...digest.keys()].some((p) => p.includes('!upper/!lib@v1.1.0')),
      'upper-case module extracted',
    );
    assert.ok(
      [...digest.keys()].some((p) => p.includes('legacy@v2.0.0+incompatible')),
      '+incompatible extracted',
    );
  } finally {
    await proxy.close();
  }
});

test('a warm proxy serves a fresh module cache with zero upstream requests', async () => {
  const storeDir = join(makeTempDir('store'), 'store');
  const settings = { upstream: upstream.url, goSumFiles: [join(world.program, 'go.sum')], storeDir };
  const cold = await startTestProxy(settings);
  const coldRun = await runGo(['mod', 'download', 'all'], world.program, goEnv({ goproxy: cold.url }));
  assert.equal(coldRun.code, 0, coldRun.stderr);
  const coldStats = cold.stats.snapshot();
  await cold.close();
  assert.ok(coldStats.totals.upstreamFetches > 0);
  assert.ok(coldStats.store.addedFiles > 0);

  upstream.resetLog();
  const warm = await startTestProxy(settings);
  try {
    const env = goEnv({ goproxy: warm.url });
    const warmRun = await runGo(['mod', 'download', 'all'], world.program, env);
    assert.equal(warmRun.code, 0, warmRun.stderr);
    const build = await runGo(['build', '-o', join(makeTempDir('bin'), 'prog'), '.'], world.program, env);
    assert.equal(build.code, 0, build.stderr);
    assert.deepEqual(upstream.requests, [], 'warm run must not ask the upstream');
    const stats = warm.stats.snapshot();
    assert.equal(stats.totals.upstreamFetches, 0);
    assert.ok(stats.totals.hits > 0);
    assert.equal(stats.totals.misses, 0);
  } finally {
    await warm.close();
  }
});

test('the store is itself a GOPROXY=file:// tree the go command reads', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [join(world.program, 'go.sum')] });
  const fill = await runGo(['mod', 'download', 'all'], world.program, goEnv({ goproxy: proxy.url }));
  assert.equal(fill.code, 0, fill.stderr);
  await proxy.close();
  const fromStore = await runGo(
    ['mod', 'download', 'all'],
    world.program,
    goEnv({ goproxy: pathToFileURL(proxy.storeDir).href }),
  );
  assert.equal(fromStore.code, 0, fromStore.stderr);
});

test('seeding from a module cache takes only versions matching go.sum; the proxy then serves offline', async () => {
  const cache = makeTempDir('seed-cache');
  const fill = await runGo(
    ['mod', 'download', 'all'],
    world.program,
    goEnv({ goproxy: pathToFileURL(world.dir).href, gomodcache: cache }),
  );
  assert.equal(fill.code, 0, fill.stderr);
  // Tamper with one cached zip: seeding must refuse it.
  const { path, required } = world.roles.majorV1;
  const tampered = join(cache, 'cache', 'download', path, '@v', `${required}.zip`);
  const bytes = await readFile(tampered);
  const middle = bytes.length >> 1;
  bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
  await writeFile(tampered, bytes);
  const proxy = await startTestProxy({
    upstream: 'off',
    goSumFiles: [join(world.program, 'go.sum')],
    seedFrom: join(cache, 'cache', 'download'),
  });
  try {
    assert.ok(proxy.seeded!.copied >= world.requires.length - 1, JSON.stringify(proxy.seeded));
    assert.ok(proxy.seeded!.skipped >= 1);
    assert.ok(
      !existsSync(join(proxy.storeDir, path, '@v', `${required}.zip`)),
      'the tampered zip was not seeded',
    );
    const env = goEnv({ goproxy: proxy.url });
    const other = world.roles.majorV2;
    const ok = await runGo(['mod', 'download', `${other.path}@${other.required}`], world.program, env);
    assert.equal(ok.code, 0, ok.stderr);
    const refused = await runGo(['mod', 'download', `${path}@${required}`], world.program, env);
    assert.notEqual(refused.code, 0, 'not seeded and the upstream is off');
  } finally {
    await proxy.close();
  }
});

test('the audit log has one JSON line per request: module, version, kind, source, status, bytes, duration', async () => {
  const auditLogFile = join(makeTempDir('audit'), 'audit.jsonl');
  const proxy = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [join(world.program, 'go.sum')],
    auditLogFile,
  });
  const run = await runGo(['mod', 'download', 'all'], world.program, goEnv({ goproxy: proxy.url }));
  assert.equal(run.code, 0, run.stderr);
  await proxy.close();
  const lines = (await readFile(auditLogFile, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const total = proxy.stats.snapshot().totals.requests;
  assert.equal(lines.length, total);
  const zip = lines.find((l) => l.kind === 'zip' && l.module === world.roles.upperCase.path);
  assert.ok(zip, 'the upper-case module zip is logged by its decoded path');
  assert.equal(zip.version, world.roles.upperCase.required);
  assert.equal(zip.source, 'upstream');
  assert.equal(zip.status, 200);
  assert.equal(zip.verification, 'verified:go.sum');
  assert.ok(zip.bytes > 0 && zip.durationMs >= 0 && !Number.isNaN(Date.parse(zip.time)));
});

// The bundled action end to end, as a runner runs it: main, then the real go command building
// the fixture program with the exported environment, then post; the real @actions/cache against
// the cache-service stand-in (v2 Twirp + azurite), and the fixture upstream's request log as the
// judge of what was fetched. Run 1 cold and saves; run 2 restores exactly and fetches nothing
// upstream; run 3, after one dependency is added, restores through the restore key and fetches
// only the new module.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { escapePath, escapeVersion } from '../../src/gomod/module-path.ts';
import { isProcessAlive } from '../../src/process-alive.ts';
import { type ActionRun, buildActionBundles, killLeftoverProxy, newJob } from '../support/action-runner.ts';
import { type CacheService, startCacheService } from '../support/cache-service.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, neverAskedSumdb, runGo } from '../support/go-env.ts';

let world: FixtureWorld;
let upstream: FixtureProxy;
let service: CacheService;

let distDir = '';

before(async () => {
  distDir = await buildActionBundles();
  world = await createFixtureWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await upstream?.close();
  await world?.remove();
});

/** A fresh runner for one job: fresh workspace state, module cache and RUNNER_TEMP. */
async function job(
  cacheEnv: Record<string, string>,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  // A new job starts with a fresh checkout: no store left from an earlier one.
  await rm(join(world.program, '.goproxy-action'), { recursive: true, force: true });
  const runnerEnv = { ...goEnv({ goproxy: upstream.url, gosumdb: neverAskedSumdb }), ...cacheEnv };
  // The build cache and the module tree have their own test (github-build-cache.test.ts); here
  // only the module store.
  const j = await newJob({
    distDir,
    env: runnerEnv,
    inputs: { 'build-cache': 'false', 'module-tree': 'false', ...inputs },
    workspace: world.program,
  });
  const main = await j.runMain();
  let done: ActionRun;
  try {
    assert.equal(main.main.code, 0, `main failed:\n${main.main.stdout}\n${main.main.stderr}`);
    if (inputs['client-token'] !== 'false') await checkClientToken(main);
    // The build step: the go command with the job's environment plus what main exported.
    const build = await runGo(['build', '-o', join(j.runner.runnerTemp, 'program'), '.'], world.program, {
      ...runnerEnv,
      ...main.exported,
    });
    assert.equal(build.code, 0, `go build failed:\n${build.stderr}`);
    done = await j.runPost(main);
    // Checked before the finally below would end a proxy that post left running.
    const state = JSON.parse(main.state['goproxy-action'] ?? '{}') as { pid: number };
    assert.equal(isProcessAlive(state.pid), false, 'the proxy exited in post');
  } finally {
    killLeftoverProxy(main);
  }
  assert.equal(done.post?.code, 0, `post failed:\n${done.post?.stdout}\n${done.post?.stderr}`);
  assert.doesNotMatch(done.post?.stdout ?? '', /::warning::/, 'post had no warnings');
  for (const token of clientTokens) {
    for (const [what, text] of [
      ['post stdout', done.post?.stdout ?? ''],
      ['post stderr', done.post?.stderr ?? ''],
      ['the job summary', done.summary],
    ] as const)
      assert.equal(text.includes(token), false, `${what} never shows the client token`);
  }
  await rm(j.runner.runnerTemp, { recursive: true, force: true });
  return done;
}

/**
 * The in-job proxy answers only under the job's client token: GOPROXY (and the outputs) carry
 * it, a request without it is refused, and no log line or summary of main shows it (the runner
 * would mask it too; here nothing masks, so the captured text itself must not hold it).
 */
async function checkClientToken(main: ActionRun): Promise<void> {
  const goproxy = main.exported.GOPROXY ?? '';
  const parsed = /^(http:\/\/127\.0\.0\.1:\d+)\/([A-Za-z0-9_-]{32})$/.exec(goproxy);
  assert.ok(parsed, 'GOPROXY is the proxy URL with a 32-character client token');
  const [, origin, token] = parsed as unknown as [string, string, string];
  assert.equal(main.outputs.goproxy, goproxy);
  assert.equal(main.outputs['proxy-url'], goproxy, 'proxy-url is the URL the go command can use');
  // A blob the build needs anyway: from the store when warm, so no extra upstream request.
  const { path: modulePath, version } = world.requires[0]!;
  const listPath = `/${escapePath(modulePath)}/@v/${escapeVersion(version)}.mod`;
  const without = await fetch(`${origin}${listPath}`);
  assert.equal(without.status, 403, 'a request without the client token is refused');
  assert.match(await without.text(), /GOPROXY must be the URL with its client path/);
  const wrong = await fetch(`${origin}/${'x'.repeat(32)}${listPath}`);
  assert.equal(wrong.status, 403, 'a wrong client token is refused');
  await wrong.arrayBuffer();
  const withToken = await fetch(`${goproxy}${listPath}`);
  assert.equal(withToken.status, 200, await withToken.text());
  // The one place it may appear: the mask command that tells the runner to hide it.
  const mask = `::add-mask::${token}`;
  assert.ok(main.main.stdout.split('\n').includes(mask), 'the token is masked before it is used');
  const shown = main.main.stdout.split('\n').filter((line) => line !== mask);
  assert.equal(shown.join('\n').includes(token), false, "main's log never shows the client token");
  assert.equal(main.main.stderr.includes(token), false);
  assert.match(main.main.stdout, /GOPROXY=http:\/\/127\.0\.0\.1:\d+\/<client token>\n/);
  clientTokens.push(token);
}

/** Every client token a job used: post's log and the summary are checked against them. */
const clientTokens: string[] = [];

function blobRequests(): string[] {
  return upstream.requests.filter((r) => /\/@v\/.+\.(zip|mod|info)$/.test(r.path)).map((r) => r.path);
}

test('github action (cache service v2): cold save, exact hit with zero upstream fetches, partial hit fetching only the new module', async () => {
  service = await startCacheService();
  try {
    // Run 1: cold.
    upstream.resetLog();
    const first = await job(service.envV2());
    assert.equal(first.outputs['cache-hit'], 'false');
    assert.equal(first.outputs['cache-restore'], 'none');
    assert.match(first.outputs['cache-key'] ?? '', /^goproxy-action-v2-[0-9a-f]{64}$/);
    assert.match(first.outputs['proxy-url'] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}$/);
    assert.equal(first.exported.GOPROXY, first.outputs['proxy-url'], 'no fallback that bypasses the proxy');
    assert.match(first.summary, /\| proxy \| `http:\/\/127\.0\.0\.1:\d+\/<client token>` \|/);
    assert.equal(first.exported.GOSUMDB, neverAskedSumdb, 'the GOSUMDB in force is passed on');
    assert.ok(blobRequests().length > 0, 'run 1 fetched modules upstream');
    const ops1 = service.requests.map((r) => `${r.op}:${r.status}`);
    assert.deepEqual(
      ops1,
      ['lookup:200', 'create:200', 'finalize:200'],
      'chain lookup misses, a base is saved',
    );
    assert.equal(service.entries.length, 1);
    const baseKey = service.entries[0]!.key;
    assert.match(baseKey, /^goproxy-action-v2-store-\d+-[0-9a-f]{8}-00$/);
    assert.match(first.summary, /\| restored \| none \(cold\)/);
    assert.match(first.summary, /\| saved \| saved \(a base\): \d+ blobs/);

    // Run 2: same go.sum, exact hit; the go command's downloads reach the upstream zero times.
    upstream.resetLog();
    service.requests.length = 0;
    const second = await job(service.envV2());
    assert.equal(second.outputs['cache-hit'], 'true');
    assert.equal(second.outputs['cache-restore'], 'exact');
    assert.equal(second.outputs['cache-key'], first.outputs['cache-key']);
    assert.deepEqual(upstream.requests, [], 'no upstream request at all on an exact hit');
    assert.deepEqual(
      service.requests.map((r) => `${r.op}:${r.matchedKey ?? ''}`),
      [`lookup:${baseKey}`, `lookup:${baseKey}`],
      'exact hit: the chain found and its base restored, no save attempted',
    );
    assert.match(second.summary, /not saved \(exact hit: nothing new\)/);
    assert.match(second.summary, /\| upstream \| 0 fetches/);

    // Run 3: one dependency added: partial hit through the restore key, only the new module fetched.
    const added = await world.addDependency();
    upstream.resetLog();
    service.requests.length = 0;
    const third = await job(service.envV2());
    assert.equal(third.outputs['cache-hit'], 'false');
    assert.equal(third.outputs['cache-restore'], 'partial');
    assert.notEqual(third.outputs['cache-key'], first.outputs['cache-key']);
    const fetched = blobRequests();
    assert.ok(fetched.length > 0, 'the new module was fetched');
    const newModulePath = added.path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
    assert.deepEqual(
      fetched.filter((p) => !p.startsWith(`/${newModulePath}/@v/`)),
      [],
      `only ${added.path} fetched upstream`,
    );
    assert.deepEqual(
      service.requests.map((r) => `${r.op}:${r.matchedKey ?? ''}`),
      // The chain lookup, the base's restore, then post's check that the base is still stored
      // before a layer goes on it (confirmLayerBase), then the layer's save.
      [`lookup:${baseKey}`, `lookup:${baseKey}`, `lookup:${baseKey}`, 'create:', 'finalize:'],
    );
    // Only the new blobs are saved, as delta layer 01 on the restored base.
    assert.equal(service.entries.length, 2);
    const layer = service.entries[1]!;
    assert.equal(layer.key, baseKey.replace(/-00$/, '-01'));
    assert.ok(layer.sizeBytes < service.entries[0]!.sizeBytes / 2, 'the layer is much smaller than the base');
    assert.match(third.summary, /\| restored \| partial from `goproxy-action-v2-store-/);
    assert.match(third.summary, /\| new blobs \| [1-9]/);
    assert.match(third.summary, /\| saved \| saved \(a delta layer\): [1-9]\d* blobs/);

    // Run 4: base + layer restored in order: an exact hit for the new go.sum, nothing fetched.
    upstream.resetLog();
    service.requests.length = 0;
    const fourth = await job(service.envV2());
    assert.equal(fourth.outputs['cache-hit'], 'true');
    assert.deepEqual(upstream.requests, [], 'everything came from base + layer');
    assert.deepEqual(
      service.requests.map((r) => `${r.op}:${r.matchedKey ?? ''}`),
      [`lookup:${layer.key}`, `lookup:${baseKey}`, `lookup:${layer.key}`],
    );

    // The base evicted: the orphan layer alone is never restored; a cold start saves a new base.
    service.entries.splice(0, 1);
    service.requests.length = 0;
    const fifth = await job(service.envV2());
    assert.equal(fifth.outputs['cache-restore'], 'none');
    assert.match(fifth.main.stdout, /the base \S+-00 is gone \(evicted\): starting cold/);
    assert.match(fifth.summary, /\| saved \| saved \(a base\)/);
    assert.equal(service.entries.length, 2);
  } finally {
    await service.close();
  }
});

test('github action (legacy cache API): cold save, then exact hit with zero upstream fetches', async () => {
  service = await startCacheService();
  try {
    upstream.resetLog();
    const first = await job(service.envLegacy());
    assert.equal(first.outputs['cache-restore'], 'none');
    assert.deepEqual(
      service.requests.filter((r) => r.op !== 'upload').map((r) => `${r.api}:${r.op}:${r.status}`),
      ['legacy:lookup:204', 'legacy:reserve:201', 'legacy:commit:204'],
    );
    upstream.resetLog();
    service.requests.length = 0;
    // client-token: false (for a tool that cannot take a path in GOPROXY): the plain URL.
    const second = await job(service.envLegacy(), { 'client-token': 'false' });
    assert.equal(second.outputs['cache-hit'], 'true');
    assert.match(second.exported.GOPROXY ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(upstream.requests, []);
    assert.deepEqual(
      service.requests.map((r) => `${r.op}:${r.status}`),
      ['lookup:200', 'lookup:200', 'download:200'],
    );
  } finally {
    await service.close();
  }
});

test('github action: cache mode read restores but never saves; write-only saves without restoring', async () => {
  service = await startCacheService();
  try {
    const first = await job({ ...service.envV2(), ACTIONS_CACHE_MODE: 'read' });
    assert.equal(first.outputs['cache-restore'], 'none');
    assert.deepEqual(
      service.requests.map((r) => r.op),
      ['lookup'],
    );
    assert.match(first.summary, /not saved \(this run may not write to the cache\)/);

    // write-only: nothing restored, but the store is saved.
    service.requests.length = 0;
    const writer = await job({ ...service.envV2(), ACTIONS_CACHE_MODE: 'write-only' });
    assert.equal(writer.outputs['cache-restore'], 'none');
    assert.deepEqual(
      service.requests.map((r) => r.op),
      ['create', 'finalize'],
    );
  } finally {
    await service.close();
  }
});

test('github action: the token reaches only the proxy process environment (git extraheader), never the job or the log', async (t) => {
  await rm(join(world.program, '.goproxy-action'), { recursive: true, force: true });
  const token = 'ghs_exampleTokenValue123456';
  const runnerEnv = {
    ...goEnv({ goproxy: upstream.url, gosumdb: neverAskedSumdb }),
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'user.name',
    GIT_CONFIG_VALUE_0: 'ci',
  };
  const j = await newJob({
    distDir,
    env: runnerEnv,
    inputs: { token, cache: 'false', private: 'example.com/private' },
    workspace: world.program,
  });
  const main = await j.runMain();
  t.after(() => killLeftoverProxy(main));
  assert.equal(main.main.code, 0, main.main.stdout + main.main.stderr);
  const state = JSON.parse(main.state['goproxy-action'] ?? '{}') as { pid: number };
  const daemonEnv = (await readFile(`/proc/${state.pid}/environ`, 'utf8')).split('\0');
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  assert.ok(daemonEnv.includes('GIT_CONFIG_COUNT=2'), 'appended after the job GIT_CONFIG entry');
  assert.ok(daemonEnv.includes('GIT_CONFIG_KEY_0=user.name'));
  assert.ok(daemonEnv.includes('GIT_CONFIG_KEY_1=http.https://github.com/.extraheader'));
  assert.ok(daemonEnv.includes(`GIT_CONFIG_VALUE_1=AUTHORIZATION: basic ${basic}`));
  assert.ok(!daemonEnv.some((v) => v.startsWith('INPUT_') || v.startsWith('ACTIONS_RUNTIME_TOKEN=')));
  assert.match(main.main.stdout, new RegExp(`::add-mask::${token}`));
  assert.match(main.main.stdout, new RegExp(`::add-mask::${basic.replace(/[+/=]/g, (c) => `\\${c}`)}`));
  const printed = (main.main.stdout + main.main.stderr).replace(/^::add-mask::.*$/gm, '');
  assert.doesNotMatch(printed, new RegExp(token));
  const files = await Promise.all(Object.values(j.runner.files).map((f) => readFile(f, 'utf8')));
  assert.ok(
    files.every((text) => !text.includes(token) && !text.includes(basic)),
    'no token in GITHUB_ENV, outputs, state or summary',
  );
  assert.equal(main.exported.GOPRIVATE, 'example.com/private');
  assert.equal(
    main.exported.GONOPROXY,
    'none',
    'private modules go through the proxy, which holds the credentials',
  );
  const done = await j.runPost(main);
  assert.equal(done.post?.code, 0);
  assert.equal(isProcessAlive(state.pid), false);
  await rm(j.runner.runnerTemp, { recursive: true, force: true });
});

test('github action: the policy file is enforced by the proxy, its private patterns are exported, denials reach the summary', async (t) => {
  await rm(join(world.program, '.goproxy-action'), { recursive: true, force: true });
  const policyFile = join(world.program, 'ci-policy.yml');
  await writeFile(
    policyFile,
    'private:\n  - example.com/private\ndeny:\n  - module: example.org/legacy\n    reason: replaced by example.com/lib\n',
  );
  try {
    const runnerEnv = goEnv({ goproxy: upstream.url, gosumdb: neverAskedSumdb });
    const j = await newJob({
      distDir,
      env: runnerEnv,
      inputs: { 'policy-file': 'ci-policy.yml', cache: 'false' },
      workspace: world.program,
    });
    const main = await j.runMain();
    t.after(() => killLeftoverProxy(main));
    assert.equal(main.main.code, 0, main.main.stdout + main.main.stderr);
    assert.equal(main.exported.GOPRIVATE, 'example.com/private');
    const build = await runGo(['build', '-o', join(j.runner.runnerTemp, 'p'), '.'], world.program, {
      ...runnerEnv,
      ...main.exported,
    });
    assert.notEqual(build.code, 0, 'a denied module breaks the build');
    assert.match(build.stderr, /example\.org\/legacy/);
    assert.match(build.stderr, /403/);
    const done = await j.runPost(main);
    assert.equal(done.post?.code, 0, 'the post step never fails the job');
    assert.match(done.summary, /\| denied by policy \| [1-9]/);
    assert.match(
      done.post?.stdout ?? '',
      /::warning title=goproxy-action::\d+ module requests were denied by policy/,
    );
    await rm(j.runner.runnerTemp, { recursive: true, force: true });
  } finally {
    await rm(policyFile, { force: true });
  }

  // A policy file that does not exist stops the step with a clear message.
  const j = await newJob({
    distDir,
    env: goEnv({ goproxy: upstream.url }),
    inputs: { 'policy-file': 'missing.yml' },
    workspace: world.program,
  });
  const main = await j.runMain();
  assert.equal(main.main.code, 1);
  assert.match(main.main.stdout, /::error::.*missing\.yml: the policy file does not exist/);
  await rm(j.runner.runnerTemp, { recursive: true, force: true });
});

test('github action: the environment lint runs at setup; GOSUMDB=off fails the step unless the policy lowers it', async (t) => {
  await rm(join(world.program, '.goproxy-action'), { recursive: true, force: true });
  const runnerEnv = goEnv({ goproxy: upstream.url, gosumdb: 'off' });
  const failing = await newJob({
    distDir,
    env: runnerEnv,
    inputs: { cache: 'false' },
    workspace: world.program,
  });
  const failed = await failing.runMain();
  t.after(() => killLeftoverProxy(failed));
  assert.notEqual(failed.main.code, 0);
  assert.match(failed.main.stdout, /::error [^\n]*title=goproxy-action gosumdb-off::GOSUMDB=off/);
  assert.match(failed.main.stdout, /policy or environment error/);
  assert.equal((await failing.runPost(failed)).post?.code, 0, 'post still stops the proxy');

  const policy = join(world.program, 'lint-policy.yml');
  await writeFile(policy, 'lint:\n  gosumdb-off: warn\n');
  t.after(() => rm(policy, { force: true }));
  const warning = await newJob({
    distDir,
    env: runnerEnv,
    inputs: { cache: 'false', 'policy-file': 'lint-policy.yml' },
    workspace: world.program,
  });
  const warned = await warning.runMain();
  t.after(() => killLeftoverProxy(warned));
  assert.equal(warned.main.code, 0, warned.main.stdout + warned.main.stderr);
  assert.match(warned.main.stdout, /::warning [^\n]*gosumdb-off/);
  await warning.runPost(warned);
});

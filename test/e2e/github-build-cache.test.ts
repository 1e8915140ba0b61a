// The Go build cache carried by the bundled action as a runner runs it: main restores the
// layered chain into the workspace and exports GOCACHE, the real go command builds and tests,
// post prunes and saves (a base, or a delta layer), with the real @actions/cache against the
// cache-service stand-in. The go command itself is the judge of reuse: `(cached)` test results
// and `go build -x` running no compiler.
import assert from 'node:assert/strict';
import { appendFile, chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { useActionFixtures } from '../support/action-fixtures.ts';
import type { ActionRun } from '../support/action-runner.ts';
import type { CacheService } from '../support/cache-service.ts';
import type { FixtureProxy } from '../support/fixture-proxy.ts';
import type { FixtureWorld } from '../support/fixture-world.ts';
import { runFreshRunnerJob } from '../support/fresh-runner-job.ts';
import { type GoResult, recordingGo, runGo } from '../support/go-env.ts';

let world: FixtureWorld;
let upstream: FixtureProxy;
let service: CacheService;
let distDir = '';

useActionFixtures(async (f) => {
  ({ distDir, world, upstream, service } = f);
  await writeFile(
    join(world.program, 'program_test.go'),
    'package main\n\nimport (\n\t"os"\n\t"testing"\n)\n\nfunc TestProgram(t *testing.T) {\n\tif os.Getenv("FIXTURE_FAIL") == "1" {\n\t\tt.Fatal("failing on purpose")\n\t}\n}\n',
  );
});

type BuildJob = { run: ActionRun; build: GoResult; test: GoResult; post: string };

/** One job on a fresh runner: main, `go build -x ./...`, `go test ./...`, post. */
async function job(
  options: {
    inputs?: Record<string, string>;
    testEnv?: Record<string, string>;
    /** Runs after the build and test, before post, with the job's go environment. */
    beforePost?: (env: Record<string, string>) => Promise<void>;
  } = {},
): Promise<BuildJob> {
  const runner = { distDir, world, upstreamUrl: upstream.url, service };
  const done = await runFreshRunnerJob(runner, { inputs: options.inputs ?? {} }, async (env) => {
    // No -o: with an output directory the go command skips non-main packages.
    const build = await runGo(['build', '-x', './...'], world.program, env);
    await rm(join(world.program, 'fixtureprogram'), { force: true });
    assert.equal(build.code, 0, `go build failed:\n${build.stderr}`);
    const tested = await runGo(['test', './...'], world.program, { ...env, ...options.testEnv });
    await options.beforePost?.(env);
    return { build, tested };
  });
  return { run: done.run, build: done.steps.build, test: done.steps.tested, post: done.post };
}

/** Packages the go command compiled (`go build -x` prints one compile per package). */
function compiles(build: GoResult): number {
  return build.stderr.split('\n').filter((l) => /\/compile( |$)/.test(l)).length;
}

function buildCacheKeys(): string[] {
  return service.entries.filter((e) => e.key.startsWith('goproxy-action-gocache-')).map((e) => e.key);
}

test('github action build cache: cold base, warm reuse with cached test results, a delta layer, chain restore, eviction, failures not cached', async () => {
  // Job 1: cold. Everything compiled; post saves a base of the build cache.
  const cold = await job();
  assert.equal(cold.run.exported.GOCACHE, join(world.program, '.goproxy-action', 'gocache'));
  assert.equal(cold.run.outputs['build-cache-key'], '');
  assert.ok(compiles(cold.build) > 10, 'a cold build compiles the standard library and the program');
  assert.equal(cold.test.code, 0, cold.test.stdout + cold.test.stderr);
  assert.doesNotMatch(cold.test.stdout, /\(cached\)/);
  const keys1 = buildCacheKeys();
  assert.equal(keys1.length, 1, 'one base saved');
  assert.match(keys1[0]!, /^goproxy-action-gocache-v1-linux-[a-z0-9]+-go[0-9][^,]*-[0-9]+-[0-9a-f]{8}-00$/);
  assert.match(cold.post, /build cache save: saved-base/);
  assert.match(cold.run.summary, /\| build cache saved \| saved a new base/);

  // Job 2: warm. Nothing compiled, the test result comes from the cache, nothing saved.
  service.requests.length = 0;
  const warm = await job();
  assert.equal(warm.run.outputs['build-cache-key'], keys1[0]);
  // The base's entries were set back when saved (tar keeps mtimes): none needs a utimes now, and
  // the go command still marks what it uses (the compaction below keeps what its run used).
  assert.match(warm.run.main.stdout, /Build cache restore: \S+-00, [1-9]\d* entries, .* \(0 set back\)/);
  assert.equal(compiles(warm.build), 0, `a warm build compiles nothing:\n${warm.build.stderr}`);
  assert.match(warm.test.stdout, /ok\s+example\.com\/fixtureprogram\s+\(cached\)/);
  // Nothing added: decided from the entries' names alone, without a stat of each restored one.
  assert.match(warm.post, /build cache use: restored entries not counted \(nothing to save\), 0 added/);
  assert.match(warm.post, /build cache save: skipped \(nothing-new\)/);
  assert.equal(buildCacheKeys().length, 1);
  assert.equal(service.requests.filter((r) => r.op === 'create').length, 0, 'no save attempted');

  // Job 3: a new package using more of the standard library: a delta layer on the base. Each
  // standard package added here and below is one outside the base's closure (fmt, os, testing)
  // that compiles to well over the layer threshold (MIN_BUILD_CACHE_LAYER_BYTES, 256 KiB) from
  // a package or two (encoding/xml ~1.7 MB, math/big ~2 MB, text/template ~5.9 MB), rather than
  // net/http's ~110 packages: a layer is still a layer, for a fraction of the compiling.
  await mkdir(join(world.program, 'extra'), { recursive: true });
  await writeFile(
    join(world.program, 'extra', 'extra.go'),
    'package extra\n\nimport "encoding/xml"\n\nvar _ = xml.Name{}\n',
  );
  const edited = await job();
  assert.ok(
    compiles(edited.build) > 0,
    `the new package is compiled:\n${edited.build.stderr
      .split('\n')
      .filter((l) => !/packagefile|# get|downloading/.test(l))
      .join('\n')
      .slice(0, 6000)}`,
  );
  assert.match(edited.post, /build cache save: saved-layer \S+-01 /);
  const keys3 = buildCacheKeys();
  assert.equal(keys3.length, 2);
  const layer = service.entries.find((e) => e.key.endsWith('-01'))!;
  const base = service.entries.find((e) => e.key === keys1[0])!;
  assert.ok(layer.sizeBytes < base.sizeBytes, 'the layer holds only what was new');

  // Job 4: base + layer restored in order; nothing compiled.
  const layered = await job();
  assert.equal(layered.run.outputs['build-cache-key'], layer.key);
  assert.match(layered.run.main.stdout, /Build cache restore: \S+-00 \+ \S+-01,/);
  assert.equal(
    compiles(layered.build),
    0,
    `nothing compiled after a layered restore:\n${layered.build.stderr}`,
  );

  // A failing test run: the failure is not cached, so the next run runs the test again.
  const failing = await job({ testEnv: { FIXTURE_FAIL: '1' } });
  assert.notEqual(failing.test.code, 0);
  const again = await job({ testEnv: { FIXTURE_FAIL: '1' } });
  assert.notEqual(again.test.code, 0, 'a failure is run again, never served from the cache');
  assert.doesNotMatch(again.test.stdout, /\(cached\)/);
  assert.match(again.test.stdout, /failing on purpose/);

  // Layer 02, then layer 01 evicted: the chain stops at the base (a complete earlier state),
  // what 01 held is compiled again, and the save compacts into a new base (no hole appended to).
  await writeFile(
    join(world.program, 'extra', 'big.go'),
    'package extra\n\nimport "math/big"\n\nvar _ = big.NewInt\n',
  );
  const second = await job();
  assert.match(second.post, /build cache save: saved-layer \S+-02 /);
  service.entries.splice(service.entries.indexOf(layer), 1);
  await writeFile(
    join(world.program, 'extra', 'parse.go'),
    'package extra\n\nimport "go/parser"\n\nvar _ = parser.ParseFile\n',
  );
  const holed = await job();
  assert.match(holed.run.main.stdout, /layer \S+-01 is gone \(evicted\): restored the chain up to layer 0/);
  assert.equal(holed.run.outputs['build-cache-key'], base.key);
  assert.ok(compiles(holed.build) > 0, 'what the lost layer held is compiled again');
  assert.equal(holed.test.code, 0);
  assert.match(holed.post, /build cache save: saved-base/);
  // That compaction kept what its run used. The program's test result was read under the link
  // step's action ID; the go command also filed it under the test binary's content ID, which
  // only the partner rule keeps (build-cache-dir.ts keepPartnerEntries).
  assert.match(holed.post, /build cache prune: \d+ unused entries \([^)]*\), [1-9]\d* kept as partners/);

  // Dead code appended to a file the package has: a new link action ID, the same test binary
  // (a new file would change the binary's file table). The result comes from the cache.
  await appendFile(join(world.program, 'main.go'), '\nfunc unusedHelper() int { return 42 }\n');
  const dead = await job();
  assert.equal(dead.test.code, 0, dead.test.stdout + dead.test.stderr);
  assert.match(dead.test.stdout, /ok\s+example\.com\/fixtureprogram\s+\(cached\)/, dead.test.stdout);
  assert.match(dead.post, /build cache save: skipped \(below-threshold\)/);

  // A layer on the new base, then that base evicted: the orphan layer is never restored on its
  // own (a cold start, never half a cache) and a new base is saved.
  await writeFile(
    join(world.program, 'extra', 'tmpl.go'),
    'package extra\n\nimport "text/template"\n\nvar _ = template.New\n',
  );
  const grown = await job();
  const orphan = /saved-layer (\S+)-01 /.exec(grown.post)?.[1];
  assert.ok(orphan, `a layer on the new base:\n${grown.post}`);
  service.entries.splice(
    service.entries.findIndex((e) => e.key === `${orphan}-00`),
    1,
  );
  const evicted = await job();
  assert.match(evicted.run.main.stdout, /the base \S+-00 is gone \(evicted\): starting cold/);
  assert.equal(evicted.run.outputs['build-cache-key'], '');
  assert.ok(compiles(evicted.build) > 10, 'everything is compiled again');
  assert.equal(evicted.test.code, 0);
  assert.match(evicted.post, /build cache save: saved-base/);

  // The base deleted after the restore (another job's compaction, or evicted) while the run adds
  // a layer's worth: post's check, started beside its listing, finds the base gone and saves a
  // new base rather than a layer over nothing.
  const restoredBase = /saved-base (\S+-00) /.exec(evicted.post)?.[1];
  assert.ok(restoredBase, evicted.post);
  await writeFile(
    join(world.program, 'extra', 'html.go'),
    'package extra\n\nimport "html/template"\n\nvar _ = template.HTMLEscapeString\n',
  );
  const gone = await job({
    beforePost: async () => {
      service.entries.splice(
        service.entries.findIndex((e) => e.key === restoredBase),
        1,
      );
    },
  });
  assert.equal(gone.run.outputs['build-cache-key'], restoredBase);
  assert.ok(compiles(gone.build) > 0, 'the new package is compiled');
  assert.match(gone.post, /build cache save: saved-base /);
  assert.doesNotMatch(gone.post, /saved-layer/);
  const newBase = /saved-base (\S+-00) /.exec(gone.post)?.[1];
  assert.ok(newBase && newBase !== restoredBase && buildCacheKeys().includes(newBase));
});

test('github action build cache: build-cache false leaves GOCACHE alone and saves nothing', async () => {
  const before = buildCacheKeys().length;
  const off = await job({ inputs: { 'build-cache': 'false' } });
  assert.equal(off.run.exported.GOCACHE, undefined);
  assert.equal(off.run.outputs['build-cache-key'], undefined);
  assert.equal(buildCacheKeys().length, before);
});

test('github action main step: one go env serves the store, the build cache and the module tree; the environment check runs the only other', async () => {
  const go = await recordingGo();
  const runner = { distDir, world, upstreamUrl: upstream.url, service };
  const done = await runFreshRunnerJob(runner, { env: { PATH: `${go.dir}:${process.env.PATH}` } }, async () =>
    // Right after main: its go processes (and the proxy's, which it started), none of the job's.
    go.calls(),
  );
  // The three setups ran (each needs go env) ...
  assert.match(done.main.main.stdout, /Build cache restore: /);
  assert.match(done.main.main.stdout, /Module tree restore: /);
  // ... on one go process asking for every variable they read, then the environment check's own
  // (after the exports, in the job's new environment: environment-check.ts).
  const calls = done.steps;
  assert.equal(calls.length, 2, `two go processes in main: ${calls.join('; ')}`);
  const asked = calls.map((call) => call.split(' '));
  assert.deepEqual(
    asked.map((args) => args.slice(0, 2)),
    [
      ['env', '-json'],
      ['env', '-json'],
    ],
  );
  for (const name of [
    'GOPROXY',
    'GOSUMDB',
    'GOPRIVATE',
    'GONOPROXY',
    'GONOSUMDB',
    'GOOS',
    'GOARCH',
    'GOVERSION',
    'GOMODCACHE',
  ])
    assert.ok(asked[0]!.includes(name), `the setups' go env asks ${name}: ${calls[0]}`);
  assert.ok(asked[1]!.includes('GOFLAGS'), `the check's go env comes second: ${calls[1]}`);
});

test('github action build cache: remote mode carries the build cache too', async () => {
  const inputs = { mode: 'remote', 'proxy-url': upstream.url };
  const first = await job({ inputs });
  assert.equal(first.run.exported.GOPROXY, upstream.url);
  assert.equal(first.run.exported.GOCACHE, join(world.program, '.goproxy-action', 'gocache'));
  assert.equal(first.test.code, 0, first.test.stdout + first.test.stderr);
  // The next remote job restores a chain (this one's, or the earlier tests' on the same OS, arch
  // and go version) and uses it.
  const second = await job({ inputs });
  assert.match(second.run.main.stdout, /Build cache restore: goproxy-action-gocache-v1-/);
  assert.match(
    second.post,
    /build cache use: ([1-9]\d* restored entries used|restored entries not counted \(nothing to save\), \d+ added)/,
  );
  assert.match(second.test.stdout, /\(cached\)/);
  assert.match(second.run.summary, /\| build cache restored \| \d+ entr/);
});

/** Module zips the go command downloaded into the runner's GOMODCACHE (a restored tree has none). */
async function zipsInModcache(): Promise<string[]> {
  const root = join(world.root, 'runner-gomodcache', 'cache', 'download');
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((p) => p.endsWith('.zip')).sort();
}

function treeKeys(): string[] {
  return service.entries.filter((e) => e.key.startsWith('goproxy-action-v2-modtree2-')).map((e) => e.key);
}

test('github action module tree: carried without zips and used as it is, go.sum governs its .ziphash, tampered files are as trusted as setup-go, layers and eviction', async () => {
  // Earlier tests' tree and store entries are for the same go.sum: start these chains from
  // nothing (the cold job then saves both).
  const storeKeys = service.entries
    .filter((e) => e.key.startsWith('goproxy-action-v2-store-'))
    .map((e) => e.key);
  for (const key of [...treeKeys(), ...storeKeys])
    service.entries.splice(
      service.entries.findIndex((e) => e.key === key),
      1,
    );
  const modcache = join(world.root, 'runner-gomodcache');
  const lib = world.roles.majorV1; // example.com/lib v1.5.0
  const libV2 = world.roles.majorV2; // example.com/lib/v2 v2.1.0
  const libDir = join(modcache, `${lib.path}@${lib.required}`);
  const libV2Ziphash = join(modcache, 'cache', 'download', libV2.path, '@v', `${libV2.required}.ziphash`);
  const libZiphash = join(modcache, 'cache', 'download', lib.path, '@v', `${lib.required}.ziphash`);

  // Job 1: cold. The go command downloads every zip through the proxy; post saves a base of
  // the tree. Before post, the tree is tampered with, as a poisoned cache entry would be: one
  // module's source file edited (its .ziphash left as go.sum records it), another module's
  // .ziphash replaced by a different, well-formed hash.
  // The store's save is held at the stand-in until the tree's create arrives: a tree save that
  // waited for the store's (post.ts storeWanted) would never come while the store is held; the
  // hold ends after a minute only so that such a failure does not hang the test.
  let treeCreated: () => void = () => {};
  const treeCreate = new Promise<void>((resolve) => {
    treeCreated = resolve;
  });
  let storeHold = 'the store was never saved';
  service.beforeCreate = async (key) => {
    if (key.startsWith('goproxy-action-v2-modtree2-')) treeCreated();
    if (!key.startsWith('goproxy-action-v2-store-')) return;
    let timer: NodeJS.Timeout | undefined;
    storeHold = await Promise.race([
      treeCreate.then(() => 'released by the tree create'),
      new Promise<string>((resolve) => {
        timer = setTimeout(
          () => resolve('released after a minute: the tree was not saved meanwhile'),
          60_000,
        );
      }),
    ]);
    clearTimeout(timer);
  };
  const cold = await job({
    beforePost: async () => {
      await chmod(libDir, 0o755);
      await chmod(join(libDir, 'lib.go'), 0o644);
      await writeFile(join(libDir, 'lib.go'), 'package lib\n\nconst Version = "TAMPERED"\n');
      await writeFile(libV2Ziphash, await readFile(libZiphash, 'utf8'));
    },
  });
  service.beforeCreate = undefined;
  assert.equal(storeHold, 'released by the tree create', 'the tree is saved beside the store, not after it');
  assert.match(cold.run.main.stdout, /Module tree restore: none,/);
  assert.ok((await zipsInModcache()).length >= 5, 'a cold job downloads the zips');
  assert.match(
    cold.post,
    /module tree save: saved-base goproxy-action-v2-modtree2-linux-\S+-00-[0-9a-f]{16} /,
  );
  const base = service.entries.find((e) => e.key === treeKeys()[0])!;

  // Job 2: the tree comes back. The module whose .ziphash go.sum contradicts is removed before
  // the go command runs, so the go command downloads exactly that zip again through the proxy
  // (verified there); every other module is used from the tree: no other zip is downloaded.
  // The edited source file is used as it is: the go command checks .ziphash against go.sum,
  // never the extracted files (setup-go's restored tree is trusted the same way); `go mod
  // verify` is what notices.
  let programOutput = '';
  let verify: GoResult | undefined;
  let fatal: GoResult | undefined;
  const restored = await job({
    beforePost: async (env) => {
      programOutput = (await runGo(['run', '.'], world.program, env)).stdout;
      verify = await runGo(['mod', 'verify'], world.program, env);
      // What the go command itself does with a .ziphash that contradicts go.sum (our restore
      // check is what spares the job this): it stops with a security error.
      const good = await readFile(libV2Ziphash, 'utf8');
      await writeFile(libV2Ziphash, await readFile(libZiphash, 'utf8'));
      fatal = await runGo(['build', './...'], world.program, env);
      await writeFile(libV2Ziphash, good);
    },
  });
  assert.match(
    restored.run.main.stdout,
    new RegExp(
      `Module tree restore: partial \\(${base.key}\\), \\d+ modules kept, 0 pruned \\(not in go.sum\\), 1 removed \\(.ziphash not as go.sum records\\): example.com/lib/v2@v2.1.0,`,
    ),
  );
  // The tree's key named these go.sum files, so its proxy started beside the tree's restore; the
  // tree was not exact after all, so that proxy was stopped, the store restored and the proxy
  // started again on it (which then served the removed module's zip).
  assert.doesNotMatch(restored.run.main.stdout, /started beside the module tree restore/);
  assert.match(restored.run.main.stdout, /Cache restore: (exact|partial) \(goproxy-action-v2-store-/);
  assert.equal(restored.build.code, 0);
  assert.deepEqual(await zipsInModcache(), [`example.com/lib/v2/@v/v2.1.0.zip`]);
  assert.match(programOutput, /^example\.com\/lib TAMPERED$/m, 'the tampered file is built');
  assert.notEqual(verify?.code, 0);
  assert.match(`${verify?.stdout}${verify?.stderr}`, /example\.com\/lib v1\.5\.0: dir has been modified/);
  assert.notEqual(fatal?.code, 0);
  assert.match(
    fatal?.stderr ?? '',
    /verifying example\.com\/lib\/v2@v2\.1\.0: checksum mismatch[\s\S]*SECURITY ERROR/,
  );
  // The removed module cannot be put back by a layer over the base: a new base is saved.
  assert.match(restored.post, /module tree save: saved-base \S+-00-[0-9a-f]{16} /);

  // Job 3: nothing changed since: an exact hit, the go command downloads nothing and asks the
  // proxy nothing, and nothing is saved.
  const warm = await job();
  assert.match(
    warm.run.main.stdout,
    /Module tree restore: exact \(\S+-00-[0-9a-f]{16}\), \d+ modules kept, 0 pruned/,
  );
  assert.equal(warm.run.outputs['module-tree-restore'], 'exact');
  assert.match(warm.run.main.stdout, /Proxy \S+ ready in \d+ ms, started beside the module tree restore /);
  assert.equal(warm.build.code, 0);
  assert.deepEqual(await zipsInModcache(), []);
  assert.match(warm.run.summary, /\| requests \| 0: 0 hits, 0 misses \|/);
  assert.match(warm.post, /module tree save: skipped \(nothing-new\)/);

  // Job 4: one dependency added: only its zip is downloaded, and a layer holds only it.
  const added = await world.addDependency();
  const grown = await job();
  assert.deepEqual(await zipsInModcache(), [`${added.path}/@v/${added.version}.zip`]);
  const layerKey = /module tree save: saved-layer (\S+-01)-[0-9a-f]{16} /.exec(grown.post)?.[1];
  assert.ok(layerKey, grown.post);
  // Tagged keys (the dependency key it was saved for): each layer found by its prefix.
  const newBase = service.entries.find((e) => e.key.startsWith(layerKey.replace(/-01$/, '-00-')))!;
  assert.ok(service.entries.find((e) => e.key.startsWith(`${layerKey}-`))!.sizeBytes < newBase.sizeBytes / 2);

  // Job 5: base + layer restored in order; nothing downloaded.
  const layered = await job();
  assert.match(
    layered.run.main.stdout,
    new RegExp(`Module tree restore: exact \\(\\S+-00-[0-9a-f]{16} \\+ ${layerKey}-[0-9a-f]{16}\\)`),
  );
  assert.deepEqual(await zipsInModcache(), []);

  // Job 6: the base evicted: the orphan layer is never restored alone; the go command
  // downloads everything through the proxy as on a cold start, and a new base is saved.
  service.entries.splice(service.entries.indexOf(newBase), 1);
  const evicted = await job();
  assert.match(evicted.run.main.stdout, /Module tree: the base \S+-00 is gone \(evicted\): starting cold/);
  assert.match(evicted.run.main.stdout, /Module tree restore: none,/);
  assert.equal(evicted.build.code, 0);
  assert.equal(evicted.test.code, 0);
  assert.ok((await zipsInModcache()).length >= 5);
  assert.match(evicted.post, /module tree save: saved-base /);
});

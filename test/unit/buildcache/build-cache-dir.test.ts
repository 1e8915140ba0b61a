// The directory approach against the real go command: after restored entries' mtimes are set
// back, the go command's own touches tell which entries a build used, and pruning the rest
// keeps exactly what that build needs.
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  AGE_BACK_MS,
  ageEntries,
  buildCacheUsage,
  listBuildCache,
  pruneToUsed,
  removeEntries,
} from '../../../src/buildcache/build-cache-dir.ts';
import { buildCacheFamily } from '../../../src/buildcache/build-cache-key.ts';
import { goEnv, runGo } from '../../support/go-env.ts';

function compiles(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => /\/compile /.test(l))
    .map((l) => / -p (\S+)/.exec(l)?.[1] ?? '?');
}

test('build cache dir: aged entries, used ones touched by the go command, pruning keeps what a build needs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gpa-gocache-'));
  try {
    const gocache = join(root, 'gocache');
    const env = { ...goEnv({ goproxy: 'off', gosumdb: 'off' }), GOCACHE: gocache };
    for (const name of ['a', 'b']) {
      await mkdir(join(root, name), { recursive: true });
      await writeFile(join(root, name, 'go.mod'), `module example.com/${name}\n\ngo 1.21\n`);
    }
    await writeFile(
      join(root, 'a', 'main.go'),
      'package main\n\nimport "strings"\n\nfunc main() { println(strings.ToUpper("a")) }\n',
    );
    await writeFile(
      join(root, 'b', 'main.go'),
      'package main\n\nimport "strings"\n\nfunc main() { println(strings.ToLower("B")) }\n',
    );
    const buildA = await runGo(['build', '-o', join(root, 'bin-a'), '.'], join(root, 'a'), env);
    assert.equal(buildA.code, 0, buildA.stderr);
    const restored = await listBuildCache(gocache);
    assert.ok(restored.size > 10);
    const now = Date.now();
    await ageEntries(gocache, restored, new Date(now - AGE_BACK_MS));
    for (const entry of (await listBuildCache(gocache)).values())
      assert.ok(entry.mtimeMs < now - AGE_BACK_MS + 1000);

    // b shares everything with a but its own main package.
    const buildB = await runGo(['build', '-x', '-o', join(root, 'bin-b'), '.'], join(root, 'b'), env);
    assert.equal(buildB.code, 0, buildB.stderr);
    assert.deepEqual(compiles(buildB.stderr), ['main'], 'b compiles only its main package');
    const usage = buildCacheUsage(new Set(restored.keys()), await listBuildCache(gocache), now - 1000);
    assert.ok(usage.used.length > 10, 'the shared standard library entries were used');
    assert.ok(usage.added.length > 0, "b's compile added entries");
    assert.ok(usage.unused.length > 0, "a's own entries were not used");

    await removeEntries(gocache, usage.unused);
    // Fresh output files: the go command skips a build whose output already has the right build ID.
    await rm(join(root, 'bin-a'));
    await rm(join(root, 'bin-b'));
    const againB = await runGo(['build', '-x', '-o', join(root, 'bin-b'), '.'], join(root, 'b'), env);
    assert.deepEqual(compiles(againB.stderr), [], 'after pruning b still needs nothing compiled');
    const againA = await runGo(['build', '-x', '-o', join(root, 'bin-a'), '.'], join(root, 'a'), env);
    assert.deepEqual(
      compiles(againA.stderr),
      ['main'],
      'a recompiles only its own main package, which the prune dropped',
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('build cache dir: a test result kept under the test binary content ID survives the prune, so a dead-code edit still hits it', async () => {
  // The go command saves a passing result under two IDs: the link step's action ID and the
  // test binary's content ID (cmd/go/internal/test: tryCacheWithID, saveOutput). A run with
  // nothing changed reads only the first; after an edit the linker drops (dead code) only the
  // second matches. Both point at the same content-addressed outputs.
  const root = await mkdtemp(join(tmpdir(), 'gpa-gocache-'));
  try {
    const gocache = join(root, 'gocache');
    const env = { ...goEnv({ goproxy: 'off', gosumdb: 'off' }), GOCACHE: gocache };
    const mod = join(root, 'm');
    await mkdir(join(mod, 'lib'), { recursive: true });
    await writeFile(join(mod, 'go.mod'), 'module example.com/m\n\ngo 1.21\n');
    await writeFile(join(mod, 'lib', 'lib.go'), 'package lib\n\nfunc Add(a, b int) int { return a + b }\n');
    await writeFile(
      join(mod, 'lib', 'lib_test.go'),
      'package lib\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal("bad")\n\t}\n}\n',
    );
    const first = await runGo(['test', './...'], mod, env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.doesNotMatch(first.stdout, /\(cached\)/);

    // A run with nothing changed, as the next job runs it: restored entries aged first.
    const restored = await listBuildCache(gocache);
    const now = Date.now();
    await ageEntries(gocache, restored, new Date(now - AGE_BACK_MS));
    const unchanged = await runGo(['test', './...'], mod, env);
    assert.match(unchanged.stdout, /ok\s+example\.com\/m\/lib\s+\(cached\)/);
    const usage = buildCacheUsage(new Set(restored.keys()), await listBuildCache(gocache), now - 1000);
    // The rule without partners (what a prune to "used plus added" keeps) loses the result.
    const bare = join(root, 'gocache-bare');
    await cp(gocache, bare, { recursive: true });
    await removeEntries(bare, usage.unused);
    const kept = await pruneToUsed(gocache, usage);
    assert.ok(kept.partners.length >= 2, 'the content-ID test entries are kept as partners of used outputs');
    assert.ok(kept.unused.length > 0, 'what the run did not use is still pruned');
    for (const path of kept.partners) assert.ok(usage.unused.includes(path) && !kept.unused.includes(path));

    // Dead code: the test binary links to the same bytes, under a new link action ID.
    await appendFile(join(mod, 'lib', 'lib.go'), '\nfunc unused() int { return 42 }\n');
    const bareRun = await runGo(['test', './...'], mod, { ...env, GOCACHE: bare });
    assert.equal(bareRun.code, 0, bareRun.stdout + bareRun.stderr);
    assert.doesNotMatch(bareRun.stdout, /\(cached\)/, 'pruned to used plus added, the test runs again');
    const edited = await runGo(['test', './...'], mod, env);
    assert.match(edited.stdout, /ok\s+example\.com\/m\/lib\s+\(cached\)/, edited.stdout + edited.stderr);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('build cache family: OS, arch and exact go version; unsafe characters replaced', () => {
  assert.equal(
    buildCacheFamily('linux', 'amd64', 'go1.26.8'),
    'goproxy-action-gocache-v1-linux-amd64-go1.26.8-',
  );
  assert.equal(
    buildCacheFamily('darwin', 'arm64', 'go1.25.0 X:boringcrypto'),
    'goproxy-action-gocache-v1-darwin-arm64-go1.25.0_X:boringcrypto-',
  );
  assert.throws(() => buildCacheFamily('linux', 'amd64', ''), /no GOVERSION/);
});

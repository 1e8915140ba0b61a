// Our streamed restore (src/github/streamed-restore.ts) against the cache-service stand-in
// (azurite behind it), with entries saved by the real @actions/cache: found under the same
// version and restored byte for byte, a tagged chain restored in order with its downloads
// begun at once, a cut or corrupted download leaving the directory as a miss would, and the
// legacy service falling back to @actions/cache's own restore.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { layerKey, layerPrefix } from '../../src/cachelayers/layer-keys.ts';
import { actionsCacheClient, restoreChain } from '../../src/cachelayers/layered-cache.ts';
import { withStreamedRestore } from '../../src/github/streamed-restore.ts';
import { walkNoFollow } from '../../src/tree-walk.ts';
import { type CacheService, startCacheService, useCacheApi } from '../support/cache-service.ts';
import { quietActionsOutput } from '../support/quiet-actions-output.ts';

let service: CacheService;
let root: string;
let workspace: string;
/** Outside the workspace, as GOMODCACHE is: the archive names it with `../`. */
let treeDir: string;
const savedEnv = { ...process.env };

before(async () => {
  service = await startCacheService();
  root = await mkdtemp(join(tmpdir(), 'gpa-streamed-'));
  workspace = join(root, 'workspace');
  treeDir = join(root, 'home', 'go', 'pkg', 'mod');
  await mkdir(workspace, { recursive: true });
  await mkdir(join(root, 'runner-temp'), { recursive: true });
  process.env.GITHUB_WORKSPACE = workspace;
  process.env.RUNNER_TEMP = join(root, 'runner-temp');
  process.chdir(workspace);
});

after(async () => {
  process.chdir('/');
  await service.close();
  await chmodTree(root);
  await rm(root, { recursive: true, force: true });
  process.env = savedEnv;
});

async function chmodTree(dir: string): Promise<void> {
  for (const entry of await walkNoFollow(dir).catch(() => []))
    if (entry.isDirectory()) await chmod(join(entry.parentPath, entry.name), 0o755);
}

async function emptyTree(): Promise<void> {
  await chmodTree(treeDir);
  await rm(treeDir, { recursive: true, force: true });
}

/** Every file, link and directory under dir: relative path -> content hash, link target or mode. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await walkNoFollow(dir).catch(() => [])) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path);
    const st = await lstat(path);
    if (entry.isSymbolicLink()) out.set(rel, `link ${await readlink(path)}`);
    else if (entry.isDirectory()) out.set(rel, `dir ${(st.mode & 0o777).toString(8)}`);
    else
      out.set(
        rel,
        `file ${(st.mode & 0o777).toString(8)} ${createHash('sha256')
          .update(await readFile(path))
          .digest('hex')}`,
      );
  }
  return out;
}

/** Only the regular files (what a failed restore must not leave half-written). */
function filesOf(snap: Map<string, string>): string[] {
  return [...snap].filter(([, v]) => v.startsWith('file ')).map(([k]) => k);
}

/** A module-like directory: read-only as the go command leaves it, odd names, a large file. */
async function writeModule(name: string, files: Record<string, string | Buffer>): Promise<void> {
  const dir = join(treeDir, name);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), content);
  }
}

async function fillBase(): Promise<void> {
  await writeModule('example.com/a@v1.0.0', {
    'a.go': 'package a\n',
    'sub dir/ünï.go': 'package sub\n',
    'back\\slash.txt': 'b\n',
    // Incompressible: a download of several MiB, cut in the middle of this file's bytes.
    'big.bin': Buffer.from(
      Array.from({ length: 4096 }, (_, i) => createHash('sha256').update(`a${i}`).digest()).flatMap((b) => [
        ...b,
        ...createHash('sha512').update(b).digest(),
      ]),
    ),
  });
  await writeModule('cache/download/example.com/a/@v', { list: 'v1.0.0\n', 'v1.0.0.ziphash': 'h1:a\n' });
  await chmod(join(treeDir, 'example.com/a@v1.0.0/sub dir'), 0o555);
  await chmod(join(treeDir, 'example.com/a@v1.0.0'), 0o555);
}

test('saved by @actions/cache, restored streamed: same version asked, byte-identical tree outside the workspace', () =>
  quietActionsOutput(async (output) => {
    useCacheApi(service, 'v2');
    await emptyTree();
    await fillBase();
    const before = await snapshot(treeDir);
    const key = 'streamed-identical-1';
    assert.equal(await actionsCacheClient(treeDir, false).save(key), true);
    const created = service.requests.findLast((r) => r.op === 'create' && r.keys[0] === key)!;
    await emptyTree();

    const client = withStreamedRestore(actionsCacheClient(treeDir, false), treeDir, false);
    assert.equal(await client.restore(key), key);
    assert.match(output(), new RegExp(`Cache hit for: ${key}, [0-9.]+ MiB streamed into tar`));
    assert.doesNotMatch(output(), /not streamed/);
    assert.deepEqual(await snapshot(treeDir), before);
    // Ours asked under the version @actions/cache saved under (and it asked under for its own lookups).
    const lookups = service.requests.filter((r) => r.op === 'lookup' && r.keys[0] === key);
    assert.equal(lookups.length, 1);
    assert.equal(lookups[0]!.version, created.version);
    assert.equal(lookups[0]!.matchedKey, key);

    // A workspace-relative, cross-OS path (the store's): the same version as @actions/cache's.
    await mkdir(join(workspace, '.goproxy-action', 'store', 'x'), { recursive: true });
    await writeFile(join(workspace, '.goproxy-action', 'store', 'x', 'blob'), 'blob\n');
    assert.equal(await actionsCacheClient('.goproxy-action/store', true).save('streamed-store-1'), true);
    const storeCreated = service.requests.findLast(
      (r) => r.op === 'create' && r.keys[0] === 'streamed-store-1',
    )!;
    await rm(join(workspace, '.goproxy-action'), { recursive: true });
    const store = withStreamedRestore(
      actionsCacheClient('.goproxy-action/store', true),
      '.goproxy-action/store',
      true,
    );
    assert.equal(await store.restore('streamed-store-1'), 'streamed-store-1');
    assert.equal(await readFile(join(workspace, '.goproxy-action', 'store', 'x', 'blob'), 'utf8'), 'blob\n');
    assert.equal(
      service.requests.findLast((r) => r.op === 'lookup' && r.keys[0] === 'streamed-store-1')!.version,
      storeCreated.version,
    );
    // A key not stored, and one stored only under a longer key without a prefix asked: misses.
    assert.equal(await client.restore('streamed-identical-'), undefined);
    assert.equal(await client.restore('streamed-none'), undefined);
  }));

test('the v2 lookup is ours: the answers @actions/cache gives, without loading it; the legacy service asks it', () =>
  quietActionsOutput(async (output) => {
    useCacheApi(service, 'v2');
    await emptyTree();
    await fillBase();
    const saver = actionsCacheClient(treeDir, false);
    assert.equal(await saver.save('lookup-1-a'), true);
    assert.equal(await saver.save('lookup-1-b'), true);
    const streamed = withStreamedRestore(saver, treeDir, false);
    const queries: [string, string[]][] = [
      ['lookup-1-a', []],
      ['lookup-1-', ['lookup-1-']],
      ['lookup-1-', []],
      ['lookup-2', ['lookup-2']],
      ['lookup-1-c', ['lookup-1-a', 'lookup-1-']],
    ];
    const before = output().length;
    const ours = [];
    for (const [key, restoreKeys] of queries) ours.push(await streamed.lookup(key, restoreKeys));
    // @actions/cache says "Lookup only" on each lookup it answers: none of these was its.
    assert.doesNotMatch(output().slice(before), /Lookup only|Resolved Keys/);
    const theirs = [];
    for (const [key, restoreKeys] of queries) theirs.push(await saver.lookup(key, restoreKeys));
    assert.match(output().slice(before), /Lookup only/);
    assert.deepEqual(ours, theirs);
    // (The stand-in, like the service, takes the primary key as a prefix too: the third query.)
    assert.deepEqual(ours, ['lookup-1-a', 'lookup-1-b', 'lookup-1-b', undefined, 'lookup-1-a']);

    // On the legacy service (a client made there: availability is decided once per client),
    // @actions/cache asks it; it holds nothing saved through v2.
    useCacheApi(service, 'legacy');
    const asked = service.requests.length;
    assert.equal(await withStreamedRestore(saver, treeDir, false).lookup('lookup-1-a', []), undefined);
    assert.deepEqual(
      service.requests.slice(asked).map((r) => `${r.api} ${r.op} ${r.keys.join(',')}`),
      ['legacy lookup lookup-1-a'],
    );
  }));

// Without the early lookups the held base lookup would wait forever: the timeout is that
// failure's guard, not a measure.
test(
  'a tagged chain restored streamed in order: every layer asked for before the base is extracted, the later layer wins',
  { timeout: 120_000 },
  () =>
    quietActionsOutput(async () => {
      useCacheApi(service, 'v2');
      const family = 'streamed-chain-';
      const saver = actionsCacheClient(treeDir, false);
      await emptyTree();
      await fillBase();
      assert.equal(await saver.save(layerKey(family, '1-000000aa', 0, 'tag0')), true);
      const base = await snapshot(treeDir);
      await emptyTree();
      await writeModule('example.com/b@v1.0.0', { 'b.go': 'package b\n' });
      await writeModule('cache/download/example.com/a/@v', { list: 'v1.0.0\nv1.1.0\n' });
      assert.equal(await saver.save(layerKey(family, '1-000000aa', 1, 'tag1')), true);
      await emptyTree();
      await writeModule('cache/download/example.com/a/@v', { list: 'v1.0.0\nv1.1.0\nv1.2.0\n' });
      await writeModule('example.com/c@v1.0.0', { 'c.go': 'package c\n' });
      assert.equal(await saver.save(layerKey(family, '1-000000aa', 2, 'tag2')), true);
      await emptyTree();

      // Held until every entry of the chain was asked for: the later layers' lookups do not wait
      // for the base's extraction (an order of requests, never a time).
      const asked = new Set<string>();
      let release: () => void = () => undefined;
      const allAsked = new Promise<void>((done) => {
        release = done;
      });
      service.beforeLookup = async (keys) => {
        asked.add(keys[0]!);
        if (asked.size === 4) release();
        if (keys[0] === layerPrefix(family, '1-000000aa', 0)) await allAsked;
      };
      try {
        const client = withStreamedRestore(actionsCacheClient(treeDir, false), treeDir, false);
        const got = await restoreChain(client, family);
        assert.deepEqual(
          got.restoredKeys,
          [0, 1, 2].map((l) => layerKey(family, '1-000000aa', l, `tag${l}`)),
        );
        assert.deepEqual(got.chain, { baseId: '1-000000aa', count: 3, complete: true });
      } finally {
        service.beforeLookup = undefined;
      }
      const now = await snapshot(treeDir);
      for (const [path, value] of base) if (!path.endsWith('list')) assert.equal(now.get(path), value, path);
      assert.equal(
        await readFile(join(treeDir, 'cache/download/example.com/a/@v/list'), 'utf8'),
        'v1.0.0\nv1.1.0\nv1.2.0\n',
      );
      assert.equal(await readFile(join(treeDir, 'example.com/b@v1.0.0/b.go'), 'utf8'), 'package b\n');
      assert.equal(await readFile(join(treeDir, 'example.com/c@v1.0.0/c.go'), 'utf8'), 'package c\n');
    }),
);

for (const fault of ['cut', 'corrupt'] as const) {
  test(`a ${fault} download leaves the directory as a miss: a base leaves nothing, a layer leaves the chain before it`, () =>
    quietActionsOutput(async (output) => {
      useCacheApi(service, 'v2');
      const family = `streamed-${fault}-`;
      const saver = actionsCacheClient(treeDir, false);
      await emptyTree();
      await writeModule('example.com/first@v1.0.0', { 'f.go': 'package first\n' });
      await writeModule('cache/download/example.com/first/@v', { 'v1.0.0.ziphash': 'h1:f\n' });
      assert.equal(await saver.save(layerKey(family, '2-000000bb', 0)), true);
      const first = await snapshot(treeDir);
      await emptyTree();
      await fillBase();
      assert.equal(await saver.save(layerKey(family, '2-000000bb', 1)), true);
      await emptyTree();
      const client = () => withStreamedRestore(actionsCacheClient(treeDir, false), treeDir, false);

      // The layer's download broken: the chain stops at the base, and not one of the layer's
      // files is left (the module's .ziphash nor its files: the go command fetches it again).
      service.downloadFault = (key) => (key === layerKey(family, '2-000000bb', 1) ? fault : undefined);
      const layerBroken = await restoreChain(client(), family);
      assert.deepEqual(layerBroken.chain, { baseId: '2-000000bb', count: 1, complete: false });
      assert.match(output(), new RegExp(`Cache restore of ${layerKey(family, '2-000000bb', 1)} failed \\(`));
      assert.deepEqual(filesOf(await snapshot(treeDir)), filesOf(first));
      await emptyTree();

      // The base's download broken: cold, no file at all (the layer is never extracted).
      service.downloadFault = (key) => (key === layerKey(family, '2-000000bb', 0) ? fault : undefined);
      const baseBroken = await restoreChain(client(), family);
      assert.equal(baseBroken.chain, undefined);
      assert.deepEqual(filesOf(await snapshot(treeDir)), []);
      await emptyTree();

      // Restored on its own (the build cache's way, every entry at once): the same.
      service.downloadFault = () => fault;
      assert.equal(await client().restore(layerKey(family, '2-000000bb', 1)), undefined);
      assert.deepEqual(filesOf(await snapshot(treeDir)), []);
      service.downloadFault = undefined;
      assert.equal(
        await client().restore(layerKey(family, '2-000000bb', 1)),
        layerKey(family, '2-000000bb', 1),
      );
      assert.ok(filesOf(await snapshot(treeDir)).includes('example.com/a@v1.0.0/big.bin'));
    }));
}

test('the legacy cache service: @actions/cache restores, said in one line', () =>
  quietActionsOutput(async (output) => {
    useCacheApi(service, 'legacy');
    await emptyTree();
    await fillBase();
    const before = await snapshot(treeDir);
    assert.equal(await actionsCacheClient(treeDir, false).save('streamed-legacy-1'), true);
    await emptyTree();
    const client = withStreamedRestore(actionsCacheClient(treeDir, false), treeDir, false);
    assert.equal(await client.restore('streamed-legacy-1'), 'streamed-legacy-1');
    assert.equal(await client.restore('streamed-legacy-1'), 'streamed-legacy-1');
    assert.deepEqual(await snapshot(treeDir), before);
    const lines = output()
      .split('\n')
      .filter((l) => l.includes('not streamed'));
    assert.deepEqual(lines, [
      "Cache restore: @actions/cache's own restore (not streamed: the legacy cache service (no ACTIONS_CACHE_SERVICE_V2))",
    ]);
    assert.ok(service.requests.some((r) => r.api === 'legacy' && r.op === 'download'));
  }));

// The store's layout judged by the real go command: it reads a store we wrote through
// GOPROXY=file://, and a module cache it filled seeds the store so that serving the store again
// through file:// gives another module cache the very same bytes.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type BlobExt, BlobStore } from '../../../src/store/blob-store.ts';
import {
  type FixtureModule,
  infoOf,
  modFileOf,
  moduleZip,
  parseJsonStream,
} from '../../support/fixture-modules.ts';
import { createFixtureWorld } from '../../support/fixture-world.ts';
import { goEnv, runGo } from '../../support/go-env.ts';

type Download = {
  Path: string;
  Version: string;
  Error?: string;
  Info?: string;
  GoMod?: string;
  Zip?: string;
};

async function tempDir(t: { after: (fn: () => Promise<void>) => void }, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Relative path -> bytes of every file under `root`, minus what `skip` names. */
async function filesOf(root: string, skip: (rel: string) => boolean): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = relative(root, join(entry.parentPath, entry.name)).split('\\').join('/');
    if (!skip(rel)) files.set(rel, await readFile(join(entry.parentPath, entry.name)));
  }
  return files;
}

/** `go mod download -json` of `targets` from GOPROXY=file://<proxyDir> into `modcache`. */
async function goDownload(
  proxyDir: string,
  modcache: string,
  targets: string[],
  work: string,
): Promise<Download[]> {
  const env = goEnv({
    goproxy: pathToFileURL(proxyDir).href,
    gosumdb: 'off',
    gonosumdb: '',
    gomodcache: modcache,
  });
  const result = await runGo(['mod', 'download', '-json', ...targets], work, env);
  const downloads = parseJsonStream(result.stdout) as Download[];
  assert.equal(result.code, 0, `go mod download failed:\n${result.stderr}\n${result.stdout}`);
  assert.deepEqual(
    downloads.filter((d) => d.Error),
    [],
  );
  return downloads;
}

test('store: the go command downloads module versions we wrote, through GOPROXY=file://', async (t) => {
  const work = await tempDir(t, 'store-go-read-');
  const store = await BlobStore.open(join(work, 'store'));
  const modules: FixtureModule[] = [
    { path: 'example.com/Upper/Case', version: 'v1.0.0' },
    { path: 'example.com/Upper/Case', version: 'v1.1.0-RC1' },
    { path: 'example.com/lib/v2', version: 'v2.3.0' },
    { path: 'example.org/nomod', version: 'v1.0.0', goMod: null },
    { path: 'example.net/pseudo', version: 'v0.0.0-20240102030405-abcdefabcdef' },
  ];
  const written = new Map<string, Record<Exclude<BlobExt, 'ziphash'>, Buffer>>();
  for (const m of modules) {
    const blobs = {
      info: Buffer.from(infoOf(m)),
      mod: Buffer.from(modFileOf(m)),
      zip: await moduleZip(m),
    };
    written.set(`${m.path}@${m.version}`, blobs);
    await store.writeFileAtomic(m.path, m.version, 'info', blobs.info);
    await store.writeFileAtomic(m.path, m.version, 'mod', blobs.mod);
    // The zip goes through the streaming path the proxy uses.
    const pending = await store.beginWrite(m.path, m.version, 'zip');
    for (let offset = 0; offset < blobs.zip.byteLength; offset += 100) {
      await pending.write(blobs.zip.subarray(offset, offset + 100));
    }
    await pending.commit();
    await store.addVersionToList(m.path, m.version);
  }

  const modcache = join(work, 'modcache');
  const downloads = await goDownload(
    store.root,
    modcache,
    modules.map((m) => `${m.path}@${m.version}`),
    work,
  );
  assert.equal(downloads.length, modules.length);
  for (const d of downloads) {
    const blobs = written.get(`${d.Path}@${d.Version}`);
    assert.ok(blobs, `${d.Path}@${d.Version} was one of ours`);
    assert.deepEqual(await readFile(d.Zip as string), blobs.zip, `${d.Path}@${d.Version} zip`);
    assert.deepEqual(await readFile(d.GoMod as string), blobs.mod, `${d.Path}@${d.Version} go.mod`);
    assert.deepEqual(JSON.parse(await readFile(d.Info as string, 'utf8')), JSON.parse(blobs.info.toString()));
  }

  // The go command reads our @v/list: versions in Go order, the pseudo-version left out.
  const env = goEnv({
    goproxy: pathToFileURL(store.root).href,
    gosumdb: 'off',
    gomodcache: join(work, 'mc2'),
  });
  const listed = await runGo(['list', '-m', '-versions', '-json', 'example.com/Upper/Case'], work, env);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual((JSON.parse(listed.stdout) as { Versions: string[] }).Versions, ['v1.0.0', 'v1.1.0-RC1']);
  const latest = await runGo(['list', '-m', '-json', 'example.com/Upper/Case@latest'], work, env);
  assert.equal(latest.code, 0, latest.stderr);
  assert.equal((JSON.parse(latest.stdout) as { Version: string }).Version, 'v1.0.0');
  assert.equal(await readFile(store.listPath('example.net/pseudo'), 'utf8').catch(() => null), null);
});

test('store: seeding from a module cache the go command filled reproduces that cache byte for byte', async (t) => {
  const world = await createFixtureWorld();
  t.after(() => world.remove());
  const work = await tempDir(t, 'store-seed-');
  const targets = world.modules.map((m) => `${m.path}@${m.version}`);

  // 1. The go command fills module cache A from the fixture proxy.
  const cacheA = join(work, 'cache-a');
  await goDownload(world.dir, cacheA, targets, work);
  const downloadA = join(cacheA, 'cache', 'download');
  // Debris a module cache can hold, which is never a blob: lock files, partial markers, the
  // go command's temp downloads.
  const junkDir = join(downloadA, 'example.com', 'junk', '@v');
  await mkdir(junkDir, { recursive: true });
  for (const name of ['v1.0.0.lock', 'v1.0.0.partial', 'v1.0.0.zip4829173.tmp', 'list.lock']) {
    await writeFile(join(junkDir, name), 'not a blob');
  }

  // 2. Seed the store; the verifier refuses one version first, then accepts everything.
  const store = await BlobStore.open(join(work, 'store'));
  const refused = world.modules[0] as FixtureModule;
  const asked: string[] = [];
  const first = await store.seedFromModCache(downloadA, async (module, version, files) => {
    asked.push(`${module}@${version}`);
    assert.ok(files.zip && files.mod && files.info, `${module}@${version} comes with its files`);
    assert.ok(files.zip.startsWith(downloadA));
    await stat(files.zip);
    return !(module === refused.path && version === refused.version);
  });
  assert.deepEqual(asked.sort(), [...targets].sort(), 'asked once per module version, junk never');
  assert.deepEqual(first, { copied: targets.length - 1, skipped: 1 });
  assert.equal(
    await store.stat(refused.path, refused.version, 'zip'),
    null,
    'a refused version is not stored',
  );

  const second = await store.seedFromModCache(downloadA, async () => true);
  assert.deepEqual(second, { copied: 1, skipped: targets.length - 1 });
  const storeFiles = await filesOf(store.root, () => false);
  assert.ok(
    [...storeFiles.keys()].every((f) => /\/@v\/(list|[^/]+\.(info|mod|zip|ziphash))$/.test(f)),
    `only blobs and lists in the store: ${[...storeFiles.keys()].join(', ')}`,
  );
  assert.equal((await store.summary()).versions, targets.length);

  // 3. The go command fills a fresh cache B from the store; A and B must be the same bytes.
  const cacheB = join(work, 'cache-b');
  await goDownload(store.root, cacheB, targets, work);
  const notCompared = (rel: string) =>
    rel.endsWith('.lock') || rel.startsWith('sumdb/') || rel.startsWith('example.com/junk/');
  const a = await filesOf(downloadA, notCompared);
  const b = await filesOf(join(cacheB, 'cache', 'download'), notCompared);
  assert.ok(a.size >= targets.length * 4, `compared ${a.size} files`);
  assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
  for (const [rel, bytes] of a) assert.deepEqual(b.get(rel), bytes, rel);
  assert.ok(
    [...a.keys()].some((rel) => rel.startsWith('example.com/!upper/!lib/@v/')),
    'case-encoded paths covered',
  );
  assert.ok([...a.keys()].some((rel) => rel.endsWith('.ziphash')));
});

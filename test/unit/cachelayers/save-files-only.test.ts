// A layer's save: the directory holds exactly the listed files (same bytes, hard links) for the
// length of the save, and is whole again afterwards, whether the save succeeded, was refused or
// threw. The real @actions/cache flow is test/e2e/github-build-cache.test.ts.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { type CacheClient, saveFilesOnly } from '../../../src/cachelayers/layered-cache.ts';
import { walkNoFollow } from '../../../src/tree-walk.ts';

async function filesUnder(dir: string): Promise<string[]> {
  return (await walkNoFollow(dir))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** A directory of `n` files spread over nested subdirectories, each holding its own path. */
async function tree(n: number): Promise<{ dir: string; files: string[] }> {
  const dir = join(await mkdtemp(join(tmpdir(), 'gpa-save-files-only-')), 'cache');
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = `m${i % 7}/v${i % 3}/d${i % 5}/f${i}.txt`;
    await mkdir(join(dir, dirname(file)), { recursive: true });
    await writeFile(join(dir, file), file);
    files.push(file);
  }
  return { dir, files: files.sort() };
}

function client(save: (key: string) => Promise<boolean>): CacheClient {
  return { lookup: async () => undefined, restore: async () => undefined, save };
}

test('save files only: the directory holds exactly the chosen files, as links, during the save; whole after', async () => {
  const { dir, files } = await tree(300);
  try {
    // Every other file, and files deep and shallow.
    const chosen = files.filter((_, i) => i % 2 === 0);
    const seen: string[][] = [];
    const ok = await saveFilesOnly(
      client(async (key) => {
        assert.equal(key, 'k-01');
        seen.push(await filesUnder(dir));
        for (const file of chosen) {
          assert.equal(await readFile(join(dir, file), 'utf8'), file);
          // A hard link to the original, not a copy.
          assert.equal((await stat(join(dir, file))).nlink, 2);
        }
        return true;
      }),
      dir,
      chosen,
      'k-01',
    );
    assert.equal(ok, true);
    assert.deepEqual(seen, [chosen]);
    assert.deepEqual(await filesUnder(dir), files);
    await assert.rejects(stat(`${dir}.goproxy-action-full`), { code: 'ENOENT' });
  } finally {
    await rm(dirname(dir), { recursive: true, force: true });
  }
});

test('save files only: a refused or failing save leaves the directory whole', async () => {
  const { dir, files } = await tree(20);
  try {
    assert.equal(
      await saveFilesOnly(
        client(async () => false),
        dir,
        files.slice(0, 3),
        'k-02',
      ),
      false,
    );
    assert.deepEqual(await filesUnder(dir), files);
    await assert.rejects(
      saveFilesOnly(
        client(async () => {
          throw new Error('upload failed');
        }),
        dir,
        files.slice(3, 9),
        'k-03',
      ),
      /upload failed/,
    );
    assert.deepEqual(await filesUnder(dir), files);
    for (const file of files) assert.equal(await readFile(join(dir, file), 'utf8'), file);
  } finally {
    await rm(dirname(dir), { recursive: true, force: true });
  }
});

// A restored build cache is hostile input for our own code: symbolic links in it (a subdirectory
// `ab` pointing elsewhere, an entry pointing at a file outside) must never make ageing, pruning,
// sizing or the files of a save reach outside GOCACHE.
import assert from 'node:assert/strict';
import { mkdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { entryFiles, listBuildCache } from '../../../src/buildcache/build-cache-dir.ts';
import { beginBuildCacheSession, endBuildCacheSession } from '../../../src/buildcache/build-cache-session.ts';
import { makeTempDir } from '../../support/go-env.ts';

const hash = (c: string) => c.repeat(64);

test('build cache restore: links in the restored GOCACHE are never followed by ageing, pruning or listing', async (t) => {
  const root = makeTempDir('gocache-links');
  t.after(() => rm(root, { recursive: true, force: true }));
  const gocache = join(root, 'gocache');
  const outside = join(root, 'outside');
  await mkdir(join(gocache, '00'), { recursive: true });
  await mkdir(join(outside, 'dir-d'), { recursive: true });
  // Files outside whose names look like cache entries, and a directory entry's file.
  await writeFile(join(outside, `${hash('a')}-a`), 'v1 outside\n');
  await writeFile(join(outside, `${hash('b')}-d`), 'outside output');
  await writeFile(join(outside, 'dir-d', 'secret'), 'outside secret');
  const past = new Date('2020-01-01T00:00:00Z');
  for (const f of [`${hash('a')}-a`, `${hash('b')}-d`, 'dir-d', 'dir-d/secret'])
    await utimes(join(outside, f), past, past);
  // A real entry, a subdirectory that is a link, an entry that is a link to a file, and a
  // directory entry that is a link to a directory.
  await writeFile(join(gocache, '00', `${hash('0')}-a`), 'v1 real\n');
  await symlink(outside, join(gocache, 'ab'));
  await symlink(join(outside, `${hash('a')}-a`), join(gocache, '00', `${hash('1')}-a`));
  await symlink(join(outside, 'dir-d'), join(gocache, '00', `${hash('2')}-d`));

  const listing = await listBuildCache(gocache);
  assert.deepEqual([...listing.keys()], [`00/${hash('0')}-a`], 'links are not cache entries');
  assert.deepEqual(await entryFiles(gocache, listing, listing.keys()), [`00/${hash('0')}-a`]);

  const session = join(root, 'session.json');
  await beginBuildCacheSession(gocache, session); // ages what it lists
  await endBuildCacheSession(gocache, session, true); // prunes what was not used
  for (const f of [`${hash('a')}-a`, `${hash('b')}-d`, 'dir-d', 'dir-d/secret']) {
    const info = await stat(join(outside, f)); // still there
    assert.equal(info.mtimeMs, past.getTime(), `${f} outside GOCACHE was not touched`);
  }
});

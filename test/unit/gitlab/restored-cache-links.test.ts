// GitLab restores its cache paths into the project directory; what a job saved there is moved
// into place as GOMODCACHE, GOCACHE and the store. A symbolic link saved in one of those places
// (by any job sharing the cache key) must never become the directory we then prune or age.
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { beginBuildCache } from '../../../src/gitlab/in-job.ts';
import { beginModTree } from '../../../src/gitlab/mod-tree-step.ts';
import { BUILD_CACHE_DIR, MOD_TREE_CACHE_DIR } from '../../../src/gitlab/predefined-variables.ts';
import { makeTempDir } from '../../support/go-env.ts';

async function put(root: string, file: string, content = 'x'): Promise<void> {
  await mkdir(dirname(join(root, file)), { recursive: true });
  await writeFile(join(root, file), content);
}

test('GitLab: a restored module tree or build cache that is a link is removed, and what it points at is untouched', async (t) => {
  const root = makeTempDir('gitlab-cache-links');
  t.after(() => rm(root, { recursive: true, force: true }));
  const projectDir = join(root, 'builds', 'project');
  const work = join(root, 'builds', 'work');
  const outside = join(root, 'outside');
  await mkdir(work, { recursive: true });
  await put(projectDir, 'go.mod', 'module example.com/p\n\ngo 1.21\n');
  await put(projectDir, 'go.sum', '');
  // Outside: a module-cache layout (a module go.sum does not name: it would be pruned) and a
  // build-cache layout (an unused entry: it would be pruned).
  await put(outside, 'modcache/cache/download/example.com/x/@v/v1.0.0.ziphash', 'h1:x');
  await put(outside, 'modcache/example.com/x@v1.0.0/x.go', 'package x');
  await put(outside, `gocache/00/${'0'.repeat(64)}-a`, 'v1 entry\n');
  await symlink(join(outside, 'modcache'), join(projectDir, MOD_TREE_CACHE_DIR));
  await symlink(join(outside, 'gocache'), join(projectDir, BUILD_CACHE_DIR));
  const before = (await readdir(outside, { recursive: true })).sort();

  const lines: string[] = [];
  const gomodcache = (await beginModTree({ projectDir, jobId: '1' }, work, (l) => lines.push(l)))?.gomodcache;
  const gocache = await beginBuildCache(projectDir, work, (l) => lines.push(l));
  assert.ok(gomodcache && !(await lstat(gomodcache)).isSymbolicLink(), 'GOMODCACHE is a real directory');
  assert.ok(!(await lstat(gocache)).isSymbolicLink(), 'GOCACHE is a real directory');
  assert.deepEqual(await readdir(gocache), [], 'nothing restored from the link');
  assert.ok(
    lines.some((l) => /module tree restore: none/.test(l)),
    lines.join('\n'),
  );
  assert.ok(!(await lstat(join(projectDir, MOD_TREE_CACHE_DIR)).catch(() => null)));
  assert.deepEqual((await readdir(outside, { recursive: true })).sort(), before, 'outside untouched');
});

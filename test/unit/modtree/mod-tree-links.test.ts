// A restored module tree is hostile input for our own code: symbolic links in it (an ancestor of
// a module directory, a directory under cache/download, a .ziphash) must never make the go.sum
// check, pruning, making writable, trimming or the files of a save reach outside GOMODCACHE.
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { GoSumIndex } from '../../../src/gomod/go-sum.ts';
import {
  checkTreeAgainstGoSum,
  listTree,
  moduleFiles,
  removeModCache,
  trimToTree,
} from '../../../src/modtree/mod-tree.ts';
import { makeTempDir } from '../../support/go-env.ts';

async function put(root: string, file: string, content = 'x'): Promise<void> {
  await mkdir(dirname(join(root, file)), { recursive: true });
  await writeFile(join(root, file), content);
}

const h1 = (c: string) => `h1:${c.repeat(43)}=`;

test('module tree restore: links in the restored tree are removed, never followed; outside files are untouched', async (t) => {
  const root = makeTempDir('modtree-links');
  t.after(async () => {
    await chmod(join(root, 'outside', 'private'), 0o700).catch(() => {});
    await rm(root, { recursive: true, force: true });
  });
  const gomodcache = join(root, 'gomodcache');
  const outside = join(root, 'outside');
  // Outside: a private directory, a module-looking directory, files named like what trimming removes.
  await put(outside, 'private/key', 'secret');
  await chmod(join(outside, 'private'), 0o700);
  await put(outside, 'x@v1.0.0/x.go', 'package x');
  await put(outside, 'junk.zip', 'zip');
  await put(outside, 'junk.lock', 'lock');
  await put(outside, 'v9.0.0.ziphash', h1('K'));
  await put(outside, 'sumdb/tile', 'tile');

  const dl = 'cache/download';
  // example.com/ok: a genuine module the go.sum records.
  await put(gomodcache, `${dl}/example.com/ok/@v/v1.0.0.ziphash`, h1('A'));
  await put(gomodcache, 'example.com/ok@v1.0.0/ok.go', 'package ok');
  // evil.example: the module directory's ancestor is a link outside; its .ziphash is unknown to go.sum.
  await put(gomodcache, `${dl}/evil.example/x/@v/v1.0.0.ziphash`, h1('E'));
  await symlink(outside, join(gomodcache, 'evil.example'));
  // A directory under cache/download that is a link outside (trimming walks there).
  await symlink(outside, join(gomodcache, dl, 'linked.example'));
  // A .ziphash that is a link to a file holding a hash go.sum records.
  await put(gomodcache, 'example.com/linked@v9.0.0/l.go', 'package l');
  await mkdir(join(gomodcache, dl, 'example.com/linked/@v'), { recursive: true });
  await symlink(
    join(outside, 'v9.0.0.ziphash'),
    join(gomodcache, dl, 'example.com/linked/@v/v9.0.0.ziphash'),
  );
  // A link inside a kept module's directory.
  await symlink(join(outside, 'private'), join(gomodcache, 'example.com/ok@v1.0.0/inside'));

  const goSumFile = join(root, 'go.sum');
  await writeFile(goSumFile, `example.com/ok v1.0.0 ${h1('A')}\nexample.com/linked v9.0.0 ${h1('K')}\n`);
  const sums = await GoSumIndex.load([goSumFile]);

  const { modules } = await listTree(gomodcache);
  const check = await checkTreeAgainstGoSum(gomodcache, modules, sums);
  assert.deepEqual(
    check.kept.map((m) => m.path),
    ['example.com/ok'],
  );
  assert.deepEqual(
    check.mismatched.map((m) => m.path),
    ['example.com/linked'],
    'a .ziphash that is a link vouches for nothing: the module is removed and downloaded again',
  );
  assert.ok(!(await lstat(join(gomodcache, 'example.com/linked@v9.0.0')).catch(() => null)));
  assert.deepEqual(await moduleFiles(gomodcache, check.kept), ['example.com/ok@v1.0.0/ok.go']);
  await trimToTree(gomodcache);
  await removeModCache(gomodcache);

  // Outside GOMODCACHE nothing was removed, and the private directory is still private.
  assert.deepEqual((await readdir(outside, { recursive: true })).sort(), [
    'junk.lock',
    'junk.zip',
    'private',
    'private/key',
    'sumdb',
    'sumdb/tile',
    'v9.0.0.ziphash',
    'x@v1.0.0',
    'x@v1.0.0/x.go',
  ]);
  assert.equal((await stat(join(outside, 'private'))).mode & 0o777, 0o700);
});

test('module tree restore: modules checked at once behind one linked ancestor are removed, the check does not fail', async (t) => {
  const root = makeTempDir('modtree-links-shared');
  t.after(() => rm(root, { recursive: true, force: true }));
  const gomodcache = join(root, 'gomodcache');
  const outside = join(root, 'outside');
  const dl = 'cache/download';
  const names = ['a', 'b', 'c', 'd'];
  // Four modules whose directories are reached through one link outside (the checks of all
  // four see the link at once, and each removes it), each .ziphash as go.sum records it.
  for (const name of names) {
    await put(outside, `${name}@v1.0.0/${name}.go`, `package ${name}`);
    await put(gomodcache, `${dl}/shared.example/${name}/@v/v1.0.0.ziphash`, h1('S'));
  }
  await symlink(outside, join(gomodcache, 'shared.example'));
  const goSumFile = join(root, 'go.sum');
  await writeFile(goSumFile, names.map((n) => `shared.example/${n} v1.0.0 ${h1('S')}\n`).join(''));
  const sums = await GoSumIndex.load([goSumFile]);

  const { modules } = await listTree(gomodcache);
  assert.equal(modules.length, 4);
  const check = await checkTreeAgainstGoSum(gomodcache, modules, sums);
  assert.ok(check.mismatched.length >= 1, 'the module whose check found the link is removed');
  assert.equal(check.kept.length + check.mismatched.length, 4);
  assert.ok(!(await lstat(join(gomodcache, 'shared.example')).catch(() => null)), 'the link is gone');
  // A module kept here has its .ziphash but no directory: the go command downloads it again.
  for (const mod of check.kept) assert.ok(!(await lstat(join(gomodcache, mod.dir)).catch(() => null)));
  assert.deepEqual((await readdir(outside)).sort(), ['a@v1.0.0', 'b@v1.0.0', 'c@v1.0.0', 'd@v1.0.0']);
});

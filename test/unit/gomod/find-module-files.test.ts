// Which go.sum files are the workspace's own: one rule (isSkippedDir) for serve's default
// --go-sum set, start, the GitHub Action, GitLab and prewarm's workspace source. It is the go
// command's: directories named testdata or starting with `.` or `_` are not part of the build.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { workspaceGoSumFiles } from '../../../src/github/mod-tree-step.ts';
import { findModuleFiles, isWorkspaceModuleFile } from '../../../src/gomod/find-module-files.ts';
import { sumFilesOfTree } from '../../../src/prewarm/gitlab-source.ts';
import { expandModuleFileGlobs } from '../../../src/prewarm/workspace-source.ts';
import { goEnv, makeTempDir, runGo } from '../../support/go-env.ts';

const ignoredByGo = ['_tools', '.hidden', 'testdata', 'a/testdata', 'a/_old'];
const other = ['vendor', 'node_modules', 'dist'];
const own = ['', 'a', 'a/b'];

test("go.sum files: those below directories the go command ignores (testdata, ., _) or vendor are not the workspace's", async (t) => {
  const root = makeTempDir('find-module-files');
  t.after(() => rm(root, { recursive: true, force: true }));
  // One module; a package in every directory, so the go command shows which it builds.
  await writeFile(join(root, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
  for (const dir of [...own, ...ignoredByGo]) {
    await mkdir(join(root, dir), { recursive: true });
    await writeFile(join(root, dir, 'p.go'), 'package p\n');
    await writeFile(join(root, dir, 'go.sum'), '');
  }
  for (const dir of other) {
    await mkdir(join(root, dir), { recursive: true });
    await writeFile(join(root, dir, 'go.sum'), '');
  }
  const listed = await runGo(['list', './...'], root, goEnv({ goproxy: 'off' }));
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(
    listed.stdout.trim().split('\n').sort(),
    own.map((d) => `example.com/ws${d ? `/${d}` : ''}`).sort(),
    'the go command builds only these directories',
  );

  const want = own.map((d) => join(root, d, 'go.sum')).sort();
  assert.deepEqual(await findModuleFiles(root, ['go.sum']), want, 'serve, start, GitLab, prewarm');
  const relative = [...own, ...ignoredByGo, ...other].map((d) => (d ? `${d}/go.sum` : 'go.sum'));
  assert.deepEqual(workspaceGoSumFiles(root, relative).sort(), want, "the GitHub Action's module tree");
  assert.deepEqual(
    relative.filter(isWorkspaceModuleFile).sort(),
    own.map((d) => (d ? `${d}/go.sum` : 'go.sum')).sort(),
  );
  assert.deepEqual(await expandModuleFileGlobs(root, ['**/go.sum']), want, 'prewarm --files');
  const tree = relative.map((path) => ({ path, type: 'blob', name: 'go.sum' }));
  assert.deepEqual(
    sumFilesOfTree(tree),
    own.map((d) => (d ? `${d}/go.sum` : 'go.sum')).sort(),
    'prewarm --gitlab-project',
  );
  assert.ok(isWorkspaceModuleFile('./a\\b\\go.sum'));
  assert.ok(!isWorkspaceModuleFile('a\\_x\\go.sum'));
});

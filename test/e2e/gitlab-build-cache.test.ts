// The goproxy component's build cache and module tree in in-job mode, run for real by
// gitlab-ci-local: GOCACHE and the extracted module tree (GOMODCACHE without zips) in the
// project directory, carried by the same GitLab cache entry as the module store; the build cache
// pruned after a successful job to what the job used plus what it added, the tree checked
// against go.sum when it is restored.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { escapePath } from '../../src/gomod/module-path.ts';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, fixtureRoles } from '../support/fixture-world.ts';
import {
  buildCliFromWorkingTree,
  type ComponentProject,
  createComponentProject,
} from '../support/gitlab-ci-local.ts';
import { makeTempDir } from '../support/go-env.ts';

// One runner home for every run. GOMODCACHE is the component's (the module tree): a fixed path
// next to the checkout, since the go command's action IDs include package directories.
const home = makeTempDir('gcl-job-home');

function pipeline(project: ComponentProject, sha: string, upstreamUrl: string, script: string[]): string {
  const variables: Record<string, string> = {
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    GOPATH: join(home, 'go'),
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GOWORK: 'off',
    CGO_ENABLED: '0',
  };
  return `include:
  - component: ${project.componentRef('goproxy', sha)}
    inputs:
      cli: node $CI_PROJECT_DIR/dist/cli.js
      upstream: ${upstreamUrl}
      audit-log: goproxy-audit.jsonl

build:
  extends: .goproxy
  artifacts:
    when: always
    paths: [goproxy-audit.jsonl]
  variables:
${Object.entries(variables)
  .map(([name, value]) => `    ${name}: ${JSON.stringify(value)}`)
  .join('\n')}
  script:
${script.map((line) => `    - ${line}`).join('\n')}
`;
}

/** The module zips the proxy served in the last run (its audit log, kept as an artifact). */
function zipsServed(project: ComponentProject): string[] {
  const file = join(project.dir, '.gitlab-ci-local', 'artifacts', 'build', 'goproxy-audit.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { module: string; version: string; kind: string; status: number })
    .filter((a) => a.kind === 'zip')
    .map((a) => `${a.module}@${a.version} ${a.status}`);
}

/** Files under a module tree directory, relative to it, with `/`. */
function treeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

function cachedBuildCacheEntries(project: ComponentProject): number {
  const root = join(project.dir, '.gitlab-ci-local', 'cache', 'goproxy-main', '.goproxy-gocache');
  if (!existsSync(root)) return 0;
  return readdirSync(root, { recursive: true }).filter((name) => /-[ad]$/.test(String(name))).length;
}

test('gitlab in-job mode: the build cache and the module tree are carried in the GitLab cache, reused (cached test results, no zip downloaded), pruned to what a job used, the tree checked against go.sum', {
  timeout: 900_000,
}, async (t) => {
  const world = await createFixtureWorld();
  const upstream = await startFixtureProxy({ dir: world.dir });
  const cliBundle = await buildCliFromWorkingTree();
  const project = await createComponentProject({ cliBundle });
  t.after(async () => {
    await upstream.close();
    await world.remove();
    await project.remove();
  });
  for (const file of ['go.mod', 'go.sum', 'main.go'])
    await project.writeFile(join('program', file), await readFile(join(world.program, file), 'utf8'));
  await project.writeFile(
    join('program', 'program_test.go'),
    'package main\n\nimport "testing"\n\nfunc TestProgram(t *testing.T) {}\n',
  );
  const sha = await project.commit('fixture program with a test');
  const buildAndTest = [
    'cd program',
    'go build ./...',
    'go test ./...',
    'rm -f fixtureprogram',
    // What the go command downloaded in this job (ci stop removes the zips before the save).
    'echo "zips-in-GOMODCACHE=$(find "$GOMODCACHE/cache/download" -name "*.zip" | wc -l)"',
  ];
  // The tree GitLab archives (the build directory after after_script): gitlab-ci-local merges
  // it into its cache directory, so only this one shows what a job removed.
  const archivedTree = join(project.dir, '.gitlab-ci-local', 'builds', 'build', '.goproxy-modtree');
  const cachedTree = join(project.dir, '.gitlab-ci-local', 'cache', 'goproxy-main', '.goproxy-modtree');
  const upper = fixtureRoles.upperCase;
  const upperZiphash = `cache/download/${escapePath(upper.path)}/@v/${upper.required}.ziphash`;

  // Run 1: cold: everything compiled, the build cache lands in the GitLab cache.
  await project.writePipeline(pipeline(project, sha, upstream.url, buildAndTest));
  // A cold build of the standard library took over the default 180 s at load 20 to 30.
  const cold = await project.run(['build'], { timeoutMs: 600_000 });
  assert.equal(cold.code, 0, cold.output);
  assert.match(cold.output, /goproxy: GOCACHE=\S+\/\.goproxy-action-\d+\/gocache/);
  assert.match(cold.output, /goproxy: build cache: 0 entries restored/);
  assert.match(cold.output, /goproxy: build cache: 0 restored entries used, [1-9]\d* added/);
  const coldEntries = cachedBuildCacheEntries(project);
  assert.ok(coldEntries > 100, `the GitLab cache holds the build cache (${coldEntries} entries)`);
  assert.match(cold.output, /goproxy: module tree restore: none/);
  assert.match(cold.output, /goproxy: GOMODCACHE=\S+\/\.goproxy-action-modtree-build\n/);
  assert.match(cold.output, /zips-in-GOMODCACHE=[1-9]/, 'a cold job downloads the zips');
  const saved = /goproxy: module tree: (\d+) modules saved; removed [1-9]\d* files/.exec(cold.output);
  assert.ok(saved, cold.output);
  const savedModules = Number(saved[1]);
  assert.ok(savedModules >= world.requires.length, saved[0]);
  const coldTree = treeFiles(archivedTree);
  assert.deepEqual(
    coldTree.filter((f) => /\.(zip|lock)$/.test(f) || f.startsWith('cache/download/sumdb/')),
    [],
    'the entry holds the extracted tree only',
  );
  for (const r of world.requires)
    assert.ok(
      coldTree.some((f) => f.startsWith(`${escapePath(r.path)}@${r.version}/`)),
      `${r.path}@${r.version} is extracted in the saved tree`,
    );
  assert.ok(coldTree.includes(upperZiphash));

  // Run 2: warm: the test result comes from the cache, nothing added.
  await project.writePipeline(pipeline(project, sha, upstream.url, buildAndTest));
  const warm = await project.run(['build'], { timeoutMs: 600_000 });
  assert.equal(warm.code, 0, warm.output);
  assert.match(warm.output, /ok\s+example\.com\/fixtureprogram\s+\(cached\)/);
  const warmUse = /goproxy: build cache: (\d+) restored entries used, (\d+) added \(([^)]*)\)/.exec(
    warm.output,
  );
  assert.ok(warmUse, warm.output);
  assert.ok(
    Number(warmUse[1]) > Number(warmUse[2]) * 100,
    `a warm job uses the restored cache (${warmUse[0]})`,
  );
  // The restored tree serves every module: the go command asks the proxy for no zip.
  assert.match(
    warm.output,
    new RegExp(
      `goproxy: module tree restore: ${savedModules} modules kept, 0 pruned \\(not in go\\.sum\\), 0 removed`,
    ),
  );
  assert.match(warm.output, /zips-in-GOMODCACHE=0\n/);
  assert.deepEqual(zipsServed(project), [], 'no zip requested from the proxy');
  assert.match(warm.output, /goproxy: store not pruned: the module tree served this job/);

  // Run 3: a job that only builds: what only the tests used is pruned before the save. The
  // directory GitLab archives is checked (gitlab-ci-local merges into its cache directory with
  // rsync, where GitLab replaces the entry, so its cache directory cannot show a shrink).
  await project.writePipeline(
    pipeline(project, sha, upstream.url, ['cd program', 'go build -o /dev/null .']),
  );
  const buildOnly = await project.run(['build'], { timeoutMs: 600_000 });
  assert.equal(buildOnly.code, 0, buildOnly.output);
  const restored = Number(/goproxy: build cache: (\d+) entries restored/.exec(buildOnly.output)?.[1]);
  const ended =
    /goproxy: build cache: (\d+) restored entries used, \d+ added \([^)]*\), (\d+) unused pruned \([^)]*\), (\d+) kept as partners/.exec(
      buildOnly.output,
    );
  assert.ok(ended, buildOnly.output);
  const [used, pruned, partners] = [Number(ended[1]), Number(ended[2]), Number(ended[3])];
  assert.ok(used > 0 && pruned > 0, "the build used some entries, the tests' ones were pruned");
  assert.equal(used + pruned + partners, restored);
  const archived = join(project.dir, '.gitlab-ci-local', 'builds', 'build', '.goproxy-gocache');
  const left = readdirSync(archived, { recursive: true }).filter((name) =>
    /-[ad]$/.test(String(name)),
  ).length;
  assert.equal(left, used + partners, 'what GitLab saves is what the job used (and action entries of it)');

  // Run 4: the cached tree holds a module whose .ziphash differs from go.sum, and one go.sum does
  // not name: the first is removed and fetched again through the proxy, the second pruned.
  await writeFile(join(cachedTree, upperZiphash), `h1:${'A'.repeat(43)}=`);
  await mkdir(join(cachedTree, 'example.com', 'stale@v1.0.0'), { recursive: true });
  await writeFile(join(cachedTree, 'example.com', 'stale@v1.0.0', 'stale.go'), 'package stale\n');
  await mkdir(join(cachedTree, 'cache/download/example.com/stale/@v'), { recursive: true });
  await writeFile(
    join(cachedTree, 'cache/download/example.com/stale/@v/v1.0.0.ziphash'),
    `h1:${'B'.repeat(43)}=`,
  );
  await project.writePipeline(pipeline(project, sha, upstream.url, buildAndTest));
  const tampered = await project.run(['build'], { timeoutMs: 600_000 });
  assert.equal(tampered.code, 0, tampered.output);
  assert.match(
    tampered.output,
    new RegExp(
      `goproxy: module tree restore: ${savedModules - 1} modules kept, 1 pruned \\(not in go\\.sum\\), 1 removed`,
    ),
  );
  assert.match(
    tampered.output,
    new RegExp(`goproxy: module tree removed: ${upper.path}@${upper.required}\n`),
  );
  assert.deepEqual(zipsServed(project), [`${upper.path}@${upper.required} 200`]);
  assert.match(tampered.output, /zips-in-GOMODCACHE=1\n/);
  const recorded = world.goSum
    .split('\n')
    .find((line) => line.startsWith(`${upper.path} ${upper.required} `))
    ?.split(' ')[2];
  assert.ok(recorded);
  assert.equal(readFileSync(join(archivedTree, upperZiphash), 'utf8').trim(), recorded);
  const afterTamper = treeFiles(archivedTree);
  assert.ok(afterTamper.some((f) => f.startsWith(`${escapePath(upper.path)}@${upper.required}/`)));
  assert.deepEqual(
    afterTamper.filter((f) => f.includes('stale')),
    [],
    'the module go.sum does not name is not saved again',
  );
});

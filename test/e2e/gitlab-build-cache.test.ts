// The goproxy component's build cache in in-job mode, run for real by gitlab-ci-local: GOCACHE
// in the project directory, carried by the same GitLab cache entry as the module store, pruned
// after a successful job to what the job used plus what it added.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld } from '../support/fixture-world.ts';
import {
  buildCliFromWorkingTree,
  type ComponentProject,
  createComponentProject,
} from '../support/gitlab-ci-local.ts';
import { makeTempDir } from '../support/go-env.ts';

// One runner home for every run: the go command's action IDs include package directories, so
// the module cache must be at the same path each time (as ~/go/pkg/mod is on a real runner).
const home = makeTempDir('gcl-job-home');

function pipeline(project: ComponentProject, sha: string, upstreamUrl: string, script: string[]): string {
  const variables: Record<string, string> = {
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    GOMODCACHE: join(home, 'gomodcache'),
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

build:
  extends: .goproxy
  variables:
${Object.entries(variables)
  .map(([name, value]) => `    ${name}: ${JSON.stringify(value)}`)
  .join('\n')}
  script:
${script.map((line) => `    - ${line}`).join('\n')}
`;
}

function cachedBuildCacheEntries(project: ComponentProject): number {
  const root = join(project.dir, '.gitlab-ci-local', 'cache', 'goproxy-main', '.goproxy-gocache');
  if (!existsSync(root)) return 0;
  return readdirSync(root, { recursive: true }).filter((name) => /-[ad]$/.test(String(name))).length;
}

test('gitlab in-job mode: the build cache is carried in the GitLab cache, reused (cached test results), and pruned to what a job used', {
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
  const buildAndTest = ['cd program', 'go build ./...', 'go test ./...', 'rm -f fixtureprogram'];

  // Run 1: cold: everything compiled, the build cache lands in the GitLab cache.
  await project.writePipeline(pipeline(project, sha, upstream.url, buildAndTest));
  const cold = await project.run(['build']);
  assert.equal(cold.code, 0, cold.output);
  assert.match(cold.output, /goproxy: GOCACHE=\S+\/\.goproxy-action-\d+\/gocache/);
  assert.match(cold.output, /goproxy: build cache: 0 entries restored/);
  assert.match(cold.output, /goproxy: build cache: 0 restored entries used, [1-9]\d* added/);
  const coldEntries = cachedBuildCacheEntries(project);
  assert.ok(coldEntries > 100, `the GitLab cache holds the build cache (${coldEntries} entries)`);

  // Run 2: warm: the test result comes from the cache, nothing added.
  await project.writePipeline(pipeline(project, sha, upstream.url, buildAndTest));
  const warm = await project.run(['build']);
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

  // Run 3: a job that only builds: what only the tests used is pruned before the save. The
  // directory GitLab archives is checked (gitlab-ci-local merges into its cache directory with
  // rsync, where GitLab replaces the entry, so its cache directory cannot show a shrink).
  await project.writePipeline(
    pipeline(project, sha, upstream.url, ['cd program', 'go build -o /dev/null .']),
  );
  const buildOnly = await project.run(['build']);
  assert.equal(buildOnly.code, 0, buildOnly.output);
  const restored = Number(/goproxy: build cache: (\d+) entries restored/.exec(buildOnly.output)?.[1]);
  const ended =
    /goproxy: build cache: (\d+) restored entries used, \d+ added \([^)]*\), (\d+) unused pruned/.exec(
      buildOnly.output,
    );
  assert.ok(ended, buildOnly.output);
  const [used, pruned] = [Number(ended[1]), Number(ended[2])];
  assert.ok(used > 0 && pruned > 0, "the build used some entries, the tests' ones were pruned");
  assert.equal(used + pruned, restored);
  const archived = join(project.dir, '.gitlab-ci-local', 'builds', 'build', '.goproxy-gocache');
  const left = readdirSync(archived, { recursive: true }).filter((name) =>
    /-[ad]$/.test(String(name)),
  ).length;
  assert.equal(left, used, 'what GitLab saves is what the job used');
});

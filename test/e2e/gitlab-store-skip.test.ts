// The goproxy component's in-job mode skips the store when the module tree restores exactly (as
// the GitHub Action does: test/e2e/github-store-skip.test.ts), run for real by gitlab-ci-local
// with the real go command: the tree marked for these go.sum files holds every module, so the
// job's proxy starts on an empty store, the restored store is dropped and none is saved (the
// next exact job restores none); a new dependency makes the tree partial, and that job fetches
// only the new module and saves it; `go mod download` on a skipped store marks the tree, and
// later exact jobs keep the store.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { escapePath } from '../../src/gomod/module-path.ts';
import { TREE_MARKER } from '../../src/modtree/mod-tree.ts';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld } from '../support/fixture-world.ts';
import {
  buildCliFromWorkingTree,
  type ComponentProject,
  createComponentProject,
} from '../support/gitlab-ci-local.ts';
import { makeTempDir, sharedGoCache } from '../support/go-env.ts';

const home = makeTempDir('gcl-store-skip-home');

function pipeline(project: ComponentProject, sha: string, upstreamUrl: string, script: string[]): string {
  const variables: Record<string, string> = {
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    GOCACHE: sharedGoCache,
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
      # The store and the module tree only (a cold build of the standard library is slow).
      build-cache: false

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
${script.map((line) => `    - ${JSON.stringify(line)}`).join('\n')}
`;
}

/** The zips the proxy served in the last run, with where from (its audit log, an artifact). */
function zipsServed(project: ComponentProject): string[] {
  const file = join(project.dir, '.gitlab-ci-local', 'artifacts', 'build', 'goproxy-audit.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { module: string; version: string; kind: string; source: string })
    .filter((a) => a.kind === 'zip')
    .map((a) => `${a.module}@${a.version} ${a.source}`)
    .sort();
}

/** Files under a directory, relative to it, with `/` (none when it does not exist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

test('gitlab in-job mode: an exact module tree skips the store (none used, none saved), a new dependency still works and saves, go mod download keeps the store for later jobs', {
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
  const copyProgram = async () => {
    for (const file of ['go.mod', 'go.sum', 'main.go'])
      await project.writeFile(join('program', file), await readFile(join(world.program, file), 'utf8'));
  };
  await copyProgram();
  let sha = await project.commit('fixture program');
  const build = ['cd program', 'go build -o /dev/null .'];
  // What the job's after_script left for GitLab to archive (gitlab-ci-local then merges it into
  // its cache directory with rsync, where GitLab replaces the entry: only this shows a removal).
  const archived = (path: string) => join(project.dir, '.gitlab-ci-local', 'builds', 'build', path);
  const cachedStore = join(project.dir, '.gitlab-ci-local', 'cache', 'goproxy-main', '.goproxy-cache');
  const run = async (script: string[]) => {
    upstream.resetLog();
    await project.writePipeline(pipeline(project, sha, upstream.url, script));
    const result = await project.run(['build'], { timeoutMs: 600_000 });
    assert.equal(result.code, 0, result.output);
    return result.output;
  };
  const upstreamZips = () =>
    upstream.requests
      .filter((r) => r.path.endsWith('.zip') && r.status === 200)
      .map((r) => r.path)
      .sort();

  // Run 1: cold: nothing restored, the store and the tree are saved, the tree marked.
  const cold = await run(build);
  assert.match(cold, /goproxy: module tree restore: none/);
  assert.doesNotMatch(cold, /goproxy: store: not used/);
  assert.ok(upstreamZips().length >= world.requires.length, 'every zip came from upstream');
  const coldStore = filesUnder(archived('.goproxy-cache'));
  assert.ok(
    coldStore.filter((f) => f.endsWith('.zip')).length >= world.requires.length,
    coldStore.join(', '),
  );
  const marker = JSON.parse(readFileSync(archived(join('.goproxy-modtree', TREE_MARKER)), 'utf8')) as {
    key?: string;
  };
  assert.match(marker.key ?? '', /^[0-9a-f]{64}$/, 'the tree is marked with the go.sum digest');

  // Run 2: warm, same go.sum: the tree is exact; the store GitLab restored is dropped, the proxy
  // starts on an empty store, is asked for no zip, and the job saves no store.
  const warm = await run(build);
  assert.match(
    warm,
    /goproxy: store: not used \(the module tree restored exactly for these go\.sum files\); the restored store is dropped from the cache: the proxy starts on an empty store/,
  );
  assert.match(
    warm,
    /goproxy: store: not saved \(not used: the module tree restored exactly, and the proxy stored nothing\)/,
  );
  assert.deepEqual(zipsServed(project), [], 'the tree served every module');
  assert.deepEqual(
    upstream.requests.map((r) => r.path),
    [],
    'nothing asked upstream',
  );
  assert.equal(existsSync(archived('.goproxy-cache')), false, 'the entry GitLab saves holds no store');
  assert.ok(existsSync(archived(join('.goproxy-modtree', TREE_MARKER))), 'the tree is saved, still marked');

  // Run 3: as GitLab would restore the entry run 2 saved (no store): nothing to drop.
  await rm(cachedStore, { recursive: true, force: true });
  const warmAgain = await run(build);
  assert.match(
    warmAgain,
    /goproxy: store: not used \(the module tree restored exactly for these go\.sum files\): the proxy starts on an empty store/,
  );
  assert.doesNotMatch(warmAgain, /restored store is dropped/);
  assert.equal(existsSync(archived('.goproxy-cache')), false);

  // Run 4: a new dependency: go.sum changed, the tree is partial, the store is used (none is in
  // the cache now); only the new module comes from upstream, and the store saved holds it.
  const added = await world.addDependency();
  await copyProgram();
  sha = await project.commit('add a dependency');
  const changed = await run(build);
  assert.doesNotMatch(changed, /goproxy: store: not used/);
  assert.deepEqual(zipsServed(project), [`${added.path}@${added.version} upstream`]);
  assert.deepEqual(upstreamZips(), [`/${escapePath(added.path)}/@v/${added.version}.zip`]);
  assert.ok(
    filesUnder(archived('.goproxy-cache')).includes(`${escapePath(added.path)}/@v/${added.version}.zip`),
    'the store saved holds the new module',
  );
  const changedTree = filesUnder(archived('.goproxy-modtree'));
  assert.ok(changedTree.some((f) => f.startsWith(`${escapePath(added.path)}@${added.version}/`)));

  // Run 5: exact again, and the job runs go mod download (every zip, which the tree does not
  // hold): fetched through the proxy, saved as the store, and the tree marked storeWanted.
  const download = await run([...build, 'go mod download']);
  assert.match(download, /goproxy: store: not used \(the module tree restored exactly/);
  assert.match(
    download,
    /goproxy: store: saved with the \d+ files the proxy stored \(zips of modules the tree holds: later jobs keep the store\)/,
  );
  assert.ok(
    filesUnder(archived('.goproxy-cache')).filter((f) => f.endsWith('.zip')).length >= world.requires.length,
  );
  const wanted = JSON.parse(readFileSync(archived(join('.goproxy-modtree', TREE_MARKER)), 'utf8')) as {
    storeWanted?: boolean;
  };
  assert.equal(wanted.storeWanted, true);

  // Run 6: the tree is exact but marked: the store is used, and go mod download needs no upstream.
  const kept = await run([...build, 'go mod download']);
  assert.doesNotMatch(kept, /goproxy: store: not used/);
  assert.deepEqual(
    upstream.requests.filter((r) => r.path.endsWith('.zip')),
    [],
    'every zip from the store',
  );
  assert.ok(zipsServed(project).length >= world.requires.length);
  assert.deepEqual(
    zipsServed(project).filter((z) => !z.endsWith(' store')),
    [],
    'the store served every zip',
  );
});

// The goproxy component in in-job mode, run for real by gitlab-ci-local (shell executor,
// --shell-isolation): a pipeline in a copy of this project includes the component at the
// current commit, and its Go job builds the fixture program through the in-job proxy, whose
// upstream is a fixture proxy. GitLab's cache carries the store between pipeline runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { escapePath } from '../../src/gomod/module-path.ts';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld } from '../support/fixture-world.ts';
import {
  buildCliFromWorkingTree,
  type ComponentProject,
  createComponentProject,
  jobEnvFromPreview,
} from '../support/gitlab-ci-local.ts';
import { makeTempDir, sharedGoCache } from '../support/go-env.ts';

const execFileAsync = promisify(execFile);

/** Every go process in the job gets this environment, never the machine's settings. */
function goVariables(): Record<string, string> {
  const home = makeTempDir('gcl-job-home');
  return {
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    // A fresh module cache per run: what the go command gets must come through the proxy.
    GOMODCACHE: makeTempDir('gcl-gomodcache'),
    GOCACHE: sharedGoCache,
    GOPATH: join(home, 'go'),
    GOTOOLCHAIN: 'local',
    // Nothing but the proxy the component starts (its before_script replaces this).
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GOINSECURE: '',
    GOWORK: 'off',
    CGO_ENABLED: '0',
  };
}

const buildScript = ['cd program', 'go build -o /dev/null .', 'go list -m all'];

function pipeline(project: ComponentProject, sha: string, upstreamUrl: string, script = buildScript): string {
  const variables = Object.entries(goVariables())
    .map(([name, value]) => `    ${name}: ${JSON.stringify(value)}`)
    .join('\n');
  return `include:
  - component: ${project.componentRef('goproxy', sha)}
    inputs:
      cli: node $CI_PROJECT_DIR/dist/cli.js
      upstream: ${upstreamUrl}
      audit-log: goproxy-audit.jsonl
      # The store alone: with the module tree a warm job asks the proxy for nothing.
      module-tree: false

build:
  extends: .goproxy
  variables:
${variables}
  artifacts:
    when: always
    paths: [goproxy-audit.jsonl]
  script:
${script.map((line) => `    - ${line}`).join('\n')}
`;
}

async function copyProgram(project: ComponentProject, programDir: string): Promise<void> {
  for (const file of ['go.mod', 'go.sum', 'main.go'])
    await project.writeFile(join('program', file), await readFile(join(programDir, file), 'utf8'));
}

/** Whether a process runs (a zombie, left when no init reaps orphans, has exited). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

type AuditLine = {
  module: string | null;
  version: string | null;
  kind: string;
  source: string;
  status: number;
};

/** The audit log the job kept as an artifact (gitlab-ci-local's artifact directory). */
async function auditArtifact(project: ComponentProject): Promise<AuditLine[]> {
  const text = await readFile(
    join(project.dir, '.gitlab-ci-local', 'artifacts', 'build', 'goproxy-audit.jsonl'),
    'utf8',
  );
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditLine);
}

/** The files under the GitLab cache entry gitlab-ci-local saved for the branch. */
function cachedStoreFiles(project: ComponentProject): string[] {
  const root = join(project.dir, '.gitlab-ci-local', 'cache', 'goproxy-main', '.goproxy-cache');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

test('gitlab in-job mode: cold run fills the cache, a warm run fetches nothing upstream, a new dependency fetches only itself, a failed job keeps the whole store', {
  timeout: 600_000,
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

  await copyProgram(project, world.program);
  let sha = await project.commit('fixture program');

  // Run 1: nothing cached yet. The job also keeps its GOPROXY (outside the log) and asks the
  // proxy for a module list without the client path.
  const listed = escapePath(world.requires[0]!.path);
  const seenFile = join(makeTempDir('gcl-goproxy-seen'), 'goproxy');
  await project.writePipeline(
    pipeline(project, sha, upstream.url, [
      ...buildScript,
      ...[
        `printf '%s' "$GOPROXY" >'${seenFile}'`,
        `curl -s -o /dev/null -w 'without the client path: %{http_code}\\n' "\${GOPROXY%/*}/${listed}/@v/list"`,
        `curl -s -o /dev/null -w 'with it: %{http_code}\\n' "$GOPROXY/${listed}/@v/list"`,
      ].map((line) => JSON.stringify(line)),
    ]),
  );
  const cold = await project.run(['build']);
  assert.equal(cold.code, 0, cold.output);
  assert.match(cold.output, /goproxy: GOPROXY=http:\/\/127\.0\.0\.1:\d+\/<client token> /);
  // The go command reached the proxy through a GOPROXY with the client token, which no log
  // line shows; without it the proxy refuses.
  const seen = await readFile(seenFile, 'utf8');
  const clientToken = /^http:\/\/127\.0\.0\.1:\d+\/([A-Za-z0-9_-]{32})$/.exec(seen)?.[1];
  assert.ok(clientToken, `GOPROXY carries a client token: ${seen.replace(/[A-Za-z0-9_-]{32}$/, '<token>')}`);
  assert.equal(cold.output.includes(clientToken), false, 'the job log never shows the client token');
  assert.match(cold.output, /without the client path: 403\n/);
  assert.match(cold.output, /with it: 200\n/);
  assert.match(cold.output, /upstream: \d+ fetches/, 'after_script printed the statistics');
  assert.match(cold.output, /pruned: removed \d+ files/, 'a successful job prunes before the cache is saved');
  const coldZips = upstream.requests.filter((r) => r.path.endsWith('.zip') && r.status === 200);
  assert.ok(
    coldZips.length >= world.requires.length,
    `every required module's zip came from upstream (${coldZips.length})`,
  );
  const coldAudit = await auditArtifact(project);
  for (const { path } of world.requires)
    assert.ok(
      coldAudit.some(
        (a) => a.module === path && a.kind === 'zip' && a.source === 'upstream' && a.status === 200,
      ),
      `the audit log shows ${path}'s zip coming from upstream`,
    );
  const stored = cachedStoreFiles(project);
  assert.ok(
    stored.filter((f) => f.endsWith('.zip')).length >= world.requires.length,
    `the cache holds the zips: ${stored.join(', ')}`,
  );
  // The proxy is stopped and its work directory removed by after_script.
  const buildsDir = join(project.dir, '.gitlab-ci-local', 'builds');
  assert.deepEqual(
    readdirSync(buildsDir).filter((d) => d.startsWith('.goproxy-action-')),
    [],
  );

  // Run 2: same commit, fresh module cache: everything comes from the restored GitLab cache.
  upstream.resetLog();
  await project.writePipeline(pipeline(project, sha, upstream.url));
  const warm = await project.run(['build']);
  assert.equal(warm.code, 0, warm.output);
  assert.match(warm.output, /imported cache 'goproxy-main'/);
  assert.deepEqual(
    upstream.requests.map((r) => r.path),
    [],
    'a warm run makes no upstream request',
  );
  assert.match(warm.output, /upstream: 0 fetches/);
  const warmAudit = await auditArtifact(project);
  assert.ok(warmAudit.length >= world.requires.length);
  assert.deepEqual(
    warmAudit
      .filter((a) => a.source !== 'store')
      .map((a) => `${a.module}@${a.version} ${a.kind} ${a.source}`),
    [],
    'the warm run served everything from the store',
  );

  // Run 3: one new dependency: only that module is fetched upstream.
  const added = await world.addDependency();
  await copyProgram(project, world.program);
  sha = await project.commit('add a dependency');
  upstream.resetLog();
  await project.writePipeline(pipeline(project, sha, upstream.url));
  const changed = await project.run(['build']);
  assert.equal(changed.code, 0, changed.output);
  assert.ok(upstream.requests.length > 0, 'the new module came from upstream');
  assert.deepEqual(
    upstream.requests.filter((r) => !r.path.startsWith(`/${added.path}/`)).map((r) => r.path),
    [],
    `only ${added.path} is fetched`,
  );
  const storedAfterChange = cachedStoreFiles(project);
  assert.ok(storedAfterChange.some((f) => f.startsWith(`${added.path}/@v/${added.version}.zip`)));

  // Run 4: a job that uses one module and then fails. A successful job would prune the store
  // to that module; a failed one keeps it whole (it may have stopped early), still saves it
  // (cache when: always), stops the proxy and shows the end of its log.
  upstream.resetLog();
  await project.writePipeline(
    pipeline(project, sha, upstream.url, [
      'cd program',
      `go mod download ${world.roles.majorV1.path}`,
      'exit 3',
    ]),
  );
  const failed = await project.run(['build']);
  assert.notEqual(failed.code, 0);
  assert.match(failed.output, /goproxy: the job did not succeed; the end of the proxy's log:/);
  assert.doesNotMatch(failed.output, /pruned:/);
  assert.match(failed.output, /cache created in '\.gitlab-ci-local\/cache\/goproxy-main'/);
  assert.deepEqual(cachedStoreFiles(project).sort(), storedAfterChange.sort());
  const pid = Number(/running as pid (\d+)/.exec(failed.output)?.[1]);
  assert.ok(pid > 0);
  assert.equal(isRunning(pid), false, 'the proxy process is gone after the job');
});

test('gitlab in-job mode: a job image without Node fails in before_script with a message that says what to do', {
  timeout: 120_000,
}, async (t) => {
  const project = await createComponentProject();
  t.after(() => project.remove());
  const sha = await project.commit('component');
  // A PATH with a shell and nothing else, as in a Go image without Node.
  const bin = join(makeTempDir('no-node-bin'), 'bin');
  await mkdir(bin);
  await symlink('/bin/bash', join(bin, 'bash'));
  await project.writePipeline(`include:
  - component: ${project.componentRef('goproxy', sha)}
build:
  extends: .goproxy
  variables:
    PATH: ${bin}
  script:
    - echo unreachable
`);
  const run = await project.run(['build']);
  assert.notEqual(run.code, 0);
  assert.match(
    run.output,
    /the job image has no Node\.js, which the goproxy-action CLI runs on; use an image with Node\.js 22 or later, or set the component's 'cli' input/,
  );
  assert.doesNotMatch(run.output, /unreachable\n/);
  // The component was included by a commit SHA: the log says which CLI release runs.
  assert.match(
    run.output,
    /was not included by a release version \('[0-9a-f]{40}'\), so the latest released goproxy-action CLI runs/,
  );
});

test('gitlab in-job mode: the CLI is the npm package at the component version; any other reference runs the latest release and says so', {
  timeout: 120_000,
}, async (t) => {
  const project = await createComponentProject();
  t.after(() => project.remove());
  const sha = await project.commit('component');
  await project.writePipeline(`include:
  - component: ${project.componentRef('goproxy', sha)}
build:
  extends: .goproxy
  script: [go version]
`);
  const job = (await project.preview()).build!;
  const variables = job.variables as Record<string, string>;
  assert.equal(variables.GOPROXY_ACTION_CLI, '');
  assert.equal(
    variables.GOPROXY_ACTION_VERSION,
    sha,
    'gitlab-ci-local gives a local component the commit as its version',
  );
  const beforeScript = (job.before_script as string[]).join('\n');
  // Node and the few tools the script uses, but no npx: the start fails right where the CLI
  // would be fetched, after the log has said which one.
  const bin = join(makeTempDir('pin-bin'), 'bin');
  await mkdir(bin);
  for (const tool of ['node', 'bash', 'rm', 'mkdir', 'mv', 'cat'])
    await symlink(tool === 'node' ? process.execPath : `/bin/${tool}`, join(bin, tool));
  const projectDir = join(makeTempDir('pin-builds'), 'acme', 'app');
  await mkdir(projectDir, { recursive: true });
  const runWith = async (version: string): Promise<string> => {
    const env = {
      PATH: bin,
      CI_PROJECT_DIR: projectDir,
      CI_JOB_ID: '5',
      ...jobEnvFromPreview(variables),
      GOPROXY_ACTION_VERSION: version,
    };
    const result = await execFileAsync('bash', ['-c', beforeScript], { cwd: projectDir, env }).then(
      () => assert.fail('no npx here: the start cannot succeed'),
      (err: { code: number; stdout: string; stderr: string }) => `${err.stdout}${err.stderr}`,
    );
    return result;
  };
  for (const version of ['1.4.2', 'v1.4.2']) {
    const output = await runWith(version);
    assert.match(output, /goproxy: goproxy-action CLI: npx --yes goproxy-action@1\.4\.2\n/);
    assert.doesNotMatch(output, /latest/);
  }
  for (const version of ['', sha, 'main', '$[[ component.version ]]']) {
    const output = await runWith(version);
    assert.match(
      output,
      /not included by a release version .*, so the latest released goproxy-action CLI runs/,
    );
    assert.match(output, /goproxy: goproxy-action CLI: npx --yes goproxy-action@latest\n/);
  }
});

test('gitlab in-job mode: the documented !reference form gives a job with its own before_script, after_script and cache the proxy too', {
  timeout: 120_000,
}, async (t) => {
  const project = await createComponentProject();
  t.after(() => project.remove());
  const sha = await project.commit('component');
  await project.writePipeline(`include:
  - component: ${project.componentRef('goproxy', sha)}
build:
  before_script:
    - !reference [.goproxy, before_script]
    - echo own setup
  script: [go build ./...]
  after_script:
    - echo own cleanup
    - !reference [.goproxy, after_script]
  variables: !reference [.goproxy, variables]
  cache:
    - !reference [.goproxy, cache]
    - key: own
      paths: [own/]
`);
  const job = (await project.preview()).build!;
  const before = job.before_script as string[];
  assert.equal(before.length, 2);
  assert.match(before[0]!, /^# goproxy: start the module proxy for this job \(in-job mode\)/);
  assert.equal(before[1], 'echo own setup');
  const after = job.after_script as string[];
  assert.equal(after[0], 'echo own cleanup');
  assert.match(after[1]!, /^# goproxy: stop the proxy/);
  const caches = job.cache as { key: string; paths: string[] }[];
  assert.deepEqual(
    caches.map((c) => [c.key, c.paths]),
    [
      ['goproxy-$CI_COMMIT_REF_SLUG', ['.goproxy-cache/', '.goproxy-gocache/', '.goproxy-modtree/']],
      ['own', ['own/']],
    ],
  );
  assert.equal((job.variables as Record<string, string>).GOPROXY_ACTION_VERSION, sha);
});

test('gitlab in-job mode: the policy-file input makes the proxy refuse a denied module, and the job log says why', {
  timeout: 300_000,
}, async (t) => {
  const world = await createFixtureWorld();
  const upstream = await startFixtureProxy({ dir: world.dir });
  const project = await createComponentProject({ cliBundle: await buildCliFromWorkingTree() });
  t.after(async () => {
    await upstream.close();
    await world.remove();
    await project.remove();
  });
  const denied = world.roles.noGoMod.path;
  await copyProgram(project, world.program);
  await project.writeFile(
    'ci/policy.yml',
    `private:\n  - example.com/private\ndeny:\n  - module: ${denied}\n    reason: "unmaintained, use the fork"\n`,
  );
  const sha = await project.commit('fixture program and policy');
  await project.writePipeline(
    pipeline(project, sha, upstream.url).replace(
      '      audit-log: goproxy-audit.jsonl',
      '      audit-log: goproxy-audit.jsonl\n      policy-file: ci/policy.yml',
    ),
  );
  const run = await project.run(['build']);
  assert.notEqual(run.code, 0, run.output);
  // The policy's private modules are kept from the checksum database and routed to the proxy.
  assert.match(
    run.output,
    /goproxy: GOPROXY=http:\/\/127\.0\.0\.1:\d+\/<client token> GONOPROXY=none GOPRIVATE=example\.com\/private GONOSUMDB=example\.com\/private\n/,
  );
  // The go command prints the proxy's plain-text answer: the rule, the reason, the file.
  assert.match(
    run.output,
    new RegExp(`${denied.replaceAll('.', '\\.')}.*\\n(.*\\n){0,6}.*unmaintained, use the fork`),
  );
  assert.match(run.output, /denied by policy: [1-9]/, 'the statistics count the denial');
  assert.deepEqual(
    upstream.requests
      .filter((r) => r.path.startsWith(`/${denied}/`) && r.path.endsWith('.zip'))
      .map((r) => r.path),
    [],
    'the denied zip is never fetched upstream',
  );
  const audit = await auditArtifact(project);
  assert.ok(audit.some((a) => a.module === denied && a.status === 403));
});

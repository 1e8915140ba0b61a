// The goproxy-remote component: under gitlab-ci-local, its settings job probes a fixture
// proxy standing in for the remote one and publishes a dotenv report, and later jobs build the
// fixture program through the remote, with the report alone or by extending .goproxy. The
// credential handling (https only, a netrc file carrying the job's own entries over, nothing
// secret printed or reported) runs the rendered scripts directly, with the CLI from src/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld } from '../support/fixture-world.ts';
import {
  buildCliFromWorkingTree,
  createComponentProject,
  jobEnvFromPreview,
  projectRoot,
} from '../support/gitlab-ci-local.ts';
import { makeTempDir, sharedGoCache } from '../support/go-env.ts';

const execFileAsync = promisify(execFile);

/** The CLI from this working tree, as the `cli` input names it. */
const cliFromSource = `${process.execPath} ${join(projectRoot, 'src', 'cli.ts')}`;

/** What the rendered scripts need besides the component's variables: go settings kept explicit. */
function scriptEnv(home: string, projectDir: string, jobId: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    CI_PROJECT_DIR: projectDir,
    CI_JOB_ID: jobId,
  };
}

function goVariables(): Record<string, string> {
  const home = makeTempDir('remote-job-home');
  return {
    HOME: home,
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    GOMODCACHE: makeTempDir('remote-gomodcache'),
    GOCACHE: sharedGoCache,
    GOPATH: join(home, 'go'),
    GOTOOLCHAIN: 'local',
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

function yamlVariables(indent: string): string {
  return Object.entries(goVariables())
    .map(([name, value]) => `${indent}${name}: ${JSON.stringify(value)}`)
    .join('\n');
}

test('gitlab remote mode: the settings job publishes a dotenv report; jobs build through the remote with it or with .goproxy', {
  timeout: 300_000,
}, async (t) => {
  const world = await createFixtureWorld();
  const remote = await startFixtureProxy({ dir: world.dir });
  const project = await createComponentProject({ cliBundle: await buildCliFromWorkingTree() });
  t.after(async () => {
    await remote.close();
    await world.remove();
    await project.remove();
  });
  for (const file of ['go.mod', 'go.sum', 'main.go'])
    await project.writeFile(join('program', file), await readFile(join(world.program, file), 'utf8'));
  const sha = await project.commit('fixture program');
  await project.writePipeline(`include:
  - component: ${project.componentRef('goproxy-remote', sha)}
    inputs:
      url: ${remote.url}
      username: ''
      password: ''
      private: example.com/private,*.corp.example.com
      settings-job: remote-settings
      cli: node $CI_PROJECT_DIR/dist/cli.js

stages: [build, test]

# The settings job names an image (a container on GitLab) and runs in the shell here, where
# gitlab-ci-local would still give it the container's CI_PROJECT_DIR (/builds/...).
remote-settings:
  variables:
    CI_PROJECT_DIR: ${project.dir}/.gitlab-ci-local/builds/remote-settings

with-report:
  stage: build
  variables:
${yamlVariables('    ')}
  script:
    - echo "GOPROXY=$GOPROXY GONOPROXY=$GONOPROXY GONOSUMDB=$GONOSUMDB"
    - cd program && go build -o /dev/null .

with-extends:
  stage: test
  extends: .goproxy
  variables:
${yamlVariables('    ')}
  script:
    - cd program && go build -o /dev/null .
`);
  // The settings job names an image (it runs in a container on GitLab); here, in the shell.
  const run = await project.run(['--force-shell-executor', '--ignore-predefined-vars', 'CI_PROJECT_DIR']);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /remote-settings.*answers like a module proxy \(HTTP 404/);
  const report = await readFile(
    join(
      project.dir,
      '.gitlab-ci-local',
      'artifacts',
      'remote-settings',
      '.gitlab-ci-reports',
      'dotenv',
      'goproxy.env',
    ),
    'utf8',
  ).catch(async () => readFile(join(project.dir, 'goproxy.env'), 'utf8'));
  assert.equal(
    report,
    `GOPROXY=${remote.url},off\nGONOPROXY=example.com/private,*.corp.example.com\nGOPRIVATE=example.com/private,*.corp.example.com\nGONOSUMDB=example.com/private,*.corp.example.com\n`,
  );
  // The job that only has the report got the remote's settings from it.
  assert.match(
    run.output,
    new RegExp(`with-report.*GOPROXY=${remote.url},off GONOPROXY=example.com/private,\\*.corp.example.com`),
  );
  const zips = remote.requests.filter((r) => r.path.endsWith('.zip'));
  // Both build jobs fetched every module from the remote (each with a fresh module cache).
  assert.equal(zips.length, 2 * world.requires.length, remote.requests.map((r) => r.path).join('\n'));
});

test("gitlab remote mode: credentials go to a 0600 netrc with the job's other entries, over https only, never printed or reported", {
  timeout: 120_000,
}, async (t) => {
  const project = await createComponentProject();
  t.after(() => project.remove());
  const sha = await project.commit('component');
  await project.writePipeline(`include:
  - component: ${project.componentRef('goproxy-remote', sha)}
    inputs:
      url: https://proxy.example.com/go/
      fallback: direct
build:
  extends: .goproxy
  script: [go build ./...]
`);
  const rendered = await project.preview();
  const setup = (rendered.build!.before_script as string[]).join('\n');
  const variables = rendered.build!.variables as Record<string, string>;
  // A secret written into the pipeline itself is refused: the input takes a variable reference.
  await project.writePipeline(`include:
  - component: ${project.componentRef('goproxy-remote', sha)}
    inputs:
      url: https://proxy.example.com/go/
      password: hunter2
`);
  await assert.rejects(project.preview(), /password.*does not match required regex/);
  assert.equal(variables.GOPROXY_ACTION_REMOTE_USERNAME, '$GOPROXY_REMOTE_USERNAME');
  assert.equal(variables.GOPROXY_ACTION_REMOTE_PASSWORD, '$GOPROXY_REMOTE_PASSWORD');

  const buildsDir = makeTempDir('remote-builds');
  const projectDir = join(buildsDir, 'acme', 'app');
  await mkdir(projectDir, { recursive: true });
  const home = makeTempDir('remote-home');
  await writeFile(
    join(home, '.netrc'),
    'machine proxy.example.com login old password stale\nmachine git.example.com login me password keep-me\n',
  );
  const secret = 'p4ss-w0rd-not-for-logs';
  const env = {
    ...scriptEnv(home, projectDir, '7'),
    GOPRIVATE: 'example.com/private',
    ...jobEnvFromPreview(variables),
    GOPROXY_ACTION_CLI: cliFromSource,
    GOPROXY_ACTION_REMOTE_USERNAME: 'ci-user',
    GOPROXY_ACTION_REMOTE_PASSWORD: secret,
  };
  const show = 'echo "NETRC=$NETRC GOPROXY=$GOPROXY GONOPROXY=$GONOPROXY GONOSUMDB=$GONOSUMDB"';
  const { stdout, stderr } = await execFileAsync('dash', ['-ec', `${setup}\n${show}`], {
    cwd: projectDir,
    env,
  });
  const netrc = join(buildsDir, 'acme', '.goproxy-action-7', '.netrc');
  assert.match(
    stdout,
    new RegExp(
      `NETRC=${netrc} GOPROXY=https://proxy.example.com/go,direct GONOPROXY=example.com/private GONOSUMDB=example.com/private`,
    ),
  );
  assert.equal(
    await readFile(netrc, 'utf8'),
    `machine proxy.example.com login ci-user password ${secret}\nmachine git.example.com login me password keep-me\n`,
  );
  assert.equal(statSync(netrc).mode & 0o777, 0o600);
  assert.ok(!`${stdout}${stderr}`.includes(secret), 'the password is never printed');

  // Credentials with a plain-http URL are refused, with the reason.
  await assert.rejects(
    execFileAsync('dash', ['-ec', setup], {
      cwd: projectDir,
      env: { ...env, GOPROXY_ACTION_REMOTE_URL: 'http://proxy.example.com' },
    }),
    (err: { stderr: string }) => {
      assert.match(err.stderr, /not https; the go command never sends credentials over plain http/);
      assert.ok(!err.stderr.includes(secret));
      return true;
    },
  );
  // One of the two missing (an unprotected branch without the protected variable, say).
  await assert.rejects(
    execFileAsync('dash', ['-ec', setup], {
      cwd: projectDir,
      env: { ...env, GOPROXY_ACTION_REMOTE_PASSWORD: '' },
    }),
    /give both the remote proxy's username and password/,
  );
  // Variables GitLab could not expand (not defined for this job) count as empty: no netrc, and
  // no reference text sent as a password. (gitlab-ci-local shows expand: false values with $$.)
  const unescaped = (value: string): string => value.replaceAll('$$', '$');
  assert.equal(unescaped(variables.GOPROXY_ACTION_REMOTE_PASSWORD_REF!), '$GOPROXY_REMOTE_PASSWORD');
  const unexpanded = await execFileAsync('dash', ['-ec', `${setup}\n${show}`], {
    cwd: projectDir,
    env: {
      ...env,
      GOPROXY_ACTION_REMOTE_USERNAME: '$GOPROXY_REMOTE_USERNAME',
      GOPROXY_ACTION_REMOTE_PASSWORD: '$GOPROXY_REMOTE_PASSWORD',
      GOPROXY_ACTION_REMOTE_USERNAME_REF: unescaped(variables.GOPROXY_ACTION_REMOTE_USERNAME_REF!),
      GOPROXY_ACTION_REMOTE_PASSWORD_REF: unescaped(variables.GOPROXY_ACTION_REMOTE_PASSWORD_REF!),
    },
  });
  assert.match(unexpanded.stdout, /NETRC= GOPROXY=https:\/\/proxy\.example\.com\/go,direct /);
  // The environment is the job-environment function's, as Go reads it: GOPRIVATE with
  // GONOPROXY=none sends private modules through the remote, still kept from the sumdb.
  const throughRemote = await execFileAsync('dash', ['-ec', `${setup}\n${show}`], {
    cwd: projectDir,
    env: {
      ...env,
      GONOPROXY: 'none',
      GOPROXY_ACTION_REMOTE_USERNAME: '',
      GOPROXY_ACTION_REMOTE_PASSWORD: '',
    },
  });
  assert.match(throughRemote.stdout, /GONOPROXY=none GONOSUMDB=example\.com\/private$/m);
});

test('gitlab remote mode: the settings job fails early when the remote refuses or is not a module proxy', {
  timeout: 120_000,
}, async (t) => {
  const world = await createFixtureWorld();
  const remote = await startFixtureProxy({ dir: world.dir });
  const project = await createComponentProject();
  t.after(async () => {
    await remote.close();
    await world.remove();
    await project.remove();
  });
  const sha = await project.commit('component');
  await project.writePipeline(`include:
  - component: ${project.componentRef('goproxy-remote', sha)}
    inputs:
      url: ${remote.url}
      username: ''
      password: ''
`);
  const rendered = await project.preview();
  const job = rendered['goproxy-remote-settings']!;
  const script = [...(job.before_script as string[]), ...(job.script as string[])].join('\n');
  const projectDir = join(makeTempDir('remote-probe'), 'acme', 'app');
  await mkdir(projectDir, { recursive: true });
  const env = {
    ...scriptEnv(makeTempDir('probe-home'), projectDir, '9'),
    ...jobEnvFromPreview(job.variables as Record<string, string>),
    GOPROXY_ACTION_CLI: cliFromSource,
  };
  const probe = (): Promise<unknown> => execFileAsync('dash', ['-ec', script], { cwd: projectDir, env });

  remote.setFault((path) => path.includes('goproxy-action.invalid'), { kind: 'status', status: 403 });
  await assert.rejects(probe(), /the remote proxy .* wants credentials \(HTTP 403/);
  remote.setFault((path) => path.includes('goproxy-action.invalid'), { kind: 'status', status: 500 });
  await assert.rejects(probe(), /does not answer like a module proxy: HTTP 500/);
  remote.clearFaults();
  await probe();
  assert.equal(await readFile(join(projectDir, 'goproxy.env'), 'utf8'), `GOPROXY=${remote.url},off\n`);
});

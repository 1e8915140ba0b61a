// The goproxy-remote component: under gitlab-ci-local, its settings job probes a fixture
// proxy standing in for the remote one and publishes a dotenv report, and later jobs build the
// fixture program through the remote, with the report alone or by extending .goproxy. The
// credential handling (https only, a netrc file carrying the job's own entries over, nothing
// secret printed or reported) runs the rendered scripts directly.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { jobGoEnv } from '../../src/policy/job-go-env.ts';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld } from '../support/fixture-world.ts';
import { createComponentProject } from '../support/gitlab-ci-local.ts';
import { makeTempDir, sharedGoCache } from '../support/go-env.ts';

const execFileAsync = promisify(execFile);

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
  const project = await createComponentProject();
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
`);
  const rendered = await project.preview();
  const setup = (rendered['goproxy-remote-settings']!.before_script as string[]).join('\n');
  const variables = rendered['goproxy-remote-settings']!.variables as Record<string, string>;
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
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CI_PROJECT_DIR: projectDir,
    CI_JOB_ID: '7',
    GOPRIVATE: 'example.com/private',
    ...variables,
    GOPROXY_ACTION_REMOTE_USERNAME: 'ci-user',
    GOPROXY_ACTION_REMOTE_PASSWORD: secret,
  };
  const show = 'echo "NETRC=$NETRC GOPROXY=$GOPROXY GONOPROXY=$GONOPROXY GONOSUMDB=$GONOSUMDB"';
  const { stdout, stderr } = await execFileAsync('dash', ['-ec', `${setup}\n${show}`], {
    cwd: projectDir,
    env,
  });
  const netrc = join(buildsDir, 'acme', '.goproxy-action-7', 'netrc');
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
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: makeTempDir('probe-home'),
    CI_PROJECT_DIR: projectDir,
    CI_JOB_ID: '9',
    ...(job.variables as Record<string, string>),
  };
  const probe = (): Promise<unknown> => execFileAsync('dash', ['-ec', script], { cwd: projectDir, env });

  remote.setFault((path) => path.includes('goproxy-action.invalid'), { kind: 'status', status: 403 });
  await assert.rejects(probe(), /the remote proxy refused the credentials \(HTTP 403\)/);
  remote.setFault((path) => path.includes('goproxy-action.invalid'), { kind: 'status', status: 500 });
  await assert.rejects(probe(), /answered HTTP 500 .*not like a module proxy; is the url its GOPROXY URL\?/);
  remote.clearFaults();
  await probe();
  assert.equal(await readFile(join(projectDir, 'goproxy.env'), 'utf8'), `GOPROXY=${remote.url},off\n`);
});

test('gitlab remote mode: the exported settings are the ones clientEnvForRemote computes, for every combination', {
  timeout: 120_000,
}, async (t) => {
  const project = await createComponentProject();
  t.after(() => project.remove());
  const sha = await project.commit('component');
  await project.writePipeline(`include:
  - component: ${project.componentRef('goproxy-remote', sha)}
    inputs:
      url: https://proxy.example.com
`);
  const rendered = await project.preview();
  const setup = (rendered['goproxy-remote-settings']!.before_script as string[]).join('\n');
  const baseVariables = rendered['goproxy-remote-settings']!.variables as Record<string, string>;
  const projectDir = join(makeTempDir('remote-env'), 'acme', 'app');
  await mkdir(projectDir, { recursive: true });
  const show = 'printf "%s\\n" "$GOPROXY" "$GONOPROXY" "$GOPRIVATE" "$GONOSUMDB"';
  let cases = 0;
  for (const privateInput of ['', 'example.com/private', 'example.com/a,*.corp.example.com'])
    for (const jobGoprivate of ['', 'example.com/a,other.example.org'])
      for (const jobGonoproxy of ['', 'none'])
        for (const throughProxy of ['false', 'true'])
          for (const fallback of ['off', 'direct']) {
            const env = {
              PATH: process.env.PATH ?? '/usr/bin:/bin',
              HOME: makeTempDir('remote-env-home'),
              CI_PROJECT_DIR: projectDir,
              CI_JOB_ID: '11',
              ...baseVariables,
              GOPROXY_ACTION_REMOTE_USERNAME: '',
              GOPROXY_ACTION_REMOTE_PASSWORD: '',
              GOPROXY_ACTION_PRIVATE: privateInput,
              GOPROXY_ACTION_PRIVATE_THROUGH_PROXY: throughProxy,
              GOPROXY_ACTION_REMOTE_FALLBACK: fallback,
              GOPRIVATE: jobGoprivate,
              GONOPROXY: jobGonoproxy,
            };
            const { stdout } = await execFileAsync('dash', ['-ec', `${setup}\n${show}`], {
              cwd: projectDir,
              env,
            });
            const [GOPROXY, GONOPROXY, GOPRIVATE, GONOSUMDB] = stdout.split('\n').slice(-5, -1);
            const expected = jobGoEnv(
              {
                goEnv: { GOPRIVATE: jobGoprivate, GONOPROXY: jobGonoproxy },
                inputPrivate: [privateInput],
              },
              {
                kind: 'list',
                goproxy: `https://proxy.example.com,${fallback}`,
                privateThroughProxy: throughProxy === 'true',
              },
            );
            const where = JSON.stringify({
              privateInput,
              jobGoprivate,
              jobGonoproxy,
              throughProxy,
              fallback,
            });
            assert.deepEqual(
              { GOPROXY, GONOPROXY, GOPRIVATE, GONOSUMDB },
              {
                GOPROXY: expected.GOPROXY,
                GONOPROXY: expected.GONOPROXY,
                GOPRIVATE: expected.GOPRIVATE,
                GONOSUMDB: expected.GONOSUMDB,
              },
              where,
            );
            cases++;
          }
  assert.equal(cases, 48);
});

// The goproxy component in service mode. gitlab-ci-local runs services only in containers, so:
// the configuration it renders for a job that extends .goproxy is checked, and then the
// rendered service command (entrypoint + command, with the job's variables, as a runner starts
// it) runs directly against a fixture upstream, and the rendered before_script, a go build and
// the rendered after_script run as the job would.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { escapePath, escapeVersion } from '../../src/gomod/module-path.ts';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld } from '../support/fixture-world.ts';
import { buildCliFromWorkingTree, createComponentProject } from '../support/gitlab-ci-local.ts';
import { makeTempDir, sharedGoCache } from '../support/go-env.ts';
import { unassignablePort } from '../support/listening-port.ts';

const execFileAsync = promisify(execFile);

/** GitLab's variable expansion of `$NAME` / `${NAME}` (and `$$` for a literal `$`). */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (all, a?: string, b?: string) =>
    all === '$$' ? '$' : (env[(a ?? b)!] ?? ''),
  );
}

function goVariables(): Record<string, string> {
  const home = makeTempDir('svc-job-home');
  return {
    HOME: home,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    GOMODCACHE: makeTempDir('svc-gomodcache'),
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

type RenderedService = { name: string; alias: string; entrypoint: string[]; command: string[] };

test('gitlab service mode: rendered configuration, and the rendered service command serving a job', {
  timeout: 600_000,
}, async (t) => {
  const world = await createFixtureWorld();
  const upstream = await startFixtureProxy({ dir: world.dir });
  const project = await createComponentProject({ cliBundle: await buildCliFromWorkingTree() });
  const services: ChildProcess[] = [];
  t.after(async () => {
    // Each service is its own process group (its shell and the proxy under it): end them all.
    for (const service of services) {
      try {
        if (service.pid !== undefined) process.kill(-service.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await upstream.close();
    await world.remove();
    await project.remove();
  });
  for (const file of ['go.mod', 'go.sum', 'main.go'])
    await project.writeFile(join('program', file), await readFile(join(world.program, file), 'utf8'));
  const sha = await project.commit('fixture program');
  await project.writePipeline(`include:
  - component: ${project.componentRef('goproxy', sha)}
    inputs:
      mode: service
      cli: node $CI_PROJECT_DIR/dist/cli.js
      upstream: ${upstream.url}
      private: example.com/private
      audit-log: proxy-audit.jsonl
      alias: modproxy
      port: 3128
build:
  extends: .goproxy
  image: golang:1
  script:
    - cd program
    - go build -o /dev/null .
`);

  // What gitlab-ci-local renders for the job.
  const rendered = await project.preview();
  const job = rendered.build as Record<string, unknown>;
  const [service, ...more] = job.services as RenderedService[];
  assert.deepEqual(more, []);
  assert.equal(service!.name, 'node:24-alpine');
  assert.equal(service!.alias, 'modproxy');
  assert.deepEqual(service!.entrypoint, ['/bin/sh', '-c']);
  assert.equal(service!.command.length, 1);
  assert.doesNotMatch(service!.command[0]!, /\$/, 'no $ in the command: a runner may expand variables there');
  const variables = job.variables as Record<string, string>;
  assert.equal(variables.GOPROXY_ACTION_ADMIN_TOKEN, '$CI_JOB_TOKEN');
  assert.equal(variables.GOPROXY_ACTION_SERVICE_URL, 'http://modproxy:3128');
  assert.equal(variables.GOPROXY_ACTION_SERVICE_LISTEN, '0.0.0.0:3128');
  assert.equal(variables.GOPROXY_ACTION_UPSTREAM, upstream.url);
  assert.equal(variables.GOPROXY_ACTION_VERSION, sha);
  // (gitlab-ci-local drops fallback_keys, which it does not implement; the template spec test
  // checks them.)
  assert.deepEqual(job.cache, [
    {
      key: 'goproxy-$CI_COMMIT_REF_SLUG',
      paths: ['.goproxy-cache/', '.goproxy-gocache/', '.goproxy-modtree/'],
      policy: 'pull-push',
      when: 'always',
    },
  ]);
  const beforeScript = (job.before_script as string[]).join('\n');
  const afterScript = (job.after_script as string[]).join('\n');

  // The checkout the job and the service share (the build directory).
  const buildsDir = makeTempDir('svc-builds');
  const projectDir = join(buildsDir, 'acme', 'goproxy-action');
  await execFileAsync('git', ['clone', '-q', project.dir, projectDir]);
  // The service must be told its URL before it starts (as in GitLab), so it cannot bind port 0:
  // a port below the ephemeral range, which no other test's bind(0) can be given meanwhile.
  const port = await unassignablePort();

  const token = randomBytes(16).toString('hex');

  async function startJob(
    jobId: string,
    overrides: Record<string, string> = {},
  ): Promise<{ jobEnv: Record<string, string>; serviceProcess: ChildProcess; serviceLog: () => string }> {
    const predefined = {
      CI_PROJECT_DIR: projectDir,
      CI_BUILDS_DIR: buildsDir,
      CI_JOB_ID: jobId,
      CI_JOB_TOKEN: token,
    };
    const jobEnv: Record<string, string> = { ...goVariables(), ...predefined };
    for (const [name, value] of Object.entries(variables)) jobEnv[name] = expand(value, jobEnv);
    // Here the service shares the job's host, so it listens on loopback (as test servers must);
    // in GitLab it listens on every interface of its own container.
    jobEnv.GOPROXY_ACTION_SERVICE_LISTEN = `127.0.0.1:${port}`;
    jobEnv.GOPROXY_ACTION_SERVICE_URL = `http://127.0.0.1:${port}`;
    Object.assign(jobEnv, overrides);

    // The service starts first, before the checkout would happen. (It runs with Go on its
    // PATH here: the CLI still calls `go env` even when the job's settings are given.)
    const [command, ...args] = [...service!.entrypoint, ...service!.command];
    const serviceEnv = { ...jobEnv };
    const serviceProcess = spawn(command!, args, {
      env: serviceEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    services.push(serviceProcess);
    let log = '';
    serviceProcess.stdout!.on('data', (c: Buffer) => {
      log += c.toString();
    });
    serviceProcess.stderr!.on('data', (c: Buffer) => {
      log += c.toString();
    });
    for (let i = 0; i < 400 && !/waiting for the job's checkout/.test(log); i++) await sleep(50);
    assert.match(log, /waiting for the job's checkout/);
    const work = join(buildsDir, 'acme', `.goproxy-action-${jobId}`);
    assert.equal(existsSync(join(work, 'store')), false, 'the service touches no store before the checkout');
    return { jobEnv, serviceProcess, serviceLog: () => log };
  }

  async function runJob(
    jobId: string,
    jobPath?: string,
  ): Promise<{ output: string; serviceLog: () => string }> {
    const started = await startJob(jobId);
    const { serviceProcess, serviceLog } = started;
    const jobEnv = jobPath === undefined ? started.jobEnv : { ...started.jobEnv, PATH: jobPath };
    const log = serviceLog();
    // The job keeps its GOPROXY outside the log, to check the client path against.
    const seenFile = join(makeTempDir('svc-seen'), 'goproxy');
    const script = `${beforeScript}\nprintf '%s' "$GOPROXY" >'${seenFile}'\ncd program\ngo build -o /dev/null .\n`;
    let output = '';
    try {
      const result = await execFileAsync('bash', ['-eo', 'pipefail', '-c', script], {
        cwd: projectDir,
        env: jobEnv,
      });
      output += result.stdout + result.stderr;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      assert.fail(`before_script or the build failed:\n${e.stdout}${e.stderr}\nservice log:\n${log}`);
    }
    // The service answers only under the client path the job got through env.sh; neither the
    // job's log nor the service's shows it.
    const seen = await readFile(seenFile, 'utf8');
    const parsed = /^(http:\/\/127\.0\.0\.1:\d+)\/([A-Za-z0-9_-]{32})$/.exec(seen);
    assert.ok(parsed, 'GOPROXY is the service URL with a 32-character client token');
    const [, origin, clientToken] = parsed as unknown as [string, string, string];
    // A blob the build needs anyway: from the store when warm, so no extra upstream request.
    const { path: modulePath, version } = world.requires[0]!;
    const listPath = `/${escapePath(modulePath)}/@v/${escapeVersion(version)}.mod`;
    const without = await fetch(`${origin}${listPath}`);
    assert.equal(without.status, 403, 'a request without the client path is refused');
    await without.arrayBuffer();
    const withToken = await fetch(`${seen}${listPath}`);
    assert.equal(withToken.status, 200);
    await withToken.arrayBuffer();
    const after = await execFileAsync('bash', ['-c', afterScript], {
      cwd: projectDir,
      env: { ...jobEnv, CI_JOB_STATUS: 'success' },
    });
    output += after.stdout + after.stderr;
    assert.equal(output.includes(clientToken), false, "the job's log never shows the client token");
    // The runner stops a service with SIGTERM; the service's shell passes it on to the proxy.
    serviceProcess.kill('SIGTERM');
    const killer = setTimeout(() => serviceProcess.kill('SIGKILL'), 15_000);
    const [exitCode, signal] = (await once(serviceProcess, 'close')) as [number | null, string | null];
    clearTimeout(killer);
    assert.deepEqual(
      { exitCode, signal },
      { exitCode: 0, signal: null },
      `the service stops cleanly on SIGTERM\n${serviceLog()}`,
    );
    assert.equal(serviceLog().includes(clientToken), false, "the service's log never shows it");
    return { output, serviceLog };
  }

  const cold = await runJob('101');
  // The job handed its go command's settings to the service (whose image may lack Go).
  assert.match(cold.serviceLog(), /goproxy-action: serving Go modules/);
  // The environment comes from the CLI's env command, run by the service.
  assert.match(
    cold.output,
    /goproxy: GOPROXY=http:\/\/127\.0\.0\.1:\d+\/<client token> GONOPROXY=none GOPRIVATE=example\.com\/private GONOSUMDB=example\.com\/private\n/,
  );
  assert.equal(
    existsSync(join(buildsDir, 'acme', '.goproxy-action-101')),
    false,
    'after_script leaves no work directory behind',
  );
  assert.match(cold.output, /goproxy: pruned \{/, 'after_script pruned through the admin endpoint');
  assert.match(cold.output, /goproxy: statistics \{"requests":\d+,.*"upstreamFetches":[1-9]/);
  assert.ok(
    upstream.requests.some((r) => r.path.endsWith('.zip')),
    'the service fetched from upstream',
  );
  const audit = (await readFile(join(projectDir, 'proxy-audit.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l !== '');
  assert.ok(
    audit.some((line) => /"kind":"zip".*"source":"upstream"/.test(line)),
    'the audit log is kept in the project directory for artifacts',
  );
  const cacheDir = join(projectDir, '.goproxy-cache');
  const zips = readdirSync(cacheDir, { recursive: true }).filter((f) => String(f).endsWith('.zip'));
  assert.ok(
    zips.length >= world.requires.length,
    `the store is handed to GitLab's cache: ${zips.join(', ')}`,
  );

  // The next job restores that cache (it is in place already) and fetches nothing upstream.
  upstream.resetLog();
  // This job's image has wget but no curl (as golang:alpine, with busybox): the other branch
  // of the scripts that talk to the service.
  const noCurl = join(makeTempDir('svc-no-curl'), 'bin');
  await mkdir(noCurl);
  for (const tool of readdirSync('/usr/bin'))
    if (tool !== 'curl') await symlink(join('/usr/bin', tool), join(noCurl, tool));
  const pathWithoutCurl = (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => !['/usr/bin', '/bin'].includes(dir))
    .concat(noCurl)
    .join(':');
  await assert.rejects(execFileAsync('bash', ['-c', 'command -v curl'], { env: { PATH: pathWithoutCurl } }));
  const warm = await runJob('102', pathWithoutCurl);
  assert.match(warm.output, /goproxy: pruned \{"removedFiles":0,/, 'prune through wget');
  assert.deepEqual(
    upstream.requests.map((r) => r.path),
    [],
    `a warm service makes no upstream request\n${warm.serviceLog()}`,
  );
  assert.match(warm.output, /"upstreamFetches":0/);

  // A service that cannot start (here: a policy file that does not exist) fails the job's
  // before_script at once, with the service's own error, instead of a timeout.
  const broken = await startJob('103', { GOPROXY_ACTION_POLICY_FILE: 'ci/missing-policy.yml' });
  await assert.rejects(
    execFileAsync('bash', ['-eo', 'pipefail', '-c', beforeScript], { cwd: projectDir, env: broken.jobEnv }),
    (err: { stderr: string }) => {
      assert.match(err.stderr, /goproxy: the proxy service failed:/);
      assert.match(err.stderr, /missing-policy\.yml/);
      assert.doesNotMatch(err.stderr, /did not answer within/, 'no waiting for the timeout');
      return true;
    },
  );
  broken.serviceProcess.kill('SIGTERM');
});

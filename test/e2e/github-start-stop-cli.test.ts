// `goproxy-action start` / `stop` (the detached daemon the GitHub Action and the GitLab
// components stand on), with the real serve command and the real go command.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startProxyDetached } from '../../src/daemon/start-proxy.ts';
import { isProcessAlive } from '../../src/process-alive.ts';
import { runCliUnderTest } from '../support/cli-under-test.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, runGo } from '../support/go-env.ts';

const run = promisify(execFile);
let world: FixtureWorld;
let upstream: FixtureProxy;
let scratch: string;

before(async () => {
  world = await createFixtureWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
  scratch = await mkdtemp(join(tmpdir(), 'gpa-startstop-'));
});

after(async () => {
  await upstream?.close();
  await world?.remove();
  await rm(scratch, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string>, cwd = world.program) {
  return runCliUnderTest(args, env, cwd);
}

test('start prints the environment, the daemon outlives it and serves the go command; stop prunes, reports and ends it', async (t) => {
  const env = goEnv({ goproxy: upstream.url, gosumdb: 'off', goprivate: 'example.net/private' });
  const stateDir = join(scratch, 'state');
  const store = join(scratch, 'store');
  const started = await cli(
    ['start', '--state-dir', stateDir, '--store', store, '--upstream', upstream.url, '--format', 'dotenv'],
    env,
  );
  assert.equal(started.code, 0, started.stderr);
  const exported = Object.fromEntries(
    started.stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  assert.match(exported.GOPROXY ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(exported.GOPRIVATE, 'example.net/private', 'the job GOPRIVATE joins the private patterns');
  assert.equal(exported.GONOSUMDB, 'example.net/private');
  assert.equal(exported.GOSUMDB, 'off');
  const ready = JSON.parse(await readFile(join(stateDir, 'proxy-ready.json'), 'utf8')) as {
    pid: number;
    token: string;
  };
  t.after(() => {
    // A failed assertion must not leave the daemon behind.
    if (isProcessAlive(ready.pid)) process.kill(ready.pid, 'SIGTERM');
  });
  assert.equal((await stat(join(stateDir, 'proxy-ready.json'))).mode & 0o777, 0o600);
  assert.ok(isProcessAlive(ready.pid), 'the daemon is running after start exited');
  assert.doesNotMatch(
    started.stdout + started.stderr,
    new RegExp(ready.token),
    'the admin token is never printed',
  );

  const build = await runGo(['build', '-o', join(scratch, 'program'), '.'], world.program, {
    ...env,
    ...exported,
  });
  assert.equal(build.code, 0, build.stderr);

  // Something stored that this process never served: prune removes it.
  const stale = join(store, 'example.com', 'stale', '@v');
  await run('mkdir', ['-p', stale]);
  await writeFile(join(stale, 'v1.0.0.mod'), 'module example.com/stale\n');
  const stopped = await cli(['stop', '--state-dir', stateDir, '--prune', '--format', 'json'], env);
  assert.equal(stopped.code, 0, stopped.stderr);
  const result = JSON.parse(stopped.stdout) as {
    stats: { totals: { requests: number; upstreamFetches: number } };
    pruned: { removedFiles: number; keptFiles: number };
    exitedCleanly: boolean;
  };
  assert.ok(result.stats.totals.requests > 0);
  assert.ok(result.stats.totals.upstreamFetches > 0);
  assert.ok(result.pruned.removedFiles >= 1, 'the unused version was pruned');
  assert.ok(result.pruned.keptFiles > 0);
  assert.equal(result.exitedCleanly, true);
  assert.equal(isProcessAlive(ready.pid), false, 'stop waited for the exit');
  await assert.rejects(
    stat(join(stateDir, 'proxy-ready.json')),
    'the ready file (with the token) is removed',
  );

  const again = await cli(['stop', '--state-dir', stateDir], env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /no running proxy is recorded in/);
});

test('start: usage errors say what to write', async () => {
  const env = goEnv({ goproxy: upstream.url });
  const missing = await cli(['start'], env);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--state-dir DIR is required/);
  const format = await cli(['start', '--state-dir', join(scratch, 'x'), '--format', 'yaml'], env);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--format must be one of shell, github, dotenv, not 'yaml'/);
});

test('startProxyDetached: a daemon that exits before it is ready fails with its log tail', async () => {
  const stateDir = join(scratch, 'bad');
  await assert.rejects(
    startProxyDetached({
      cliPath: join(process.cwd(), 'src/cli.ts'),
      args: ['--listen', 'not-an-address'],
      env: goEnv({ goproxy: upstream.url }),
      stateDir,
      timeoutMs: 20_000,
    }),
    (err: Error) => {
      assert.match(err.message, /the proxy exited with status 2 before it was ready/);
      assert.match(err.message, /listen/, 'the log tail names the problem');
      return true;
    },
  );
});

test('startProxyDetached: a daemon that never gets ready is stopped after the timeout', async () => {
  const script = join(scratch, 'sleeper.mjs');
  await writeFile(script, "console.log('starting slowly'); setTimeout(() => {}, 60000);\n");
  await assert.rejects(
    startProxyDetached({
      cliPath: script,
      args: [],
      env: { PATH: process.env.PATH ?? '' },
      stateDir: join(scratch, 'slow'),
      timeoutMs: 500,
    }),
    (err: Error) => {
      assert.match(err.message, /not ready after 500 ms/);
      assert.match(err.message, /starting slowly/);
      return true;
    },
  );
});

test("start exports the policy's private patterns and refuses a fallback that would route around the policy", async (t) => {
  const env = goEnv({ goproxy: upstream.url, gosumdb: 'off' });
  const policy = join(scratch, 'policy.yml');
  await writeFile(policy, 'private:\n  - example.com/acme-corp\n');
  const stateDir = join(scratch, 'state-policy');
  const common = [
    '--state-dir',
    stateDir,
    '--store',
    join(scratch, 'store-policy'),
    '--upstream',
    upstream.url,
  ];
  const refused = await cli(['start', ...common, '--policy', policy, '--fallback', 'direct'], env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--fallback would let the go command route around the policy/);
  const started = await cli(['start', ...common, '--policy', policy, '--format', 'dotenv'], env);
  assert.equal(started.code, 0, started.stderr);
  t.after(() => cli(['stop', '--state-dir', stateDir], env));
  assert.match(started.stdout, /^GOPRIVATE=example\.com\/acme-corp$/m);
  assert.match(started.stdout, /^GONOSUMDB=example\.com\/acme-corp$/m);
});

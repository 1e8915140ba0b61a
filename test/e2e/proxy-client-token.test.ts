// serve --client-token-env: on a machine shared by several users, the in-job proxy (holding the
// job's credentials) answers only clients that know its client token, given as the first path
// element of GOPROXY (the go command keeps a path in GOPROXY). With the real go command through
// `start`, which prints the GOPROXY with the token.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isProcessAlive } from '../../src/process-alive.ts';
import { runCliUnderTest } from '../support/cli-under-test.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';

let world: FixtureWorld;
let upstream: FixtureProxy;
let scratch: string;

before(async () => {
  world = await createFixtureWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
  scratch = await mkdtemp(join(tmpdir(), 'gpa-client-token-'));
});

after(async () => {
  await upstream?.close();
  await world?.remove();
  await rm(scratch, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string>, cwd = world.program) {
  return runCliUnderTest(args, env, cwd);
}

const clientToken = 'c1ient-T0ken_0123456789abcdef';

test('client token: the go command is served only through GOPROXY with the token; without it, or with another, 403', async (t) => {
  const env = { ...goEnv({ goproxy: upstream.url, gosumdb: 'off' }), GP_CLIENT_TOKEN: clientToken };
  const stateDir = join(scratch, 'state');
  const started = await cli(
    [
      'start',
      '--state-dir',
      stateDir,
      '--store',
      join(scratch, 'store'),
      '--upstream',
      upstream.url,
      '--client-token-env',
      'GP_CLIENT_TOKEN',
      '--format',
      'dotenv',
    ],
    env,
  );
  assert.equal(started.code, 0, started.stderr);
  const ready = JSON.parse(await readFile(join(stateDir, 'proxy-ready.json'), 'utf8')) as {
    pid: number;
    url: string;
    goproxy: string;
  };
  t.after(() => {
    if (isProcessAlive(ready.pid)) process.kill(ready.pid, 'SIGTERM');
  });
  const exported = Object.fromEntries(
    started.stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  assert.equal(ready.goproxy, `${ready.url}/${clientToken}`);
  assert.equal(exported.GOPROXY, ready.goproxy, 'start prints GOPROXY with the client path');
  assert.doesNotMatch(started.stderr, new RegExp(clientToken));
  const log = await readFile(join(stateDir, 'proxy.log'), 'utf8');
  assert.doesNotMatch(log, new RegExp(clientToken), 'the banner names the variable, not the token');
  assert.match(log, /<\$GP_CLIENT_TOKEN>/);

  const build = await runGo(['build', '-o', join(scratch, 'program'), '.'], world.program, {
    ...env,
    ...exported,
  });
  assert.equal(build.code, 0, build.stderr);

  for (const goproxy of [ready.url, `${ready.url}/${clientToken.replace('c', 'C')}`, `${ready.url}/x`]) {
    const refused = await runGo(['mod', 'download', '-x'], world.program, {
      ...env,
      ...exported,
      GOPROXY: goproxy,
      GOMODCACHE: makeTempDir('client-token-modcache'),
    });
    assert.notEqual(refused.code, 0, `GOPROXY=${goproxy} must not be served`);
    assert.match(refused.stderr, /403 Forbidden/);
    assert.match(refused.stderr, /this proxy answers only its own job/);
  }

  // Admin calls keep their own bearer token (stop uses them), with no client path.
  const stopped = await cli(['stop', '--state-dir', stateDir, '--format', 'json'], env);
  assert.equal(stopped.code, 0, stopped.stderr);
  const result = JSON.parse(stopped.stdout) as { stats: { totals: { requests: number } } };
  assert.ok(result.stats.totals.requests > 0, 'the go command was served');
  assert.equal(isProcessAlive(ready.pid), false);
});

test('client token: a missing, short or path-unsafe token is a usage error before anything starts', async () => {
  for (const [value, why] of [
    [undefined, 'unset'],
    ['short', 'short'],
    ['has/a/slash-0123456789', 'slash'],
  ] as const) {
    const env = { ...goEnv({ goproxy: upstream.url, gosumdb: 'off' }), ...(value ? { GP_T: value } : {}) };
    const started = await cli(
      [
        'start',
        '--state-dir',
        join(scratch, `bad-${why}`),
        '--upstream',
        upstream.url,
        '--client-token-env',
        'GP_T',
      ],
      env,
    );
    assert.equal(started.code, 2, `${why}: ${started.stderr}`);
    assert.match(started.stderr, /--client-token-env GP_T: the variable must hold a token of at least 16/);
  }
});

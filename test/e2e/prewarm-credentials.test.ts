// Credentials and the X-Goproxy-Source header: a front server that demands credentials (a
// netrc login, or a bearer token from an environment variable) and says where each answer came
// from, in front of the fixture proxy. prewarm sends what the go command would send, never
// shows it, and counts answers from the proxy's store as already warm.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { makeTempDir } from '../support/go-env.ts';
import { prewarmEnv, runPrewarmCli } from '../support/prewarm-cli.ts';

const login = 'ci-user';
const password = 'netrc-password-0123456789';
const bearer = 'bearer-token-abcdefghijklmnop';
let world: FixtureWorld;
let fixture: FixtureProxy;
let front: Server;
let frontUrl: string;
const seen = new Set<string>();
const authorizations: string[] = [];

before(async () => {
  world = await createFixtureWorld();
  fixture = await startFixtureProxy({ dir: world.dir });
  front = createServer(async (req, res) => {
    const auth = req.headers.authorization ?? '';
    authorizations.push(auth);
    const basic = `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
    if (auth !== basic && auth !== `Bearer ${bearer}`) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      return res.end('credentials required\n');
    }
    const upstream = await fetch(`${fixture.url}${req.url}`);
    const body = Buffer.from(await upstream.arrayBuffer());
    // Like our serve: the first answer for a path came from upstream, later ones from the store.
    const source = seen.has(req.url ?? '') ? 'store' : 'upstream';
    seen.add(req.url ?? '');
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? '',
      'x-goproxy-source': source,
    });
    res.end(body);
  });
  await new Promise<void>((done) => front.listen(0, '127.0.0.1', () => done()));
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});
after(async () => {
  front?.closeAllConnections();
  await new Promise<void>((done) => (front ? front.close(() => done()) : done()));
  await fixture?.close();
  await world?.remove();
});

test('a NETRC entry for the proxy host is sent as the go command sends it; the password is never shown', async () => {
  const dir = makeTempDir('netrc');
  const netrc = join(dir, 'netrc');
  await writeFile(
    netrc,
    `machine other.example login x password y\nmachine 127.0.0.1 login ${login} password ${password}\n`,
    { mode: 0o600 },
  );
  seen.clear();
  const first = await runPrewarmCli(['--proxy', frontUrl, '--files', 'go.sum'], {
    cwd: world.program,
    env: prewarmEnv({ NETRC: netrc }),
  });
  assert.equal(first.code, 0, first.stdout + first.stderr);
  // Every answer was fresh from upstream: all warmed, told by the header.
  assert.equal(first.report?.totals.warmed, world.requires.length);
  assert.ok(
    first.report?.modules.every(
      (m) => m.evidence === 'header' && m.blobs.every((b) => b.source === 'upstream'),
    ),
  );
  const second = await runPrewarmCli(['--proxy', frontUrl, '--files', 'go.sum'], {
    cwd: world.program,
    env: prewarmEnv({ NETRC: netrc }),
  });
  assert.equal(second.code, 0);
  assert.equal(second.report?.totals.alreadyWarm, world.requires.length);
  assert.equal(second.report?.totals.warmed, 0);
  for (const run of [first, second]) {
    const text = `${run.stdout}${run.stderr}${JSON.stringify(run.report)}${run.markdown}`;
    assert.ok(!text.includes(password));
    assert.ok(!text.includes(Buffer.from(`${login}:${password}`).toString('base64')));
  }
});

test('a bearer token comes from the variable --token-env names, never from the command line', async () => {
  authorizations.length = 0;
  const run = await runPrewarmCli(['--proxy', frontUrl, '--files', 'go.sum', '--token-env', 'PROXY_TOKEN'], {
    cwd: world.program,
    env: prewarmEnv({ PROXY_TOKEN: bearer }),
  });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.ok(authorizations.length > 0 && authorizations.every((a) => a === `Bearer ${bearer}`));
  assert.ok(!`${run.stdout}${run.stderr}${JSON.stringify(run.report)}`.includes(bearer));
  // Without credentials the proxy refuses: every module fails with the status, not retried.
  const refused = await runPrewarmCli(['--proxy', frontUrl, '--files', 'go.sum'], {
    cwd: world.program,
    env: prewarmEnv(),
  });
  assert.equal(refused.code, 1);
  assert.ok(
    refused.report?.modules.every((m) => /^info: HTTP 401: credentials required$/.test(m.reason ?? '')),
  );
  assert.equal(refused.report?.totals.retries, 0);
  // Credentials in the URL are refused before anything is sent.
  const inUrl = await runPrewarmCli(
    ['--proxy', frontUrl.replace('http://', `http://${login}:${password}@`), '--files', 'go.sum'],
    {
      cwd: world.program,
      env: prewarmEnv(),
    },
  );
  assert.equal(inUrl.code, 1);
  assert.match(
    inUrl.stderr,
    /the proxy URL holds credentials; put them in a NETRC file or pass a token with --token-env/,
  );
  assert.ok(!inUrl.stderr.includes(password));
  const empty = await runPrewarmCli(['--proxy', frontUrl, '--token-env', 'NOT_SET'], {
    cwd: world.program,
    env: prewarmEnv(),
  });
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /--token-env NOT_SET: the variable is empty or unset/);
});

// The bundled action in remote mode, run as a runner runs it, against a fixture module proxy.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildActionBundles, newJob } from '../support/action-runner.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, neverAskedSumdb, runGo } from '../support/go-env.ts';
import { makeLoopbackCertificate } from '../support/loopback-certificate.ts';

let world: FixtureWorld;
let remote: FixtureProxy;

let distDir = '';

before(async () => {
  distDir = await buildActionBundles();
  world = await createFixtureWorld();
  remote = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await remote?.close();
  await world?.remove();
});

test('remote mode: probes the proxy, exports GOPROXY and the private patterns, the go command builds through it', async () => {
  // The runner's own GOPROXY points nowhere useful: only the exported one can make the build work.
  const runnerEnv = {
    ...goEnv({ goproxy: 'off', gosumdb: neverAskedSumdb }),
    GOPRIVATE: 'example.net/secret',
  };
  const job = await newJob({
    distDir,
    env: runnerEnv,
    inputs: { mode: 'remote', 'proxy-url': remote.url, private: 'example.org/internal', fallback: 'off' },
    workspace: world.program,
  });
  remote.resetLog();
  const main = await job.runMain();
  assert.equal(main.main.code, 0, main.main.stdout + main.main.stderr);
  assert.ok(
    remote.requests.some((r) => r.path.endsWith('.info')),
    'probed with a module of go.sum',
  );
  assert.equal(main.exported.GOPROXY, `${remote.url},off`);
  assert.equal(main.exported.GOPRIVATE, 'example.org/internal,example.net/secret');
  assert.equal(main.exported.GONOPROXY, 'example.org/internal,example.net/secret');
  assert.equal(main.exported.GONOSUMDB, 'example.org/internal,example.net/secret');
  assert.equal(main.outputs['proxy-url'], remote.url);
  assert.equal(main.outputs['cache-restore'], 'none');
  const build = await runGo(['build', '-o', join(job.runner.runnerTemp, 'p'), '.'], world.program, {
    ...runnerEnv,
    ...main.exported,
  });
  assert.equal(build.code, 0, build.stderr);
  const done = await job.runPost(main);
  assert.equal(done.post?.code, 0);
  await rm(job.runner.runnerTemp, { recursive: true, force: true });
});

test('remote mode: credentials with http:// are refused; a failed probe leaves no credentials behind and prints no secret', async () => {
  const runnerEnv = goEnv({ goproxy: 'off' });
  const plain = await newJob({
    distDir,
    env: runnerEnv,
    inputs: {
      mode: 'remote',
      'proxy-url': remote.url,
      'proxy-username': 'ci',
      'proxy-password': 'pw-123456',
    },
    workspace: world.program,
  });
  const refused = await plain.runMain();
  assert.equal(refused.main.code, 1);
  assert.match(refused.main.stdout, /::error::.*never sends credentials over plain http/);
  assert.doesNotMatch(
    (refused.main.stdout + refused.main.stderr).replace(/^::add-mask::.*$/gm, ''),
    /pw-123456/,
  );

  const unreachable = await newJob({
    distDir,
    env: runnerEnv,
    inputs: { mode: 'remote', 'proxy-url': 'https://127.0.0.1:1/', 'proxy-token': 'tok-abcdef123' },
    workspace: world.program,
  });
  const failed = await unreachable.runMain();
  assert.equal(failed.main.code, 1);
  assert.match(failed.main.stdout, /::error::.*did not answer/);
  assert.doesNotMatch(
    (failed.main.stdout + failed.main.stderr).replace(/^::add-mask::.*$/gm, ''),
    /tok-abcdef123/,
  );
  assert.match(failed.main.stdout, /::add-mask::tok-abcdef123/, 'the token is masked before anything else');
  const left = (await readdir(unreachable.runner.runnerTemp)).filter((n) =>
    n.startsWith('goproxy-action-credentials-'),
  );
  assert.deepEqual(left, [], 'the NETRC directory is removed when setup fails');
  assert.deepEqual(failed.exported, {}, 'nothing exported');
  for (const j of [plain, unreachable]) await rm(j.runner.runnerTemp, { recursive: true, force: true });
});

test('remote mode over https with credentials: the go command authenticates from our NETRC (user entries kept); post removes it', async () => {
  // An https module proxy on loopback that wants Basic credentials and forwards to the fixture
  // proxy. Its self-signed certificate is trusted through NODE_EXTRA_CA_CERTS (the action) and
  // SSL_CERT_FILE (the go command).
  const dir = await mkdtemp(join(tmpdir(), 'gpa-tls-'));
  const { key, cert } = await makeLoopbackCertificate(dir);
  const expected = `Basic ${Buffer.from('ci:s3cret-pass').toString('base64')}`;
  const seen: (string | undefined)[] = [];
  const server = createHttpsServer(
    { key: await readFile(key), cert: await readFile(cert) },
    async (req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'text/plain' });
        return res.end('credentials required');
      }
      const upstream = await fetch(`${remote.url}${req.url}`);
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'text/plain',
      });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    },
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const proxyUrl = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const userNetrc = join(dir, 'user-netrc');
  await writeFile(userNetrc, 'machine git.example.com login me password mine\n', { mode: 0o600 });
  try {
    const runnerEnv = {
      ...goEnv({ goproxy: 'off', gosumdb: neverAskedSumdb }),
      NODE_EXTRA_CA_CERTS: cert,
      SSL_CERT_FILE: cert,
      NETRC: userNetrc,
    };
    const job = await newJob({
      distDir,
      env: runnerEnv,
      inputs: {
        mode: 'remote',
        'proxy-url': proxyUrl,
        'proxy-username': 'ci',
        'proxy-password': 's3cret-pass',
      },
      workspace: world.program,
    });
    const main = await job.runMain();
    assert.equal(main.main.code, 0, main.main.stdout + main.main.stderr);
    const netrc = main.exported.NETRC ?? '';
    assert.ok(netrc.startsWith(job.runner.runnerTemp), 'the NETRC lives in RUNNER_TEMP');
    assert.equal((await stat(netrc)).mode & 0o777, 0o600);
    assert.equal(
      await readFile(netrc, 'utf8'),
      `machine ${new URL(proxyUrl).host} login ci password s3cret-pass\nmachine git.example.com login me password mine\n`,
    );
    const printed = (main.main.stdout + main.main.stderr).replace(/^::add-mask::.*$/gm, '');
    assert.doesNotMatch(printed, /s3cret-pass/);
    seen.length = 0;
    const build = await runGo(['build', '-o', join(job.runner.runnerTemp, 'p'), '.'], world.program, {
      ...runnerEnv,
      ...main.exported,
    });
    assert.equal(build.code, 0, build.stderr);
    assert.ok(
      seen.length > 0 && seen.every((a) => a === expected),
      'every go command request carried the NETRC credentials',
    );
    const done = await job.runPost(main);
    assert.equal(done.post?.code, 0);
    await assert.rejects(stat(netrc), 'post removed the NETRC');
    assert.equal(
      await readFile(userNetrc, 'utf8'),
      'machine git.example.com login me password mine\n',
      "the user's netrc is untouched",
    );
    await rm(job.runner.runnerTemp, { recursive: true, force: true });
  } finally {
    server.close();
    server.closeAllConnections();
    await rm(dir, { recursive: true, force: true });
  }
});

// Credentials for a private https upstream, as the go command handles them: userinfo in the
// URL is sent as Basic auth, NETRC supplies them otherwise, userinfo over plain http is refused,
// and the token appears nowhere: not in the output, the command line (with --upstream-env),
// error bodies, statistics or the audit log.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { makeLoopbackCertificate } from '../support/loopback-certificate.ts';
import { diffDigests, modCacheDigest } from '../support/mod-cache-compare.ts';

const cli = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
const user = 'ci';
const token = 'tok-Zq8s3cretK9f1';
const expected = `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;

let world: FixtureWorld;
let fixture: FixtureProxy;
let root = '';
let cert = '';
let server: Server;
let httpsHost = '';
const seen: (string | undefined)[] = [];

before(async () => {
  world = await createFixtureWorld();
  fixture = await startFixtureProxy({ dir: world.dir });
  root = makeTempDir('upstream-credentials');
  const made = await makeLoopbackCertificate(root);
  const key = made.key;
  cert = made.cert;
  // A private module proxy over https that wants Basic credentials; it forwards to the
  // fixture proxy, except for a module it fails on (for error bodies) and a corrupt zip.
  server = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, async (req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      return res.end('credentials required');
    }
    if (req.url?.startsWith('/example.com/failing/')) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      return res.end('internal trouble');
    }
    if (req.url === '/example.com/corrupt/@v/v1.0.0.zip') {
      res.writeHead(200, { 'content-type': 'application/zip' });
      return res.end('this is not a zip archive');
    }
    const upstream = await fetch(`${fixture.url}${req.url}`);
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  httpsHost = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

after(async () => {
  server?.close();
  server?.closeAllConnections();
  await fixture?.close();
  await world?.remove();
  await rm(root, { recursive: true, force: true });
});

type Serve = { child: ChildProcess; url: string; adminUrl: string; adminToken: string; output: () => string };

async function startServe(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Serve> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const readyFile = join(dir, 'ready.json');
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--ready-file', readyFile, '--store', join(dir, 'store'), '--gosumdb', 'off', ...args],
    {
      cwd: world.program,
      env: {
        PATH: process.env.PATH,
        HOME: join(dir, 'home'),
        GOENV: 'off',
        GOTOOLCHAIN: 'local',
        GOPRIVATE: '',
        GONOPROXY: '',
        GONOSUMDB: '',
        NODE_EXTRA_CA_CERTS: cert,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  for (let i = 0; i < 400 && !existsSync(readyFile); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!existsSync(readyFile)) {
    child.kill('SIGKILL');
    assert.fail(`serve ${name} did not become ready: ${output}`);
  }
  // Wait for the banner too: it is printed after the ready file.
  for (let i = 0; i < 400 && !output.includes('export GOPROXY='); i++)
    await new Promise((r) => setTimeout(r, 25));
  const ready = JSON.parse(await readFile(readyFile, 'utf8')) as {
    url: string;
    adminUrl: string;
    token: string;
  };
  return { child, url: ready.url, adminUrl: ready.adminUrl, adminToken: ready.token, output: () => output };
}

async function stop(serve: Serve): Promise<void> {
  const { child } = serve;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(force);
}

/** go mod download through the proxy leaves the same module cache as file:// of the fixtures. */
async function assertDownloadsLikeFile(proxyUrl: string): Promise<void> {
  const viaProxy = makeTempDir('modcache-proxy');
  const viaFile = makeTempDir('modcache-file');
  for (const [goproxy, gomodcache] of [
    [proxyUrl, viaProxy],
    [pathToFileURL(world.dir).href, viaFile],
  ] as const) {
    const result = await runGo(['mod', 'download', 'all'], world.program, goEnv({ goproxy, gomodcache }));
    assert.equal(result.code, 0, `GOPROXY=${goproxy}: ${result.stderr}`);
  }
  assert.deepEqual(diffDigests(await modCacheDigest(viaProxy), await modCacheDigest(viaFile)), []);
  await Promise.all([viaProxy, viaFile].map((d) => rm(d, { recursive: true, force: true })));
}

test('an https upstream with user:token in its URL gets Basic auth; the token is printed, served and logged nowhere', async () => {
  seen.length = 0;
  const audit = join(root, 'url-audit.jsonl');
  const serve = await startServe('url', [
    '--upstream',
    `https://${user}:${token}@${httpsHost}`,
    '--audit-log',
    audit,
  ]);
  try {
    await assertDownloadsLikeFile(serve.url);
    assert.ok(seen.length > 0, 'the upstream was asked');
    assert.deepEqual(
      seen.filter((a) => a !== expected),
      [],
      'every upstream request carried the Basic credentials',
    );

    const failing = await fetch(`${serve.url}/example.com/failing/@v/list`);
    const failingBody = await failing.text();
    assert.equal(failing.status, 502);
    assert.match(
      failingBody,
      new RegExp(`https://${httpsHost.replace(/\./g, '\\.')}/example\\.com/failing/@v/list`),
    );
    const corrupt = await fetch(`${serve.url}/example.com/corrupt/@v/v1.0.0.zip`);
    const corruptBody = await corrupt.text();
    assert.equal(corrupt.status, 502, corruptBody);
    assert.match(corruptBody, /example\.com\/corrupt@v1\.0\.0/);
    assert.doesNotMatch(corruptBody, /\.tmp-|\/store\//, 'no local temp path in the error body');

    const stats = await (
      await fetch(`${serve.adminUrl}/stats`, { headers: { authorization: `Bearer ${serve.adminToken}` } })
    ).text();
    const auditLog = await readFile(audit, 'utf8');
    assert.ok(auditLog.includes('example.com/failing'), 'the audit log has the requests');
    assert.match(
      serve.output(),
      new RegExp(`upstream: https://${user}:xxxxx@${httpsHost.replace(/\./g, '\\.')}`),
    );
    assert.match(serve.output(), /warning: --upstream holds credentials/);
    for (const [where, text] of Object.entries({
      'serve output': serve.output(),
      'error body (upstream failure)': failingBody,
      'error body (invalid zip)': corruptBody,
      statistics: stats,
      'audit log': auditLog,
    })) {
      assert.ok(!text.includes(token), `the token appears in the ${where}`);
    }
  } finally {
    await stop(serve);
  }
});

test('--upstream-env keeps the credentials off the command line; they still reach the upstream', async () => {
  seen.length = 0;
  const serve = await startServe('env', ['--upstream-env', 'PRIVATE_GOPROXY'], {
    PRIVATE_GOPROXY: `https://${user}:${token}@${httpsHost}`,
  });
  try {
    const cmdline = await readFile(`/proc/${serve.child.pid}/cmdline`, 'utf8');
    assert.ok(cmdline.includes('PRIVATE_GOPROXY'), cmdline);
    assert.ok(!cmdline.includes(token), 'the token is not in /proc/<pid>/cmdline');
    await assertDownloadsLikeFile(serve.url);
    assert.ok(seen.length > 0 && seen.every((a) => a === expected), 'every request authenticated');
    assert.ok(!serve.output().includes(token), serve.output());
    assert.doesNotMatch(serve.output(), /warning/);
  } finally {
    await stop(serve);
  }
});

test('without userinfo, NETRC supplies the credentials for the https upstream', async () => {
  seen.length = 0;
  const netrc = join(root, 'user-netrc');
  await writeFile(netrc, `machine ${httpsHost} login ${user} password ${token}\n`, { mode: 0o600 });
  const serve = await startServe('netrc', ['--upstream', `https://${httpsHost}`], { NETRC: netrc });
  try {
    await assertDownloadsLikeFile(serve.url);
    assert.ok(
      seen.length > 0 && seen.every((a) => a === expected),
      'every request carried the netrc credentials',
    );
  } finally {
    await stop(serve);
  }
});

test('credentials in a plain-http upstream are refused at start, as the go command refuses them', async () => {
  const run = spawn(
    process.execPath,
    [cli, 'serve', '--store', join(root, 'refused'), '--gosumdb', 'off', '--upstream-env', 'U'],
    {
      cwd: world.program,
      env: {
        PATH: process.env.PATH,
        HOME: root,
        GOENV: 'off',
        U: `${fixture.url.replace('://', `://${user}:${token}@`)}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  run.stdout.on('data', (d) => (output += d));
  run.stderr.on('data', (d) => (output += d));
  const code = await new Promise((resolve) => run.once('exit', resolve));
  assert.equal(code, 2, output);
  assert.match(output, /refusing to pass credentials to insecure URL: http:\/\/ci:xxxxx@127\.0\.0\.1/);
  assert.ok(!output.includes(token));
  assert.equal(output.trim().split('\n').length, 1, `one line: ${output}`);
});

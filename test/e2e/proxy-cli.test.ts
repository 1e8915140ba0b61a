// `goproxy-action serve` as a process: ready file, admin token, graceful SIGTERM, a SIGKILL
// in the middle of a download (no partial file ever visible; a restart serves correctly),
// and a full disk (the module is still served, not stored, and the statistics say so).
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { escapePath } from '../../src/gomod/module-path.ts';
import { cliNode, cliScript } from '../support/cli-under-test.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';

const cli = cliScript;
let world: FixtureWorld;
let upstream: FixtureProxy;

before(async () => {
  world = await createFixtureWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
});

// A failed assertion must not leave a proxy running: the test file would never end.
const started = new Set<ChildProcess>();

after(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await upstream.close();
  await world.remove();
});

type Ready = { url: string; pid: number; adminUrl: string; token: string };

function serveEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: makeTempDir('home'),
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    GOSUMDB: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
  };
}

async function startServe(
  args: string[],
  wrap: string[] = [],
): Promise<{ child: ChildProcess; ready: Ready; readyFile: string; log: () => string }> {
  const readyFile = join(makeTempDir('ready'), 'ready.json');
  const argv = [...wrap, cliNode, cli, 'serve', '--ready-file', readyFile, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { env: serveEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  // The file appears before its content, and a loaded machine may take a while: read until it parses.
  let ready: Ready | null = null;
  for (let i = 0; i < 1200 && ready === null && child.exitCode === null; i++) {
    ready = existsSync(readyFile) ? await readFile(readyFile, 'utf8').then(parseReady) : null;
    if (ready === null) await new Promise((r) => setTimeout(r, 25));
  }
  if (ready === null) child.kill('SIGKILL');
  assert.ok(ready, `serve did not become ready: ${output}`);
  return { child, ready, readyFile, log: () => output };
}

function parseReady(text: string): Ready | null {
  try {
    return JSON.parse(text) as Ready;
  } catch {
    return null;
  }
}

function exitOf(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? String(signal))));
}

test('serve: ready file (0600) with url, pid, adminUrl and token; admin needs the token; SIGTERM exits 0', async () => {
  const store = join(makeTempDir('store'), 'store');
  const { child, ready, readyFile, log } = await startServe([
    '--store',
    store,
    '--upstream',
    upstream.url,
    '--go-sum',
    join(world.program, 'go.sum'),
  ]);
  assert.equal(statSync(readyFile).mode & 0o777, 0o600);
  assert.equal(ready.pid, child.pid);
  assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(ready.adminUrl, `${ready.url}/_admin`);
  assert.match(log(), new RegExp(`export GOPROXY='${ready.url}'`));
  const download = await runGo(['mod', 'download', 'all'], world.program, goEnv({ goproxy: ready.url }));
  assert.equal(download.code, 0, download.stderr);
  assert.equal((await request(`${ready.adminUrl}/stats`)).statusCode, 401);
  const wrong = await request(`${ready.adminUrl}/stats`, { headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.statusCode, 401);
  const stats = await request(`${ready.adminUrl}/stats`, {
    headers: { authorization: `Bearer ${ready.token}` },
  });
  const body = (await stats.body.json()) as {
    totals: { misses: number };
    store: { files: number };
    byKind: { zip: { p95Ms: number } };
  };
  assert.ok(body.totals.misses > 0);
  assert.ok(body.store.files > 0);
  assert.ok(body.byKind.zip.p95Ms >= 0);
  assert.ok(!log().includes(ready.token), 'the token is never printed');
  child.kill('SIGTERM');
  assert.equal(await exitOf(child), 0);
});

test('SIGKILL in the middle of a download leaves no partial blob visible; a restart serves correctly', async () => {
  const { path, required } = world.roles.majorV2;
  const zipUrlPath = `/${escapePath(path)}/@v/${required}.zip`;
  const zipBytes = await readFile(join(world.dir, zipUrlPath));
  // An upstream that sends half the zip, then stalls until the proxy dies.
  const stall = createServer((req, res) => {
    if (req.url !== zipUrlPath) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': String(zipBytes.length) });
    res.write(zipBytes.subarray(0, zipBytes.length >> 1));
  });
  await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
  const stallUrl = `http://127.0.0.1:${(stall.address() as AddressInfo).port}`;
  const store = join(makeTempDir('store'), 'store');
  const goSum = join(world.program, 'go.sum');
  try {
    const first = await startServe(['--store', store, '--upstream', stallUrl, '--go-sum', goSum]);
    const pending = request(`${first.ready.url}${zipUrlPath}`).catch(() => null);
    const tempSeen = () => {
      const dir = join(store, escapePath(path), '@v');
      return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('.tmp-'));
    };
    for (let i = 0; i < 100 && !tempSeen(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(tempSeen(), 'the download was under way');
    first.child.kill('SIGKILL');
    await exitOf(first.child);
    await pending;
    const final = join(store, escapePath(path), '@v', `${required}.zip`);
    assert.ok(!existsSync(final), 'no partial blob under its final name');

    const second = await startServe(['--store', store, '--upstream', upstream.url, '--go-sum', goSum]);
    const dir = join(store, escapePath(path), '@v');
    // The sweep runs once the proxy is ready (start-up time): wait for it, generously.
    const hasTemp = () => readdirSync(dir).some((f) => f.startsWith('.tmp-'));
    for (let i = 0; i < 300 && hasTemp(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!hasTemp(), 'the restart cleared the temp file');
    const run = await runGo(
      ['mod', 'download', `${path}@${required}`],
      world.program,
      goEnv({ goproxy: second.ready.url }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await readFile(final), zipBytes);
    second.child.kill('SIGTERM');
    assert.equal(await exitOf(second.child), 0);
  } finally {
    stall.closeAllConnections();
    stall.close();
  }
});

function canMountTmpfs(): boolean {
  try {
    execFileSync(
      'unshare',
      ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'],
      { stdio: 'ignore' },
    );
    return true;
  } catch {
    return false;
  }
}

test('disk full: the module is still served, not stored, and the statistics say so', async () => {
  assert.ok(
    canMountTmpfs(),
    'this test needs unshare with user and mount namespaces to get a real full disk',
  );
  const big = await world.addDependency({
    path: 'example.com/big/blob',
    version: 'v1.0.0',
    files: {
      'blob.go': `package blob\n\n// Data is incompressible filler.\nconst Data = "${randomBytes(96 * 1024).toString('base64')}"\n`,
    },
  });
  const store = join(makeTempDir('store'), 'store');
  // serve runs in a private mount namespace where the store is a 64 KiB tmpfs.
  const wrap = [
    'unshare',
    '--user',
    '--map-root-user',
    '--mount',
    'sh',
    '-c',
    `mkdir -p "${store}" && mount -t tmpfs -o size=64k tmpfs "${store}" && exec "$@"`,
    'sh',
  ];
  const served = await startServe(
    ['--store', store, '--upstream', upstream.url, '--go-sum', join(world.program, 'go.sum')],
    wrap,
  );
  try {
    const run = await runGo(
      ['mod', 'download', `${big.path}@${big.version}`],
      world.program,
      goEnv({ goproxy: served.ready.url }),
    );
    assert.equal(run.code, 0, run.stderr);
    // The statistics count a download once its store write has ended (here: failed), which
    // may be after the go command got its answer: wait for the writes first.
    const flushed = await request(`${served.ready.adminUrl}/flush`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served.ready.token}` },
    });
    assert.equal(flushed.statusCode, 200, await flushed.body.text());
    const stats = await request(`${served.ready.adminUrl}/stats`, {
      headers: { authorization: `Bearer ${served.ready.token}` },
    });
    const body = (await stats.body.json()) as {
      totals: { notStored: number };
      modules: { path: string; notStored: number }[];
    };
    assert.ok(body.totals.notStored >= 1, JSON.stringify(body.totals));
    assert.ok(body.modules.find((m) => m.path === big.path)!.notStored >= 1);
  } finally {
    served.child.kill('SIGTERM');
    assert.equal(await exitOf(served.child), 0);
  }
});

test('serve --policy: a malformed policy stops it before anything is fetched; a valid one is enforced', async () => {
  const dir = makeTempDir('policy');
  const bad = join(dir, 'bad.yml');
  await writeFile(bad, 'deny:\n  - module: example.com/lib\n    versions: ">= banana"\n');
  upstream.resetLog();
  const run = spawnSync(cliNode, [cli, 'serve', '--policy', bad, '--upstream', upstream.url], {
    env: serveEnv(),
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /bad\.yml:3:\d+/);
  assert.deepEqual(
    upstream.requests.filter((r) => r.path.includes('example.com/lib')),
    [],
  );
  const missing = spawnSync(cliNode, [cli, 'serve', '--policy', join(dir, 'nope.yml')], {
    env: serveEnv(),
    encoding: 'utf8',
  });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /nope\.yml: the policy file does not exist/);

  const good = join(dir, 'good.yml');
  await writeFile(good, 'deny:\n  - module: example.com/lib\n    reason: "use example.com/lib/v2"\n');
  const served = await startServe([
    '--policy',
    good,
    '--upstream',
    upstream.url,
    '--store',
    join(dir, 'store'),
  ]);
  try {
    const res = await request(`${served.ready.url}/example.com/lib/@v/v1.5.0.zip`);
    assert.equal(res.statusCode, 403);
    assert.match(await res.body.text(), /use example\.com\/lib\/v2/);
  } finally {
    served.child.kill('SIGTERM');
    assert.equal(await exitOf(served.child), 0);
  }
});

test('serve runs without a go binary (a Node-only service image) when --upstream and --gosumdb are given', async () => {
  const readyFile = join(makeTempDir('nogo'), 'ready.json');
  const args = [cli, 'serve', '--ready-file', readyFile, '--upstream', upstream.url, '--gosumdb', 'off'];
  args.push('--store', join(makeTempDir('store'), 'store'), '--go-sum', join(world.program, 'go.sum'));
  const child = spawn(cliNode, args, {
    env: { PATH: '/nonexistent', HOME: makeTempDir('home') },
    stdio: 'ignore',
  });
  started.add(child);
  try {
    // The file appears before its content: read until it parses.
    let ready: Ready | null = null;
    for (let i = 0; i < 1200 && ready === null && child.exitCode === null; i++) {
      ready = existsSync(readyFile) ? await readFile(readyFile, 'utf8').then(parseReady) : null;
      if (ready === null) await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(ready, 'serve became ready without a go binary');
    const res = await request(`${ready.url}/${escapePath(world.roles.upperCase.path)}/@v/v1.1.0.zip`);
    assert.equal(res.statusCode, 200);
    await res.body.dump();
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
  }
});

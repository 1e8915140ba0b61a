// Blobs without a go.sum line (a `go get`, a `go install tool@version`) are verified
// against the checksum database before they are stored, and the go command's own checksum
// traffic goes through the proxy's /sumdb/ pass-through. The database is a fixture with
// its own key, so this is hermetic; the real go command is the judge of both.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { escapePath } from '../../src/gomod/module-path.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureSumdb, type FixtureSumdb } from '../support/fixture-sumdb.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

let world: FixtureWorld;
let sumdb: FixtureSumdb;
let upstream: FixtureProxy;
let plainUpstream: FixtureProxy;

before(async () => {
  world = await createFixtureWorld();
  sumdb = await createFixtureSumdb();
  sumdb.add(world.goSum);
  upstream = await startFixtureProxy({
    dir: world.dir,
    sumdb: { name: sumdb.name, handle: (p) => sumdb.handle(p) },
  });
  plainUpstream = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await upstream.close();
  await plainUpstream.close();
  await sumdb.close();
  await world.remove();
});

const gosumdb = () => sumdb.vkey; // `<name>+<hash>+<key>`: the key, no URL

test('go get with no go.sum: blobs verified by the checksum database through the proxy, then stored', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, gosumdb: gosumdb() });
  try {
    const { path, required } = world.roles.majorV2;
    const work = makeTempDir('noguosum');
    const env = goEnv({ goproxy: proxy.url, gosumdb: gosumdb(), extra: { GOFLAGS: '-modcacherw -mod=mod' } });
    const run = await runGo(['mod', 'download', '-json', `${path}@${required}`], work, env);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const zip = `${proxy.storeDir}/${escapePath(path)}/@v/${required}.zip`;
    assert.ok(existsSync(zip), 'verified zip stored');
    const meta = JSON.parse(
      await readFile(
        `${proxy.storeDir}/.goproxy-action/meta/${escapePath(path)}/@v/${required}.json`,
        'utf8',
      ),
    );
    assert.equal(meta.verification, 'verified:sumdb');
    const asked = sumdb.requests.join('\n');
    assert.match(asked, /^supported$/m, 'the go command found the database through our proxy');
    assert.match(asked, /lookup\//);
  } finally {
    await proxy.close();
  }
});

test('a blob that does not match the checksum database is refused and not stored', async () => {
  const { path, required } = world.roles.upperCase;
  const target = `/${escapePath(path)}/@v/${required}.zip`;
  upstream.setFault((p) => p === target, { kind: 'corrupt' });
  const proxy = await startTestProxy({ upstream: upstream.url, gosumdb: gosumdb(), http: { attempts: 1 } });
  try {
    const res = await request(`${proxy.url}${target}`);
    const text = await res.body.text();
    assert.equal(res.statusCode, 502);
    assert.match(text, /checksum mismatch for example\.com\/Upper\/Lib@v1\.1\.0.*checksum database/s);
    assert.ok(!existsSync(`${proxy.storeDir}/${escapePath(path)}/@v/${required}.zip`));
  } finally {
    upstream.clearFaults();
    await proxy.close();
  }
});

test('sumdb supported is 200 only when the upstream really serves the database', async () => {
  const serving = await startTestProxy({ upstream: upstream.url, gosumdb: gosumdb() });
  const notServing = await startTestProxy({ upstream: plainUpstream.url, gosumdb: gosumdb() });
  const direct = await startTestProxy({ upstream: 'direct', gosumdb: gosumdb() });
  try {
    assert.equal((await request(`${serving.url}/sumdb/${sumdb.name}/supported`)).statusCode, 200);
    assert.equal((await request(`${notServing.url}/sumdb/${sumdb.name}/supported`)).statusCode, 404);
    assert.equal((await request(`${direct.url}/sumdb/${sumdb.name}/supported`)).statusCode, 404);
    const latest = await request(`${serving.url}/sumdb/${sumdb.name}/latest`);
    assert.equal(latest.statusCode, 200);
    assert.match(await latest.body.text(), /go\.sum database tree/);
  } finally {
    await serving.close();
    await notServing.close();
    await direct.close();
  }
});

test('checksum database lookups of private modules are refused, never forwarded', async () => {
  const proxy = await startTestProxy({
    upstream: upstream.url,
    gosumdb: gosumdb(),
    // As every surface passes them (the job environment): GOPRIVATE-style patterns are in both.
    privatePatterns: ['example.com/upper'],
    noSumPatterns: ['example.com/upper'],
  });
  try {
    const before = sumdb.requests.length;
    const res = await request(`${proxy.url}/sumdb/${sumdb.name}/lookup/example.com/!upper/!lib@v1.1.0`);
    assert.equal(res.statusCode, 403);
    assert.match(await res.body.text(), /private/);
    assert.equal(sumdb.requests.length, before, 'nothing reached the database');
  } finally {
    await proxy.close();
  }
});

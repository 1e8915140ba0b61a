// Adversarial audit of the hardened engine (issue 8): classes the other suites do not reach.
// Each test here failed before its fix.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { escapePath } from '../../src/gomod/module-path.ts';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startServeProcess } from '../support/serve-process.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const ranged = 'example.com/audit/ranged';
// Over the streaming threshold (1 MiB): a cold fetch of it is streamed to its first client.
const big: FixtureModule = {
  path: 'example.com/audit/big',
  version: 'v1.0.0',
  files: {
    'big.go': `package big\n\n// Data is filler.\nconst Data = "${randomBytes(6 << 20).toString('base64')}"\n`,
  },
};
const aged = 'example.com/audit/aged';
const retracting = 'example.com/audit/retracting';
const modules: FixtureModule[] = [
  { path: ranged, version: 'v1.0.0' },
  { path: ranged, version: 'v1.5.0' },
  big,
  { path: aged, version: 'v1.0.0' },
  { path: retracting, version: 'v1.0.0' },
  {
    path: retracting,
    version: 'v1.1.0',
    goMod: `module ${retracting}\n\ngo 1.21\n\n// Broken.\nretract v1.0.0\n`,
  },
];
const policyText = `deny:
  - module: ${ranged}
    versions: ">= v1.5.0"
    reason: "v1.5.0 corrupts data"
`;

let dir: string;
let upstream: FixtureProxy;
let goSumFile: string;

before(async () => {
  dir = makeTempDir('audit-fixtures');
  await writeFixtureModules(dir, modules);
  upstream = await startFixtureProxy({ dir });
  goSumFile = join(makeTempDir('audit-gosum'), 'go.sum');
  await writeFile(goSumFile, await goSumFor(dir, modules));
});

after(async () => {
  await upstream.close();
});

async function get(base: string, path: string) {
  const res = await request(`${base}${path}`);
  return { status: res.statusCode, text: await res.body.text() };
}

test('audit: an upstream list naming a blocked version in another semver spelling (v1.5, v1.5.0+meta) is filtered too; go list and @latest see only allowed versions', async () => {
  // The go command keeps every line whose first field is valid semver (not only canonical
  // ones) and asks for its .info; the filter must not let another spelling of a blocked
  // version through, and an @latest naming one must not be passed on unjudged.
  await writeFile(join(dir, escapePath(ranged), '@v', 'list'), 'v1.0.0\nv1.5.0\nv1.5.0+meta\nv1.5\n');
  const proxy = await startTestProxy({
    upstream: upstream.url,
    policy: new ProxyPolicy(parsePolicyText(policyText, '.goproxy.yml')),
  });
  try {
    const list = await get(proxy.url, `/${ranged}/@v/list`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.text.trim().split('\n'), ['v1.0.0']);
    // The fixture upstream answers @latest from its list: here `v1.5`, a spelling of v1.5.0.
    const latest = await get(proxy.url, `/${ranged}/@latest`);
    assert.equal(latest.status, 200, latest.text);
    assert.equal(JSON.parse(latest.text).Version, 'v1.0.0');

    const work = makeTempDir('audit-list');
    const env = goEnv({ goproxy: proxy.url, extra: { GOFLAGS: '-modcacherw -mod=mod' } });
    await writeFile(join(work, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
    const versions = await runGo(['list', '-m', '-versions', ranged], work, env);
    assert.equal(versions.code, 0, versions.stderr);
    assert.equal(versions.stdout.trim(), `${ranged} v1.0.0`);
    const got = await runGo(['get', `${ranged}@latest`], work, env);
    assert.equal(got.code, 0, got.stderr);
  } finally {
    await proxy.close();
    await writeFile(join(dir, escapePath(ranged), '@v', 'list'), 'v1.0.0\nv1.5.0\n');
  }
});

test('audit: a client that stops reading a streamed cold zip cannot hold that blob from every other client', async () => {
  // The first client of a cold zip gets it streamed, and the one fetch is shared. A client that
  // takes nothing (a stopped process, a hostile one) held the fetch on its socket's drain
  // forever: every later client of the blob waited with it, past the fetch deadline.
  const proxy = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [goSumFile],
    http: { attempts: 1, timeoutMs: 2_000 },
  });
  const path = `/${escapePath(big.path)}/@v/${big.version}.zip`;
  let stalled: ReturnType<typeof httpGet> | null = null;
  try {
    const first = await new Promise<number>((resolve, reject) => {
      stalled = httpGet(`${proxy.url}${path}`, (res) => {
        res.pause(); // takes the headers, then nothing
        resolve(res.statusCode ?? 0);
      });
      stalled.on('error', reject);
    });
    assert.equal(first, 200);
    const second = await request(`${proxy.url}${path}`);
    const body = Buffer.from(await second.body.arrayBuffer());
    assert.equal(second.statusCode, 200);
    assert.equal(second.headers['content-length'], String(body.length));
    assert.ok(body.length > 1 << 20);
    assert.ok(existsSync(join(proxy.storeDir, escapePath(big.path), '@v', `${big.version}.zip`)), 'stored');
  } finally {
    (stalled as ReturnType<typeof httpGet> | null)?.destroy();
    await proxy.close();
  }
});

test('audit: a metadata decision made while its inputs could not be fetched is not recorded: one upstream hiccup neither denies a version nor lets a retracted one through for good', async () => {
  // Recorded decisions live in the store, which CI carries from run to run. One made from a
  // failed .info fetch (min-age: "no publication time") or a failed @latest (retractions
  // unknown) was recorded like any other and replayed until the policy changed.
  const policy = new ProxyPolicy(
    parsePolicyText('rules:\n  retracted: deny\n  min-age: 72h\n', '.goproxy.yml'),
  );
  const proxy = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [goSumFile],
    policy,
    http: { attempts: 1 },
  });
  const infoOfAged = (p: string) => p === `/${aged}/@v/v1.0.0.info`;
  const latestOfRetracting = (p: string) => p === `/${retracting}/@latest`;
  try {
    upstream.setFault(infoOfAged, { kind: 'status', status: 503 });
    const hiccup = await get(proxy.url, `/${aged}/@v/v1.0.0.zip`);
    assert.equal(hiccup.status, 403, 'no time while the upstream fails: denied for now');
    upstream.setFault(infoOfAged, null);
    const later = await get(proxy.url, `/${aged}/@v/v1.0.0.zip`);
    assert.equal(later.status, 200, later.text);

    upstream.setFault(latestOfRetracting, { kind: 'status', status: 503 });
    await get(proxy.url, `/${retracting}/@v/v1.0.0.zip`);
    upstream.setFault(latestOfRetracting, null);
    const retracted = await get(proxy.url, `/${retracting}/@v/v1.0.0.zip`);
    assert.equal(retracted.status, 403, retracted.text);
    assert.match(retracted.text, /rules\.retracted/);
  } finally {
    upstream.clearFaults();
    await proxy.close();
  }
});

test('audit: a query version holding what Go allows in a file name (#, %, space) reaches the upstream percent-encoded, as one path, and never as a 5xx', async () => {
  // Go's version rules allow `#`, `%` and a space in a query (.info of a non-canonical version).
  // Put in the upstream URL unencoded, `#` cut the path short (an .info query for
  // `v1.5.0.zip#` made the upstream send the zip of a version the policy denies) and `%`
  // broke a file:// upstream (500: URI malformed).
  const policy = new ProxyPolicy(parsePolicyText(policyText, '.goproxy.yml'));
  const proxy = await startTestProxy({ upstream: upstream.url, policy, http: { attempts: 1 } });
  const fileProxy = await startTestProxy({ upstream: pathToFileURL(dir).href, http: { attempts: 1 } });
  try {
    upstream.resetLog();
    const queries = ['v1.5.0.zip%23.info', 'v1.5.0.mod%23x.info', '%25.info', '%25zz.info', 'a%20b.info'];
    for (const file of queries) {
      const res = await get(proxy.url, `/${ranged}/@v/${file}`);
      assert.ok(res.status >= 400 && res.status < 500, `${file}: ${res.status} ${res.text}`);
      const onFile = await get(fileProxy.url, `/${ranged}/@v/${file}`);
      assert.ok(
        onFile.status >= 400 && onFile.status < 500,
        `file:// ${file}: ${onFile.status} ${onFile.text}`,
      );
    }
    const asked = upstream.requests.map((r) => r.path);
    assert.deepEqual(
      asked,
      [
        `/${ranged}/@v/v1.5.0.zip#.info`,
        `/${ranged}/@v/v1.5.0.mod#x.info`,
        `/${ranged}/@v/%.info`,
        `/${ranged}/@v/%zz.info`,
        `/${ranged}/@v/a b.info`,
      ],
      'each query reached the upstream whole, as the path it names',
    );
    assert.ok(
      upstream.requests.every((r) => r.status !== 200),
      'no blob was sent for a query',
    );
  } finally {
    await proxy.close();
    await fileProxy.close();
  }
});

test('audit: an audit log the disk refuses (ENOSPC) does not kill the process: the module is still served, and the log failure is said once', async () => {
  // The audit log's write stream had no error listener: the first entry written to a full disk
  // raised an unhandled 'error' event and the process exited. /dev/full refuses every write
  // with ENOSPC.
  const store = makeTempDir('audit-store');
  const serve = await startServeProcess([
    '--store',
    store,
    '--upstream',
    upstream.url,
    '--go-sum',
    goSumFile,
    '--gosumdb',
    'off',
    '--audit-log',
    '/dev/full',
  ]);
  try {
    for (let i = 0; i < 3; i++) {
      const res = await get(serve.ready.url, `/${ranged}/@v/v1.0.0.zip`);
      assert.equal(res.status, 200, res.text);
      // Let the failed write land before the next request.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const health = await get(serve.ready.url, '/_admin/healthz');
    assert.equal(health.status, 200);
    assert.equal(serve.child.exitCode, null, serve.log());
    assert.equal(serve.log().match(/audit log \/dev\/full/g)?.length, 1, serve.log());
  } finally {
    const code = await serve.stop();
    assert.equal(code, 0, serve.log());
  }
});

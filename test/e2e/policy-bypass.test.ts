// Policy enforcement through the real proxy: every bypass attempt of issue 4 (case-encoding,
// +incompatible, trailing slashes, `..`, percent-encoding, major-version suffixes) gets a 4xx
// and never reaches the upstream; denials are 403 text/plain that the real go command prints
// whole; metadata decisions (retracted, min-age) are recorded with the blob, so a warm proxy
// denies again without asking upstream; and the exported environment leaves no way around.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { jobGoEnv } from '../../src/policy/job-go-env.ts';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const hourAgo = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const modules: FixtureModule[] = [
  { path: 'example.com/evil-org/tool', version: 'v1.0.0' },
  { path: 'example.com/Evil-Org/tool', version: 'v1.0.0' },
  { path: 'example.com/evil-org/tool/v2', version: 'v2.0.0' },
  { path: 'example.com/some/lib', version: 'v1.3.0' },
  { path: 'example.com/some/lib', version: 'v1.5.0' },
  { path: 'example.com/some/lib', version: 'v2.0.0+incompatible', goMod: null },
  { path: 'example.com/good/lib', version: 'v1.0.0' },
  {
    path: 'example.com/good/lib',
    version: 'v1.1.0',
    goMod: 'module example.com/good/lib\n\ngo 1.21\n\n// Wrote the wrong files.\nretract v1.0.0\n',
  },
  { path: 'example.com/fresh/lib', version: 'v1.0.0', time: hourAgo },
];

const policyText = `deny:
  - example.com/evil-org
  - module: example.com/some/lib
    versions: ">= v1.2.0, < v1.4.2 || v2.0.0"
    reason: "CVE-2026-1234, upgrade to v1.5.0"
rules:
  retracted: deny
  min-age: 72h
`;

let fixtureDir: string;
let upstream: FixtureProxy;
let goSumFile: string;
const policy = new ProxyPolicy(parsePolicyText(policyText, '.goproxy.yml'));

before(async () => {
  fixtureDir = makeTempDir('policy-fixtures');
  await writeFixtureModules(fixtureDir, modules);
  goSumFile = join(makeTempDir('policy-gosum'), 'go.sum');
  await writeFile(goSumFile, await goSumFor(fixtureDir, modules));
  upstream = await startFixtureProxy({ dir: fixtureDir });
});
after(async () => {
  await upstream.close();
});

/** GET with the path sent exactly as written (no URL normalization of `..` or `%`). */
function rawGet(base: string, path: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    get({ host: hostname, port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    }).on('error', reject);
  });
}

function assertGoPrintable(body: string): void {
  const lines = body.trimEnd().split('\n');
  assert.ok(lines.length <= 8 && Buffer.byteLength(body) <= 600, body);
  assert.ok(
    lines.every((l) => l.trim() !== ''),
    'no blank line',
  );
}

test('bypass attempts: 403 (or 4xx for paths that are no module path), nothing reaches the upstream', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], policy });
  upstream.resetLog();
  try {
    const denied: [path: string, rule: RegExp][] = [
      ['/example.com/evil-org/tool/@v/v1.0.0.zip', /rule: deny example\.com\/evil-org/],
      ['/example.com/!evil-!org/tool/@v/v1.0.0.zip', /denied example\.com\/Evil-Org\/tool@v1\.0\.0/],
      ['/example.com/!e!v!i!l-org/tool/@v/list', /rule: deny example\.com\/evil-org/],
      ['/example.com/!evil-!org/tool/@latest', /rule: deny example\.com\/evil-org/],
      ['/example.com/evil-org/tool/@v/v1.0.0.info', /rule: deny example\.com\/evil-org/],
      ['/example.com/evil-org/tool/@v/v1.0.0.mod', /rule: deny example\.com\/evil-org/],
      ['/example.com/evil-org/tool/v2/@v/v2.0.0.zip', /denied example\.com\/evil-org\/tool\/v2@v2\.0\.0/],
      ['/example.com/!evil-org/tool/v2/@v/v2.0.0.mod', /rule: deny example\.com\/evil-org/],
      ['/example.com/some/lib/@v/v1.3.0.zip', /reason: CVE-2026-1234, upgrade to v1\.5\.0/],
      ['/example.com/!some/!lib/@v/v1.3.0.zip', /reason: CVE-2026-1234/],
      [
        '/example.com/some/lib/@v/v2.0.0+incompatible.zip',
        /denied example\.com\/some\/lib@v2\.0\.0\+incompatible/,
      ],
    ];
    for (const [path, rule] of denied) {
      const res = await rawGet(proxy.url, path);
      assert.equal(res.status, 403, `${path}: ${res.status} ${res.body}`);
      assert.match(res.type, /^text\/plain/);
      assert.match(res.body, rule, path);
      assert.match(res.body, /policy file: \.goproxy\.yml/);
      assertGoPrintable(res.body);
    }
    const malformed = [
      '/example.com/evil-org/tool//@v/v1.0.0.zip',
      '/example.com/evil-org/tool/@v/v1.0.0.zip/',
      '/example.com/good/../evil-org/tool/@v/v1.0.0.zip',
      '/example.com/good/lib/../../evil-org/tool/@v/v1.0.0.zip',
      '/example.com/./evil-org/tool/@v/v1.0.0.zip',
      '/example.com/evil%2Dorg/tool/@v/v1.0.0.zip',
      '/example.com/%65vil-org/tool/@v/v1.0.0.zip',
      '/example.com/evil-org%2Ftool/@v/v1.0.0.zip',
      '/example.com%2Fevil-org/tool/@v/v1.0.0.zip',
      '//example.com/evil-org/tool/@v/v1.0.0.zip',
      '/example.com/evil-org/tool/@v/v1.0.0%2Ezip',
      '/example.com/evil-org/tool/@v/v3.0.0+incompatible.zip',
      '/example.com/Evil-Org/tool/@v/v1.0.0.zip',
      '/example.com/evil-org/tool/@v/v1.0.0.zip%00',
    ];
    let policyDenied = denied.length;
    for (const path of malformed) {
      const res = await rawGet(proxy.url, path);
      assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status} ${res.body}`);
      if (res.status === 403) policyDenied++;
    }
    assert.deepEqual(
      upstream.requests.filter((r) => /evil/i.test(r.path)).map((r) => r.path),
      [],
      'no denied path reached the upstream',
    );
    assert.deepEqual(
      upstream.requests.filter((r) => r.path.endsWith('.zip')).map((r) => r.path),
      [],
      'no denied zip was fetched',
    );
    // The versioned deny refuses the zip only: the go.mod stays available (minimal version
    // selection reads it), and other versions are served.
    assert.equal((await rawGet(proxy.url, '/example.com/some/lib/@v/v1.3.0.mod')).status, 200);
    assert.equal((await rawGet(proxy.url, '/example.com/some/lib/@v/v2.0.0+incompatible.mod')).status, 200);
    assert.equal((await rawGet(proxy.url, '/example.com/some/lib/@v/v1.5.0.zip')).status, 200);

    const stats = (await (
      await fetch(`${proxy.adminUrl}/stats`, { headers: { authorization: `Bearer ${proxy.token}` } })
    ).json()) as {
      totals: { denied: number };
      denials: { module: string; version: string | null; rule: string }[];
    };
    assert.equal(stats.totals.denied, policyDenied);
    assert.ok(
      stats.denials.some(
        (d) => d.module === 'example.com/Evil-Org/tool' && d.rule === 'deny example.com/evil-org',
      ),
      JSON.stringify(stats.denials),
    );
  } finally {
    await proxy.close();
  }
});

test('the real go command prints the denial whole, and the exported environment has no way around it', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], policy });
  try {
    const exported = jobGoEnv({ goEnv: { GOSUMDB: 'off' } }, { kind: 'proxy', proxyUrl: proxy.url });
    const env = goEnv({ goproxy: exported.GOPROXY!, gosumdb: exported.GOSUMDB! });
    const work = makeTempDir('policy-go');
    const evil = await runGo(['mod', 'download', 'example.com/Evil-Org/tool@v1.0.0'], work, env);
    assert.notEqual(evil.code, 0);
    const body = policy.denialText(policy.beforeUpstream('example.com/Evil-Org/tool', 'v1.0.0', 'info'));
    assert.match(evil.stderr, /403 Forbidden/);
    for (const line of body.trimEnd().split('\n'))
      assert.ok(evil.stderr.includes(line), `missing ${line} in\n${evil.stderr}`);

    const incompatible = await runGo(
      ['mod', 'download', 'example.com/some/lib@v2.0.0+incompatible'],
      work,
      env,
    );
    assert.notEqual(incompatible.code, 0);
    assert.match(
      incompatible.stderr,
      /server response:\n\tgoproxy-action policy denied example\.com\/some\/lib@v2\.0\.0\+incompatible/,
    );
    assert.match(incompatible.stderr, /\treason: CVE-2026-1234, upgrade to v1\.5\.0\n/);

    const allowed = await runGo(['mod', 'download', 'example.com/some/lib@v1.5.0'], work, env);
    assert.equal(allowed.code, 0, allowed.stderr);

    // Why no fallback is exported: after `|` the go command routes around the 403.
    const routedAround = await runGo(
      ['mod', 'download', 'example.com/some/lib@v1.3.0'],
      work,
      goEnv({ goproxy: `${proxy.url}|file://${fixtureDir}` }),
    );
    assert.equal(routedAround.code, 0, 'with a fallback the denial is bypassed');
    const enforced = await runGo(
      ['mod', 'download', 'example.com/some/lib@v1.3.0'],
      work,
      goEnv({ goproxy: exported.GOPROXY! }),
    );
    assert.notEqual(enforced.code, 0);
  } finally {
    await proxy.close();
  }
});

test('metadata rules are decided once, recorded with the blob, and a warm proxy asks nobody', async () => {
  const auditLogFile = join(makeTempDir('policy-audit'), 'audit.jsonl');
  const cold = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [goSumFile],
    policy,
    auditLogFile,
  });
  const storeDir = cold.storeDir;
  try {
    const retracted = await rawGet(cold.url, '/example.com/good/lib/@v/v1.0.0.zip');
    assert.equal(retracted.status, 403, retracted.body);
    assert.match(retracted.body, /rule: rules\.retracted\nreason: retracted: Wrote the wrong files\./);
    const fresh = await rawGet(cold.url, '/example.com/fresh/lib/@v/v1.0.0.zip');
    assert.equal(fresh.status, 403, fresh.body);
    assert.match(fresh.body, /rule: rules\.min-age 72h\nreason: published .*, 1h ago \(author-set time\)/);
    assert.equal((await rawGet(cold.url, '/example.com/good/lib/@v/v1.1.0.zip')).status, 200);
  } finally {
    await cold.close();
  }
  const audit = (await readFile(auditLogFile, 'utf8'))
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as { module?: string; status?: number; decision?: { action: string; rule?: string } },
    );
  assert.ok(
    audit.some(
      (e) =>
        e.module === 'example.com/good/lib' && e.status === 403 && e.decision?.rule === 'rules.retracted',
    ),
  );

  upstream.resetLog();
  const warm = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], policy, storeDir });
  try {
    const again = await rawGet(warm.url, '/example.com/good/lib/@v/v1.0.0.zip');
    assert.equal(again.status, 403);
    assert.match(again.body, /retracted: Wrote the wrong files\./);
    assert.equal((await rawGet(warm.url, '/example.com/fresh/lib/@v/v1.0.0.zip')).status, 403);
    assert.equal((await rawGet(warm.url, '/example.com/good/lib/@v/v1.1.0.zip')).status, 200);
    assert.deepEqual(
      upstream.requests.map((r) => r.path),
      [],
      'the warm proxy decided from its records',
    );
  } finally {
    await warm.close();
  }
});

test('a recorded decision is made again when the rules it was made under change', async () => {
  const strict = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], policy });
  const storeDir = strict.storeDir;
  try {
    assert.equal((await rawGet(strict.url, '/example.com/fresh/lib/@v/v1.0.0.zip')).status, 403);
  } finally {
    await strict.close();
  }
  const relaxedPolicy = new ProxyPolicy(
    parsePolicyText(policyText.replace('min-age: 72h', 'min-age: 30m'), '.goproxy.yml'),
  );
  const relaxed = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [goSumFile],
    policy: relaxedPolicy,
    storeDir,
  });
  try {
    const res = await rawGet(relaxed.url, '/example.com/fresh/lib/@v/v1.0.0.zip');
    assert.equal(res.status, 200, res.body);
  } finally {
    await relaxed.close();
  }
  // Back to the strict rules: denied again, from the store, without a new download.
  upstream.resetLog();
  const again = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSumFile], policy, storeDir });
  try {
    assert.equal((await rawGet(again.url, '/example.com/fresh/lib/@v/v1.0.0.zip')).status, 403);
    assert.deepEqual(
      upstream.requests.filter((r) => r.path.endsWith('.zip')).map((r) => r.path),
      [],
    );
  } finally {
    await again.close();
  }
});

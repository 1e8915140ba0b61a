// Adversarial audit of the hardened engine (issue 8): classes the other suites do not reach.
// Each test here failed before its fix.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { escapePath } from '../../src/gomod/module-path.ts';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import { type FixtureModule, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const ranged = 'example.com/audit/ranged';
const modules: FixtureModule[] = [
  { path: ranged, version: 'v1.0.0' },
  { path: ranged, version: 'v1.5.0' },
];
const policyText = `deny:
  - module: ${ranged}
    versions: ">= v1.5.0"
    reason: "v1.5.0 corrupts data"
`;

let dir: string;
let upstream: FixtureProxy;

before(async () => {
  dir = makeTempDir('audit-fixtures');
  await writeFixtureModules(dir, modules);
  upstream = await startFixtureProxy({ dir });
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

// The health snapshot against the fixture world: every field of every fixture module, the
// differential check against `go list -m -u -retracted -json all`, the in-job proxy's own
// statistics, the go.mod fallback, and a slow module that must not stall the snapshot.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readHealthInputs, runHealth } from '../../src/health/run-health.ts';
import type { HealthSnapshot, ModuleHealth } from '../../src/health/snapshot.ts';
import { parseJsonStream } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import {
  createHealthWorld,
  type HealthWorld,
  healthModuleCount,
  healthRoles as r,
} from '../support/health-fixtures.ts';
import { startTestProxy } from '../support/test-proxy.ts';

type GoListed = {
  Path: string;
  Version: string;
  Main?: boolean;
  Update?: { Version: string };
  Deprecated?: string;
  Retracted?: string[];
};

let world: HealthWorld;
let upstream: FixtureProxy;

async function snapshot(
  proxy: string,
  extra: Partial<Parameters<typeof readHealthInputs>[0]> = {},
): Promise<Awaited<ReturnType<typeof runHealth>>> {
  const inputs = await readHealthInputs({
    dir: world.program,
    proxy,
    failOn: 'retracted,denied,checksum,vuln',
    concurrency: 4,
    timeoutMs: 10_000,
    useGo: true,
    newerMajors: true,
    vulnDb: world.vulnDbUrl,
    env: goEnv({ goproxy: proxy }),
    ...extra,
  });
  return await runHealth(inputs, { baseline: null, outputs: {} });
}

function byPath(s: HealthSnapshot, path: string): ModuleHealth {
  const m = s.modules.find((x) => x.path === path);
  assert.ok(m, `${path} is in the snapshot`);
  return m;
}

before(async () => {
  world = await createHealthWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await upstream?.close();
  await world?.remove();
});

describe('health snapshot of the fixture world', () => {
  let result: Awaited<ReturnType<typeof runHealth>>;
  before(async () => {
    result = await snapshot(upstream.url);
  });

  test('the build list comes from go list, every required module once, the main module left out', () => {
    const s = result.snapshot;
    assert.equal(s.schemaVersion, 1);
    assert.equal(s.workspace.buildListSource, 'go-list');
    assert.equal(s.workspace.buildListNote, null);
    assert.deepEqual(s.workspace.goModFiles, ['go.mod']);
    assert.deepEqual(s.workspace.goSumFiles, ['go.sum']);
    assert.deepEqual(s.workspace.mainModules, ['example.com/healthprogram']);
    assert.deepEqual(
      s.modules.map((m) => `${m.path}@${m.version}`),
      Object.values(r)
        .map((x) => `${x.path}@${x.used}`)
        .sort(),
    );
    for (const m of s.modules) {
      assert.equal(m.indirect, false, m.path);
      assert.deepEqual(m.location, { file: 'go.mod', line: world.lines[m.path] }, m.path);
      assert.equal(m.replace, null);
    }
    assert.equal(s.policySource, '.goproxy.yml');
    assert.deepEqual(s.vulnDb, { url: world.vulnDbUrl, modified: '2024-03-01T00:00:00Z' });
  });

  test('resolvable: info, mod and zip answer for every module but the missing one', () => {
    for (const m of result.snapshot.modules) {
      const missing = m.path === r.missing.path;
      assert.equal(m.resolvable.ok, !missing, m.path);
      assert.equal(m.resolvable.info.status, 200, m.path);
      assert.equal(m.resolvable.mod.status, 200, m.path);
      assert.equal(m.resolvable.zip.status, missing ? 404 : 200, m.path);
      assert.ok(m.resolvable.info.bytes > 0 && m.resolvable.mod.bytes > 0, m.path);
      assert.equal(m.resolvable.zip.bytes > 0, !missing, m.path);
      assert.ok(m.resolvable.zip.ms >= 0);
      // The fixture upstream does not say where it serves from.
      assert.equal(m.resolvable.source, 'unknown');
    }
    const missing = byPath(result.snapshot, r.missing.path);
    assert.match(missing.errors.join('\n'), /^\.zip: HTTP 404/m);
    assert.equal(missing.verified.zip, 'unchecked');
  });

  test('verified: hashes against go.sum; the tampered zip is a mismatch, its go.mod matches', () => {
    for (const m of result.snapshot.modules) {
      assert.deepEqual(m.verified.missingLines, [], m.path);
      assert.equal(m.verified.mod, 'match', m.path);
      const sumLine = world.goSum.split('\n').find((l) => l.startsWith(`${m.path} ${m.version} `));
      assert.ok(sumLine, m.path);
      if (m.path === r.tampered.path) {
        assert.equal(m.verified.zip, 'mismatch');
        assert.notEqual(`${m.path} ${m.version} ${m.verified.zipHash}`, sumLine);
      } else if (m.path !== r.missing.path) {
        assert.equal(m.verified.zip, 'match', m.path);
        assert.equal(`${m.path} ${m.version} ${m.verified.zipHash}`, sumLine);
      }
      assert.ok(world.goSum.includes(`${m.path} ${m.version}/go.mod ${m.verified.modHash}`), m.path);
    }
  });

  test('current: updates across patch and minor, a /v2 path, pre-releases only for a pre-release user, ages', () => {
    const s = result.snapshot;
    const expect = (path: string, update: string | null, behind: string, versionsBehind: number) => {
      const m = byPath(s, path);
      assert.equal(m.current.update, update, path);
      assert.equal(m.current.latest, update ?? m.version, path);
      assert.equal(m.current.behind, behind, path);
      assert.equal(m.current.versionsBehind, versionsBehind, path);
    };
    expect(r.patch.path, r.patch.latest, 'patch', 1);
    expect(r.minor.path, r.minor.latest, 'minor', 1); // v1.2.0-rc.1 is not offered to a release user
    expect(r.prereleaseUser.path, r.prereleaseUser.latest, 'patch', 1);
    expect(r.major.path, null, 'none', 0);
    expect(r.retractedOne.path, r.retractedOne.latest, 'minor', 1);
    expect(r.retractedRange.path, r.retractedRange.latest, 'minor', 1); // v1.3.0 is retracted
    expect(r.tampered.path, null, 'none', 0);
    // +incompatible: ignored while v1 has a go.mod (as the go command does), offered otherwise.
    expect(r.incompatibleIgnored.path, null, 'none', 0);
    expect(r.incompatibleUpdate.path, r.incompatibleUpdate.latest, 'major', 1);
    assert.deepEqual(byPath(s, r.major.path).current.newerMajor, {
      path: r.major.v2,
      version: r.major.v2latest,
    });
    for (const m of s.modules) if (m.path !== r.major.path) assert.equal(m.current.newerMajor, null, m.path);
    const patchy = byPath(s, r.patch.path).current;
    assert.equal(patchy.usedTime, '2024-01-02T00:00:00Z');
    assert.equal(patchy.latestTime, '2024-01-03T00:00:00Z');
    const now = Date.parse(s.generatedAt);
    assert.equal(patchy.usedAgeDays, Math.floor((now - Date.parse('2024-01-02T00:00:00Z')) / 86_400_000));
    assert.equal(patchy.latestAgeDays, Math.floor((now - Date.parse('2024-01-03T00:00:00Z')) / 86_400_000));
  });

  test('deprecated and retracted (single version and range) with their messages', () => {
    const s = result.snapshot;
    assert.equal(byPath(s, r.deprecated.path).deprecated, r.deprecated.message);
    assert.deepEqual(byPath(s, r.retractedOne.path).retracted, [r.retractedOne.rationale]);
    assert.deepEqual(byPath(s, r.retractedRange.path).retracted, [r.retractedRange.rationale]);
    for (const m of s.modules) {
      if (m.path !== r.deprecated.path) assert.equal(m.deprecated, null, m.path);
      if (m.path !== r.retractedOne.path && m.path !== r.retractedRange.path)
        assert.equal(m.retracted, null, m.path);
    }
  });

  test('policy: the denied module is denied, retracted ones warned (the default rule), none private', () => {
    for (const m of result.snapshot.modules) {
      const expected = m.path === r.denied.path ? 'deny' : m.retracted ? 'warn' : 'allow';
      assert.equal(m.policy.action, expected, m.path);
      assert.equal(m.policy.private, false);
      assert.equal(m.policy.noSumDb, false);
    }
    const denied = byPath(result.snapshot, r.denied.path).policy;
    assert.equal(denied.rule, `deny ${r.denied.path}`);
    assert.equal(denied.reason, 'unmaintained fork');
    assert.equal(byPath(result.snapshot, r.retractedOne.path).policy.rule, 'rules.retracted');
  });

  test('vulnerabilities: the affecting entry with aliases, summary, fix and severity; later-range and withdrawn ones not', () => {
    const vulny = byPath(result.snapshot, r.vulnerable.path);
    assert.deepEqual(vulny.vulnerabilities, [
      {
        id: 'GO-2024-0001',
        aliases: ['CVE-2024-0001', 'GHSA-aaaa-bbbb-cccc'],
        summary: 'Out-of-bounds read in vulny.Parse',
        fixed: ['v1.0.1'],
        severity: 'HIGH',
        ranges: [{ introduced: '', fixed: 'v1.0.1' }],
      },
    ]);
    for (const m of result.snapshot.modules) if (m !== vulny) assert.deepEqual(m.vulnerabilities, [], m.path);
  });

  test('summary, proxy figures from the probes, and fail-on', () => {
    const s = result.snapshot;
    assert.deepEqual(s.summary, {
      modules: healthModuleCount,
      unresolvable: 1,
      checksumMismatch: 1,
      missingSums: 0,
      outdated: 8,
      deprecated: 1,
      retracted: 2,
      denied: 1,
      warned: 2,
      vulnerable: 1,
      errors: 1,
    });
    assert.equal(s.proxy.statsSource, 'probes');
    assert.equal(s.proxy.url, upstream.url);
    assert.ok(s.proxy.requests >= healthModuleCount * 3);
    assert.equal(s.proxy.errors, 0); // a 404 is an answer, not a proxy error
    assert.equal(s.proxy.errorRate, 0);
    assert.equal(s.proxy.cacheHitRatio, null);
    assert.ok(s.proxy.p95Ms >= s.proxy.p50Ms && s.proxy.p50Ms > 0);
    assert.ok(s.proxy.bytes > 0);
    assert.ok(s.proxy.byKind.zip && s.proxy.byKind.zip.requests === healthModuleCount);
    assert.deepEqual(
      result.failures.sort(),
      [
        `${r.denied.path}@v1.0.0 is denied by policy`,
        `${r.retractedOne.path}@v1.1.0 is retracted`,
        `${r.retractedRange.path}@v1.2.0 is retracted`,
        `${r.tampered.path}@v1.0.0 does not match go.sum`,
        `${r.vulnerable.path}@v1.0.0 is affected by GO-2024-0001`,
      ].sort(),
    );
    assert.match(result.markdown, /<!-- goproxy-action:health -->/);
    assert.match(result.markdown, /example\.com\/health\/vulny@v1\.0\.0.*GO-2024-0001/);
  });
});

test('differential: update, deprecated and retracted equal `go list -m -u -retracted -json all`', async () => {
  const ours = (await snapshot(upstream.url)).snapshot;
  const listed = await runGo(
    ['list', '-m', '-u', '-retracted', '-json', 'all'],
    world.program,
    goEnv({ goproxy: upstream.url }),
  );
  assert.equal(listed.code, 0, listed.stderr);
  const goModules = (parseJsonStream(listed.stdout) as GoListed[]).filter((m) => !m.Main);
  assert.equal(goModules.length, ours.modules.length);
  for (const g of goModules) {
    const m = byPath(ours, g.Path);
    assert.equal(m.version, g.Version);
    assert.equal(m.current.update, g.Update?.Version ?? null, `update of ${g.Path}`);
    assert.equal(m.deprecated, g.Deprecated ?? null, `deprecated of ${g.Path}`);
    assert.deepEqual(m.retracted, g.Retracted ?? null, `retracted of ${g.Path}`);
  }
  // The comparison covered every kind of answer.
  assert.ok(goModules.some((g) => g.Deprecated) && goModules.filter((g) => g.Retracted).length === 2);
});

test('through the in-job proxy: its statistics give the cache-hit ratio; a second snapshot is served from storage', async () => {
  const proxy = await startTestProxy({ upstream: upstream.url });
  const readyDir = makeTempDir('ready');
  const readyFile = join(readyDir, 'proxy-ready.json');
  await writeFile(
    readyFile,
    JSON.stringify({ url: proxy.url, pid: process.pid, adminUrl: proxy.adminUrl, token: proxy.token }),
  );
  try {
    const first = await snapshot(proxy.url, { proxy: undefined, readyFile });
    assert.equal(first.snapshot.proxy.statsSource, 'admin');
    assert.equal(first.snapshot.proxy.url, proxy.url);
    const second = (await snapshot(proxy.url, { proxy: undefined, readyFile })).snapshot;
    const stats = proxy.stats.snapshot();
    assert.equal(second.proxy.requests, stats.totals.requests);
    assert.equal(
      second.proxy.cacheHitRatio,
      Math.round((stats.totals.hits / (stats.totals.hits + stats.totals.misses)) * 10_000) / 10_000,
    );
    assert.ok((second.proxy.cacheHitRatio ?? 0) > 0);
    const patchy = second.proxy.modules.find((m) => m.path === r.patch.path);
    assert.ok(patchy && patchy.hits > 0);
    // The go command's view does not depend on the proxy in between.
    assert.equal(byPath(second, r.retractedRange.path).current.update, r.retractedRange.latest);
    assert.deepEqual(byPath(second, r.retractedOne.path).retracted, [r.retractedOne.rationale]);
  } finally {
    await proxy.close();
  }
});

test('without the go command the build list comes from go.mod, and says so', async () => {
  const s = (await snapshot(upstream.url, { useGo: false })).snapshot;
  assert.equal(s.workspace.buildListSource, 'go-mod');
  assert.match(s.workspace.buildListNote ?? '', /no go command/);
  assert.equal(s.modules.length, healthModuleCount);
  assert.deepEqual(byPath(s, r.retractedOne.path).retracted, [r.retractedOne.rationale]);
});

test('a slow module is reported with its timeout and does not stall the others', async () => {
  const slow = (path: string) => path.includes('/patchy/@v/v1.0.0.zip');
  upstream.setFault(slow, { kind: 'delay', ms: 8_000 });
  try {
    const s = (await snapshot(upstream.url, { timeoutMs: 2_000 })).snapshot;
    const patchy = byPath(s, r.patch.path);
    assert.equal(patchy.resolvable.ok, false);
    assert.equal(patchy.resolvable.zip.status, 0);
    assert.match(patchy.resolvable.zip.error ?? '', /no answer within 2000 ms/);
    assert.equal(byPath(s, r.minor.path).resolvable.ok, true);
    assert.equal(s.summary.unresolvable, 2);
    assert.ok(s.proxy.errors >= 1);
  } finally {
    upstream.setFault(slow, null);
  }
});

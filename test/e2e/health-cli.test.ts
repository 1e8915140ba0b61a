// `goproxy-action health` as a process: its JSON against the JSON Schema, its JUnit XML and
// code quality reports parsed and checked, annotations at go.mod lines, a baseline diff and
// fail-on (including new-vuln and a severity filter).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { HealthSnapshot } from '../../src/health/snapshot.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir } from '../support/go-env.ts';
import {
  createHealthWorld,
  type HealthWorld,
  healthModuleCount,
  healthRoles as r,
} from '../support/health-fixtures.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '../../src/cli.ts');

let world: HealthWorld;
let upstream: FixtureProxy;
let out: string;

async function health(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'health', ...args], {
      env: goEnv({ goproxy: upstream.url }),
      cwd: world.program,
      maxBuffer: 16 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

before(async () => {
  world = await createHealthWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
  out = makeTempDir('health-out');
});

after(async () => {
  await upstream?.close();
  await world?.remove();
});

test('writes a schema-valid snapshot, JUnit, code quality and annotations; fails on what fail-on names', async () => {
  const files = {
    json: join(out, 'h.json'),
    junit: join(out, 'h.xml'),
    cq: join(out, 'cq.json'),
    md: join(out, 'h.md'),
  };
  const res = await health([
    '--vuln-db',
    world.vulnDbUrl,
    '--json',
    files.json,
    '--junit',
    files.junit,
    '--codequality',
    files.cq,
    '--markdown',
    files.md,
    '--annotations',
    '--fail-on',
    'retracted,checksum',
  ]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, new RegExp(`fail-on: ${r.retractedOne.path}@v1.1.0 is retracted`));
  assert.match(res.stderr, new RegExp(`fail-on: ${r.tampered.path}@v1.0.0 does not match go.sum`));
  assert.doesNotMatch(res.stderr, /is denied by policy/); // denied is not in fail-on

  const snapshot = JSON.parse(await readFile(files.json, 'utf8')) as HealthSnapshot;
  const schema = JSON.parse(
    await readFile(join(import.meta.dirname, '../../schema/health-snapshot.schema.json'), 'utf8'),
  );
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  assert.ok(validate(snapshot), JSON.stringify(validate.errors));
  assert.equal(snapshot.modules.length, healthModuleCount);

  const xml = await readFile(files.junit, 'utf8');
  assert.equal(XMLValidator.validate(xml), true);
  const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const suite = junit.testsuites.testsuite;
  const cases = suite.testcase as {
    name: string;
    file: string;
    line: string;
    failure?: { type: string; '#text': string };
  }[];
  assert.equal(cases.length, healthModuleCount);
  assert.equal(Number(suite.tests), healthModuleCount);
  const failing = cases.filter((c) => c.failure).map((c) => c.name);
  assert.deepEqual(
    failing.sort(),
    [r.denied, r.missing, r.retractedOne, r.retractedRange, r.tampered, r.vulnerable]
      .map((x) => `${x.path}@${x.used}`)
      .sort(),
  );
  assert.equal(Number(suite.failures), 6);
  const vulnCase = cases.find((c) => c.name === `${r.vulnerable.path}@v1.0.0`);
  assert.equal(vulnCase?.failure?.type, 'vuln');
  assert.match(vulnCase?.failure?.['#text'] ?? '', /GO-2024-0001/);
  assert.equal(vulnCase?.file, 'go.mod');
  assert.equal(Number(vulnCase?.line), world.lines[r.vulnerable.path]);

  const cq = JSON.parse(await readFile(files.cq, 'utf8')) as {
    description: string;
    check_name: string;
    fingerprint: string;
    severity: string;
    location: { path: string; lines: { begin: number } };
  }[];
  assert.ok(Array.isArray(cq) && cq.length > 0);
  for (const issue of cq) {
    assert.match(issue.fingerprint, /^[0-9a-f]{64}$/);
    assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity));
    assert.equal(issue.location.path, 'go.mod');
    assert.ok(issue.location.lines.begin >= 6);
  }
  assert.equal(new Set(cq.map((i) => i.fingerprint)).size, cq.length);
  const tampered = cq.find((i) => i.check_name === 'goproxy-health/checksum');
  assert.equal(tampered?.location.lines.begin, world.lines[r.tampered.path]);
  assert.equal(tampered?.severity, 'blocker');

  const annotation = res.stdout
    .split('\n')
    .find((l) => l.startsWith('::error') && l.includes('retracted by its author'));
  assert.equal(
    annotation?.split('::')[1],
    `error file=go.mod,line=${world.lines[r.retractedOne.path]},title=module retracted`,
  );
  assert.match(await readFile(files.md, 'utf8'), /^<!-- goproxy-action:health -->/);
});

test('a baseline: upgrades, downgrades and new vulnerabilities; new-vuln with a severity filter', async () => {
  const baselineFile = join(out, 'baseline.json');
  const first = await health(['--vuln-db', world.vulnDbUrl, '--format', 'json']);
  assert.equal(first.code, 0, first.stderr);
  const baseline = JSON.parse(first.stdout) as HealthSnapshot;
  for (const m of baseline.modules) {
    if (m.path === r.vulnerable.path) m.vulnerabilities = [];
    if (m.path === r.patch.path) m.version = 'v1.0.1';
  }
  baseline.modules = baseline.modules.filter((m) => m.path !== r.minor.path);
  baseline.modules.push({
    ...(baseline.modules[0] as HealthSnapshot['modules'][number]),
    path: 'example.com/gone',
    version: 'v0.1.0',
  });
  await writeFile(baselineFile, JSON.stringify(baseline));

  const strict = await health([
    '--vuln-db',
    world.vulnDbUrl,
    '--baseline',
    baselineFile,
    '--fail-on',
    'new-vuln:high',
  ]);
  assert.equal(strict.code, 1);
  assert.match(
    strict.stderr,
    /fail-on: example\.com\/health\/vulny@v1\.0\.0 is newly affected by GO-2024-0001/,
  );
  assert.match(
    strict.stdout,
    /since baseline: 1 added, 1 removed, 0 upgraded, 1 downgraded, 1 newly vulnerable/,
  );

  // GO-2024-0001 is HIGH: a critical-only filter lets it pass.
  const lenient = await health([
    '--vuln-db',
    world.vulnDbUrl,
    '--baseline',
    baselineFile,
    '--fail-on',
    'new-vuln:critical',
  ]);
  assert.equal(lenient.code, 0, lenient.stderr);
  const md = await health(['--vuln-db', world.vulnDbUrl, '--baseline', baselineFile, '--format', 'markdown']);
  assert.match(md.stdout, /\*\*downgraded\*\* \(1\): `example\.com\/health\/patchy v1\.0\.1 → v1\.0\.0`/);
  assert.match(md.stdout, /\*\*removed\*\* \(1\): `example\.com\/gone@v0\.1\.0`/);
  assert.match(md.stdout, /\*\*added\*\* \(1\): `example\.com\/health\/minory@v1\.0\.0`/);
});

test('bad input: a clear one-line error', async () => {
  const badFailOn = await health(['--fail-on', 'retracted,bogus']);
  assert.equal(badFailOn.code, 1);
  assert.match(badFailOn.stderr, /fail-on: unknown condition 'bogus'; use any of retracted, denied/);
  const badBaseline = join(out, 'bad.json');
  await writeFile(badBaseline, '{"schemaVersion": 99, "modules": []}');
  const res = await health(['--baseline', badBaseline]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /schemaVersion 99 is not 1; take a new baseline/);
});

// The health snapshot's fixture world: a program requiring one module per corner the snapshot
// reports (deprecated, retracted single and range, upgradable across patch/minor/major,
// missing, checksum-mismatched, vulnerable, denied), served from a download-layout directory,
// plus a fixture Go vulnerability database in OSV form.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapePath } from '../../src/gomod/module-path.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from './fixture-modules.ts';

export const healthRoles = {
  deprecated: {
    path: 'example.com/health/deprecated',
    used: 'v1.0.0',
    latest: 'v1.1.0',
    message: 'use example.com/health/patchy instead.',
  },
  retractedOne: {
    path: 'example.com/health/retractone',
    used: 'v1.1.0',
    latest: 'v1.2.0',
    rationale: 'Published with a data-loss bug.',
  },
  retractedRange: {
    path: 'example.com/health/retractrange',
    used: 'v1.2.0',
    latest: 'v1.4.0',
    rationale: 'Broken builds on 32-bit platforms.',
  },
  patch: { path: 'example.com/health/patchy', used: 'v1.0.0', latest: 'v1.0.1' },
  minor: { path: 'example.com/health/minory', used: 'v1.0.0', latest: 'v1.1.0', prerelease: 'v1.2.0-rc.1' },
  major: {
    path: 'example.com/health/majory',
    used: 'v1.0.0',
    v2: 'example.com/health/majory/v2',
    v2latest: 'v2.1.0',
  },
  prereleaseUser: { path: 'example.com/health/prery', used: 'v1.1.0-beta.1', latest: 'v1.1.0-beta.2' },
  missing: { path: 'example.com/health/missing', used: 'v1.0.0' },
  tampered: { path: 'example.com/health/tampered', used: 'v1.0.0' },
  vulnerable: { path: 'example.com/health/vulny', used: 'v1.0.0', fixed: 'v1.0.1' },
  denied: { path: 'example.com/health/denied', used: 'v1.0.0' },
  /** v1 has a go.mod, so the go command ignores v2.0.0+incompatible: no update. */
  incompatibleIgnored: { path: 'example.com/health/modular', used: 'v1.0.0' },
  /** No go.mod anywhere: v2.0.0+incompatible is the update, a major one. */
  incompatibleUpdate: { path: 'example.com/health/oldstyle', used: 'v1.0.0', latest: 'v2.0.0+incompatible' },
} as const;

/** Modules in the fixture program's build list: one per role. */
export const healthModuleCount = Object.keys(healthRoles).length;

export const programPath = 'example.com/healthprogram';

export type HealthWorld = {
  root: string;
  /** The download-layout directory the fixture proxy serves. */
  dir: string;
  program: string;
  vulnDbUrl: string;
  goSum: string;
  /** go.mod line of each required path. */
  lines: Record<string, number>;
  remove(): Promise<void>;
};

function at(day: number): string {
  return new Date(Date.UTC(2024, 0, 1 + day)).toISOString().replace('.000Z', 'Z');
}

function mod(path: string, version: string, day: number, goMod?: string): FixtureModule {
  return { path, version, time: at(day), ...(goMod !== undefined ? { goMod } : {}) };
}

export async function createHealthWorld(): Promise<HealthWorld> {
  const root = await mkdtemp(join(tmpdir(), 'health-world-'));
  const dir = join(root, 'proxy');
  const program = join(root, 'program');
  await mkdir(dir, { recursive: true });
  await mkdir(program, { recursive: true });
  const r = healthRoles;
  const modules: FixtureModule[] = [
    mod(r.deprecated.path, 'v1.0.0', 1),
    mod(
      r.deprecated.path,
      'v1.1.0',
      2,
      `// Deprecated: ${r.deprecated.message}\nmodule ${r.deprecated.path}\n\ngo 1.21\n`,
    ),
    mod(r.retractedOne.path, 'v1.0.0', 1),
    mod(r.retractedOne.path, 'v1.1.0', 2),
    mod(
      r.retractedOne.path,
      'v1.2.0',
      3,
      `module ${r.retractedOne.path}\n\ngo 1.21\n\n// ${r.retractedOne.rationale}\nretract v1.1.0\n`,
    ),
    ...['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0'].map((v, i) => mod(r.retractedRange.path, v, i + 1)),
    mod(
      r.retractedRange.path,
      'v1.4.0',
      9,
      `module ${r.retractedRange.path}\n\ngo 1.21\n\nretract (\n\t[v1.2.0, v1.3.0] // ${r.retractedRange.rationale}\n\tv1.0.0\n)\n`,
    ),
    mod(r.patch.path, 'v1.0.0', 1),
    mod(r.patch.path, 'v1.0.1', 2),
    mod(r.minor.path, 'v1.0.0', 1),
    mod(r.minor.path, 'v1.1.0', 2),
    mod(r.minor.path, 'v1.2.0-rc.1', 3),
    mod(r.major.path, 'v1.0.0', 1),
    mod(r.major.v2, 'v2.0.0', 2),
    mod(r.major.v2, 'v2.1.0', 3),
    mod(r.prereleaseUser.path, 'v1.0.0', 1),
    mod(r.prereleaseUser.path, 'v1.1.0-beta.1', 2),
    mod(r.prereleaseUser.path, 'v1.1.0-beta.2', 3),
    mod(r.missing.path, 'v1.0.0', 1),
    mod(r.tampered.path, 'v1.0.0', 1),
    mod(r.vulnerable.path, 'v1.0.0', 1),
    mod(r.vulnerable.path, 'v1.0.1', 2),
    mod(r.denied.path, 'v1.0.0', 1),
    mod(r.incompatibleIgnored.path, 'v1.0.0', 1),
    { ...mod(r.incompatibleIgnored.path, 'v2.0.0+incompatible', 2), goMod: null },
    { ...mod(r.incompatibleUpdate.path, 'v1.0.0', 1), goMod: null },
    { ...mod(r.incompatibleUpdate.path, 'v2.0.0+incompatible', 2), goMod: null },
  ];
  await writeFixtureModules(dir, modules);
  const requires = Object.values(r).map((role) => ({ path: role.path, version: role.used }));
  const goSum = await goSumFor(dir, requires);
  // After go.sum: the tampered zip changes (its go.mod does not); the missing one loses its zip
  // (its .info and .mod stay, so the go command still builds the module graph).
  await writeFixtureModules(dir, [
    {
      path: r.tampered.path,
      version: 'v1.0.0',
      time: at(1),
      files: {
        'tampered.go': 'package tampered\n\n// Changed after go.sum was written.\nconst Version = "evil"\n',
      },
    },
  ]);
  const missingDir = join(dir, escapePath(r.missing.path), '@v');
  await rm(join(missingDir, 'v1.0.0.zip'));

  const sorted = [...requires].sort((a, b) => (a.path < b.path ? -1 : 1));
  const lines: Record<string, number> = {};
  sorted.forEach((req, i) => {
    lines[req.path] = 6 + i;
  });
  await writeFile(
    join(program, 'go.mod'),
    `module ${programPath}\n\ngo 1.21\n\nrequire (\n${sorted.map((q) => `\t${q.path} ${q.version}`).join('\n')}\n)\n`,
  );
  await writeFile(join(program, 'go.sum'), goSum);
  await writeFile(join(program, 'main.go'), 'package main\n\nfunc main() {}\n');
  await writeFile(
    join(program, '.goproxy.yml'),
    `deny:\n  - module: ${r.denied.path}\n    reason: "unmaintained fork"\n`,
  );

  const vulnDir = join(root, 'vulndb');
  await mkdir(join(vulnDir, 'index'), { recursive: true });
  await mkdir(join(vulnDir, 'ID'), { recursive: true });
  const entries = [
    {
      id: 'GO-2024-0001',
      modified: '2024-02-01T00:00:00Z',
      aliases: ['CVE-2024-0001', 'GHSA-aaaa-bbbb-cccc'],
      summary: 'Out-of-bounds read in vulny.Parse',
      database_specific: { severity: 'HIGH' },
      affected: [
        {
          package: { name: r.vulnerable.path, ecosystem: 'Go' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }],
        },
      ],
    },
    {
      // Affects later versions only: must not match v1.0.0.
      id: 'GO-2024-0002',
      modified: '2024-02-01T00:00:00Z',
      aliases: [],
      summary: 'Denial of service in vulny.Serve',
      affected: [
        {
          package: { name: r.vulnerable.path, ecosystem: 'Go' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.1' }] }],
        },
      ],
    },
    {
      id: 'GO-2024-0003',
      modified: '2024-02-01T00:00:00Z',
      withdrawn: '2024-03-01T00:00:00Z',
      aliases: [],
      summary: 'Withdrawn: not a vulnerability',
      affected: [
        {
          package: { name: r.vulnerable.path, ecosystem: 'Go' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
        },
      ],
    },
  ];
  for (const e of entries) await writeFile(join(vulnDir, 'ID', `${e.id}.json`), JSON.stringify(e));
  await writeFile(join(vulnDir, 'index', 'db.json'), JSON.stringify({ modified: '2024-03-01T00:00:00Z' }));
  await writeFile(
    join(vulnDir, 'index', 'modules.json'),
    JSON.stringify([
      { path: r.vulnerable.path, vulns: entries.map((e) => ({ id: e.id, modified: e.modified })) },
    ]),
  );

  return {
    root,
    dir,
    program,
    vulnDbUrl: pathToFileURL(vulnDir).href,
    goSum,
    lines,
    async remove() {
      await rm(root, { recursive: true, force: true });
    },
  };
}

// The standard fixture set the end-to-end tests share: module versions covering the awkward
// corners of Go's module system, in the download layout, plus a small program that requires
// and imports them all and builds with the real go command.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureModule, goSumFor, writeFixtureModules } from './fixture-modules.ts';

export type ModuleVersion = { path: string; version: string };

export type FixtureWorld = {
  /** Temp dir holding everything below; `remove()` deletes it. */
  root: string;
  /** The download-layout dir: `GOPROXY=file://<dir>` or startFixtureProxy({ dir }). */
  dir: string;
  /** The main program's dir (go.mod, go.sum, main.go). */
  program: string;
  /** Every module version written to `dir`, in the order written. */
  modules: FixtureModule[];
  /** What the program's go.mod requires (one version per module path). */
  requires: ModuleVersion[];
  /** The program's go.sum, as the real go command computed it. */
  goSum: string;
  /** Which fixture covers which corner, for tests that need one in particular. */
  roles: typeof fixtureRoles;
  /**
   * Adds one dependency: writes a new module version to `dir` and requires + imports it in the
   * program (go.mod, go.sum, main.go rewritten). Given the path of a module the program already
   * requires, it bumps that requirement instead. Default: a new module `example.com/added/depN` v1.0.0.
   */
  addDependency(module?: Partial<FixtureModule>): Promise<FixtureModule>;
  remove(): Promise<void>;
};

const pseudoVersion = 'v0.0.0-20240102030405-abcdefabcdef';

/** Which fixture covers which corner of the module system (the paths and versions createFixtureWorld writes). */
export const fixtureRoles = {
  /** Upper-case letters in the path (case-encoded as `!upper/!lib`); has a sub-package. */
  upperCase: { path: 'example.com/Upper/Lib', versions: ['v1.0.0', 'v1.1.0'], required: 'v1.1.0' },
  /** v1 of a module whose v2 lives at a major-version suffix path. */
  majorV1: { path: 'example.com/lib', versions: ['v1.5.0'], required: 'v1.5.0' },
  /** Major-version suffix. */
  majorV2: { path: 'example.com/lib/v2', versions: ['v2.0.0', 'v2.1.0'], required: 'v2.1.0' },
  /** v2+ of a module without go.mod: `+incompatible`; its v1.0.0 has no go.mod either. */
  incompatible: {
    path: 'example.org/legacy',
    versions: ['v1.0.0', 'v2.0.0+incompatible'],
    required: 'v2.0.0+incompatible',
  },
  /** A version with no go.mod (its .mod is just `module <path>`). */
  noGoMod: { path: 'example.net/nogomod', versions: ['v1.0.0'], required: 'v1.0.0' },
  /** Only a pseudo-version: the list is empty. */
  pseudo: { path: 'example.net/pseudo', versions: [pseudoVersion], required: pseudoVersion },
  /** v1.1.0 is retracted by v1.2.0's go.mod, still listed; the program requires the retracted one. */
  retracted: {
    path: 'example.org/retract',
    versions: ['v1.0.0', 'v1.1.0', 'v1.2.0'],
    required: 'v1.1.0',
    retractedVersion: 'v1.1.0',
    latest: 'v1.2.0',
  },
  /** Several versions incl. a later pre-release: @latest is v1.2.0; the program requires an older one. */
  several: {
    path: 'example.com/multi',
    versions: ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0-beta.1'],
    required: 'v1.1.0',
    latest: 'v1.2.0',
  },
} as const;

const programModule = 'example.com/fixtureprogram';

function versionFile(pkg: string, version: string): string {
  return `package ${pkg}\n\n// Version is the module version this file belongs to.\nconst Version = "${version}"\n`;
}

// Distinct, increasing times, so ages and "newest" mean something.
function timeFor(index: number): string {
  return new Date(Date.UTC(2024, 0, 1 + index * 7)).toISOString().replace('.000Z', 'Z');
}

function worldModules(): FixtureModule[] {
  const modules: FixtureModule[] = [];
  let index = 0;
  const add = (m: FixtureModule) => {
    modules.push({ time: timeFor(index++), ...m });
  };
  for (const v of fixtureRoles.upperCase.versions) {
    add({
      path: fixtureRoles.upperCase.path,
      version: v,
      files: {
        'lib.go': versionFile('lib', v),
        'sub/sub.go': `package sub\n\n// Name says where it lives.\nconst Name = "Upper/Lib/sub ${v}"\n`,
      },
    });
  }
  for (const v of fixtureRoles.majorV1.versions)
    add({ path: fixtureRoles.majorV1.path, version: v, files: { 'lib.go': versionFile('lib', v) } });
  for (const v of fixtureRoles.majorV2.versions)
    add({ path: fixtureRoles.majorV2.path, version: v, files: { 'lib.go': versionFile('lib', v) } });
  for (const v of fixtureRoles.incompatible.versions) {
    add({
      path: fixtureRoles.incompatible.path,
      version: v,
      goMod: null,
      files: { 'legacy.go': versionFile('legacy', v) },
    });
  }
  for (const v of fixtureRoles.noGoMod.versions) {
    add({
      path: fixtureRoles.noGoMod.path,
      version: v,
      goMod: null,
      files: { 'nogomod.go': versionFile('nogomod', v) },
    });
  }
  modules.push({
    path: fixtureRoles.pseudo.path,
    version: pseudoVersion,
    files: { 'pseudo.go': versionFile('pseudo', pseudoVersion) },
  });
  for (const v of fixtureRoles.retracted.versions) {
    const goMod =
      v === fixtureRoles.retracted.latest
        ? `module ${fixtureRoles.retracted.path}\n\ngo 1.21\n\nretract ${fixtureRoles.retracted.retractedVersion} // Published with a data-loss bug; use ${fixtureRoles.retracted.latest}.\n`
        : undefined;
    add({
      path: fixtureRoles.retracted.path,
      version: v,
      ...(goMod ? { goMod } : {}),
      files: { 'retract.go': versionFile('retract', v) },
    });
  }
  for (const v of fixtureRoles.several.versions)
    add({ path: fixtureRoles.several.path, version: v, files: { 'multi.go': versionFile('multi', v) } });
  return modules;
}

function initialRequires(): ModuleVersion[] {
  return Object.values(fixtureRoles).map((r) => ({ path: r.path, version: r.required }));
}

/** Go identifier for an import alias: the path's letters and digits. */
function aliasFor(importPath: string): string {
  return importPath.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** The packages main.go imports for one required module, with the constant it prints from each. */
function importsFor(module: FixtureModule): { importPath: string; symbol: string }[] {
  const imports: { importPath: string; symbol: string }[] = [];
  for (const name of Object.keys(module.files ?? {}).sort()) {
    if (!name.endsWith('.go')) continue;
    const source = module.files?.[name] ?? '';
    const symbol = /^const (\w+)/m.exec(source)?.[1];
    if (!symbol) continue;
    const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
    const importPath = dir ? `${module.path}/${dir}` : module.path;
    if (!imports.some((i) => i.importPath === importPath)) imports.push({ importPath, symbol });
  }
  if (imports.length === 0)
    throw new Error(`fixture ${module.path}@${module.version} has no exported constant to import`);
  return imports;
}

function mainGo(required: FixtureModule[]): string {
  const imports = required.flatMap(importsFor);
  const importLines = imports.map((i) => `\t${aliasFor(i.importPath)} "${i.importPath}"`).join('\n');
  const prints = imports
    .map((i) => `\tfmt.Println("${i.importPath}", ${aliasFor(i.importPath)}.${i.symbol})`)
    .join('\n');
  return `// Generated by test/support/fixture-world.ts: imports every fixture dependency.\npackage main\n\nimport (\n\t"fmt"\n\n${importLines}\n)\n\nfunc main() {\n${prints}\n}\n`;
}

function goModOf(requires: ModuleVersion[]): string {
  // Sorted by path, as the go command writes them (so `go mod tidy -diff` finds nothing).
  const sorted = [...requires].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const lines = sorted.map((r) => `\t${r.path} ${r.version}`).join('\n');
  return `module ${programModule}\n\ngo 1.21\n\nrequire (\n${lines}\n)\n`;
}

export async function createFixtureWorld(): Promise<FixtureWorld> {
  const root = await mkdtemp(join(tmpdir(), 'fixture-world-'));
  const dir = join(root, 'proxy');
  const program = join(root, 'program');
  await mkdir(dir, { recursive: true });
  await mkdir(program, { recursive: true });
  const modules = worldModules();
  await writeFixtureModules(dir, modules);
  let added = 0;

  const world: FixtureWorld = {
    root,
    dir,
    program,
    modules,
    requires: initialRequires(),
    goSum: '',
    roles: fixtureRoles,
    async addDependency(module = {}) {
      const path = module.path ?? `example.com/added/dep${++added}`;
      const version = module.version ?? 'v1.0.0';
      if (world.modules.some((m) => m.path === path && m.version === version)) {
        throw new Error(`addDependency: ${path}@${version} is already in the fixture world`);
      }
      const pkg =
        path
          .split('/')
          .at(-1)
          ?.replace(/[^a-z0-9]/gi, '')
          .toLowerCase() || 'dep';
      const fresh: FixtureModule = {
        path,
        version,
        files: module.files ?? { [`${pkg}.go`]: versionFile(pkg, version) },
        // Later than every initial fixture, and the same on every run.
        time: module.time ?? timeFor(100 + world.modules.length),
        ...(module.goMod !== undefined ? { goMod: module.goMod } : {}),
      };
      await writeFixtureModules(dir, [fresh]);
      world.modules.push(fresh);
      const existing = world.requires.find((r) => r.path === path);
      if (existing) existing.version = version;
      else world.requires.push({ path, version });
      await writeProgram();
      return fresh;
    },
    async remove() {
      await rm(root, { recursive: true, force: true });
    },
  };

  async function writeProgram(): Promise<void> {
    const required = world.requires.map((r) => {
      const module = world.modules.find((m) => m.path === r.path && m.version === r.version);
      if (!module) throw new Error(`fixture world: ${r.path}@${r.version} is required but not written`);
      return module;
    });
    world.goSum = await goSumFor(dir, world.requires);
    await writeFile(join(program, 'go.mod'), goModOf(world.requires));
    await writeFile(join(program, 'go.sum'), world.goSum);
    await writeFile(join(program, 'main.go'), mainGo(required));
  }

  await writeProgram();
  return world;
}

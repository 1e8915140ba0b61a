// Generates Go module versions in the module cache's download layout, so `GOPROXY=file://<dir>`
// (and the fixture proxy) serve them to the real go command. go.sum lines for them come from
// the real go command too (goSumFor), so no test trusts our own hasher for its expectations.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { escapePath, escapeVersion } from '../../src/gomod/module-path.ts';
import { compareVersions, isPseudoVersion, pseudoVersionTime } from '../../src/gomod/version.ts';
import { goEnv, runGo } from './go-env.ts';

export type FixtureModule = {
  path: string;
  version: string;
  /** Files of the module, relative to its root (default: one Go file declaring a package). */
  files?: Record<string, string>;
  /** go.mod content (default `module <path>\n\ngo 1.21\n`); null = this version has no go.mod. */
  goMod?: string | null;
  /** RFC 3339 time for .info (default: the pseudo-version's time, else a fixed date). */
  time?: string;
};

// Fixed so that the same fixture always produces the same bytes.
const fixedTime = '2024-01-01T00:00:00Z';
const zipEntryTime = new Date('2024-01-01T00:00:00Z');

/** The Go package name a module's root package gets by default: last element without the major suffix. */
export function defaultPackageName(modulePath: string): string {
  const elements = modulePath.split('/');
  let last = elements.at(-1) ?? 'fixture';
  if (/^v[0-9]+$/.test(last) && elements.length > 1) last = elements.at(-2) ?? last;
  const name = last.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z_]/.test(name) ? name : `p${name}`;
}

export function defaultGoMod(modulePath: string): string {
  return `module ${modulePath}\n\ngo 1.21\n`;
}

/** The .mod the proxy serves: the go.mod, or for a version without one, just the module line (as the go command synthesizes). */
export function modFileOf(module: FixtureModule): string {
  if (module.goMod === null) return `module ${module.path}\n`;
  return module.goMod ?? defaultGoMod(module.path);
}

/** The files in the module's zip, relative to its root, go.mod included when the version has one. */
export function filesOf(module: FixtureModule): Record<string, string> {
  const pkg = defaultPackageName(module.path);
  const files: Record<string, string> = module.files ?? {
    [`${pkg}.go`]: `package ${pkg}\n\n// Version is the module version this file was generated for.\nconst Version = "${module.version}"\n`,
  };
  if ('go.mod' in files)
    throw new Error(`fixture ${module.path}@${module.version}: give go.mod as goMod, not in files`);
  return module.goMod === null ? { ...files } : { 'go.mod': modFileOf(module), ...files };
}

export function infoOf(module: FixtureModule): string {
  const time =
    module.time ?? pseudoVersionTime(module.version)?.toISOString().replace('.000Z', 'Z') ?? fixedTime;
  return `${JSON.stringify({ Version: module.version, Time: time })}\n`;
}

/** A deterministic module zip: entries `<path>@<version>/<file>` (not case-encoded), sorted, fixed mtime. */
export async function moduleZip(module: FixtureModule): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const files = filesOf(module);
  for (const name of Object.keys(files).sort()) {
    zip.addBuffer(Buffer.from(files[name] as string), `${module.path}@${module.version}/${name}`, {
      mtime: zipEntryTime,
      mode: 0o644,
      compress: true,
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Versions a proxy lists for a module: every canonical version given (retracted ones too), no pseudo-versions, Go order. */
export function listOf(versions: readonly string[]): string[] {
  return [...new Set(versions.filter((v) => !isPseudoVersion(v)))].sort(compareVersions);
}

/**
 * Writes the versions into `dir` in the download layout: `<escaped path>/@v/list`, `<v>.info`,
 * `<v>.mod`, `<v>.zip`. The list is rewritten to hold every version of that module now in
 * `dir`'s fixtures (earlier calls included), so adding a version later keeps the older ones listed.
 */
export async function writeFixtureModules(dir: string, modules: FixtureModule[]): Promise<void> {
  const byPath = new Map<string, FixtureModule[]>();
  for (const module of modules) {
    const seen = byPath.get(module.path) ?? [];
    if (seen.some((m) => m.version === module.version)) {
      throw new Error(`fixture ${module.path}@${module.version} is given twice`);
    }
    seen.push(module);
    byPath.set(module.path, seen);
  }
  await Promise.all(
    [...byPath].map(async ([path, versions]) => {
      const vDir = join(dir, escapePath(path), '@v');
      await mkdir(vDir, { recursive: true });
      await Promise.all(
        versions.map(async (module) => {
          const base = join(vDir, escapeVersion(module.version));
          await writeFile(`${base}.info`, infoOf(module));
          await writeFile(`${base}.mod`, modFileOf(module));
          await writeFile(`${base}.zip`, await moduleZip(module));
        }),
      );
      const listed = listOf([...(await readList(join(vDir, 'list'))), ...versions.map((m) => m.version)]);
      await writeFile(join(vDir, 'list'), listed.map((v) => `${v}\n`).join(''));
    }),
  );
}

async function readList(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

type DownloadResult = { Path: string; Version: string; Sum?: string; GoModSum?: string; Error?: string };

/**
 * The go.sum lines (zip and /go.mod) for `modules`, as the real go command computes them:
 * `go mod download -json` from `GOPROXY=file://<dir>` into a fresh module cache, checksum
 * database off. Sorted like the go command writes go.sum.
 */
export async function goSumFor(
  dir: string,
  modules: readonly Pick<FixtureModule, 'path' | 'version'>[],
): Promise<string> {
  if (modules.length === 0) return '';
  const work = await mkdtemp(join(tmpdir(), 'fixture-gosum-'));
  try {
    const env = goEnv({ goproxy: `file://${dir}`, gosumdb: 'off', gomodcache: join(work, 'modcache') });
    const args = ['mod', 'download', '-json', ...modules.map((m) => `${m.path}@${m.version}`)];
    const result = await runGo(args, work, env);
    const downloads = parseJsonStream(result.stdout) as DownloadResult[];
    const failed = downloads.filter((d) => d.Error);
    if (result.code !== 0 || failed.length > 0) {
      const detail = failed.map((d) => `${d.Path}@${d.Version}: ${d.Error}`).join('\n') || result.stderr;
      throw new Error(`goSumFor: go mod download from file://${dir} failed:\n${detail}`);
    }
    const lines: { path: string; version: string; line: string }[] = [];
    for (const d of downloads) {
      if (!d.Sum || !d.GoModSum) throw new Error(`goSumFor: no sums for ${d.Path}@${d.Version}`);
      lines.push({ path: d.Path, version: d.Version, line: `${d.Path} ${d.Version} ${d.Sum}` });
      lines.push({
        path: d.Path,
        version: `${d.Version}/go.mod`,
        line: `${d.Path} ${d.Version}/go.mod ${d.GoModSum}`,
      });
    }
    lines.sort((a, b) => compareGoSumKeys(a.path, a.version, b.path, b.version));
    return lines.map((l) => `${l.line}\n`).join('');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// module.Sort: by path, then by version (a "/go.mod" suffix sorts after the bare version).
function compareGoSumKeys(pathA: string, versionA: string, pathB: string, versionB: string): number {
  if (pathA !== pathB) return pathA < pathB ? -1 : 1;
  const [va, fa = ''] = versionA.split('/');
  const [vb, fb = ''] = versionB.split('/');
  const byVersion = compareVersions(va as string, vb as string);
  if (byVersion !== 0) return byVersion;
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** `go ... -json` prints concatenated JSON objects, not an array. */
export function parseJsonStream(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
  }
  return values;
}

// The workspace's build list: every module@version its builds use. From `go list -m -json all`
// (the go command's own module graph) when the go command is there, else from the go.mod
// requirements (each path at its highest required version), saying which and why.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { findModuleFiles } from '../gomod/find-module-files.ts';
import { type GoModFile, parseGoMod, parseGoWork } from '../gomod/go-mod-file.ts';
import { compareVersions } from '../gomod/version.ts';

export type BuildListModule = {
  path: string;
  version: string;
  indirect: boolean;
  location: { file: string; line: number } | null;
  replace: { path: string; version: string } | null;
};

export type BuildList = {
  source: 'go-list' | 'go-mod';
  note: string | null;
  goModFiles: string[];
  goWorkFiles: string[];
  goSumFiles: string[];
  mainModules: string[];
  /** `exclude` directives of the main modules: excluded versions are never an update. */
  excluded: Set<string>;
  modules: BuildListModule[];
};

type GoListModule = {
  Path: string;
  Version?: string;
  Main?: boolean;
  Indirect?: boolean;
  Replace?: { Path: string; Version?: string };
  Error?: { Err: string };
};

export type BuildListOptions = {
  dir: string;
  /** The go command; null: do not run it (read go.mod files only). */
  goBinary: string | null;
  env: NodeJS.ProcessEnv;
};

/** Module roots: every go.work, and every go.mod no go.work of the workspace uses. */
async function parseWorkspace(dir: string) {
  const files = await findModuleFiles(dir);
  const goModFiles = files.filter((f) => f.endsWith('/go.mod') || f.endsWith('\\go.mod'));
  const goWorkFiles = files.filter((f) => f.endsWith('go.work'));
  const goSumFiles = files.filter((f) => f.endsWith('go.sum'));
  const parsedMods = new Map<string, GoModFile>();
  for (const f of goModFiles) parsedMods.set(f, parseGoMod(await readFile(f, 'utf8'), f));
  const usedByWork = new Set<string>();
  for (const w of goWorkFiles) {
    const work = parseGoWork(await readFile(w, 'utf8'), w);
    for (const u of work.use) usedByWork.add(resolve(dirname(w), u.dir, 'go.mod'));
  }
  const roots = [
    ...goWorkFiles.map((w) => ({ dir: dirname(w), work: true })),
    ...goModFiles.filter((f) => !usedByWork.has(resolve(f))).map((f) => ({ dir: dirname(f), work: false })),
  ];
  return { goModFiles, goWorkFiles, goSumFiles, parsedMods, roots };
}

function runGoList(goBinary: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      goBinary,
      ['list', '-m', '-json', 'all'],
      { cwd, env, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
          const first = stderr.split('\n').find((l) => l.trim() !== '') ?? err.message;
          fail(Object.assign(new Error(missing ? `no go command (${goBinary})` : first.trim()), { missing }));
        } else done(stdout);
      },
    );
  });
}

/** `go ... -json` prints one JSON object after another. */
function parseJsonObjects(text: string): unknown[] {
  const out: unknown[] = [];
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
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

export async function readBuildList(options: BuildListOptions): Promise<BuildList> {
  return await (await planBuildList(options)).final;
}

/**
 * The build list in two steps: what the go.mod files say, at once (so probing can start), and
 * the go command's answer when it comes (the same list when there is no go command or it fails).
 */
export async function planBuildList(
  options: BuildListOptions,
): Promise<{ preliminary: BuildList; final: Promise<BuildList> }> {
  const dir = resolve(options.dir);
  const ws = await parseWorkspace(dir);
  if (ws.roots.length === 0) {
    throw new Error(`${dir}: no go.mod or go.work below it; run health in a Go module's directory (--dir)`);
  }
  // Where each path is required: a direct requirement wins over an indirect one.
  const locations = new Map<string, { file: string; line: number; indirect: boolean }>();
  const excluded = new Set<string>();
  const mainModules: string[] = [];
  for (const [file, mod] of ws.parsedMods) {
    if (mod.module) mainModules.push(mod.module.path);
    for (const e of mod.exclude) excluded.add(`${e.path}@${e.version}`);
    for (const r of mod.require) {
      const known = locations.get(r.path);
      if (!known || (known.indirect && !r.indirect))
        locations.set(r.path, { file, line: r.line, indirect: r.indirect });
    }
  }
  const mains = new Set(mainModules);
  const at = (path: string) => {
    const l = locations.get(path);
    return l ? { file: l.file, line: l.line } : null;
  };

  // From the go.mod files: every required path at its highest required version (the go.mod
  // files of a tidy module list the whole build list since Go 1.17).
  const highest = new Map<string, string>();
  const replaces = new Map<string, { path: string; version: string }>();
  for (const mod of ws.parsedMods.values()) {
    for (const r of mod.require) {
      if (mains.has(r.path)) continue;
      const seen = highest.get(r.path);
      if (!seen || compareVersions(r.version, seen) > 0) highest.set(r.path, r.version);
    }
    for (const r of mod.replace) replaces.set(r.old.path, { path: r.new.path, version: r.new.version });
  }
  const fromGoMod = (note: string): BuildList => ({
    source: 'go-mod',
    note,
    ...files(ws),
    mainModules,
    excluded,
    modules: sortModules(
      [...highest].map(([path, version]) => ({
        path,
        version,
        indirect: !(locations.get(path)?.indirect === false),
        location: at(path),
        replace: replaces.get(path) ?? null,
      })),
    ),
  });
  const preliminary = fromGoMod(
    'no go command: read the go.mod files (direct and listed indirect requirements only)',
  );
  const goBinary = options.goBinary;
  if (goBinary === null) return { preliminary, final: Promise.resolve(preliminary) };

  const fromGoList = async (): Promise<BuildList> => {
    const byKey = new Map<string, BuildListModule>();
    for (const root of ws.roots) {
      const env = {
        ...options.env,
        ...(root.work ? { GOWORK: join(root.dir, 'go.work') } : { GOWORK: 'off' }),
      };
      const listed = parseJsonObjects(await runGoList(goBinary, root.dir, env)) as GoListModule[];
      for (const m of listed) {
        if (m.Main || !m.Version || mains.has(m.Path)) continue;
        const key = `${m.Path}@${m.Version}`;
        if (byKey.has(key)) continue;
        byKey.set(key, {
          path: m.Path,
          version: m.Version,
          indirect: !(locations.get(m.Path)?.indirect === false),
          location: at(m.Path),
          replace: m.Replace ? { path: m.Replace.Path, version: m.Replace.Version ?? '' } : null,
        });
      }
    }
    return {
      source: 'go-list',
      note: null,
      ...files(ws),
      mainModules,
      excluded,
      modules: sortModules([...byKey.values()]),
    };
  };
  const final = fromGoList().catch((err: Error) =>
    fromGoMod(`go list -m -json all failed (${err.message}); read the go.mod files instead`),
  );
  return { preliminary, final };
}

function files(ws: { goModFiles: string[]; goWorkFiles: string[]; goSumFiles: string[] }) {
  return { goModFiles: ws.goModFiles, goWorkFiles: ws.goWorkFiles, goSumFiles: ws.goSumFiles };
}

function sortModules(modules: BuildListModule[]): BuildListModule[] {
  return modules.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : compareVersions(a.version, b.version),
  );
}

// go.sum, go.mod and go.work files as prewarm sources: exactly the module versions the go command
// would fetch for a build of that workspace. go.sum lines give exact pairs with their hashes (a
// `/go.mod`-only line means only the .mod is ever fetched); a go.mod without a go.sum gives its
// requirements; a go.work gives its workspace modules' files and its go.work.sum.
import { glob, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isWorkspaceModuleFile } from '../gomod/find-module-files.ts';
import { type GoModFile, parseGoMod, parseGoWork } from '../gomod/go-mod-file.ts';
import { parseGoSum } from '../gomod/go-sum.ts';
import { checkModulePath } from '../gomod/module-path.ts';
import { isValidVersion } from '../gomod/version.ts';
import type { WarmPlan } from './warm-plan.ts';

/** Files matching the globs (relative to `dir`), sorted; none under vendor, testdata or `.`/`_` dirs (isWorkspaceModuleFile). */
export async function expandModuleFileGlobs(dir: string, patterns: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    let matched = 0;
    for await (const entry of glob(pattern, { cwd: dir })) {
      const rel = String(entry);
      if (!isWorkspaceModuleFile(rel)) continue;
      const name = basename(rel);
      if (name !== 'go.mod' && name !== 'go.sum' && name !== 'go.work' && name !== 'go.work.sum') continue;
      found.add(resolve(dir, rel));
      matched++;
    }
    if (matched === 0 && !/[*?[{]/.test(pattern)) {
      throw new Error(`--files ${pattern}: no such go.mod, go.sum or go.work file below ${dir}`);
    }
  }
  return [...found].sort();
}

/** Adds the module versions the files name to the plan. `display` makes paths short in the report. */
export async function addWorkspaceFiles(
  plan: WarmPlan,
  files: readonly string[],
  display: string,
): Promise<void> {
  const all = new Set(files);
  for (const file of files) {
    const name = basename(file);
    const shown = relative(display, file) || name;
    const text = await readFile(file, 'utf8');
    if (name === 'go.sum' || name === 'go.work.sum') {
      addGoSum(plan, text, shown);
    } else if (name === 'go.mod') {
      // With a go.sum beside it, the go.sum is the exact set (requirements alone miss the graph).
      if (all.has(join(dirname(file), 'go.sum'))) continue;
      addGoModRequires(plan, parseGoMod(text, shown), shown);
    } else if (name === 'go.work') {
      const work = parseGoWork(text, shown);
      const workSum = join(dirname(file), 'go.work.sum');
      if (!all.has(workSum)) {
        const sumText = await readFile(workSum, 'utf8').catch(() => null);
        if (sumText !== null) addGoSum(plan, sumText, relative(display, workSum));
      }
      for (const use of work.use) {
        const moduleDir = resolve(dirname(file), use.dir);
        for (const f of ['go.sum', 'go.mod']) {
          const path = join(moduleDir, f);
          if (all.has(path)) continue;
          const content = await readFile(path, 'utf8').catch(() => null);
          if (content === null) continue;
          const where = relative(display, path);
          if (f === 'go.sum') {
            addGoSum(plan, content, where);
            all.add(path);
          } else if (!all.has(join(moduleDir, 'go.sum'))) {
            addGoModRequires(plan, parseGoMod(content, where), where);
          }
        }
      }
    }
  }
}

export function addGoSum(plan: WarmPlan, text: string, file: string): void {
  for (const line of parseGoSum(text, file)) {
    plan.add({
      module: line.module,
      version: line.version,
      want: line.isGoMod ? 'mod' : 'full',
      source: `${file}:${line.line}`,
      ...(line.isGoMod ? { modHash: line.hash } : { zipHash: line.hash }),
    });
  }
}

function addGoModRequires(plan: WarmPlan, mod: GoModFile, file: string): void {
  for (const req of mod.require) {
    const replaced = mod.replace.find(
      (r) => r.old.path === req.path && (r.old.version === '' || r.old.version === req.version),
    );
    if (replaced) {
      // A directory replacement is never fetched; a module replacement fetches the new module.
      if (replaced.new.version === '') continue;
      plan.add({
        module: replaced.new.path,
        version: replaced.new.version,
        want: 'full',
        source: `${file}:${replaced.line}`,
      });
      continue;
    }
    checkModulePath(req.path);
    if (!isValidVersion(req.version)) continue;
    plan.add({ module: req.path, version: req.version, want: 'full', source: `${file}:${req.line}` });
  }
}

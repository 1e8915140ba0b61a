// A list file of `module@version` or `module@query` lines (blank lines and `#` comments
// allowed), and the same syntax given on the command line.
import { readFile } from 'node:fs/promises';
import { checkModulePath, ModulePathError } from '../gomod/module-path.ts';
import { canonicalVersion, isValidVersion } from '../gomod/version.ts';
import type { WarmPlan } from './warm-plan.ts';

/** Adds one `module@version` (exact, canonical) or `module@query` to the plan. */
export function addModuleArgument(plan: WarmPlan, text: string, source: string): void {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) {
    throw new Error(
      `${source}: ${JSON.stringify(text)} is not module@version or module@query (e.g. example.com/m@v1.2.3 or example.com/m@latest)`,
    );
  }
  const module = text.slice(0, at);
  const query = text.slice(at + 1);
  try {
    checkModulePath(module);
  } catch (error) {
    if (error instanceof ModulePathError) throw new Error(`${source}: ${error.message}`);
    throw error;
  }
  if (/[\s/]/.test(query) && !query.startsWith('<') && !query.startsWith('>')) {
    throw new Error(`${source}: bad query ${JSON.stringify(query)} for ${module}`);
  }
  // An exact, canonical semantic version needs no resolving; anything else asks the proxy.
  if (isValidVersion(query) && canonicalVersion(query) === query) {
    plan.add({ module, version: query, want: 'full', source });
  } else {
    plan.addQuery({ module, query, source });
  }
}

export async function addListFile(plan: WarmPlan, file: string, shown: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read the module list ${file} (${(error as NodeJS.ErrnoException).code ?? error}); check --list`,
    );
  }
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    addModuleArgument(plan, line, `${shown}:${index + 1}`);
  });
}

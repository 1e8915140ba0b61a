// CI check: package-lock.json lists, for every package that has optional dependencies, each of
// them: the platform packages of esbuild, biome, typescript, ... for every OS and CPU. npm
// leaves out the platforms it is not running on when it updates a lock next to an installed
// node_modules, and `npm ci` on another platform then fails. Fix: see the message printed.
//
//   node scripts/check-lock.ts [path/to/package-lock.json]
import { readFileSync } from 'node:fs';

type LockEntry = { optionalDependencies?: Record<string, string>; peer?: boolean };
type Lock = { lockfileVersion?: number; packages?: Record<string, LockEntry> };

/** Where Node would find `name` from the package at `from` (a lock key): its own node_modules, then each parent's. */
function resolves(packages: Record<string, LockEntry>, from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (`${dir ? `${dir}/` : ''}node_modules/${name}` in packages) return true;
    if (dir === '') return false;
    const at = dir.lastIndexOf('node_modules/');
    dir = at <= 0 ? '' : dir.slice(0, at - 1);
  }
}

export function missingOptionals(lock: Lock): string[] {
  const packages = lock.packages ?? {};
  const missing: string[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      if (!resolves(packages, key, name)) missing.push(`${key || '(root)'} -> ${name}`);
    }
  }
  return missing;
}

if (import.meta.main) {
  const file = process.argv[2] ?? 'package-lock.json';
  const lock = JSON.parse(readFileSync(file, 'utf8')) as Lock;
  if ((lock.lockfileVersion ?? 0) < 2 || !lock.packages) {
    console.error(
      `${file}: lockfileVersion ${lock.lockfileVersion} has no "packages" map; regenerate it with npm 9 or later`,
    );
    process.exit(1);
  }
  const missing = missingOptionals(lock);
  if (missing.length > 0) {
    console.error(
      `${file} lacks ${missing.length} optional (platform) packages, so \`npm ci\` fails on other machines:\n  ${missing.join('\n  ')}\n` +
        'Regenerate it without node_modules in the way: bash scripts/relock.sh',
    );
    process.exit(1);
  }
  console.error(
    `${file}: every optional dependency is listed (${Object.keys(lock.packages).length} packages)`,
  );
}

// The npm package as users get it: this working tree's sources bundled into dist/ and packed
// with `npm pack` (package.json's `files` decide what goes in), from a scratch copy so the
// working tree's own dist/ is neither used nor touched.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cp, mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from './gitlab-ci-local.ts';

const execFileAsync = promisify(execFile);

export type PackedPackage = { tarball: string; name: string; version: string; files: string[] };

/** npm with a private cache and no user configuration, talking only to `registry`. */
export function npmEnv(registry: string, dir: string): Record<string, string> {
  const home = join(dir, 'home');
  const cache = join(dir, 'cache');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, '.npmrc'), '');
  writeFileSync(join(home, 'npmrc-global'), '');
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    npm_config_registry: registry,
    npm_config_cache: cache,
    npm_config_userconfig: join(home, '.npmrc'),
    npm_config_globalconfig: join(home, 'npmrc-global'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_loglevel: 'error',
  };
}

/** Builds dist/ from the working tree's sources in a copy under scratch (the caller removes it) and packs it. */
export async function packWorkingTree(scratch: string): Promise<PackedPackage> {
  const source = join(scratch, 'package');
  // Everything `files` may name, plus what the build needs (src and node_modules, linked).
  for (const entry of await readdir(projectRoot)) {
    if (['node_modules', 'src', 'dist', '.git', '.tools', 'test', 'bench'].includes(entry)) continue;
    await cp(join(projectRoot, entry), join(source, entry), { recursive: true });
  }
  await symlink(join(projectRoot, 'src'), join(source, 'src'));
  await symlink(join(projectRoot, 'node_modules'), join(source, 'node_modules'));
  await execFileAsync(process.execPath, [join(source, 'scripts', 'build.ts')], { cwd: source });
  const out = join(scratch, 'out');
  await mkdir(out);
  const { stdout } = await execFileAsync('npm', ['pack', '--json', '--pack-destination', out], {
    cwd: source,
    env: npmEnv('http://127.0.0.1:9/', join(scratch, 'npm')),
  });
  const [packed] = JSON.parse(stdout) as {
    filename: string;
    name: string;
    version: string;
    files: { path: string }[];
  }[];
  if (!packed || !existsSync(join(out, packed.filename)))
    throw new Error(`npm pack made no tarball: ${stdout}`);
  return {
    tarball: join(out, packed.filename),
    name: packed.name,
    version: packed.version,
    files: packed.files.map((file) => file.path).sort(),
  };
}

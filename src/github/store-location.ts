// Where the blob store lives in a GitHub job. The cache entry's "version"
// hashes the path strings given to @actions/cache, and its archive stores paths relative to
// GITHUB_WORKSPACE, so the store is one literal workspace-relative path, the same string on
// Linux, macOS and Windows: that is what lets one entry serve every OS.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The path handed to restoreCache/saveCache; resolved against GITHUB_WORKSPACE (the step's cwd). */
export const STORE_CACHE_PATH = '.goproxy-action/store';

export function storeDirIn(workspace: string): string {
  return join(workspace, '.goproxy-action', 'store');
}

/**
 * Creates the store directory. The `.gitignore` holding `*` keeps the whole `.goproxy-action`
 * directory out of `git status`, so checks for a clean tree after a build still pass (the go
 * command already skips directories whose names start with a dot).
 */
export async function prepareStoreDir(workspace: string): Promise<string> {
  const dir = storeDirIn(workspace);
  await mkdir(dir, { recursive: true });
  await writeFile(join(workspace, '.goproxy-action', '.gitignore'), '*\n');
  return dir;
}

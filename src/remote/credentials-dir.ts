// A private directory (0700) in the runner's temp space for credential files (netrc, GOAUTH
// headers). Only directories made here are ever removed by removeCredentialsDir.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';

const PREFIX = 'goproxy-action-credentials-';

export async function createCredentialsDir(tempRoot: string): Promise<string> {
  const dir = await mkdtemp(join(tempRoot, PREFIX));
  await chmod(dir, 0o700);
  return dir;
}

export async function removeCredentialsDir(dir: string): Promise<void> {
  if (!basename(dir).startsWith(PREFIX)) {
    throw new Error(`refusing to remove ${dir}: it is not a credentials directory made by goproxy-action`);
  }
  await rm(dir, { recursive: true, force: true });
}

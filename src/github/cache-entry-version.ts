// The cache "version" an entry is stored and looked up under, computed as @actions/cache 6.3
// does (lib/internal/cacheUtils.js getCacheVersion, getCompressionMethod), so that an entry
// saved by @actions/cache is found by our streamed restore and the other way round: the
// service matches a key only within one version. A different string here is a silent miss.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';

/** @actions/cache's names: zstd is used without --long whenever `zstd` runs; gzip otherwise. */
export type CompressionMethod = 'zstd-without-long' | 'gzip';

/** @actions/cache's salt, raised by it on a breaking change of the entry format. */
const VERSION_SALT = '1.0';

export function cacheEntryVersion(
  paths: string[],
  compression: CompressionMethod,
  crossOs: boolean,
  platform: NodeJS.Platform = process.platform,
): string {
  const parts = [...paths, compression];
  // Windows archives are kept apart unless the caller lets one entry serve every OS.
  if (platform === 'win32' && !crossOs) parts.push('windows-only');
  parts.push(VERSION_SALT);
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

let probed: Promise<CompressionMethod> | undefined;

/**
 * What @actions/cache picks on this machine: `zstd --quiet --version` printing anything (stdout
 * or stderr, any exit status) means zstd. Asked once per process.
 */
export function compressionMethod(): Promise<CompressionMethod> {
  probed ??= new Promise((resolve) => {
    execFile('zstd', ['--quiet', '--version'], (_err, stdout, stderr) => {
      resolve(`${stdout}${stderr}`.trim() === '' ? 'gzip' : 'zstd-without-long');
    });
  });
  return probed;
}

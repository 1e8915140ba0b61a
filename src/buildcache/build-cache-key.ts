// The key family of the Go build cache: build outputs are not portable across operating
// systems, architectures or go versions, so all three are in it, exactly as `go env` says.
import { readGoEnv } from '../gomod/read-go-env.ts';

export const BUILD_CACHE_FORMAT_VERSION = 'v1';

/** Keys may not hold commas; GOVERSION may carry experiments after a space (`go1.25.0 X:foo`). */
function keyPart(name: string, value: string): string {
  if (value === '') throw new Error(`go env printed no ${name}`);
  return value.replace(/[^A-Za-z0-9._+:]/g, '_');
}

export function buildCacheFamily(goos: string, goarch: string, goversion: string): string {
  const parts = [keyPart('GOOS', goos), keyPart('GOARCH', goarch), keyPart('GOVERSION', goversion)];
  return `goproxy-action-gocache-${BUILD_CACHE_FORMAT_VERSION}-${parts.join('-')}-`;
}

export async function buildCacheFamilyFromGo(env: NodeJS.ProcessEnv): Promise<string> {
  const go = await readGoEnv(['GOOS', 'GOARCH', 'GOVERSION'], { env });
  return buildCacheFamily(go.GOOS ?? '', go.GOARCH ?? '', go.GOVERSION ?? '');
}

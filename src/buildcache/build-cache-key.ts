// The key family of the Go build cache: build outputs are not portable across operating
// systems, architectures or go versions, so all three are in it, exactly as `go env` says.

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

/** The `go env` variables the family is made of. */
export const BUILD_CACHE_GO_NAMES = ['GOOS', 'GOARCH', 'GOVERSION'] as const;

/** What `go env` printed for BUILD_CACHE_GO_NAMES. */
export type BuildCacheGoEnv = Record<(typeof BUILD_CACHE_GO_NAMES)[number], string>;

export function buildCacheFamilyFromGo(go: BuildCacheGoEnv): string {
  return buildCacheFamily(go.GOOS ?? '', go.GOARCH ?? '', go.GOVERSION ?? '');
}

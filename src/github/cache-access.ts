// What the runner allows this run to do with the cache. ACTIONS_CACHE_MODE (set by the runner,
// e.g. read-only for untrusted events) uses the same words as @actions/cache: `read`, `write`,
// `write-only`, `none`; anything else (or unset) allows both.
export type CacheAccess = { read: boolean; write: boolean; mode: string };

const KNOWN = ['none', 'read', 'write', 'write-only'];

export function cacheAccess(env: NodeJS.ProcessEnv): CacheAccess {
  const mode = (env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase();
  if (!KNOWN.includes(mode)) return { read: true, write: true, mode };
  return {
    read: mode === 'read' || mode === 'write',
    write: mode === 'write' || mode === 'write-only',
    mode,
  };
}

/**
 * GitHub Enterprise Server, as @actions/cache 6.3 decides it (lib/internal/config.js isGhes):
 * any server but github.com, *.ghe.com and *.localhost. It then uses the legacy service.
 */
export function isGhes(env: NodeJS.ProcessEnv = process.env): boolean {
  const host = new URL(env.GITHUB_SERVER_URL || 'https://github.com').hostname.trimEnd().toUpperCase();
  return !(host === 'GITHUB.COM' || host.endsWith('.GHE.COM') || host.endsWith('.LOCALHOST'));
}

/**
 * @actions/cache's isFeatureAvailable() without loading it: the service version it would use
 * (v2 when ACTIONS_CACHE_SERVICE_V2 is set, never on GHES) and that version's URL. The main
 * step's restores then start before (and, streamed, without) the 1.6 MB module is loaded.
 * test/unit/github/cache-access.test.ts holds it equal to @actions/cache's in every combination.
 */
export function cacheFeatureAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  const v2 = !isGhes(env) && Boolean(env.ACTIONS_CACHE_SERVICE_V2);
  return Boolean(v2 ? env.ACTIONS_RESULTS_URL : env.ACTIONS_CACHE_URL);
}

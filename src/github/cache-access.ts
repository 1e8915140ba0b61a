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
 * False when @actions/cache's isFeatureAvailable() is false for certain: it needs
 * ACTIONS_RESULTS_URL (cache service v2) or ACTIONS_CACHE_URL (v1). A step then skips loading
 * @actions/cache (1.6 MB, about 100 ms of CPU before its first answer: bench/action-main.ts)
 * only to be told there is no cache service. True: load it and ask it.
 */
export function cacheServiceMayExist(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL);
}

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

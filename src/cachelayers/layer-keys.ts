// Keys of a layered cache entry chain. A chain is a base entry (layer 0, a complete snapshot)
// plus delta layers 1..n, each holding only what one run added. Every key is
// `<family><baseId>-<nn>` (nn two digits): findable by key alone, and no key is a prefix of
// another (the cache service also prefix-matches the primary key), so an exact restore of one
// layer can never return a different entry.

/** At most this many delta layers on a base before the next save compacts into a new base. */
export const MAX_LAYERS = 4;

const BASE_ID = /^[0-9]+-[0-9a-f]{8}$/;

export function layerKey(family: string, baseId: string, layer: number): string {
  if (!BASE_ID.test(baseId)) throw new Error(`bad cache base id '${baseId}'`);
  if (!Number.isInteger(layer) || layer < 0 || layer > 99) throw new Error(`bad cache layer ${layer}`);
  return `${family}${baseId}-${String(layer).padStart(2, '0')}`;
}

/** The base id and layer number of a key of this family, or undefined for any other key. */
export function parseLayerKey(family: string, key: string): { baseId: string; layer: number } | undefined {
  if (!key.startsWith(family)) return undefined;
  const m = /^([0-9]+-[0-9a-f]{8})-([0-9]{2})$/.exec(key.slice(family.length));
  if (!m) return undefined;
  return { baseId: m[1]!, layer: Number(m[2]) };
}

/**
 * A new base id: the workflow run id (or the time) and 8 random hex digits, so two jobs of one
 * run (a matrix) never pick the same base.
 */
export function newBaseId(env: NodeJS.ProcessEnv, random: () => string): string {
  const run = /^[0-9]+$/.test(env.GITHUB_RUN_ID ?? '') ? env.GITHUB_RUN_ID! : String(Date.now());
  const hex = random();
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new Error('newBaseId: random must give 8 hex digits');
  return `${run}-${hex}`;
}

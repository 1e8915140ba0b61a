// Keys of a layered cache entry chain. A chain is a base entry (layer 0, a complete snapshot)
// plus delta layers 1..n, each holding only what one run added. Every key is
// `<family><baseId>-<nn>` (nn two digits): findable by key alone, and no key is a prefix of
// another (the cache service also prefix-matches the primary key), so an exact restore of one
// layer can never return a different entry.
// A family may tag its keys, `<family><baseId>-<nn>-<tag>`, with what the saving run wants the
// next one to know from the lookup alone, before any download (the module tree: the dependency
// key it was saved for). Every key of such a family is tagged; an earlier layer's tag is not
// known to a restore, which asks for `<family><baseId>-<nn>-` as a prefix (layerPrefix).

/** At most this many delta layers on a base before the next save compacts into a new base. */
export const MAX_LAYERS = 4;

const BASE_ID = /^[0-9]+-[0-9a-f]{8}$/;

const TAG = /^[0-9a-z]{1,32}$/;

export function layerKey(family: string, baseId: string, layer: number, tag?: string): string {
  if (!BASE_ID.test(baseId)) throw new Error(`bad cache base id '${baseId}'`);
  if (!Number.isInteger(layer) || layer < 0 || layer > 99) throw new Error(`bad cache layer ${layer}`);
  if (tag !== undefined && !TAG.test(tag)) throw new Error(`bad cache key tag '${tag}'`);
  return `${family}${baseId}-${String(layer).padStart(2, '0')}${tag === undefined ? '' : `-${tag}`}`;
}

/** What every tagged key of this layer starts with, and no other layer's key. */
export function layerPrefix(family: string, baseId: string, layer: number): string {
  return `${layerKey(family, baseId, layer)}-`;
}

/** The base id, layer number and tag (tagged keys only) of a key of this family, or undefined for any other key. */
export function parseLayerKey(
  family: string,
  key: string,
): { baseId: string; layer: number; tag?: string } | undefined {
  if (!key.startsWith(family)) return undefined;
  const m = /^([0-9]+-[0-9a-f]{8})-([0-9]{2})(?:-([0-9a-z]{1,32}))?$/.exec(key.slice(family.length));
  if (!m) return undefined;
  return { baseId: m[1]!, layer: Number(m[2]), ...(m[3] === undefined ? {} : { tag: m[3] }) };
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

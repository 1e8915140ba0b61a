// Deleting a layered chain's superseded cache entries after a compaction saved a new base. The
// runner's cache service cannot delete; the REST API can, with a token that has `actions: write`
// (the job's GITHUB_TOKEN when the workflow grants it). Without that permission the old chain
// stays until the service evicts it (7 days unused, or the repository's size limit): storage,
// never correctness. See docs/architecture.md "Superseded entries".
import { parseLayerKey } from '../cachelayers/layer-keys.ts';
import { loadUndici } from '../net/load-undici.ts';

/** An entry as `GET /repos/{owner}/{repo}/actions/caches` lists it (the fields used here). */
export type ApiCacheEntry = {
  id: number;
  key: string;
  ref: string;
  created_at: string;
  last_accessed_at: string;
  size_in_bytes: number;
};

/**
 * A concurrent job's access to a chain after ours is recognised only this much later than our
 * restore ended: the service's clock and the runner's differ, and our own restore's accesses
 * must not look like someone else's.
 */
export const ACCESS_SLACK_MS = 60_000;

/**
 * The entries to delete: this ref's entries of the family that belong to another chain than the
 * new base's, except chains a concurrent job may be using. A chain is kept whole when any of its
 * entries was created after this job's restore started (another job's newer work) or accessed
 * after this job's restore ended (another job restored it, and may still save a layer on it).
 */
export function supersededEntries(
  entries: ApiCacheEntry[],
  options: {
    family: string;
    ref: string;
    newBaseId: string;
    restoreStartedAt: number;
    restoreDoneAt: number;
  },
): ApiCacheEntry[] {
  const chains = new Map<string, ApiCacheEntry[]>();
  for (const entry of entries) {
    if (entry.ref !== options.ref) continue;
    const parsed = parseLayerKey(options.family, entry.key);
    if (!parsed || parsed.baseId === options.newBaseId) continue;
    chains.set(parsed.baseId, [...(chains.get(parsed.baseId) ?? []), entry]);
  }
  const out: ApiCacheEntry[] = [];
  for (const chain of chains.values()) {
    const inUse = chain.some(
      (e) =>
        Date.parse(e.created_at) > options.restoreStartedAt ||
        Date.parse(e.last_accessed_at) > options.restoreDoneAt + ACCESS_SLACK_MS,
    );
    if (!inUse) out.push(...chain);
  }
  // Newest layer first, the base last: a restore looking up the chain meanwhile finds an earlier,
  // complete state of it (or nothing), never layers over a missing base.
  const layerOf = (e: ApiCacheEntry) => parseLayerKey(options.family, e.key)!.layer;
  return out.sort((a, b) => layerOf(b) - layerOf(a));
}

export type CacheApi = {
  list(keyPrefix: string, ref: string): Promise<ApiCacheEntry[]>;
  delete(id: number): Promise<void>;
};

/** The API said no (401/403/404): the token lacks the permission, or the repository is not visible to it. */
export class CacheApiRefused extends Error {
  override name = 'CacheApiRefused';
}

const PAGE = 100;
const MAX_PAGES = 20;

/** The REST API of the repository the job runs for (GITHUB_API_URL, GITHUB_REPOSITORY), or undefined without them. */
export function restCacheApi(env: NodeJS.ProcessEnv, token: string): CacheApi | undefined {
  const apiUrl = (env.GITHUB_API_URL ?? '').replace(/\/+$/, '');
  const repo = env.GITHUB_REPOSITORY ?? '';
  if (apiUrl === '' || !/^[^/\s]+\/[^/\s]+$/.test(repo) || token === '') return undefined;
  const base = `${apiUrl}/repos/${repo}/actions/caches`;
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'goproxy-action',
  };
  async function call(method: 'GET' | 'DELETE', url: string): Promise<unknown> {
    const { request } = await loadUndici();
    const res = await request(url, { method, headers, headersTimeout: 30_000, bodyTimeout: 30_000 });
    const text = await res.body.text();
    // Deleted meanwhile (a concurrent job's compaction): what we wanted.
    if (method === 'DELETE' && res.statusCode === 404) return undefined;
    if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode === 404)
      throw new CacheApiRefused(`${method} answered ${res.statusCode}`);
    // Never the body in a message: it is the server's, and short of a token it could echo anything.
    if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`${method} answered ${res.statusCode}`);
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      // The parser's message quotes the body: say only what is wrong.
      throw new Error(`${method} answered ${res.statusCode} with a body that is not JSON`);
    }
  }
  return {
    async list(keyPrefix, ref) {
      const all: ApiCacheEntry[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const query = new URLSearchParams({
          key: keyPrefix,
          ref,
          per_page: String(PAGE),
          page: String(page),
        });
        const body = (await call('GET', `${base}?${query}`)) as { actions_caches?: unknown } | undefined;
        const entries = Array.isArray(body?.actions_caches) ? (body.actions_caches as ApiCacheEntry[]) : [];
        all.push(...entries.filter(isApiCacheEntry));
        if (entries.length < PAGE) break;
      }
      return all;
    },
    async delete(id) {
      await call('DELETE', `${base}/${id}`);
    },
  };
}

function isApiCacheEntry(e: unknown): e is ApiCacheEntry {
  const x = e as Partial<ApiCacheEntry> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    Number.isSafeInteger(x.id) &&
    typeof x.key === 'string' &&
    typeof x.ref === 'string' &&
    typeof x.created_at === 'string' &&
    typeof x.last_accessed_at === 'string'
  );
}

export type DeletionResult =
  | { kind: 'deleted'; family: string; entries: number; bytes: number; kept: number }
  | { kind: 'refused' }
  | { kind: 'failed'; message: string };

/** Lists the family on this ref and deletes what supersededEntries picks; never throws. */
export async function deleteSuperseded(
  api: CacheApi,
  options: { family: string; ref: string; newKey: string; restoreStartedAt: number; restoreDoneAt: number },
): Promise<DeletionResult> {
  const parsed = parseLayerKey(options.family, options.newKey);
  if (!parsed) return { kind: 'failed', message: `not a key of ${options.family}: ${options.newKey}` };
  try {
    const listed = await api.list(options.family, options.ref);
    const doomed = supersededEntries(listed, { ...options, newBaseId: parsed.baseId });
    let bytes = 0;
    for (const entry of doomed) {
      await api.delete(entry.id);
      bytes += entry.size_in_bytes;
    }
    return {
      kind: 'deleted',
      family: options.family,
      entries: doomed.length,
      bytes,
      kept:
        listed.filter((e) => e.ref === options.ref && parseLayerKey(options.family, e.key)).length -
        doomed.length,
    };
  } catch (err) {
    if (err instanceof CacheApiRefused) return { kind: 'refused' };
    return { kind: 'failed', message: (err as Error).message };
  }
}

/** Post's part: for each family that saved a new base, delete its superseded entries; the log lines. */
export async function deleteSupersededAfterBases(options: {
  bases: { family: string; key: string }[];
  env: NodeJS.ProcessEnv;
  token: string;
  restoreStartedAt?: number;
  restoreDoneAt?: number;
  /** The REST client; restCacheApi(env, token) unless a test gives one. */
  api?: CacheApi;
}): Promise<string[]> {
  if (options.bases.length === 0) return [];
  const ref = options.env.GITHUB_REF ?? '';
  const api = options.api ?? restCacheApi(options.env, options.token);
  if (!api || ref === '')
    return [
      'superseded cache entries kept: no github-token, GITHUB_API_URL, GITHUB_REPOSITORY or GITHUB_REF',
    ];
  // Without main's times every chain counts as in use (created after 0): nothing is deleted.
  const restoreStartedAt = options.restoreStartedAt ?? 0;
  const restoreDoneAt = options.restoreDoneAt ?? Number.MAX_SAFE_INTEGER;
  const lines: string[] = [];
  for (const base of options.bases) {
    const result = await deleteSuperseded(api, {
      family: base.family,
      ref,
      newKey: base.key,
      restoreStartedAt,
      restoreDoneAt,
    });
    if (result.kind === 'refused') {
      lines.push('superseded cache entries kept: the token lacks actions: write');
      break;
    }
    // Nothing superseded (a cold start, a new branch): nothing to say.
    if (result.kind === 'deleted' && result.entries === 0) continue;
    lines.push(
      result.kind === 'failed'
        ? `superseded cache entries of ${base.family}* kept: ${result.message}`
        : `superseded cache entries: deleted ${result.entries} of ${base.family}* (${(result.bytes / 1048576).toFixed(1)} MiB), ${result.kept} kept on ${ref}`,
    );
  }
  return lines;
}

// A CacheClient whose restore is our own for the cache service v2 (what github.com runners
// use): it asks the service for the entry's signed download URL (cache-download-url.ts) and
// pipes the download straight into @actions/cache's tar extraction (streamed-extract.ts), so
// download and extraction overlap; @actions/cache downloads the whole archive into a temporary
// file first, on the job's one Node thread, and only then extracts it. A chain restored in
// order (the tree, the store) tells the client its entries first (`prefetch`): their URLs are
// asked for at once and their downloads start at once, buffered up to a bound, while each is
// extracted only in its turn, since a later entry's files must win. A lookup is the same call
// with its URL unused, so it is ours too: the main step loads no @actions/cache at all on v2.
// Save stays @actions/cache's. Where this cannot run as @actions/cache would (the legacy service, GHES, no
// zstd or not Linux, a read-restricted cache mode, an answer not as expected, a download that
// fails before its first byte), @actions/cache's own restore runs instead, said in one line.
import { resolve } from 'node:path';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import * as core from '@actions/core';
import { actionsCacheClient, type CacheClient } from '../cachelayers/layered-cache.ts';
import { cacheAccess, isGhes } from './cache-access.ts';
import { type CacheService, getCacheEntryDownloadUrl, sendRequest } from './cache-download-url.ts';
import { cacheEntryVersion, compressionMethod } from './cache-entry-version.ts';
import { extractStream } from './streamed-extract.ts';

/** A prefetched entry's download is buffered up to this (twice, in a PassThrough), then waits. */
const PREFETCH_BUFFER_BYTES = 8 << 20;

type Availability =
  | { ok: true; service: CacheService; workingDirectory: string }
  | { ok: false; why: string };

/** GHES as @actions/cache decides it; a server URL that does not parse is not github.com. */
function onGhes(env: NodeJS.ProcessEnv): boolean {
  try {
    return isGhes(env);
  } catch {
    return true;
  }
}

async function availability(env: NodeJS.ProcessEnv): Promise<Availability> {
  if (onGhes(env)) return { ok: false, why: 'GitHub Enterprise Server (the legacy cache service)' };
  if (!env.ACTIONS_CACHE_SERVICE_V2)
    return { ok: false, why: 'the legacy cache service (no ACTIONS_CACHE_SERVICE_V2)' };
  if (!env.ACTIONS_RESULTS_URL || !env.ACTIONS_RUNTIME_TOKEN)
    return { ok: false, why: 'no ACTIONS_RESULTS_URL or ACTIONS_RUNTIME_TOKEN' };
  if (!cacheAccess(env).read) return { ok: false, why: `the cache mode ${cacheAccess(env).mode}` };
  // @actions/cache's extraction differs elsewhere (BSD tar on macOS and Windows).
  if (process.platform !== 'linux') return { ok: false, why: `${process.platform}, not Linux` };
  if ((await compressionMethod()) !== 'zstd-without-long')
    return { ok: false, why: 'no zstd (gzip archives)' };
  return {
    ok: true,
    service: { baseUrl: env.ACTIONS_RESULTS_URL, runtimeToken: env.ACTIONS_RUNTIME_TOKEN },
    workingDirectory: env.GITHUB_WORKSPACE ?? process.cwd(),
  };
}

const toldOnce = new Set<string>();

/** One line per reason per process: three caches falling back for one reason say it once. */
function tellFallback(why: string): void {
  if (toldOnce.has(why)) return;
  toldOnce.add(why);
  core.info(`Cache restore: @actions/cache's own restore (not streamed: ${why})`);
}

/** The state of one entry's restore before its extraction: what `restore` then does. */
type Prepared =
  | { kind: 'fallback'; why: string }
  | { kind: 'miss' }
  | { kind: 'refused'; why: string }
  | { kind: 'body'; matchedKey: string; body: Readable; expectedBytes?: number };

/** The entry `key` (with `prefix`: the newest whose key starts with it) looked up and its download begun. */
async function prepare(
  ready: Extract<Availability, { ok: true }>,
  version: string,
  request: { key: string; prefix?: string },
  buffered: boolean,
  signal: AbortSignal,
): Promise<Prepared> {
  const answer = await getCacheEntryDownloadUrl(ready.service, {
    key: request.key,
    restoreKeys: request.prefix ? [request.prefix] : [],
    version,
  });
  if (answer.kind === 'miss') return { kind: 'miss' };
  if (answer.kind === 'unexpected') return { kind: 'fallback', why: answer.why };
  if (answer.kind === 'refused') return answer;
  // As actionsCacheClient: exactly the key, or with a prefix an entry under it (checked before
  // anything is downloaded, where @actions/cache would have extracted it first).
  const wanted = request.prefix
    ? answer.matchedKey.startsWith(request.prefix)
    : answer.matchedKey === request.key;
  if (!wanted) return { kind: 'miss' };
  let res: Awaited<ReturnType<typeof sendRequest>>;
  try {
    res = await sendRequest(answer.url, {
      method: 'GET',
      headers: { 'user-agent': 'goproxy-action' },
      signal,
    });
  } catch (err) {
    if (signal.aborted) return { kind: 'miss' };
    return { kind: 'fallback', why: `the download did not start: ${(err as Error).message}` };
  }
  if (res.statusCode !== 200) {
    res.resume();
    return { kind: 'fallback', why: `the download answered ${res.statusCode}` };
  }
  const length = Number(res.headers['content-length']);
  const expectedBytes = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
  if (!buffered) return { kind: 'body', matchedKey: answer.matchedKey, body: res, expectedBytes };
  // Downloads ahead of its turn into memory, up to the bound; then TCP holds the rest back.
  const spool = new PassThrough({ highWaterMark: PREFETCH_BUFFER_BYTES });
  pipeline(res, spool, () => undefined);
  return { kind: 'body', matchedKey: answer.matchedKey, body: spool, expectedBytes };
}

/**
 * Keys @actions/cache would send (lib/cache.js checkKey and the ten-key limit): anything else
 * goes to it, so that it throws its ValidationError as before.
 */
function keysAsActionsCacheTakes(keys: string[]): boolean {
  return keys.length <= 10 && keys.every((k) => k.length <= 512 && !k.includes(','));
}

function requestId(key: string, prefix?: string): string {
  return `${key}\n${prefix ?? ''}`;
}

/**
 * `client` (@actions/cache for `path`) with the streamed restore and lookup: save is its own,
 * and so are the restore and lookup wherever ours cannot run as it would.
 */
export function withStreamedRestore(
  client: CacheClient,
  path: string,
  crossOs: boolean,
  env: NodeJS.ProcessEnv = process.env,
): CacheClient {
  let available: Promise<Availability> | undefined;
  const ready = () => (available ??= availability(env));
  const versionFor = async () => cacheEntryVersion([path], await compressionMethod(), crossOs);
  const prefetched = new Map<string, { prepared: Promise<Prepared>; abort: AbortController }>();

  const start = (request: { key: string; prefix?: string }, buffered: boolean) => {
    const abort = new AbortController();
    const prepared = (async (): Promise<Prepared> => {
      const can = await ready();
      if (!can.ok) return { kind: 'fallback', why: can.why };
      return await prepare(can, await versionFor(), request, buffered, abort.signal);
    })().catch((err: Error): Prepared => ({ kind: 'fallback', why: err.message }));
    return { prepared, abort };
  };

  return {
    ...client,
    // The v2 lookup is the same GetCacheEntryDownloadURL call, its URL unused: asked here, the
    // main step needs no @actions/cache (1.6 MB to load) before its first restore begins.
    async lookup(key, restoreKeys) {
      const can = await ready();
      if (!can.ok || !keysAsActionsCacheTakes([key, ...restoreKeys]))
        return await client.lookup(key, restoreKeys);
      const answer = await getCacheEntryDownloadUrl(can.service, {
        key,
        restoreKeys,
        version: await versionFor(),
      }).catch((err: Error) => ({ kind: 'unexpected' as const, why: err.message }));
      if (answer.kind === 'miss') return undefined;
      if (answer.kind === 'hit') return answer.matchedKey;
      // An error or an answer not as expected (or a URL we would not fetch, whose key the
      // answer does not carry here): @actions/cache decides, warning as it does.
      return await client.lookup(key, restoreKeys);
    },
    prefetch(entries) {
      for (const entry of entries) {
        const id = requestId(entry.key, entry.prefix);
        if (!prefetched.has(id)) prefetched.set(id, start(entry, true));
      }
      return () => {
        for (const { prepared, abort } of prefetched.values()) {
          abort.abort();
          prepared.then((p) => p.kind === 'body' && p.body.destroy()).catch(() => undefined);
        }
        prefetched.clear();
      };
    },
    async restore(key, prefix) {
      const id = requestId(key, prefix);
      const pending = prefetched.get(id) ?? start({ key, prefix }, false);
      prefetched.delete(id);
      const prepared = await pending.prepared;
      if (prepared.kind === 'fallback') {
        const can = await ready();
        if (can.ok) core.info(`Cache restore of ${key}: @actions/cache's own restore (${prepared.why})`);
        else tellFallback(prepared.why);
        return await client.restore(key, prefix);
      }
      if (prepared.kind === 'miss') return undefined;
      if (prepared.kind === 'refused') {
        core.warning(`Cache restore of ${key} refused: ${prepared.why}; restored as a miss`);
        return undefined;
      }
      const can = await ready();
      if (!can.ok) return undefined;
      const started = Date.now();
      const result = await extractStream(prepared.body, {
        workingDirectory: can.workingDirectory,
        cachePath: resolve(can.workingDirectory, path),
        expectedBytes: prepared.expectedBytes,
      });
      if (!result.ok) {
        core.warning(
          `Cache restore of ${prepared.matchedKey} failed (${result.why}): removed the ${result.removed} files it had begun; restored as a miss`,
        );
        return undefined;
      }
      core.info(
        `Cache hit for: ${prepared.matchedKey}, ${(result.bytes / 1048576).toFixed(1)} MiB streamed into tar in ${Date.now() - started} ms`,
      );
      return prepared.matchedKey;
    },
  };
}

/** @actions/cache for one path, restoring through ours where it can. */
export function streamedCacheClient(path: string, crossOs: boolean): CacheClient {
  return withStreamedRestore(actionsCacheClient(path, crossOs), path, crossOs);
}

// The checksum database under /sumdb/<name>/, through the upstream chain (or the URL that
// GOSUMDB names), so a job's checksum traffic goes through the proxy too. Lookups and tiles
// are immutable and kept in the store; `latest` is always asked fresh. `supported` says 200
// only when an upstream really serves the database: once it does, the go command never goes
// direct, so a false 200 would break every verification.
import { unescapePath } from '../gomod/module-path.ts';
import type { BlobStore } from '../store/blob-store.ts';
import type { HttpUpstream } from '../upstream/http-upstream.ts';
import type { UpstreamChain } from '../upstream/upstream-chain.ts';
import { readAll } from '../upstream/upstream-response.ts';
import { immutableCache, type Reply, textReply } from './reply.ts';
import { SingleFlight } from './single-flight.ts';

const maxSumdbAnswer = 4 << 20;

export type SumdbPassthroughOptions = {
  store: BlobStore;
  chain: UpstreamChain;
  http: HttpUpstream;
  /** The databases GOSUMDB names with an explicit URL: name -> URL (bypasses the chain, as in Go). */
  explicitUrls: Map<string, string>;
  /** Modules whose paths must never be sent to a checksum database. */
  isNoSum: (module: string) => boolean;
};

type Fetched = { ok: true; bytes: Buffer; source: string } | { ok: false; status: number; message: string };

export class SumdbPassthrough {
  readonly #o: SumdbPassthroughOptions;
  readonly #flights = new SingleFlight<Fetched>();

  constructor(options: SumdbPassthroughOptions) {
    this.#o = options;
  }

  async handle(name: string, subpath: string): Promise<Reply> {
    if (subpath.startsWith('lookup/')) {
      const module = lookupModule(subpath);
      if (module === null) return textReply(400, `invalid checksum database lookup "${subpath}"`);
      if (this.#o.isNoSum(module)) {
        return textReply(
          403,
          `goproxy-action: ${module} is private (GOPRIVATE/GONOSUMDB): its path is never sent to a checksum database.`,
        );
      }
    }
    const result = await this.fetch(name, subpath);
    if (!result.ok) {
      // Any failure of `supported` reads as "not served here": the go command then goes direct.
      if (subpath === 'supported')
        return textReply(404, `checksum database ${name} is not served by the upstream`);
      return textReply(result.status, `goproxy-action: checksum database ${name}: ${result.message}`);
    }
    const immutable = subpath !== 'latest';
    return {
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: result.bytes,
      headers: { 'cache-control': immutable ? immutableCache : 'no-cache' },
      source: result.source === 'store' ? 'store' : 'upstream',
      ...(result.source === 'store' ? {} : { upstreamBytes: result.bytes.length }),
    };
  }

  /** Fetches (and caches what is immutable); also the transport of the native sumdb client. */
  async fetch(name: string, subpath: string): Promise<Fetched> {
    const { store } = this.#o;
    const cacheable = subpath !== 'latest';
    if (cacheable) {
      const stored = await store.readSumdb(name, subpath).catch(() => null);
      if (stored) return { ok: true, bytes: stored, source: 'store' };
    }
    return this.#flights.run(`${name}/${subpath}`, async () => {
      const result = await this.#fetchUpstream(name, subpath);
      if (result.ok && cacheable) await store.writeSumdb(name, subpath, result.bytes).catch(() => {});
      return result;
    });
  }

  async #fetchUpstream(name: string, subpath: string): Promise<Fetched> {
    const explicit = this.#o.explicitUrls.get(name);
    if (explicit) {
      // `supported` is a proxy's word; a database at its own URL just serves.
      if (subpath === 'supported') return { ok: true, bytes: Buffer.alloc(0), source: explicit };
      const res = await this.#o.http.get(explicit, subpath);
      if (res.outcome !== 'ok')
        return { ok: false, status: res.outcome === 'not-found' ? 404 : 502, message: res.message };
      return { ok: true, bytes: await readAll(res.body, maxSumdbAnswer), source: explicit };
    }
    const result = await this.#o.chain.fetchSumdb(name, subpath, (body) =>
      readAll(body.body, maxSumdbAnswer),
    );
    return result.ok
      ? { ok: true, bytes: result.value, source: result.source }
      : { ok: false, status: result.status, message: result.message };
  }
}

function lookupModule(subpath: string): string | null {
  const target = subpath.slice('lookup/'.length);
  const at = target.lastIndexOf('@');
  if (at <= 0) return null;
  try {
    return unescapePath(target.slice(0, at));
  } catch {
    return null;
  }
}

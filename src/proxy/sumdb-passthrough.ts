// The checksum database under /sumdb/<name>/, through the upstream proxies (or the URL that
// GOSUMDB names), so a job's checksum traffic goes through the proxy too.
//
// Nothing the database says is passed on or kept unchecked: every answer goes through the
// verifying client first (signed tree heads against the database's key and the trees seen
// before, lookups and tiles against a verified tree). A forged answer is a 502, never a 200
// and never stored. Requests are accepted by grammar only (sumdb-request.ts) and the upstream
// path is rebuilt from the parsed parts. Only the configured database is served.
//
// A database we hold no key for (a bare GOSUMDB name other than the default's) is not served:
// `supported` answers 404, so the go command goes to the database itself, and handles the
// setting as it would without us (it refuses a bare unknown name, "invalid GOSUMDB: malformed
// verifier id", but only when it needs the database: a job whose modules are all in go.sum
// still works). Refusing to start would break such jobs; passing answers through unverified
// would store what nobody checked.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore } from '../store/blob-store.ts';
import { sumdbDirName } from '../store/store-layout.ts';
import { SumdbClient, SumdbVerificationError } from '../sumdb/sumdb-client.ts';
import {
  parseSumdbRequest,
  type SumdbRequest,
  SumdbRequestError,
  sumdbRequestPath,
} from '../sumdb/sumdb-request.ts';
import type { ProxyEntry } from '../upstream/goproxy-list.ts';
import type { HttpUpstream } from '../upstream/http-upstream.ts';
import { readAll } from '../upstream/upstream-response.ts';
import { immutableCache, type Reply, textReply } from './reply.ts';

const maxSumdbAnswer = 4 << 20;
/** Bounds the bookkeeping sets below (their entries are small; a hostile client can make many). */
const maxTracked = 10_000;

/**
 * Marks a store's sumdb/ directory as written by a verifying version. Older versions stored
 * answers unchecked; a store without this mark has its sumdb/ cache dropped on open.
 */
const verifiedMark = '.verified-v1';

export type SumdbDatabase = {
  name: string;
  /** The verifier key (`name+hash+key`), from GOSUMDB or known for the default database. */
  key: string | null;
  /** The URL GOSUMDB gives explicitly (it bypasses the proxies, as in Go). */
  url: string | null;
};

export type SumdbPassthroughOptions = {
  store: BlobStore;
  http: HttpUpstream;
  /** The main upstream list: the database is asked through its URL entries, up to direct/off. */
  entries: readonly ProxyEntry[];
  /** The database GOSUMDB names; null when GOSUMDB=off. */
  database: SumdbDatabase | null;
  /** Modules whose paths must never be sent to a checksum database. */
  isNoSum: (module: string) => boolean;
};

type Upstream = { ok: true; bytes: Buffer } | { ok: false; status: number; message: string };

export class SumdbPassthrough {
  readonly #o: SumdbPassthroughOptions;
  readonly #client: SumdbClient | null;
  /** Paths the database answered 410 (rather than 404), to pass the status on as is. */
  readonly #gone = new Set<string>();
  /** Paths fetched from upstream and not yet stored: stored once they verify. */
  readonly #fresh = new Set<string>();

  private constructor(options: SumdbPassthroughOptions) {
    this.#o = options;
    const db = options.database;
    this.#client =
      db?.key != null ? new SumdbClient({ name: db.name, key: db.key, fetch: (p) => this.#read(p) }) : null;
  }

  /** Opens the pass-through; drops a sumdb/ cache written by a version that did not verify. */
  static async open(options: SumdbPassthroughOptions): Promise<SumdbPassthrough> {
    dropUnverifiedCache(options.store.root);
    return new SumdbPassthrough(options);
  }

  async handle(name: string, subpath: string): Promise<Reply> {
    let request: SumdbRequest;
    try {
      request = parseSumdbRequest(subpath);
    } catch (error) {
      if (error instanceof SumdbRequestError) return textReply(400, `goproxy-action: ${error.message}`);
      throw error;
    }
    const db = this.#o.database;
    if (db === null || db.name !== name) {
      return textReply(
        404,
        `goproxy-action: checksum database ${name} is not served here (GOSUMDB is ${db?.name ?? 'off'})`,
      );
    }
    if (this.#client === null) {
      return textReply(
        404,
        `goproxy-action: checksum database ${name} is not served here: its key is unknown, so its answers cannot be verified (set GOSUMDB to <name>+<key>)`,
      );
    }
    if (request.kind === 'lookup' && this.#o.isNoSum(request.module)) {
      return textReply(
        403,
        `goproxy-action: ${request.module} is private (GOPRIVATE/GONOSUMDB): its path is never sent to a checksum database.`,
      );
    }
    const path = sumdbRequestPath(request);
    try {
      switch (request.kind) {
        case 'supported': {
          const answer = await this.#upstream('supported');
          // Any failure reads as "not served here": the go command then goes to the database itself.
          if (!answer.ok)
            return textReply(404, `goproxy-action: checksum database ${name} is not served by the upstream`);
          return ok(Buffer.alloc(0), 'no-cache');
        }
        case 'latest': {
          const latest = await this.#client.refreshLatest();
          return ok(Buffer.from(latest.note), 'no-cache');
        }
        case 'lookup': {
          const answer = await this.#client.lookupAnswer(request.module, request.version);
          return ok(Buffer.from(answer.body), immutableCache, await this.#keep(path, answer.body));
        }
        case 'tile': {
          const data = await this.#client.verifiedTile(request.tile);
          if (data === null) return this.#notFoundReply(name, path);
          return ok(Buffer.from(data), immutableCache, await this.#keep(path, data));
        }
      }
    } catch (error) {
      if (error instanceof SumdbVerificationError && error.kind === 'not-found') {
        return this.#notFoundReply(name, path);
      }
      // Forged or inconsistent: the go command must not get it, and nothing is kept.
      if (error instanceof SumdbVerificationError) {
        return textReply(
          502,
          `goproxy-action: refused an answer of checksum database ${name} (not served, not stored): ${error.message}`,
        );
      }
      return textReply(
        502,
        `goproxy-action: checksum database ${name} unreachable: ${(error as Error).message}`,
      );
    }
  }

  /** Verified go.sum lines of module@version (for checking blobs before they are stored). */
  async lookupLines(module: string, version: string): Promise<string[]> {
    if (this.#client === null) throw new Error('internal error: no checksum database key');
    const answer = await this.#client.lookupAnswer(module, version);
    await this.#keep(sumdbRequestPath({ kind: 'lookup', module, version }), answer.body);
    return [...answer.lines];
  }

  /** True when the database's answers can be verified here. */
  get verifies(): boolean {
    return this.#client !== null;
  }

  #notFoundReply(name: string, path: string): Reply {
    const status = this.#gone.has(path) ? 410 : 404;
    return textReply(status, `goproxy-action: checksum database ${name}: ${path}: not found`);
  }

  /** Stores a verified answer that came from upstream (lookups and tiles never change); true if it did. */
  async #keep(path: string, bytes: Uint8Array): Promise<boolean> {
    if (!this.#fresh.delete(path)) return false;
    const name = (this.#o.database as SumdbDatabase).name;
    // A store that cannot be written just does not cache: the answer is still good.
    await this.#o.store.writeSumdb(name, path, bytes).catch(() => undefined);
    return true;
  }

  /** The verifying client's transport: the store (verified answers only), else upstream. */
  async #read(path: string): Promise<Uint8Array | null> {
    const name = (this.#o.database as SumdbDatabase).name;
    if (path !== 'latest') {
      const stored = await this.#o.store.readSumdb(name, path).catch(() => null);
      if (stored) return stored;
    }
    const answer = await this.#upstream(path);
    if (answer.ok) {
      if (path !== 'latest') track(this.#fresh, path);
      return answer.bytes;
    }
    if (answer.status === 404 || answer.status === 410) {
      if (answer.status === 410) track(this.#gone, path);
      else this.#gone.delete(path);
      return null;
    }
    throw new Error(answer.message);
  }

  /** GET a validated path of the database: at its explicit URL, else along the proxies. */
  async #upstream(path: string): Promise<Upstream> {
    const db = this.#o.database as SumdbDatabase;
    if (db.url !== null) {
      // `supported` is a proxy's word; a database at its own URL just serves.
      if (path === 'supported') return { ok: true, bytes: Buffer.alloc(0) };
      return this.#get(db.url, path);
    }
    const notes: string[] = [];
    let notFound = 0;
    for (const entry of this.#o.entries) {
      // The go command connects to the database itself at direct/off; a proxy cannot serve it there.
      if (entry.kind !== 'url') break;
      const answer = await this.#get(entry.url, `sumdb/${db.name}/${path}`);
      if (answer.ok) return answer;
      notes.push(answer.message);
      if (answer.status === 404 || answer.status === 410) {
        notFound = notFound || answer.status;
        continue;
      }
      if (!entry.fallThroughOnAnyError) return answer;
    }
    if (notFound) return { ok: false, status: notFound, message: notes.join('; ') };
    return {
      ok: false,
      status: 502,
      message: notes.join('; ') || 'no upstream proxy serves checksum databases',
    };
  }

  async #get(base: string, path: string): Promise<Upstream> {
    const res = await this.#o.http.get(base, path);
    if (res.outcome === 'ok') {
      try {
        return { ok: true, bytes: await readAll(res.body, maxSumdbAnswer) };
      } catch (error) {
        res.body.destroy();
        return { ok: false, status: 502, message: `${base}: ${(error as Error).message}` };
      }
    }
    const status = res.outcome === 'not-found' ? (res.status === 410 ? 410 : 404) : 502;
    return { ok: false, status, message: `${base}: ${res.message || res.status}` };
  }
}

function track(set: Set<string>, path: string): void {
  set.delete(path);
  set.add(path);
  if (set.size > maxTracked) set.delete(set.values().next().value as string);
}

function ok(body: Buffer, cacheControl: string, fromUpstream = true): Reply {
  return {
    status: 200,
    contentType: 'text/plain; charset=utf-8',
    body,
    headers: { 'cache-control': cacheControl },
    source: fromUpstream ? 'upstream' : 'store',
    ...(fromUpstream ? { upstreamBytes: body.length } : {}),
  };
}

function dropUnverifiedCache(storeRoot: string): void {
  const dir = join(storeRoot, sumdbDirName);
  const mark = join(dir, verifiedMark);
  // Synchronous: the pass-through opens before serve is ready (see go-sum.ts's read).
  let marked = true;
  try {
    readFileSync(mark);
  } catch {
    marked = false;
  }
  if (marked) return;
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(mark, 'answers in this directory were verified before they were stored\n');
  } catch {
    // A read-only store: nothing is added to it, and what the client reads from it is verified anyway.
  }
}

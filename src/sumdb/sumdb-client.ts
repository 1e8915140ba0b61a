// A verifying checksum database client (what golang.org/x/mod/sumdb's Client does for the go
// command): looks up a module version, checks the signed tree note with the database's key,
// proves the record is in that tree from tiles, and proves every tree it sees is consistent
// with the newest one seen before. Only then are the go.sum lines returned.
//
// Network access is the caller's `fetch` (the proxy sends it through its upstream chain).
// Tiles are cached as fetched but never trusted: each proof must reproduce a signed root, and
// the tiles of a failed proof are dropped, so a forged tile cannot stick.

import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { LruMap } from '../lru-map.ts';
import { NoteError, parseVerifierKey, type VerifierKey, verifyNote } from './note.ts';
import {
  fullTile,
  HASH_SIZE,
  hashesEqual,
  MalformedRecordError,
  MalformedTreeError,
  ProofError,
  parseRecord,
  parseTree,
  type Tile,
  type TileReader,
  type Tree,
  tileIsFull,
  tilePath,
  verifyRecordInclusion,
  verifyTile,
  verifyTreeConsistency,
} from './tlog.ts';

/** GETs `path` relative to the database root; null on 404/410; throws on any other failure. */
export type SumdbFetch = (path: string) => Promise<Uint8Array | null>;

export type SumdbVerificationKind =
  /** The database does not have the module version (404/410). */
  | 'not-found'
  /** An answer is not in the database's format. */
  | 'malformed'
  /** The tree note is not signed by the configured key, or its signature is wrong. */
  | 'bad-signature'
  /** The record is not in the signed tree (its inclusion proof fails). */
  | 'not-included'
  /** A signed tree is not consistent with one seen before: the log was forked or rewritten. */
  | 'inconsistent'
  /** A tile needed for a proof is not served. */
  | 'missing-tile'
  /** The verified record does not hold lines for the requested module version. */
  | 'mismatch';

/** Anything the checksum database said that does not verify. */
export class SumdbVerificationError extends Error {
  override name = 'SumdbVerificationError';
  readonly module: string;
  readonly version: string;
  readonly kind: SumdbVerificationKind;
  constructor(
    database: string,
    module: string,
    version: string,
    kind: SumdbVerificationKind,
    reason: string,
    /** What was checked when it is not a module version (module is then ''); default the latest tree. */
    subject = 'the latest tree',
  ) {
    super(
      module === ''
        ? `checking ${subject} of checksum database ${database}: ${reason}`
        : `verifying ${module}@${version} against checksum database ${database}: ${reason}`,
    );
    this.module = module;
    this.version = version;
    this.kind = kind;
  }
}

export type SumdbClientOptions = {
  name: string;
  /** The verifier key, `<name>+<hash>+<base64 key>`, as GOSUMDB gives it. */
  key: string;
  fetch: SumdbFetch;
  /** A signed tree note remembered from an earlier run: later trees must be consistent with it. */
  latest?: string | Uint8Array;
  /** Verified tiles kept in memory (8 KiB each when full); default 2048. */
  maxCachedTiles?: number;
  /** Verified lookup answers kept in memory, least recently used out first; default 4096. */
  maxVerifiedLookups?: number;
};

class Utf8Error extends Error {
  override name = 'Utf8Error';
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Utf8Error('the answer is not valid UTF-8');
  }
}

class MissingTileError extends Error {
  override name = 'MissingTileError';
}

type SignedTree = { tree: Tree; note: string };

/**
 * A verified answer (record and signed note, under 1 KiB) per module version: 4096 is a few
 * MB and ten times a large graph. An evicted one is fetched again (the proxy's store keeps
 * verified answers) and proven again from tiles; it is never trusted from an earlier proof.
 */
const defaultMaxVerifiedLookups = 4096;

/** A lookup answer that verified, as the database sent it, and the go.sum lines it holds. */
export type VerifiedLookup = { lines: string[]; body: Uint8Array };

export class SumdbClient {
  readonly name: string;
  readonly #key: VerifierKey;
  readonly #fetch: SumdbFetch;
  readonly #maxCachedTiles: number;
  #latest: SignedTree | null = null;
  /** Serializes merges of new trees into #latest. */
  #merging: Promise<unknown> = Promise.resolve();
  readonly #tiles = new Map<string, Uint8Array>();
  readonly #tileFetches = new Map<string, Promise<Uint8Array | null>>();
  readonly #lookups = new Map<string, Promise<VerifiedLookup>>();
  readonly #verified: LruMap<string, VerifiedLookup>;

  constructor(options: SumdbClientOptions) {
    this.#key = parseVerifierKey(options.key);
    if (this.#key.name !== options.name) {
      throw new Error(
        `checksum database ${options.name}: the key given is for ${this.#key.name}; GOSUMDB must name the database its key belongs to`,
      );
    }
    this.name = options.name;
    this.#fetch = options.fetch;
    this.#maxCachedTiles = options.maxCachedTiles ?? 2048;
    this.#verified = new LruMap(options.maxVerifiedLookups ?? defaultMaxVerifiedLookups);
    if (options.latest !== undefined) {
      try {
        this.#latest = this.#openTree(options.latest);
      } catch (error) {
        throw new Error(
          `checksum database ${this.name}: the remembered tree head does not verify: ${(error as Error).message}`,
        );
      }
    }
  }

  /** The newest signed tree this client has verified (size, base64 root hash, the signed note). */
  get latest(): { size: number; hash: string; note: string } | null {
    const latest = this.#latest;
    if (latest === null) return null;
    return {
      size: latest.tree.size,
      hash: Buffer.from(latest.tree.hash).toString('base64'),
      note: latest.note,
    };
  }

  /**
   * The go.sum lines (`<m> <v> h1:...` and `<m> <v>/go.mod h1:...`) the database holds for
   * module@version, after verifying them. Throws SumdbVerificationError when anything fails to
   * verify (kind 'not-found' when the database does not have that version).
   */
  lookup(module: string, version: string): Promise<string[]> {
    return this.lookupAnswer(module, version).then((answer) => [...answer.lines]);
  }

  /** lookup(), with the database's answer itself (what a pass-through may cache and serve). */
  lookupAnswer(module: string, version: string): Promise<VerifiedLookup> {
    const bare = version.replace(/\/go\.mod$/, '');
    const key = `${module}@${bare}`;
    const done = this.#verified.get(key);
    if (done) return Promise.resolve(done);
    let running = this.#lookups.get(key);
    if (!running) {
      running = this.#lookupUncached(module, bare).finally(() => this.#lookups.delete(key));
      this.#lookups.set(key, running);
    }
    return running;
  }

  /**
   * Fetches one tile exactly as named (no fallback from a partial to the full tile: the
   * caller's client does that) and checks it against the newest verified tree, fetching a
   * newer `latest` when the tile reaches beyond it. null when the database does not serve it.
   */
  async verifiedTile(tile: Tile): Promise<Uint8Array | null> {
    const path = tilePath(tile);
    const fail = (kind: SumdbVerificationKind, reason: string) =>
      new SumdbVerificationError(this.name, '', '', kind, reason, `tile ${path}`);
    const data = await this.#fetchTile(path);
    if (data === null) return null;
    const reach =
      (tile.index * 2 ** tile.height + tile.width) * 2 ** (tile.level < 0 ? 0 : tile.level * tile.height);
    if (this.#latest === null || this.#latest.tree.size < reach) await this.refreshLatest();
    const latest = this.#latest as SignedTree | null;
    if (latest === null) throw fail('missing-tile', 'no signed tree to check it against');
    const used = new Map<string, Uint8Array>();
    try {
      await verifyTile(latest.tree, tile, data, this.#tileReader(used));
    } catch (error) {
      if (error instanceof ProofError || error instanceof MalformedRecordError) {
        this.#tiles.delete(path);
        this.#forgetTiles(used);
        throw fail(
          error instanceof ProofError ? 'not-included' : 'malformed',
          `it does not match the signed tree of ${latest.tree.size} records: ${error.message}`,
        );
      }
      if (error instanceof MissingTileError) throw fail('missing-tile', error.message);
      throw error;
    }
    return data;
  }

  /** Fetches `latest`, verifies it and checks it is consistent with what was seen before. */
  async refreshLatest(): Promise<{ size: number; hash: string; note: string }> {
    const body = await this.#get('latest');
    const fail = (kind: SumdbVerificationKind, reason: string) =>
      new SumdbVerificationError(this.name, '', '', kind, reason);
    if (body === null) throw fail('not-found', 'the database does not serve its latest tree');
    let signed: SignedTree;
    try {
      signed = this.#openTree(body);
    } catch (error) {
      throw this.#classifyParseError(error, fail);
    }
    await this.#merge(signed, fail);
    return {
      size: signed.tree.size,
      hash: Buffer.from(signed.tree.hash).toString('base64'),
      note: signed.note,
    };
  }

  async #lookupUncached(module: string, version: string): Promise<VerifiedLookup> {
    const fail = (kind: SumdbVerificationKind, reason: string) =>
      new SumdbVerificationError(this.name, module, version, kind, reason);
    const path = `lookup/${escapePath(module)}@${escapeVersion(version)}`;
    const body = await this.#get(path);
    if (body === null) throw fail('not-found', `the database does not have it (${path}: not found)`);

    let record: { id: number; text: string; rest: string };
    let signed: SignedTree;
    try {
      record = parseRecord(decodeUtf8(body));
      signed = this.#openTree(record.rest);
    } catch (error) {
      throw this.#classifyParseError(error, fail);
    }
    await this.#merge(signed, fail);

    const used = new Map<string, Uint8Array>();
    try {
      await verifyRecordInclusion(signed.tree, record.id, record.text, this.#tileReader(used));
    } catch (error) {
      if (error instanceof ProofError) {
        this.#forgetTiles(used);
        throw fail('not-included', `record ${record.id} does not match the signed tree: ${error.message}`);
      }
      if (error instanceof MissingTileError) throw fail('missing-tile', error.message);
      throw error;
    }

    const prefixes = [`${module} ${version} `, `${module} ${version}/go.mod `];
    const lines = record.text.split('\n').filter((line) => prefixes.some((p) => line.startsWith(p)));
    if (lines.length === 0) {
      throw fail('mismatch', `the database answered with record ${record.id}, which holds no lines for it`);
    }
    const verified = { lines, body };
    // Bounded: many distinct lookups (a long job, a hostile client) must not grow memory for ever.
    this.#verified.set(`${module}@${version}`, verified);
    return verified;
  }

  /** Verifies a signed tree note with the database key and parses the tree in it. */
  #openTree(note: string | Uint8Array): SignedTree {
    const text = typeof note === 'string' ? note : decodeUtf8(note);
    const opened = verifyNote(text, this.#key);
    return { tree: parseTree(opened.text), note: text };
  }

  #classifyParseError(
    error: unknown,
    fail: (kind: SumdbVerificationKind, reason: string) => SumdbVerificationError,
  ): Error {
    if (error instanceof NoteError) {
      return fail(error.kind === 'malformed' ? 'malformed' : 'bad-signature', `tree note: ${error.message}`);
    }
    if (
      error instanceof MalformedRecordError ||
      error instanceof MalformedTreeError ||
      error instanceof Utf8Error
    )
      return fail('malformed', error.message);
    return error as Error;
  }

  /** Makes `signed` the newest tree if it extends the newest seen; checks an older one is a prefix. */
  #merge(
    signed: SignedTree,
    fail: (kind: SumdbVerificationKind, reason: string) => SumdbVerificationError,
  ): Promise<void> {
    const run = async () => {
      const latest = this.#latest;
      if (latest === null) {
        this.#latest = signed;
        return;
      }
      if (latest.tree.size === signed.tree.size && hashesEqual(latest.tree.hash, signed.tree.hash)) return;
      const [older, newer] = signed.tree.size > latest.tree.size ? [latest, signed] : [signed, latest];
      const used = new Map<string, Uint8Array>();
      try {
        await verifyTreeConsistency(older.tree, newer.tree, this.#tileReader(used));
      } catch (error) {
        if (error instanceof ProofError) {
          this.#forgetTiles(used);
          throw fail(
            'inconsistent',
            `SECURITY ERROR: the signed tree of ${older.tree.size} records is not a prefix of the signed tree of ${newer.tree.size} records (${error.message}); the database, or something between us and it, rewrote its log`,
          );
        }
        if (error instanceof MissingTileError) throw fail('missing-tile', error.message);
        throw error;
      }
      if (newer === signed) this.#latest = signed;
    };
    const result = this.#merging.then(run, run);
    this.#merging = result.catch(() => undefined);
    return result;
  }

  async #get(path: string): Promise<Uint8Array | null> {
    try {
      return await this.#fetch(path);
    } catch (error) {
      throw new Error(`checksum database ${this.name}: fetching ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** A TileReader over the cache and `fetch`, recording what it read into `used`. */
  #tileReader(used: Map<string, Uint8Array>): TileReader {
    return async (tile: Tile) => {
      const data = await this.#readTile(tile);
      used.set(tilePath(tile), data);
      return data;
    };
  }

  async #readTile(tile: Tile): Promise<Uint8Array> {
    const path = tilePath(tile);
    const cached = this.#cachedTile(path);
    if (cached) return cached;
    const full = fullTile(tile);
    const want = tile.width * HASH_SIZE;
    if (!tileIsFull(tile)) {
      const cachedFull = this.#cachedTile(tilePath(full));
      if (cachedFull) return cachedFull.subarray(0, want);
    }
    const data = await this.#fetchTile(path);
    if (data !== null) return data;
    if (!tileIsFull(tile)) {
      // A partial tile is gone once the tile is complete; its prefix is what we asked for.
      const fullData = await this.#fetchTile(tilePath(full));
      if (fullData !== null) {
        if (fullData.length < want) {
          throw new ProofError(
            `tile ${tilePath(full)} holds ${fullData.length} bytes, want ${full.width * HASH_SIZE}`,
          );
        }
        return this.#cacheTile(path, fullData.subarray(0, want));
      }
    }
    throw new MissingTileError(
      `the database does not serve tile ${path}${tileIsFull(tile) ? '' : ' nor the full tile'}`,
    );
  }

  #fetchTile(path: string): Promise<Uint8Array | null> {
    let running = this.#tileFetches.get(path);
    if (!running) {
      // Cached before it leaves the in-flight map, so no concurrent reader fetches it again.
      running = this.#get(path)
        .then((data) => (data === null ? null : this.#cacheTile(path, data)))
        .finally(() => this.#tileFetches.delete(path));
      this.#tileFetches.set(path, running);
    }
    return running;
  }

  #cachedTile(path: string): Uint8Array | undefined {
    const data = this.#tiles.get(path);
    if (data) {
      // Refresh its place: the Map's insertion order is the eviction order.
      this.#tiles.delete(path);
      this.#tiles.set(path, data);
    }
    return data;
  }

  /** After a failed proof: a cached tile may have been the bad input, so the next try refetches. */
  #forgetTiles(used: Map<string, Uint8Array>): void {
    for (const path of used.keys()) this.#tiles.delete(path);
  }

  /**
   * Keeps a fetched tile for other proofs (concurrent ones included). It is not trusted for
   * that: every proof still has to reproduce a signed root, and one that fails drops its tiles.
   */
  #cacheTile(path: string, data: Uint8Array): Uint8Array {
    this.#tiles.set(path, data);
    while (this.#tiles.size > this.#maxCachedTiles) {
      const oldest = this.#tiles.keys().next().value as string;
      this.#tiles.delete(oldest);
    }
    return data;
  }
}

// Decides whether a fetched .mod or .zip may enter the store. Order: the workspace's go.sum
// lines (a mismatch is refused); else private / no-sumdb modules are trusted on first use,
// as the go command trusts them; else the checksum database, natively. What a blob must hash
// to is known before its bytes arrive (`expect`), so a download can stream to the client and
// be judged the moment its last byte is in (`judge`). The verifier needs nothing from the
// proxy but its inputs: go.sum lines and checksum-database lookups.
import type { GoSumIndex } from '../gomod/go-sum.ts';
import { LruMap } from '../lru-map.ts';
import { SingleFlight } from './single-flight.ts';

export type BlobKind = 'mod' | 'zip';

/** SumdbVerificationError kinds that mean tampering (as opposed to "not there" or a network fault). */
const integrityFailures = new Set(['bad-signature', 'not-included', 'inconsistent', 'mismatch']);

export type Verification =
  | { status: 'verified'; by: 'go.sum' | 'sumdb' }
  | { status: 'trusted'; by: 'first-use' }
  | { status: 'unverified'; reason: string }
  | { status: 'mismatch'; message: string };

/** What a blob must be, known before it is fetched. */
export type Expectation =
  | { type: 'hashes'; by: 'go.sum' | 'sumdb'; hashes: string[]; what: string; against: string }
  | { type: 'settled'; verification: Verification };

/** Verified go.sum lines of module@version from the checksum database (throws if it cannot verify). */
export type SumdbLookup = (module: string, version: string) => Promise<string[]>;

export type BlobVerifierOptions = {
  /**
   * The workspace's go.sum lines, or a function giving them once parsed (serve parses go.sum
   * after it is ready; the first blob to verify waits for it). If they cannot be parsed,
   * nothing is verified against them: every blob is refused with that error.
   */
  goSum: GoSumIndex | (() => Promise<GoSumIndex>);
  /** GONOSUMDB / GOPRIVATE / policy private: never looked up in a checksum database. */
  isNoSum: (module: string) => boolean;
  /** null when GOSUMDB=off. */
  sumdbName: string | null;
  sumdbLookup: SumdbLookup | null;
  /** Lookup answers kept in memory, least recently used out first; default 4096. */
  maxCachedLookups?: number;
};

/**
 * One entry per module version (its .mod and .zip lines), a few hundred bytes: 4096 is about
 * 2 MB and ten times a large graph (hugo's has 382 versions). Bounded because a client asking
 * for many distinct versions would otherwise grow it for the life of the process; an evicted
 * answer is looked up again (from the store's verified copy or upstream) and verified again.
 */
const defaultMaxCachedLookups = 4096;

export class BlobVerifier {
  readonly #options: BlobVerifierOptions;
  readonly #lookups = new SingleFlight<string[]>();
  readonly #lookupCache: LruMap<string, string[]>;

  constructor(options: BlobVerifierOptions) {
    this.#options = options;
    this.#lookupCache = new LruMap(options.maxCachedLookups ?? defaultMaxCachedLookups);
  }

  /** What `module@version`'s .mod or .zip must hash to (or why it cannot be checked). */
  async expect(module: string, version: string, kind: BlobKind): Promise<Expectation> {
    const what = `${module}@${version}${kind === 'mod' ? '/go.mod' : ''}`;
    const settled = (verification: Verification): Expectation => ({ type: 'settled', verification });
    let goSum: GoSumIndex;
    try {
      goSum = typeof this.#options.goSum === 'function' ? await this.#options.goSum() : this.#options.goSum;
    } catch (err) {
      // Without its go.sum lines nothing can be judged (nor known to be absent from them).
      return settled({ status: 'mismatch', message: `cannot verify ${what}: ${(err as Error).message}` });
    }
    const known = kind === 'zip' ? goSum.zipHash(module, version) : goSum.modHash(module, version);
    if (known.length > 0) {
      const files = [...new Set(goSum.lines(module, version, kind === 'mod').map((l) => l.file))].join(', ');
      return { type: 'hashes', by: 'go.sum', hashes: known, what, against: `go.sum (${files})` };
    }
    if (this.#options.isNoSum(module)) return settled({ status: 'trusted', by: 'first-use' });
    if (this.#options.sumdbName === null) {
      return settled({ status: 'unverified', reason: `${what} is not in go.sum and GOSUMDB=off` });
    }
    if (!this.#options.sumdbLookup) {
      return settled({
        status: 'unverified',
        reason: `no way to verify ${what} against the checksum database`,
      });
    }
    let lines: string[];
    try {
      lines = await this.#lookup(module, version);
    } catch (err) {
      // A forged or forked answer is an integrity failure, not a gap: refuse the blob.
      const failure = (err as { kind?: string }).kind;
      if (failure && integrityFailures.has(failure))
        return settled({ status: 'mismatch', message: (err as Error).message });
      return settled({ status: 'unverified', reason: `checksum database: ${(err as Error).message}` });
    }
    const want = `${module} ${version}${kind === 'mod' ? '/go.mod' : ''} `;
    const expected = lines.filter((l) => l.startsWith(want)).map((l) => l.slice(want.length).trim());
    if (expected.length === 0) {
      return settled({ status: 'unverified', reason: `checksum database has no ${what}` });
    }
    return {
      type: 'hashes',
      by: 'sumdb',
      hashes: expected,
      what,
      against: `checksum database ${this.#options.sumdbName}`,
    };
  }

  /** The verdict on a blob that hashed to `hash`. */
  judge(expectation: Expectation, hash: string): Verification {
    if (expectation.type === 'settled') return expectation.verification;
    if (expectation.hashes.includes(hash)) return { status: 'verified', by: expectation.by };
    const advice =
      expectation.by === 'go.sum'
        ? 'Not stored. Check the upstream proxy; if the go.sum line is wrong, remove it and run go mod tidy.'
        : 'Not stored: the upstream served altered content.';
    return {
      status: 'mismatch',
      message: `checksum mismatch for ${expectation.what}: upstream sent ${hash}, ${expectation.against} has ${expectation.hashes.join(' or ')}. ${advice}`,
    };
  }

  async verify(module: string, version: string, kind: BlobKind, hash: string): Promise<Verification> {
    return this.judge(await this.expect(module, version, kind), hash);
  }

  #lookup(module: string, version: string): Promise<string[]> {
    const key = `${module}@${version}`;
    const cached = this.#lookupCache.get(key);
    if (cached) return Promise.resolve(cached);
    return this.#lookups.run(key, async () => {
      const lines = await this.#options.sumdbLookup!(module, version);
      this.#lookupCache.set(key, lines);
      return lines;
    });
  }
}

export function describeVerification(v: Verification): string {
  switch (v.status) {
    case 'verified':
      return `verified:${v.by}`;
    case 'trusted':
      return 'trusted:first-use';
    case 'unverified':
      return `unverified:${v.reason}`;
    case 'mismatch':
      return 'mismatch';
  }
}

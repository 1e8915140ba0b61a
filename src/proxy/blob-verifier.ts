// Decides whether a fetched .mod or .zip may enter the store. Order: the workspace's go.sum
// lines (a mismatch is refused); else private / no-sumdb modules are trusted on first use,
// as the go command trusts them; else the checksum database: natively when GOSUMDB gives
// the key, otherwise by having the go command (which has the default key built in) verify.
import type { GoSumIndex } from '../gomod/go-sum.ts';
import { SingleFlight } from './single-flight.ts';

export type BlobKind = 'mod' | 'zip';

/** SumdbVerificationError kinds that mean tampering (as opposed to "not there" or a network fault). */
const integrityFailures = new Set(['bad-signature', 'not-included', 'inconsistent', 'mismatch']);

export type Verification =
  | { status: 'verified'; by: 'go.sum' | 'sumdb' | 'go-command' }
  | { status: 'trusted'; by: 'first-use' }
  | { status: 'unverified'; reason: string }
  | { status: 'mismatch'; message: string };

/** Verified go.sum lines of module@version from the checksum database (throws if it cannot verify). */
export type SumdbLookup = (module: string, version: string) => Promise<string[]>;

/** The files the go command needs to verify a blob itself (gathered only when it is asked). */
export type BlobFiles = { info: Buffer; mod: Buffer; zipPath: string | null };

/** Has the go command verify one blob against the checksum database it knows the key of. */
export type GoCommandCheck = (
  module: string,
  version: string,
  kind: BlobKind,
  files: BlobFiles,
) => Promise<{ ok: boolean; message: string }>;

export type BlobVerifierOptions = {
  goSum: GoSumIndex;
  /** GONOSUMDB / GOPRIVATE / policy private: never looked up in a checksum database. */
  isNoSum: (module: string) => boolean;
  /** null when GOSUMDB=off. */
  sumdbName: string | null;
  sumdbLookup: SumdbLookup | null;
  goCommandCheck: GoCommandCheck | null;
};

export class BlobVerifier {
  readonly #options: BlobVerifierOptions;
  readonly #lookups = new SingleFlight<string[]>();
  readonly #lookupCache = new Map<string, string[]>();

  constructor(options: BlobVerifierOptions) {
    this.#options = options;
  }

  async verify(
    module: string,
    version: string,
    kind: BlobKind,
    hash: string,
    files?: () => Promise<BlobFiles | null>,
  ): Promise<Verification> {
    const { goSum } = this.#options;
    const known = kind === 'zip' ? goSum.zipHash(module, version) : goSum.modHash(module, version);
    const what = `${module}@${version}${kind === 'mod' ? '/go.mod' : ''}`;
    if (known.length > 0) {
      if (known.includes(hash)) return { status: 'verified', by: 'go.sum' };
      const files = [...new Set(goSum.lines(module, version, kind === 'mod').map((l) => l.file))].join(', ');
      return {
        status: 'mismatch',
        message: `checksum mismatch for ${what}: upstream sent ${hash}, go.sum (${files}) has ${known.join(' or ')}. Not stored. Check the upstream proxy; if the go.sum line is wrong, remove it and run go mod tidy.`,
      };
    }
    if (this.#options.isNoSum(module)) return { status: 'trusted', by: 'first-use' };
    if (this.#options.sumdbName === null) {
      return { status: 'unverified', reason: `${what} is not in go.sum and GOSUMDB=off` };
    }
    if (this.#options.sumdbLookup) {
      let lines: string[];
      try {
        lines = await this.#lookup(module, version);
      } catch (err) {
        // A forged or forked answer is an integrity failure, not a gap: refuse the blob.
        const kind = (err as { kind?: string }).kind;
        if (kind && integrityFailures.has(kind))
          return { status: 'mismatch', message: (err as Error).message };
        return { status: 'unverified', reason: `checksum database: ${(err as Error).message}` };
      }
      const want = `${module} ${version}${kind === 'mod' ? '/go.mod' : ''} `;
      const expected = lines.filter((l) => l.startsWith(want)).map((l) => l.slice(want.length).trim());
      if (expected.includes(hash)) return { status: 'verified', by: 'sumdb' };
      if (expected.length === 0) return { status: 'unverified', reason: `checksum database has no ${what}` };
      return {
        status: 'mismatch',
        message: `checksum mismatch for ${what}: upstream sent ${hash}, checksum database ${this.#options.sumdbName} has ${expected.join(' or ')}. Not stored: the upstream served altered content.`,
      };
    }
    const gathered = this.#options.goCommandCheck && files ? await files() : null;
    if (this.#options.goCommandCheck && gathered) {
      const result = await this.#options.goCommandCheck(module, version, kind, gathered);
      if (result.ok) return { status: 'verified', by: 'go-command' };
      if (/SECURITY ERROR|checksum mismatch|verifying/i.test(result.message)) {
        return { status: 'mismatch', message: `${what}: ${result.message}` };
      }
      return { status: 'unverified', reason: result.message };
    }
    return { status: 'unverified', reason: `no way to verify ${what} against the checksum database` };
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

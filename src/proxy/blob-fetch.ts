// Fetch -> verify -> commit of one immutable blob (.info of a canonical version, .mod, .zip)
// as one unit with one typed result. Each upstream attempt owns its state (bytes counted,
// temp file), so `A|B` falls back cleanly when A breaks off half-way. Any failure to write
// the store means "serve, do not store, count it". A .zip goes to the requesting client as
// it arrives when no `|` fallback could still be tried, read from the growing spool at the
// client's pace (the fetch never waits for a socket); its last byte is held back until it is
// verified, and a blob that fails verification ends in a dropped connection, never in a
// complete answer.
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashGoMod } from '../gomod/dirhash.ts';
import type { ZipStreamDigests } from '../gomod/zip-stream-digests.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { StoreWriteError } from '../store/store-write-error.ts';
import type { ChainBody, UpstreamChain } from '../upstream/upstream-chain.ts';
import { readAll } from '../upstream/upstream-response.ts';
import { BlobSpool } from './blob-spool.ts';
import {
  type BlobVerifier,
  describeVerification,
  type Expectation,
  type Verification,
} from './blob-verifier.ts';
import type { ClientStream } from './module-answer.ts';
import type { ServedZipHashes } from './served-zip-hash.ts';
import { SharedFile } from './shared-file.ts';
import { SingleFlight } from './single-flight.ts';
import { SpoolProgress, streamFromSpool } from './spool-stream.ts';

const maxZipBytes = 500 << 20;
const maxModBytes = 16 << 20;
export const maxSmallAnswerBytes = 8 << 20;
/**
 * Zips from this size on are streamed to the client as they arrive (when no `|` fallback
 * remains). A smaller one is answered whole: it costs little wait, and a failed verification
 * then reaches the go command as a 502 whose text it prints, not as a dropped connection.
 */
export const streamFromBytes = 1 << 20;
/**
 * A large zip's bytes are written back to disk every this many bytes while it downloads, so
 * the fsync its commit waits for has only the last ones left.
 */
const flushEvery = 4 << 20;
/** How long a served-but-not-stored blob stays on disk for late followers. */
const scratchLifetimeMs = 120_000;

export type BlobKind = 'info' | 'mod' | 'zip';

export type FetchedBlob =
  | {
      type: 'ok';
      /** Bytes (.info, .mod), or the zip opened before it was renamed into place. */
      body: Buffer | SharedFile;
      source: 'upstream' | 'direct';
      upstreamBytes: number;
      verification?: string;
      notStored?: 'unverified' | 'store-failed';
      storeError?: string;
      /** The client the body is streamed to from the spool (the leader's), if any. */
      streamedTo: ClientStream | null;
      /** That stream: resolves when it is over, to whether it took the answer (see spool-stream.ts). */
      streamed?: Promise<boolean> | null;
    }
  | { type: 'not-found'; message: string }
  | { type: 'failed'; message: string; streamedTo: ClientStream | null; streamed?: Promise<boolean> | null };

/** A zip that passed the check: how it was verified, and its h1. */
type ZipVerdict = { status: Verification['status']; verification: Verification; hash: string };

/** Thrown while consuming an answer: not acceptable (mismatch, broken zip, truncated). */
export class RejectedBlob extends Error {}

export type BlobFetchOptions = {
  store: BlobStore;
  chain: UpstreamChain;
  verifier: BlobVerifier;
  /** Aborted at shutdown: every fetch under way stops. */
  signal: AbortSignal;
  onStored?: (bytes: number) => void;
  /** Remembers the h1 of each zip stored, for answers that carry it (served-zip-hash.ts). */
  zipHashes?: ServedZipHashes;
};

export class BlobFetch {
  readonly #o: BlobFetchOptions;
  readonly #flights = new SingleFlight<FetchedBlob>();
  /** Temp files of served-but-not-stored blobs, removed a little later or at close. */
  readonly #scratch = new Set<string>();
  #scratchDir: Promise<string> | null = null;

  constructor(options: BlobFetchOptions) {
    this.#o = options;
  }

  /**
   * One fetch per blob however many ask at once; only the first asker (`led`) caused it, and
   * only its client is streamed to.
   */
  async fetch(
    kind: BlobKind,
    module: string,
    version: string,
    client: ClientStream | null,
  ): Promise<{ blob: FetchedBlob; led: boolean }> {
    let led = false;
    const blob = await this.#flights.run(`${kind} ${module}@${version}`, () => {
      led = true;
      switch (kind) {
        case 'zip':
          return this.#zip(module, version, client);
        case 'mod':
          return this.#mod(module, version);
        case 'info':
          return this.#info(module, version);
      }
    });
    return { blob, led };
  }

  async settle(): Promise<void> {
    await this.#flights.settle();
  }

  async close(): Promise<void> {
    await this.settle();
    await Promise.all([...this.#scratch].map((f) => rm(f, { force: true })));
    if (this.#scratchDir) await rm(await this.#scratchDir, { recursive: true, force: true }).catch(() => {});
  }

  async #zip(module: string, version: string, client: ClientStream | null): Promise<FetchedBlob> {
    const { store, chain, verifier } = this.#o;
    // What the zip must hash to is looked up while it downloads.
    const expecting = verifier.expect(module, version, 'zip');
    let streamedTo: ClientStream | null = null;
    let streamed: Promise<boolean> | null = null;
    const result = await chain.fetchModule(
      { kind: 'zip', module, version },
      async (body) => {
        const expectation = await expecting;
        if (expectation.type === 'settled' && expectation.verification.status === 'mismatch')
          throw new RejectedBlob(expectation.verification.message);
        const stream =
          client &&
          body.final &&
          body.size !== null &&
          body.size >= streamFromBytes &&
          body.size <= maxZipBytes
            ? client
            : null;
        const spool = await BlobSpool.open({
          storePath: store.filePath(module, version, 'zip'),
          scratchPath: () => this.#scratchPath(),
        });
        // The client reads the spool at its own pace; this loop never waits for its socket.
        const progress = new SpoolProgress();
        // Entries are hashed as they arrive: after the last byte only the central directory is left.
        // (Loaded on the first zip, like the checker: a warm proxy never needs zlib or crypto.)
        const { ZipStreamDigests } = await import('../gomod/zip-stream-digests.ts');
        const digests = new ZipStreamDigests();
        let flushedAt = 0;
        // Without a reader (the temp file could not be opened again) the answer is given whole.
        const spoolReader = stream ? await spool.openReader().catch(() => null) : null;
        if (stream && spoolReader) {
          const unverifiable =
            expectation.type === 'settled' && expectation.verification.status === 'unverified';
          streamedTo = stream;
          streamed = streamFromSpool(stream, spoolReader, progress, body.size!, () => {
            const notStored = unverifiable || !spool.inStore;
            return {
              contentType: 'application/zip',
              source: body.source === 'direct' ? 'direct' : 'upstream',
              cache: notStored ? 'no-store' : 'immutable',
              notStored,
            };
          });
        }
        // The zip is renamed into place before its fsync, which runs after the answer with
        // others (deferred-sync.ts); taken before the first write, as recovery requires.
        // Without it (the store cannot take the marker) the commit fsyncs as before.
        const unsynced = spool.inStore
          ? await store.holdUnsynced(module, version, 'zip').catch(() => null)
          : null;
        try {
          for await (const chunk of body.body as AsyncIterable<Buffer>) {
            if (spool.size + chunk.length > maxZipBytes)
              throw new RejectedBlob(`zip is larger than ${maxZipBytes} bytes`);
            await spool.write(chunk);
            // The chunk is not reused (a body's chunks are fresh): the client may take it from memory.
            progress.grow(spool.size, chunk);
            if (spool.size - flushedAt >= flushEvery) {
              spool.flushEarly();
              flushedAt = spool.size;
            }
            await digests.push(chunk);
          }
          if (body.size !== null && spool.size !== body.size) {
            throw new RejectedBlob(`truncated answer: ${spool.size} of ${body.size} bytes`);
          }
          // Open before the rename: the answers read this inode whatever happens to the name.
          // Opened beside the check (one step less between the last byte and the answer),
          // closed again if the zip is refused.
          const opening = open(spool.path, 'r');
          opening.catch(() => {}); // awaited below either way
          // The fsync runs beside the check (or later, deferred): the commit after a good
          // verdict only renames.
          let verdict: ZipVerdict;
          try {
            [verdict] = await Promise.all([
              this.#judgeZip(spool.path, module, version, expectation, digests),
              unsynced ? undefined : spool.sync(),
            ]);
          } catch (err) {
            await opening.then((h) => h.close()).catch(() => {});
            throw err;
          }
          const size = spool.size;
          const handle = await opening;
          const reader = new SharedFile(handle, size);
          let stored = false;
          let file: string;
          if (verdict.status === 'unverified' || !spool.inStore) {
            file = await spool.detach();
          } else {
            stored = await spool.commit(unsynced ? { durable: false } : undefined);
            file = stored ? store.filePath(module, version, 'zip') : spool.path;
          }
          unsynced?.(stored ? file : null);
          if (stored) {
            this.#o.onStored?.(size);
            await Promise.all([
              // The hash just computed, bound to the stored file as it is now (after the rename).
              this.#o.zipHashes?.remember(handle, module, version, verdict.hash).catch(() => {}),
              this.#storeZipRecords(module, version, verdict.hash, verdict.verification),
            ]);
          } else {
            this.#keepScratch(file);
          }
          // Verified, committed and recorded (.ziphash, meta record; none waits for an fsync):
          // the streamed client may take its last byte. A complete answer means the store
          // holds what it implies, as for an answer given whole.
          progress.verified();
          if (stored) await this.#storeDirectExtras(module, version, body);
          const notStored: 'unverified' | 'store-failed' | undefined = stored
            ? undefined
            : verdict.status === 'unverified'
              ? 'unverified'
              : 'store-failed';
          return {
            type: 'ok' as const,
            body: reader,
            source: body.source === 'direct' ? ('direct' as const) : ('upstream' as const),
            upstreamBytes: size,
            verification: describeVerification(verdict.verification),
            ...(notStored ? { notStored } : {}),
            ...(notStored === 'store-failed' && spool.storeError
              ? { storeError: spool.storeError.message }
              : {}),
            streamedTo,
            streamed,
          };
        } catch (err) {
          // The client must never take a complete answer that was not verified.
          progress.failed();
          await spool.discard().catch(() => {});
          throw err;
        } finally {
          digests.close();
          unsynced?.(null); // a no-op once released above
        }
      },
      this.#o.signal,
    );
    if (result.ok) return result.value;
    if (result.status === 404) return { type: 'not-found', message: result.message };
    return { type: 'failed', message: result.message, streamedTo, streamed };
  }

  async #judgeZip(
    path: string,
    module: string,
    version: string,
    expectation: Expectation,
    digests: ZipStreamDigests,
  ): Promise<ZipVerdict> {
    // Loaded on the first zip fetched (yauzl, zlib): a proxy serving a warm store never needs it.
    const { checkModuleZip } = await import('../gomod/module-zip.ts');
    let check: { hash: string; size: number };
    try {
      check = await checkModuleZip(path, module, version, { streamed: digests.digests });
    } catch (err) {
      throw new RejectedBlob(`${module}@${version}.zip is not a valid module zip: ${(err as Error).message}`);
    }
    const verification = this.#o.verifier.judge(expectation, check.hash);
    if (verification.status === 'mismatch') throw new RejectedBlob(verification.message);
    return { status: verification.status, verification, hash: check.hash };
  }

  /** The stored zip's .ziphash and how it was verified (meta record). */
  async #storeZipRecords(
    module: string,
    version: string,
    zipHash: string,
    verification: Verification,
  ): Promise<void> {
    const { store } = this.#o;
    // The zip is stored and verified; a failing store only costs the records (the go command
    // recomputes a missing .ziphash; a missing record is decided again). Two files: written
    // side by side, so the answer waits for one write instead of two in a row.
    const tolerated = (err: unknown) => {
      if (!(err instanceof StoreWriteError)) throw err;
    };
    await Promise.all([
      store.writeFileAtomic(module, version, 'ziphash', Buffer.from(zipHash)).catch(tolerated),
      // How the blob was verified, next to any recorded policy decision.
      store
        .updateMeta(module, version, (meta) => ({
          ...(meta ?? {}),
          verification: describeVerification(verification),
        }))
        .catch(tolerated),
    ]);
  }

  /** A direct download brings .info and .mod with the zip: keep them (the .mod verified). */
  async #storeDirectExtras(module: string, version: string, body: ChainBody): Promise<void> {
    const { store, verifier } = this.#o;
    try {
      const direct = body.direct;
      if (!direct) return;
      if (!(await store.stat(module, version, 'mod'))) {
        const v = await verifier.verify(module, version, 'mod', hashGoMod(direct.mod));
        if (v.status === 'verified' || v.status === 'trusted')
          await store.writeFileDeferred(module, version, 'mod', direct.mod);
      }
      if (!(await store.stat(module, version, 'info'))) {
        await store.writeFileDeferred(module, version, 'info', direct.info);
        await store.addVersionToList(module, version);
      }
    } catch (err) {
      // The zip is stored and verified; a failing store only costs the extras.
      if (!(err instanceof StoreWriteError)) throw err;
    }
  }

  async #mod(module: string, version: string): Promise<FetchedBlob> {
    const { chain, verifier } = this.#o;
    const expecting = verifier.expect(module, version, 'mod');
    const result = await chain.fetchModule(
      { kind: 'mod', module, version },
      async (body) => {
        const bytes = await readAll(body.body, maxModBytes);
        const verification = verifier.judge(await expecting, hashGoMod(bytes));
        if (verification.status === 'mismatch') throw new RejectedBlob(verification.message);
        return { bytes, verification, source: body.source };
      },
      this.#o.signal,
    );
    if (!result.ok) return this.#failure(result);
    const { bytes, verification, source } = result.value;
    const fetched: FetchedBlob = {
      type: 'ok',
      body: bytes,
      source: source === 'direct' ? 'direct' : 'upstream',
      upstreamBytes: bytes.length,
      verification: describeVerification(verification),
      streamedTo: null,
    };
    if (verification.status === 'unverified') return { ...fetched, notStored: 'unverified' };
    const refused = await this.#tryStore(module, version, 'mod', bytes);
    return refused ? { ...fetched, notStored: 'store-failed', storeError: refused } : fetched;
  }

  async #info(module: string, version: string): Promise<FetchedBlob> {
    const result = await this.#o.chain.fetchModule(
      { kind: 'info', module, version },
      async (body) => {
        const bytes = await readAll(body.body, maxSmallAnswerBytes);
        const answered = parseInfoVersion(bytes);
        // The go command rejects an .info for another version than the canonical one it asked for.
        if (answered !== version) {
          throw new RejectedBlob(`upstream returned info for version ${answered} instead of ${version}`);
        }
        return { bytes, source: body.source };
      },
      this.#o.signal,
    );
    if (!result.ok) return this.#failure(result);
    const { bytes, source } = result.value;
    const fetched: FetchedBlob = {
      type: 'ok',
      body: bytes,
      source: source === 'direct' ? 'direct' : 'upstream',
      upstreamBytes: bytes.length,
      streamedTo: null,
    };
    const refused = await this.#tryStore(module, version, 'info', bytes);
    if (refused) return { ...fetched, notStored: 'store-failed', storeError: refused };
    await this.#o.store.addVersionToList(module, version).catch(() => {});
    return fetched;
  }

  #failure(result: { status: number; message: string }): FetchedBlob {
    return result.status === 404
      ? { type: 'not-found', message: result.message }
      : { type: 'failed', message: result.message, streamedTo: null };
  }

  /** Resolves to null when stored, else to the store's reason. */
  async #tryStore(
    module: string,
    version: string,
    ext: 'info' | 'mod',
    bytes: Buffer,
  ): Promise<string | null> {
    try {
      // Visible before the answer, fsynced after it with others (deferred-sync.ts).
      await this.#o.store.writeFileDeferred(module, version, ext, bytes);
      this.#o.onStored?.(bytes.length);
      return null;
    } catch (err) {
      if (err instanceof StoreWriteError) return err.message;
      throw err;
    }
  }

  async #scratchPath(): Promise<string> {
    this.#scratchDir ??= mkdtemp(join(tmpdir(), 'goproxy-action-scratch-'));
    // Never committed, only detached: the final name only places the unique temp file.
    return join(await this.#scratchDir, 'blob.zip');
  }

  #keepScratch(path: string): void {
    this.#scratch.add(path);
    setTimeout(() => {
      this.#scratch.delete(path);
      rm(path, { force: true }).catch(() => {});
    }, scratchLifetimeMs).unref();
  }
}

export function parseInfoVersion(bytes: Buffer): string {
  let parsed: { Version?: unknown };
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as { Version?: unknown };
  } catch {
    throw new RejectedBlob('upstream answered with invalid JSON for .info');
  }
  if (typeof parsed.Version !== 'string') throw new RejectedBlob('upstream .info has no Version');
  return parsed.Version;
}

// Hashes a module zip's entries while its bytes arrive, so that when the last byte is in only
// the central directory is left to check. The archive is read front to back: local file
// header, data, data descriptor, next header. Where an entry's data ends is taken from its
// local header or, with a data descriptor (the go command's zips use one for every entry),
// from the first descriptor whose compressed-size field equals its distance from the data.
//
// Nothing here decides anything. Each digest records the exact bytes it covers (local header
// offset, method, compressed size); checkModuleZip uses one only for a central directory entry
// that names that same offset, method, sizes and CRC-32, and would have hashed those same
// bytes with the same call. Anything else (a wrong guess of an entry's end, a header that
// disagrees with the central directory, zip64, an unknown method) just
// leaves the entry to checkModuleZip's own pass after the last byte: the verdict is the same
// either way, only its latency differs.

import { createHash, type Hash, hash } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { crc32, createInflateRaw, type InflateRaw, inflateRawSync, type ZlibOptions } from 'node:zlib';
import { RawInflater } from './raw-inflater.ts';

/** One entry's data as hashed during the download. */
export interface StreamedDigest {
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  sha256Hex: string;
}

/**
 * Only entries whose compressed and uncompressed sizes are at most this are hashed on the way,
 * the same bound under which checkModuleZip inflates an entry in one call: memory stays at
 * about one such entry per download, and a zip bomb's large entry is left to the bounded
 * streaming pass.
 */
export const maxStreamedEntry = 1 << 20;

const localHeaderSignature = 0x04034b50;
const descriptorSignature = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
/** Signature, CRC-32, compressed and uncompressed sizes (32-bit: zip64 is left to the pass). */
const descriptorBytes = 16;
const localHeaderBytes = 30;
/** zip.MaxZipFile (as in module-zip.ts): no zip inflates to more, so neither does this. */
const maxZipFile = 500 * 1024 * 1024;
/** Inflated bytes per chunk of a large entry, as checkModuleZip streams one. */
const largeChunk = 64 * 1024;
/** As in checkModuleZip: the event loop gets a turn after this many bytes hashed. */
const yieldEvery = 4 << 20;

type Entry = {
  /** Absolute offset of the local header. */
  offset: number;
  dataStart: number;
  method: number;
  /** From the local header; null when a data descriptor follows the data. */
  compressedSize: number | null;
  /** The local header's uncompressed size (0 with a data descriptor). */
  uncompressedSize: number;
  /** The digest of an entry hashed piece by piece (over maxStreamedEntry). */
  large: LargeDigest | null;
};

/** An entry whose end was found; `sizeHint`: the uncompressed size its headers declare. */
type EntryEnd = { entry: Entry; size: number; sizeHint: number };

export class ZipStreamDigests {
  /**
   * Bytes all entries together may still inflate to here: what the check itself allows a zip
   * in all. Past it nothing more is hashed on the way (a hostile zip of many small entries that
   * each inflate to 1 MiB would otherwise cost far more than its own size).
   */
  readonly #inflateBudget: { left: number };

  /** `inflateBudget`: defaults to zip.MaxZipFile (tests use less). */
  constructor(options: { inflateBudget?: number } = {}) {
    this.#inflateBudget = { left: options.inflateBudget ?? maxZipFile };
  }

  readonly #digests = new Map<number, StreamedDigest>();
  /** Unparsed bytes: #buf[0, #len) are the archive's bytes from absolute offset #base. */
  #buf = Buffer.alloc(0);
  #len = 0;
  #base = 0;
  /** Absolute offset of the next local header, while reading headers. */
  #next = 0;
  #entry: Entry | null = null;
  /** Where the search for the current entry's descriptor goes on from. */
  #scanFrom = 0;
  /** The rest of the archive is not followed (central directory reached, or lost track). */
  #stopped = false;
  /** Bytes hashed since the event loop last had a turn. */
  #sinceYield = 0;

  /** Stops following the archive and frees an inflater under way (a failed or finished download). */
  close(): void {
    if (!this.#stopped) this.#stop();
  }

  /** Digests by local header offset. */
  get digests(): ReadonlyMap<number, StreamedDigest> {
    return this.#digests;
  }

  /**
   * Takes the next bytes of the archive. Resolves once they are parsed and hashed; a chunk
   * holding many small entries that inflate to a lot yields to the event loop on the way, so a
   * hostile zip cannot stall the server.
   */
  async push(chunk: Buffer): Promise<void> {
    if (this.#stopped || chunk.length === 0) return;
    this.#append(chunk);
    for (;;) {
      const step = this.#step();
      if (step === false) break;
      if (step !== true) await this.#finish(step);
      if (this.#sinceYield >= yieldEvery) {
        this.#sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await this.#feedLarge();
    this.#compact();
  }

  /** Makes one step of progress: false when more bytes are needed, or the entry just ended. */
  #step(): boolean | EntryEnd {
    if (this.#stopped) return false;
    const entry = this.#entry;
    if (!entry) return this.#readHeader();
    if (entry.compressedSize !== null) {
      const end = entry.dataStart + entry.compressedSize;
      if (this.#end < end) return false;
      this.#entry = null;
      this.#next = end;
      return { entry, size: entry.compressedSize, sizeHint: entry.uncompressedSize };
    }
    return this.#findDescriptor(entry);
  }

  /** Hashes an entry whose end was found (the rest of it, for one hashed on the way). */
  async #finish({ entry, size, sizeHint }: EntryEnd): Promise<void> {
    if (!entry.large) {
      if (this.#digest(entry, size, sizeHint)) return;
      // Small compressed, large inflated: the same bytes, hashed piece by piece.
      entry.large = new LargeDigest(entry.method, entry.dataStart, this.#inflateBudget);
    }
    const large = entry.large;
    const end = entry.dataStart + size;
    if (large.fed < end) await large.feed(this.#slice(large.fed, end));
    large.fed = end;
    const done = await large.finish(size);
    if (done) this.#digests.set(entry.offset, { method: entry.method, compressedSize: size, ...done });
  }

  /**
   * Feeds an entry too large to be hashed in one call to its incremental digest: the bytes
   * known to be its data (before its end, or before where the descriptor search goes on).
   */
  async #feedLarge(): Promise<void> {
    const entry = this.#entry;
    if (!entry || this.#stopped) return;
    const dataEnd = entry.compressedSize === null ? this.#scanFrom : entry.dataStart + entry.compressedSize;
    const safe = Math.min(this.#end, dataEnd);
    if (!entry.large) {
      if (safe - entry.dataStart <= maxStreamedEntry) return;
      if ((entry.method !== 0 && entry.method !== 8) || entry.dataStart < this.#base) return;
      entry.large = new LargeDigest(entry.method, entry.dataStart, this.#inflateBudget);
    }
    const large = entry.large;
    if (safe <= large.fed) return;
    await large.feed(this.#slice(large.fed, safe));
    large.fed = safe;
  }

  #slice(from: number, to: number): Buffer {
    return this.#buf.subarray(from - this.#base, to - this.#base);
  }

  #readHeader(): boolean {
    const at = this.#next;
    if (this.#end < at + 4) return false;
    if (this.#u32(at) !== localHeaderSignature) {
      // The central directory (or something we do not follow): the rest is the pass's.
      this.#stop();
      return false;
    }
    if (this.#end < at + localHeaderBytes) return false;
    const flags = this.#u16(at + 6);
    const method = this.#u16(at + 8);
    const compressedSize = this.#u32(at + 18);
    const dataStart = at + localHeaderBytes + this.#u16(at + 26) + this.#u16(at + 28);
    const descriptor = (flags & 0x8) !== 0;
    if (!descriptor && compressedSize === 0xffffffff) {
      this.#stop(); // zip64
      return false;
    }
    this.#entry = {
      offset: at,
      dataStart,
      method,
      compressedSize: descriptor ? null : compressedSize,
      uncompressedSize: this.#u32(at + 22),
      large: null,
    };
    this.#scanFrom = dataStart;
    return true;
  }

  /** Looks for the descriptor ending the current entry's data; false when more bytes are needed. */
  #findDescriptor(entry: Entry): boolean | EntryEnd {
    for (;;) {
      const from = this.#scanFrom - this.#base;
      if (from < 0) {
        // Bytes before here were dropped while skipping a large entry: keep looking further on.
        this.#scanFrom = this.#base;
        continue;
      }
      const found = this.#buf.subarray(0, this.#len).indexOf(descriptorSignature, from);
      if (found < 0) {
        // Every byte but the last three has been looked at.
        this.#scanFrom = Math.max(this.#scanFrom, this.#end - 3);
        return false;
      }
      const at = this.#base + found;
      if (this.#end < at + descriptorBytes) {
        this.#scanFrom = at;
        return false;
      }
      const size = at - entry.dataStart;
      if (size >= 0 && this.#u32(at + 8) === size) {
        this.#entry = null;
        this.#next = at + descriptorBytes;
        return { entry, size, sizeHint: this.#u32(at + 12) };
      }
      this.#scanFrom = at + 1;
    }
  }

  /**
   * Hashes a small entry in one call. Returns false when it inflates past what one call
   * takes: the caller then hashes it piece by piece.
   */
  #digest(entry: Entry, compressedSize: number, sizeHint: number): boolean {
    if (compressedSize > maxStreamedEntry || (entry.method !== 0 && entry.method !== 8)) return true;
    if (this.#inflateBudget.left <= 0) {
      this.#stop();
      return true;
    }
    if (entry.dataStart < this.#base) return true; // part of it was dropped (a large entry before)
    const data = this.#slice(entry.dataStart, entry.dataStart + compressedSize);
    let plain: Buffer;
    if (entry.method === 0) {
      plain = data;
    } else {
      // One reused zlib stream and output buffer (raw-inflater.ts); where it cannot be used,
      // inflateRawSync, as before. Hashed at once below: the buffer is reused by the next call.
      const inflated = smallInflater.inflate(data);
      if (inflated.type === 'too-large') return false; // piece by piece
      if (inflated.type === 'ok') {
        // The deflate stream must end exactly at the entry's end: then any reading of those
        // bytes, in one call or streamed, gives this output.
        if (inflated.consumed !== data.length) return true;
        plain = inflated.plain;
      } else {
        const once = inflateOnce(data, sizeHint);
        if (once === 'too-large') return false;
        if (once === null) return true; // the pass reports (or decides) it
        plain = once;
      }
    }
    this.#sinceYield += plain.length;
    this.#inflateBudget.left -= plain.length;
    this.#digests.set(entry.offset, {
      method: entry.method,
      compressedSize,
      uncompressedSize: plain.length,
      crc32: crc32(plain) >>> 0,
      sha256Hex: hash('sha256', plain, 'hex'),
    });
    return true;
  }

  #stop(): void {
    this.#stopped = true;
    this.#entry?.large?.abandon();
    this.#entry = null;
    this.#buf = Buffer.alloc(0);
    this.#len = 0;
  }

  get #end(): number {
    return this.#base + this.#len;
  }

  #u16(at: number): number {
    return this.#buf.readUInt16LE(at - this.#base);
  }

  #u32(at: number): number {
    return this.#buf.readUInt32LE(at - this.#base);
  }

  #append(chunk: Buffer): void {
    if (this.#len + chunk.length > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(64 << 10, 2 * (this.#len + chunk.length)));
      this.#buf.copy(grown, 0, 0, this.#len);
      this.#buf = grown;
    }
    chunk.copy(this.#buf, this.#len);
    this.#len += chunk.length;
  }

  /**
   * Drops the bytes no longer needed. An entry whose data grows past what is hashed on the way
   * keeps only the bytes the descriptor search still has to look at.
   */
  #compact(): void {
    const entry = this.#entry;
    let keep: number;
    if (this.#stopped) keep = this.#end;
    else if (!entry) keep = this.#next;
    else if (entry.large) keep = entry.large.fed;
    else if (entry.dataStart + maxStreamedEntry + descriptorBytes >= this.#end) keep = entry.offset;
    else keep = entry.compressedSize === null ? this.#scanFrom : this.#end;
    const drop = Math.min(keep, this.#end) - this.#base;
    if (drop <= 0) return;
    this.#buf.copyWithin(0, drop, this.#len);
    this.#len -= drop;
    this.#base += drop;
    // Give back a buffer grown for one large entry.
    if (this.#buf.length > 4 * Math.max(64 << 10, this.#len) && this.#buf.length > 256 << 10) {
      this.#buf = Buffer.from(this.#buf.subarray(0, this.#len));
    }
  }
}

/**
 * The inflater of small entries, shared by every download: each entry is inflated and hashed
 * in one synchronous step, so no two ever use it at once.
 */
const smallInflater = new RawInflater(maxStreamedEntry);

/**
 * inflateRawSync of a small entry: its bytes, 'too-large' past maxStreamedEntry, or null when
 * the deflate stream is broken or does not end exactly at the entry's end.
 */
function inflateOnce(data: Buffer, sizeHint: number): Buffer | 'too-large' | null {
  try {
    // (info: the engine tells how much input the deflate stream took; not in Node's types.)
    // One output chunk the size the headers declare: an honest entry inflates into one
    // buffer, with no concatenation of 16 KiB pieces (a lying size only costs more pieces).
    const { buffer, engine } = inflateRawSync(data, {
      maxOutputLength: maxStreamedEntry + 1,
      chunkSize: Math.max(64, Math.min(sizeHint, maxStreamedEntry) + 1),
      info: true,
    } as ZlibOptions) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return engine.bytesWritten === data.length ? buffer : null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : null;
  }
}

/**
 * SHA-256, CRC-32 and size of one large entry, fed its compressed bytes as they arrive and
 * inflated off the main thread. Given up (no digest) on any error, when the deflate stream does
 * not end exactly at the entry's end, or past the zip's inflate budget.
 */
class LargeDigest {
  /** Absolute offset up to which the entry's data was fed. */
  fed: number;
  readonly #sha: Hash = createHash('sha256');
  readonly #inflate: InflateRaw | null;
  readonly #budget: { left: number };
  #crc = 0;
  #size = 0;
  #failed = false;

  constructor(method: number, fed: number, budget: { left: number }) {
    this.fed = fed;
    this.#budget = budget;
    if (method === 0) {
      this.#inflate = null;
      return;
    }
    const inflate = createInflateRaw({ chunkSize: largeChunk });
    inflate.on('data', (chunk: Buffer) => this.#take(chunk));
    inflate.on('error', () => this.abandon());
    this.#inflate = inflate;
  }

  #take(chunk: Buffer): void {
    if (this.#failed) return;
    this.#budget.left -= chunk.length;
    if (this.#budget.left < 0) {
      this.abandon();
      return;
    }
    this.#sha.update(chunk);
    this.#crc = crc32(chunk, this.#crc);
    this.#size += chunk.length;
  }

  /** Resolves once `bytes` are consumed (the caller may then reuse their memory). */
  async feed(bytes: Buffer): Promise<void> {
    if (this.#failed || bytes.length === 0) return;
    const inflate = this.#inflate;
    if (!inflate) {
      this.#take(bytes);
      return;
    }
    // Resolves when the chunk is consumed, or when the inflater is gone (an error destroys it).
    await new Promise<void>((resolve) => {
      const done = () => {
        inflate.off('close', done);
        resolve();
      };
      inflate.once('close', done);
      inflate.write(bytes, done);
    });
  }

  async finish(
    compressedSize: number,
  ): Promise<{ uncompressedSize: number; crc32: number; sha256Hex: string } | null> {
    const inflate = this.#inflate;
    if (inflate && !this.#failed) {
      inflate.end();
      await finished(inflate).catch(() => this.abandon());
      if (inflate.bytesWritten !== compressedSize) this.abandon();
    }
    if (this.#failed) return null;
    return { uncompressedSize: this.#size, crc32: this.#crc >>> 0, sha256Hex: this.#sha.digest('hex') };
  }

  abandon(): void {
    this.#failed = true;
    this.#inflate?.destroy();
  }
}

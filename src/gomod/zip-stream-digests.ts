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
// disagrees with the central directory, zip64, an entry over 1 MiB, an unknown method) just
// leaves the entry to checkModuleZip's own pass after the last byte: the verdict is the same
// either way, only its latency differs.

import { hash } from 'node:crypto';
import { crc32, inflateRawSync } from 'node:zlib';

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
/** As in checkModuleZip: the event loop gets a turn after this many bytes hashed. */
const yieldEvery = 4 << 20;

type Entry = {
  /** Absolute offset of the local header. */
  offset: number;
  dataStart: number;
  method: number;
  /** From the local header; null when a data descriptor follows the data. */
  compressedSize: number | null;
};

export class ZipStreamDigests {
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
    while (!this.#stopped && this.#step()) {
      if (this.#sinceYield >= yieldEvery) {
        this.#sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    this.#compact();
  }

  /** Makes one step of progress; false when more bytes are needed. */
  #step(): boolean {
    const entry = this.#entry;
    if (!entry) return this.#readHeader();
    if (entry.compressedSize !== null) {
      const end = entry.dataStart + entry.compressedSize;
      if (this.#end < end) return false;
      this.#digest(entry, entry.compressedSize);
      this.#entry = null;
      this.#next = end;
      return true;
    }
    return this.#findDescriptor(entry);
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
    this.#entry = { offset: at, dataStart, method, compressedSize: descriptor ? null : compressedSize };
    this.#scanFrom = dataStart;
    return true;
  }

  /** Looks for the descriptor ending the current entry's data; false when more bytes are needed. */
  #findDescriptor(entry: Entry): boolean {
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
        this.#digest(entry, size);
        this.#entry = null;
        this.#next = at + descriptorBytes;
        return true;
      }
      this.#scanFrom = at + 1;
    }
  }

  #digest(entry: Entry, compressedSize: number): void {
    if (compressedSize > maxStreamedEntry || (entry.method !== 0 && entry.method !== 8)) return;
    if (entry.dataStart < this.#base) return; // part of it was dropped (a large entry before)
    const start = entry.dataStart - this.#base;
    const data = this.#buf.subarray(start, start + compressedSize);
    let plain: Buffer;
    if (entry.method === 0) {
      plain = data;
    } else {
      try {
        plain = inflateRawSync(data, { maxOutputLength: maxStreamedEntry + 1 });
      } catch {
        return; // the pass after the last byte reports it
      }
    }
    this.#sinceYield += plain.length;
    if (plain.length > maxStreamedEntry) return;
    this.#digests.set(entry.offset, {
      method: entry.method,
      compressedSize,
      uncompressedSize: plain.length,
      crc32: crc32(plain) >>> 0,
      sha256Hex: hash('sha256', plain, 'hex'),
    });
  }

  #stop(): void {
    this.#stopped = true;
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
    if (!entry) keep = this.#next;
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

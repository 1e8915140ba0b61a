import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  createHash,
  hash
} from "./chunk-HGDB5JG2.js";
import "./chunk-BZZXECNI.js";

// src/gomod/zip-stream-digests.ts
const { finished } = require("node:stream/promises");
const { crc32, createInflateRaw, inflateRawSync } = require("node:zlib");

// src/gomod/raw-inflater.ts
const { constants, InflateRaw } = require("node:zlib");
var RawInflater = class {
  #stream = null;
  #out;
  /** Set once the internals were found missing: never tried again. */
  #unsupported = false;
  /** `maxOutput`: the most bytes an entry may inflate to (the output buffer is one byte more). */
  constructor(maxOutput) {
    this.#out = Buffer.allocUnsafeSlow(maxOutput + 1);
  }
  inflate(data) {
    const stream = this.#open();
    if (!stream) return { type: "unusable" };
    const handle = stream._handle;
    const state = stream._writeState;
    try {
      handle.writeSync(constants.Z_FINISH, data, 0, data.length, this.#out, 0, this.#out.length);
    } catch {
      this.#drop();
      return { type: "unusable" };
    }
    if (stream.destroyed || stream._handle !== handle) {
      this.#drop();
      return { type: "unusable" };
    }
    const outLeft = state[0];
    const inLeft = state[1];
    handle.reset();
    if (outLeft === 0) return { type: "too-large" };
    return {
      type: "ok",
      plain: this.#out.subarray(0, this.#out.length - outLeft),
      consumed: data.length - inLeft
    };
  }
  close() {
    this.#drop();
  }
  #open() {
    if (this.#stream || this.#unsupported) return this.#stream;
    const stream = new InflateRaw();
    stream.on("error", () => {
    });
    if (typeof stream._handle?.writeSync !== "function" || !(stream._writeState instanceof Uint32Array)) {
      this.#unsupported = true;
      stream.destroy();
      return null;
    }
    this.#stream = stream;
    return stream;
  }
  #drop() {
    this.#stream?.destroy();
    this.#stream = null;
  }
};

// src/gomod/zip-stream-digests.ts
var maxStreamedEntry = 1 << 20;
var localHeaderSignature = 67324752;
var descriptorSignature = Buffer.from([80, 75, 7, 8]);
var descriptorBytes = 16;
var localHeaderBytes = 30;
var maxZipFile = 500 * 1024 * 1024;
var largeChunk = 64 * 1024;
var yieldEvery = 4 << 20;
var ZipStreamDigests = class {
  /**
   * Bytes all entries together may still inflate to here: what the check itself allows a zip
   * in all. Past it nothing more is hashed on the way (a hostile zip of many small entries that
   * each inflate to 1 MiB would otherwise cost far more than its own size).
   */
  #inflateBudget;
  /** `inflateBudget`: defaults to zip.MaxZipFile (tests use less). */
  constructor(options = {}) {
    this.#inflateBudget = { left: options.inflateBudget ?? maxZipFile };
  }
  #digests = /* @__PURE__ */ new Map();
  /** Unparsed bytes: #buf[0, #len) are the archive's bytes from absolute offset #base. */
  #buf = Buffer.alloc(0);
  #len = 0;
  #base = 0;
  /** Absolute offset of the next local header, while reading headers. */
  #next = 0;
  #entry = null;
  /** Where the search for the current entry's descriptor goes on from. */
  #scanFrom = 0;
  /** The rest of the archive is not followed (central directory reached, or lost track). */
  #stopped = false;
  /** Bytes hashed since the event loop last had a turn. */
  #sinceYield = 0;
  /** Stops following the archive and frees an inflater under way (a failed or finished download). */
  close() {
    if (!this.#stopped) this.#stop();
  }
  /** Digests by local header offset. */
  get digests() {
    return this.#digests;
  }
  /**
   * Takes the next bytes of the archive. Resolves once they are parsed and hashed; a chunk
   * holding many small entries that inflate to a lot yields to the event loop on the way, so a
   * hostile zip cannot stall the server.
   */
  async push(chunk) {
    if (this.#stopped || chunk.length === 0) return;
    this.#append(chunk);
    for (; ; ) {
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
  #step() {
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
  async #finish({ entry, size, sizeHint }) {
    if (!entry.large) {
      if (this.#digest(entry, size, sizeHint)) return;
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
  async #feedLarge() {
    const entry = this.#entry;
    if (!entry || this.#stopped) return;
    const dataEnd = entry.compressedSize === null ? this.#scanFrom : entry.dataStart + entry.compressedSize;
    const safe = Math.min(this.#end, dataEnd);
    if (!entry.large) {
      if (safe - entry.dataStart <= maxStreamedEntry) return;
      if (entry.method !== 0 && entry.method !== 8 || entry.dataStart < this.#base) return;
      entry.large = new LargeDigest(entry.method, entry.dataStart, this.#inflateBudget);
    }
    const large = entry.large;
    if (safe <= large.fed) return;
    await large.feed(this.#slice(large.fed, safe));
    large.fed = safe;
  }
  #slice(from, to) {
    return this.#buf.subarray(from - this.#base, to - this.#base);
  }
  #readHeader() {
    const at = this.#next;
    if (this.#end < at + 4) return false;
    if (this.#u32(at) !== localHeaderSignature) {
      this.#stop();
      return false;
    }
    if (this.#end < at + localHeaderBytes) return false;
    const flags = this.#u16(at + 6);
    const method = this.#u16(at + 8);
    const compressedSize = this.#u32(at + 18);
    const dataStart = at + localHeaderBytes + this.#u16(at + 26) + this.#u16(at + 28);
    const descriptor = (flags & 8) !== 0;
    if (!descriptor && compressedSize === 4294967295) {
      this.#stop();
      return false;
    }
    this.#entry = {
      offset: at,
      dataStart,
      method,
      compressedSize: descriptor ? null : compressedSize,
      uncompressedSize: this.#u32(at + 22),
      large: null
    };
    this.#scanFrom = dataStart;
    return true;
  }
  /** Looks for the descriptor ending the current entry's data; false when more bytes are needed. */
  #findDescriptor(entry) {
    for (; ; ) {
      const from = this.#scanFrom - this.#base;
      if (from < 0) {
        this.#scanFrom = this.#base;
        continue;
      }
      const found = this.#buf.subarray(0, this.#len).indexOf(descriptorSignature, from);
      if (found < 0) {
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
  #digest(entry, compressedSize, sizeHint) {
    if (compressedSize > maxStreamedEntry || entry.method !== 0 && entry.method !== 8) return true;
    if (this.#inflateBudget.left <= 0) {
      this.#stop();
      return true;
    }
    if (entry.dataStart < this.#base) return true;
    const data = this.#slice(entry.dataStart, entry.dataStart + compressedSize);
    let plain;
    if (entry.method === 0) {
      plain = data;
    } else {
      const inflated = smallInflater.inflate(data);
      if (inflated.type === "too-large") return false;
      if (inflated.type === "ok") {
        if (inflated.consumed !== data.length) return true;
        plain = inflated.plain;
      } else {
        const once = inflateOnce(data, sizeHint);
        if (once === "too-large") return false;
        if (once === null) return true;
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
      sha256Hex: hash("sha256", plain, "hex")
    });
    return true;
  }
  #stop() {
    this.#stopped = true;
    this.#entry?.large?.abandon();
    this.#entry = null;
    this.#buf = Buffer.alloc(0);
    this.#len = 0;
  }
  get #end() {
    return this.#base + this.#len;
  }
  #u16(at) {
    return this.#buf.readUInt16LE(at - this.#base);
  }
  #u32(at) {
    return this.#buf.readUInt32LE(at - this.#base);
  }
  #append(chunk) {
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
  #compact() {
    const entry = this.#entry;
    let keep;
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
    if (this.#buf.length > 4 * Math.max(64 << 10, this.#len) && this.#buf.length > 256 << 10) {
      this.#buf = Buffer.from(this.#buf.subarray(0, this.#len));
    }
  }
};
var smallInflater = new RawInflater(maxStreamedEntry);
function inflateOnce(data, sizeHint) {
  try {
    const { buffer, engine } = inflateRawSync(data, {
      maxOutputLength: maxStreamedEntry + 1,
      chunkSize: Math.max(64, Math.min(sizeHint, maxStreamedEntry) + 1),
      info: true
    });
    return engine.bytesWritten === data.length ? buffer : null;
  } catch (err) {
    return err.code === "ERR_BUFFER_TOO_LARGE" ? "too-large" : null;
  }
}
var LargeDigest = class {
  /** Absolute offset up to which the entry's data was fed. */
  fed;
  #sha = createHash("sha256");
  #inflate;
  #budget;
  #crc = 0;
  #size = 0;
  #failed = false;
  constructor(method, fed, budget) {
    this.fed = fed;
    this.#budget = budget;
    if (method === 0) {
      this.#inflate = null;
      return;
    }
    const inflate = createInflateRaw({ chunkSize: largeChunk });
    inflate.on("data", (chunk) => this.#take(chunk));
    inflate.on("error", () => this.abandon());
    this.#inflate = inflate;
  }
  #take(chunk) {
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
  async feed(bytes) {
    if (this.#failed || bytes.length === 0) return;
    const inflate = this.#inflate;
    if (!inflate) {
      this.#take(bytes);
      return;
    }
    await new Promise((resolve) => {
      const done = () => {
        inflate.off("close", done);
        resolve();
      };
      inflate.once("close", done);
      inflate.write(bytes, done);
    });
  }
  async finish(compressedSize) {
    const inflate = this.#inflate;
    if (inflate && !this.#failed) {
      inflate.end();
      await finished(inflate).catch(() => this.abandon());
      if (inflate.bytesWritten !== compressedSize) this.abandon();
    }
    if (this.#failed) return null;
    return { uncompressedSize: this.#size, crc32: this.#crc >>> 0, sha256Hex: this.#sha.digest("hex") };
  }
  abandon() {
    this.#failed = true;
    this.#inflate?.destroy();
  }
};
export {
  ZipStreamDigests,
  maxStreamedEntry
};

// Checks a module zip against the rules of golang.org/x/mod/zip (what the go command enforces
// when it extracts a download) and computes its go.sum hash (dirhash.HashZip) in the same
// streaming pass: the archive is never held in memory.

import { createHash, hash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { type HashedFile, hash1 } from './dirhash.ts';
import { goQuote } from './go-quote.ts';
import { checkFilePath, checkModuleVersion, ModulePathError } from './module-path.ts';
import { canonicalVersion } from './version.ts';
import { WindowedZipReader } from './windowed-zip-reader.ts';
import type { StreamedDigest } from './zip-stream-digests.ts';

/** zip.MaxZipFile: limit for the archive and for the sum of its uncompressed sizes. */
export const maxZipFile = 500 * 1024 * 1024;
/** zip.MaxGoMod and zip.MaxLICENSE. */
export const maxGoMod = 16 * 1024 * 1024;
export const maxLicense = 16 * 1024 * 1024;

export interface ZipProblem {
  /** The entry name as stored in the zip, or '' for a problem with the archive as a whole. */
  entry: string;
  rule: string;
}

/**
 * A module zip the go command would refuse; `problems` lists every entry and rule broken. The
 * message names the module, not the file: it reaches clients, and the file is a local temp path.
 */
export class ModuleZipError extends Error {
  readonly problems: ZipProblem[];
  readonly file: string;
  constructor(file: string, module: string, version: string, problems: ZipProblem[]) {
    const shown = problems.slice(0, 5).map((p) => (p.entry ? `${p.entry}: ${p.rule}` : p.rule));
    if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
    super(`invalid module zip for ${module}@${version}:\n${shown.join('\n')}`);
    this.name = 'ModuleZipError';
    this.problems = problems;
    this.file = file;
  }
}

export interface ModuleZipCheck {
  /** The go.sum hash: "h1:..." (dirhash.HashZip). */
  hash: string;
  /** Size of the archive file in bytes. */
  size: number;
  /** Sum of the entries' uncompressed sizes. */
  uncompressedSize: number;
  /** True when the zip has <module>@<version>/go.mod. */
  hasGoMod: boolean;
  /** Entries whose digest was taken from `streamed` instead of read again. */
  streamedEntries: number;
}

export interface ModuleZipCheckOptions {
  /**
   * Entry digests taken while the zip downloaded (zip-stream-digests.ts), by local header
   * offset. One is used only for a central entry it matches in every field the hash depends on.
   */
  streamed?: ReadonlyMap<number, StreamedDigest>;
}

/** Go's path.Clean, to tell whether an entry name is already clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  let dotdots = 0; // leading ".." kept in a relative path
  for (const elem of p.split('/')) {
    if (elem === '' || elem === '.') continue;
    if (elem === '..') {
      if (out.length > dotdots) out.pop();
      else if (!rooted) {
        out.push('..');
        dotdots++;
      }
      continue;
    }
    out.push(elem);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/**
 * strToFold: a key equal for names equal under Unicode simple case folding (strings.EqualFold).
 * Per code point, so full foldings that change length ("ß" -> "SS") do not apply, as in Go.
 */
function foldKey(s: string): string {
  // ASCII folds to its lower case, exactly as below: the common case, without a per-rune loop
  // (it showed in the profiles of a cold fill and of prewarm).
  if (!/[^\x00-\x7f]/.test(s)) return s.toLowerCase();
  let out = '';
  for (const c of s) {
    const upper = c.toUpperCase();
    const base = [...upper].length === 1 ? upper : c;
    const lower = base.toLowerCase();
    out += [...lower].length === 1 ? lower : base;
  }
  return out;
}

function parentDir(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : p.slice(0, i);
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

// ignoreBOM keeps a leading U+FEFF in the name, as Go's raw bytes keep it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function openZip(reader: WindowedZipReader): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false };
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(reader, reader.size, options, (err, zip) =>
      err ? reject(err) : resolve(zip),
    );
  });
}

/**
 * Entries whose compressed and declared sizes are both at most this are read in one piece and
 * inflated synchronously (fast for the many small files of a module; 1 MiB inflates in a few
 * ms); anything larger streams, so a small entry that inflates to hundreds of MB neither fills
 * memory nor stalls the server.
 */
const smallEntry = 1 << 20;
const smallUncompressed = 1 << 20;
/**
 * Reads served from cached windows resolve as microtasks, so a zip of many small entries
 * would be checked without ever letting the server answer: yield to the event loop after
 * this many bytes hashed since the last yield.
 */
const yieldEvery = 4 << 20;
/**
 * Inflated bytes per chunk when streaming: few callbacks, little memory (256 or 512 KiB chunks
 * raised the peak RSS of checking a 400 MiB zip bomb from 118-128 to 124-159 MiB).
 */
const streamChunk = 64 * 1024;
const localHeaderSignature = 0x04034b50;

/** Where an entry's compressed bytes start, from its local header; refuses what archive/zip refuses. */
async function entryDataStart(reader: WindowedZipReader, entry: yauzl.Entry): Promise<number> {
  if (entry.generalPurposeBitFlag & 1) throw new Error('encrypted entries are not supported');
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new Error(
      `unsupported compression method ${entry.compressionMethod} (only store and deflate are allowed)`,
    );
  }
  const header = await reader.readAt(entry.relativeOffsetOfLocalHeader, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== localHeaderSignature) {
    throw new Error('invalid local file header signature');
  }
  return entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

function tooManyBytes(entry: yauzl.Entry): Error {
  return new Error(
    `uncompressed size differs from the declared size ${entry.uncompressedSize} (too many bytes)`,
  );
}

/** The uncompressed bytes of a small entry, read through the reader's windows without a stream. */
async function readSmallEntry(reader: WindowedZipReader, entry: yauzl.Entry): Promise<Buffer> {
  const dataStart = await entryDataStart(reader, entry);
  const data = await reader.readAt(dataStart, entry.compressedSize);
  if (data.length < entry.compressedSize) throw new Error('unexpected end of file in entry data');
  if (entry.compressionMethod === 0) return data;
  try {
    // One byte over the declared size is enough to tell that the declaration lies. An output
    // chunk of that size holds an honest entry whole: one buffer, no concatenation of 16 KiB
    // pieces (zlib's minimum chunk is 64 bytes).
    const limit = entry.uncompressedSize + 1;
    return inflateRawSync(data, { maxOutputLength: limit, chunkSize: Math.max(64, limit) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooManyBytes(entry);
    throw new Error(`cannot read entry data: ${(err as Error).message}`);
  }
}

/**
 * The uncompressed bytes of any entry as a stream of chunks, inflated off the main thread.
 * Stops (and frees the inflater) as soon as more bytes come than the entry declares.
 */
async function* streamEntry(reader: WindowedZipReader, entry: yauzl.Entry): AsyncGenerator<Buffer> {
  const dataStart = await entryDataStart(reader, entry);
  if (dataStart + entry.compressedSize > reader.size) throw new Error('unexpected end of file in entry data');
  const source = reader._readStreamForRange(dataStart, dataStart + entry.compressedSize);
  let bytes = 0;
  if (entry.compressionMethod === 0) {
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) yield chunk;
    } finally {
      source.destroy();
    }
    return;
  }
  const inflate = createInflateRaw({ chunkSize: streamChunk });
  source.on('error', (err) => inflate.destroy(err));
  source.pipe(inflate);
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > entry.uncompressedSize) throw tooManyBytes(entry);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('uncompressed size differs')) throw err;
    throw new Error(`cannot read entry data: ${(err as Error).message}`);
  } finally {
    source.destroy();
    inflate.destroy();
  }
}

/** Hashes one entry, checking CRC-32 and the declared size like archive/zip. */
async function digestEntry(
  reader: WindowedZipReader,
  entry: yauzl.Entry,
): Promise<{ sha256Hex: string; bytes: number }> {
  let crc = 0;
  let bytes = 0;
  let sha256Hex: string;
  if (entry.compressedSize <= smallEntry && entry.uncompressedSize <= smallUncompressed) {
    const data = await readSmallEntry(reader, entry);
    // One-shot: no Hash object per file (most module files are small).
    sha256Hex = hash('sha256', data, 'hex');
    crc = crc32(data);
    bytes = data.length;
  } else {
    const sha = createHash('sha256');
    for await (const chunk of streamEntry(reader, entry)) {
      sha.update(chunk);
      crc = crc32(chunk, crc);
      bytes += chunk.length;
    }
    sha256Hex = sha.digest('hex');
  }
  if (bytes !== entry.uncompressedSize) {
    throw new Error(
      `uncompressed size differs from the declared size ${entry.uncompressedSize} (${bytes} bytes)`,
    );
  }
  // archive/zip skips the check when the header's CRC-32 is 0.
  if (entry.crc32 !== 0 && crc >>> 0 !== entry.crc32 >>> 0)
    throw new Error('checksum error (CRC-32 mismatch)');
  return { sha256Hex, bytes };
}

/**
 * The digest `digestEntry` would compute for `entry`, if one was taken while the zip arrived
 * from the same bytes: same local header offset, method and compressed size (so the same data,
 * whose deflate stream ended exactly there, so one-call and streamed inflating agree), and the
 * uncompressed size and CRC-32 the entry declares (so digestEntry's checks pass). Anything else
 * is read again.
 */
function streamedDigest(
  streamed: ReadonlyMap<number, StreamedDigest> | undefined,
  entry: yauzl.Entry,
): StreamedDigest | null {
  const d = streamed?.get(entry.relativeOffsetOfLocalHeader);
  if (!d) return null;
  const same =
    (entry.generalPurposeBitFlag & 1) === 0 &&
    entry.compressionMethod === d.method &&
    entry.compressedSize === d.compressedSize &&
    entry.uncompressedSize === d.uncompressedSize &&
    entry.crc32 >>> 0 === d.crc32;
  return same ? d : null;
}

/** module.Check plus the canonical-version rule, worded as zip.CheckZip words them. */
function moduleVersionProblem(module: string, version: string): string | null {
  const canonical = canonicalVersion(version);
  if (canonical !== version) {
    return `version ${goQuote(version)} is not canonical (should be ${goQuote(canonical)})`;
  }
  try {
    checkModuleVersion(module, version);
  } catch (err) {
    if (err instanceof ModulePathError) return err.message;
    throw err;
  }
  return null;
}

/**
 * Checks `file` as the zip of module@version and returns its h1 hash. Throws ModuleZipError
 * naming each offending entry and rule; an unreadable file throws a plain Error (cause: the
 * errno error) whose message names the module, not the file.
 */
export async function checkModuleZip(
  file: string,
  module: string,
  version: string,
  options: ModuleZipCheckOptions = {},
): Promise<ModuleZipCheck> {
  const fail = (problems: ZipProblem[]) => new ModuleZipError(file, module, version, problems);
  const mvProblem = moduleVersionProblem(module, version);
  if (mvProblem) throw fail([{ entry: '', rule: mvProblem }]);

  // An unreadable file is our failure, not the zip's; its message names no local path.
  const unreadable = (err: unknown) =>
    new Error(
      `cannot read the zip of ${module}@${version} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      { cause: err },
    );
  const size = await stat(file).then(
    (info) => info.size,
    (err: unknown) => {
      throw unreadable(err);
    },
  );
  if (size > maxZipFile) {
    throw fail([
      { entry: '', rule: `module zip file is too large (${size} bytes; limit is ${maxZipFile} bytes)` },
    ]);
  }
  const reader = await WindowedZipReader.open(file).catch((err: unknown) => {
    throw unreadable(err);
  });
  const closeReader = () => new Promise<void>((resolve) => reader.close(() => resolve()));
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(reader);
  } catch (err) {
    await closeReader();
    throw fail([{ entry: '', rule: `not a readable zip archive: ${(err as Error).message}` }]);
  }

  // Errors are taken per read below; this keeps a late one from becoming an uncaught 'error' event.
  zip.on('error', () => {});
  const prefix = `${module}@${version}/`;
  const problems: ZipProblem[] = [];
  const hashed: HashedFile[] = [];
  const seen = new Map<string, { path: string; isDir: boolean }>();
  let sizeError: string | null = null;
  let total = 0;
  let hasGoMod = false;
  let sinceYield = 0;
  let streamedEntries = 0;

  // collisionChecker.check: names (and their parent directories) unique under case folding.
  const collision = (p: string, isDir: boolean): string | null => {
    const key = foldKey(p);
    const other = seen.get(key);
    if (other) {
      if (other.path !== p)
        return `case-insensitive file name collision: ${goQuote(other.path)} and ${goQuote(p)}`;
      if (other.isDir !== isDir) return `entry ${goQuote(p)} is both a file and a directory`;
      if (!isDir) return `multiple entries for file ${goQuote(p)}`;
    } else {
      seen.set(key, { path: p, isDir });
    }
    const parent = parentDir(p);
    return parent === '.' ? null : collision(parent, true);
  };

  // The per-entry rules of zip.CheckZip. The entry's Unix mode is not one of them: a symlink or
  // fifo entry is accepted, and the go command's Unzip writes it as a regular file.
  const entryProblem = (entry: yauzl.Entry, fullName: string): string | null => {
    if (!fullName.startsWith(prefix)) return `path does not have prefix ${goQuote(prefix)}`;
    let name = fullName.slice(prefix.length);
    if (name === '') return null;
    const isDir = name.endsWith('/');
    if (isDir) name = name.slice(0, -1);
    if (cleanPath(name) !== name) return 'file path is not clean';
    try {
      checkFilePath(name);
    } catch (err) {
      if (err instanceof ModulePathError) return err.message;
      throw err;
    }
    const collided = collision(name, isDir);
    if (collided) return collided;
    if (isDir) return null;
    const base = baseName(name);
    if (base.toLowerCase() === 'go.mod') {
      if (base !== name) return 'go.mod file not in module root directory';
      if (name !== 'go.mod') return 'go.mod files must have lowercase names';
    }
    const sz = entry.uncompressedSize;
    if (maxZipFile - total >= sz) total += sz;
    else
      sizeError ??= `total uncompressed size of module contents too large (max size is ${maxZipFile} bytes)`;
    if (name === 'go.mod' && sz > maxGoMod) return `go.mod file too large (max size is ${maxGoMod} bytes)`;
    if (name === 'LICENSE' && sz > maxLicense)
      return `LICENSE file too large (max size is ${maxLicense} bytes)`;
    if (name === 'go.mod') hasGoMod = true;
    return null;
  };

  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => done(() => resolve(e));
        const onEnd = () => done(() => resolve(null));
        const onError = (err: Error) => done(() => reject(err));
        const done = (then: () => void) => {
          zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
          then();
        };
        zip.on('entry', onEntry).once('end', onEnd).once('error', onError);
        zip.readEntry();
      }).catch((err: Error) => {
        problems.push({ entry: '', rule: `corrupt zip archive: ${err.message}` });
        return null;
      });
      if (!entry) break;
      const raw = entry.fileName as unknown as Buffer;
      let fullName: string;
      try {
        fullName = utf8.decode(raw);
      } catch {
        fullName = raw.toString('latin1');
        problems.push({ entry: fullName, rule: 'file name is not valid UTF-8' });
        continue;
      }
      const problem = entryProblem(entry, fullName);
      if (problem) {
        problems.push({ entry: fullName, rule: problem });
        continue;
      }
      if (sizeError) continue; // no point hashing: the verdict is already "too large"
      const early = streamedDigest(options.streamed, entry);
      if (early) {
        hashed.push({ name: fullName, sha256Hex: early.sha256Hex });
        streamedEntries++;
        continue;
      }
      try {
        const { sha256Hex, bytes } = await digestEntry(reader, entry);
        hashed.push({ name: fullName, sha256Hex });
        sinceYield += bytes;
        if (sinceYield >= yieldEvery) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (err) {
        problems.push({ entry: fullName, rule: (err as Error).message });
      }
    }
  } finally {
    zip.close();
    await closeReader();
  }
  if (sizeError) throw fail([{ entry: '', rule: sizeError }]);
  if (problems.length > 0) throw fail(problems);
  return { hash: hash1(hashed), size, uncompressedSize: total, hasGoMod, streamedEntries };
}

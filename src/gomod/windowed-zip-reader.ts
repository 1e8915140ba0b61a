// A yauzl RandomAccessReader that serves small reads from a few cached 1 MiB windows of the
// file. yauzl alone issues several file reads and streams per entry (central directory record,
// local header, data); for modules with thousands of small files that costs far more than
// hashing them. Memory stays bounded: a few windows, never the whole archive.

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

const windowSize = 1 << 20;
const windowCount = 3;

interface Window {
  start: number;
  bytes: Buffer;
}

export class WindowedZipReader extends yauzl.RandomAccessReader {
  readonly size: number;
  readonly #file: FileHandle;
  // Most recently used first. Each window is a fresh buffer, so slices handed out stay valid.
  #windows: Window[] = [];
  #closed = false;

  private constructor(file: FileHandle, size: number) {
    super();
    this.#file = file;
    this.size = size;
  }

  static async open(path: string): Promise<WindowedZipReader> {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      return new WindowedZipReader(file, size);
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  /** Bytes [position, position + length), clipped at the end of the file. */
  async readAt(position: number, length: number): Promise<Buffer> {
    const end = Math.min(position + length, this.size);
    if (end <= position) return Buffer.alloc(0);
    for (const [i, w] of this.#windows.entries()) {
      if (position >= w.start && end <= w.start + w.bytes.length) {
        if (i > 0) this.#windows = [w, ...this.#windows.filter((x) => x !== w)];
        return w.bytes.subarray(position - w.start, end - w.start);
      }
    }
    if (end - position > windowSize) return this.#readDirect(position, end - position);
    const bytes = await this.#readDirect(position, Math.min(windowSize, this.size - position));
    this.#windows = [{ start: position, bytes }, ...this.#windows].slice(0, windowCount);
    return bytes.subarray(0, end - position);
  }

  async #readDirect(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.#file.read(buffer, done, length - done, position + done);
      if (bytesRead === 0)
        throw new Error(`unexpected end of file at byte ${position + done} of ${this.size}`);
      done += bytesRead;
    }
    return buffer;
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const reader = this;
    return Readable.from(
      (async function* () {
        for (let pos = start; pos < end; ) {
          const chunk = await reader.readAt(pos, Math.min(windowSize, end - pos));
          if (chunk.length === 0) throw new Error(`unexpected end of file at byte ${pos}`);
          pos += chunk.length;
          yield chunk;
        }
      })(),
      { objectMode: false },
    );
  }

  // yauzl reads the central directory through this: serve it from the windows too.
  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    this.readAt(position, length).then(
      (bytes) => {
        if (bytes.length < length) {
          callback(new Error('unexpected EOF'));
          return;
        }
        bytes.copy(buffer, offset);
        callback(null);
      },
      (err: Error) => callback(err),
    );
  }

  override close(callback: (err: Error | null) => void): void {
    if (this.#closed) {
      callback(null);
      return;
    }
    this.#closed = true;
    this.#windows = [];
    this.#file.close().then(
      () => callback(null),
      (err: Error) => callback(err),
    );
  }
}

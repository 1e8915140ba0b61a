// Inflates small raw-deflate entries one after another with ONE zlib stream and ONE output
// buffer, reset between entries. zlib.inflateRawSync makes a new zlib stream (a JS stream
// object, zlib's state and its 32 KiB window) and a new output buffer per call: over the
// tens of thousands of files of a cold fill that showed as about a tenth of the proxy's busy
// time, counting the garbage collection it caused (bench/README.md, stop 21).
//
// It drives the stream's native handle synchronously, as zlib.inflateRawSync does itself
// (the same writeSync call, the same Z_FINISH, the same error path), but into a buffer it
// keeps. Those are Node internals: if they are not there, or anything goes wrong, the caller
// is told to use inflateRawSync instead, so the output is always exactly zlib's.
import { constants, InflateRaw } from 'node:zlib';

type NativeHandle = {
  writeSync(
    flush: number,
    input: Buffer,
    inOffset: number,
    inLength: number,
    output: Buffer,
    outOffset: number,
    outLength: number,
  ): void;
  reset(): void;
};
type Internals = { _handle?: NativeHandle | null; _writeState?: Uint32Array };

export type InflateResult =
  /** The whole entry, in a buffer valid until the next call; `consumed`: input bytes the stream took. */
  | { type: 'ok'; plain: Buffer; consumed: number }
  /** It inflates to more than the limit. */
  | { type: 'too-large' }
  /** Not a complete deflate stream (zlib's error), or this Node has not the internals: use inflateRawSync. */
  | { type: 'unusable' };

export class RawInflater {
  #stream: (InflateRaw & Internals) | null = null;
  #out: Buffer;
  /** Set once the internals were found missing: never tried again. */
  #unsupported = false;

  /** `maxOutput`: the most bytes an entry may inflate to (the output buffer is one byte more). */
  constructor(maxOutput: number) {
    this.#out = Buffer.allocUnsafeSlow(maxOutput + 1);
  }

  inflate(data: Buffer): InflateResult {
    const stream = this.#open();
    if (!stream) return { type: 'unusable' };
    const handle = stream._handle!;
    const state = stream._writeState!;
    try {
      handle.writeSync(constants.Z_FINISH, data, 0, data.length, this.#out, 0, this.#out.length);
    } catch {
      this.#drop();
      return { type: 'unusable' };
    }
    // zlib's errors (a corrupt or truncated stream) come through the handle's error callback,
    // which destroys the stream synchronously, as in inflateRawSync.
    if (stream.destroyed || stream._handle !== handle) {
      this.#drop();
      return { type: 'unusable' };
    }
    const outLeft = state[0]!;
    const inLeft = state[1]!;
    handle.reset();
    // No room left: there may be more (zlib stops at the end of the buffer, not of the stream).
    if (outLeft === 0) return { type: 'too-large' };
    return {
      type: 'ok',
      plain: this.#out.subarray(0, this.#out.length - outLeft),
      consumed: data.length - inLeft,
    };
  }

  close(): void {
    this.#drop();
  }

  #open(): (InflateRaw & Internals) | null {
    if (this.#stream || this.#unsupported) return this.#stream;
    const stream = new InflateRaw() as InflateRaw & Internals;
    // A zlib error is delivered as an 'error' event too: handled (we check `destroyed`).
    stream.on('error', () => {});
    if (typeof stream._handle?.writeSync !== 'function' || !(stream._writeState instanceof Uint32Array)) {
      this.#unsupported = true;
      stream.destroy();
      return null;
    }
    this.#stream = stream;
    return stream;
  }

  #drop(): void {
    this.#stream?.destroy();
    this.#stream = null;
  }
}

// Sends a stored blob as an HTTP body. This is the hot path of a warm proxy (every cached
// .zip goes through it), so it reuses buffers instead of allocating per chunk (a read stream
// allocates a fresh buffer per chunk, and under load the GC then dominates), answers a small
// file with one read and one end(), and overlaps the disk read of the next chunk with the
// socket write of the current one. The file comes open (a stored .zip from the store's cache
// of open files, so a hit costs no open, stat or close); whoever opened it closes it. A file
// this process sent before (`warm`) sits in the page cache: it is read on the main thread,
// which skips two hand-offs to the thread pool per chunk (measured: about a fifth less CPU
// per answer and fewer threads' memory); any other file is read in the thread pool, so a
// cold disk never stalls the event loop. Chunks of 128 KiB: each answer under way holds two
// (the one on the socket, the one being read), so at concurrency 32 the chunk size is most of a
// warm proxy's memory under load; 512 KiB measured no faster and a few MiB more peak RSS
// (bench/engine-startup.ts), and 128 KiB about 1.6 MiB less peak than 256 (stop 21).
import { read, readSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { OpenFile } from './reply.ts';

/** Bytes read and written at a time; a warm file of at most this size is sent in one piece. */
export const sendChunkSize = 128 << 10;
const chunkSize = sendChunkSize;
const spareChunks: Buffer[] = [];
const maxSpareChunks = 32;

function takeChunk(): Buffer {
  return spareChunks.pop() ?? Buffer.allocUnsafeSlow(chunkSize);
}

function giveBack(chunk: Buffer): void {
  if (spareChunks.length < maxSpareChunks) spareChunks.push(chunk);
}

/**
 * Resolves true once `res` may write to its socket, false if its client left first. A pipelined
 * request's answer has no socket until the answers before it are done, and what it writes
 * until then is held in memory: a client that pipelines thousands of requests for a large zip
 * would otherwise make the proxy hold two chunks per request (measured: 1 GiB for 2000).
 */
export function untilTurn(res: ServerResponse): Promise<boolean> | null {
  if (res.socket || res.destroyed) return null;
  return new Promise((resolve) => {
    const done = (turn: boolean) => () => {
      res.off('socket', onSocket);
      res.off('close', onClose);
      resolve(turn);
    };
    const onSocket = done(true);
    const onClose = done(false);
    res.once('socket', onSocket);
    res.once('close', onClose);
  });
}

/**
 * Drops the connection when a write the socket could not take at once (`res` needs a drain) is
 * still pending after `stallMs`: a client that stops reading would otherwise hold its answer's
 * chunks and socket for as long as it likes. A write the socket took costs no timer (the hot
 * path); a client that reads, however slowly, keeps completing writes.
 */
function dropIfStalled(res: ServerResponse, stallMs: number): NodeJS.Timeout | undefined {
  // Unref'd: a timer left after the client closed (it then destroys nothing) holds no shutdown.
  return res.writableNeedDrain ? setTimeout(() => res.destroy(), stallMs).unref() : undefined;
}

/**
 * Writes the whole of `file` to `res` (headers already set) and ends it; positional reads only.
 * A client that takes nothing for `stallMs` is dropped (the send then fails as a closed one).
 */
export async function sendFile(res: ServerResponse, file: OpenFile, stallMs = 30_000): Promise<void> {
  const waiting = untilTurn(res);
  if (waiting && !(await waiting)) throw new Error('client closed the connection');
  const { handle, size } = file;
  if (size > 0 && size <= chunkSize && file.warm) return sendOneChunk(res, handle.fd, size, stallMs);
  // A client that goes away mid-answer must not leave us waiting for a write callback.
  // 'close' also follows every complete answer (on the next tick, before our continuation
  // runs): only a close before the end is an error (an Error's stack costs, per request).
  let ended = false;
  let onClose: () => void = () => {};
  const closed = new Promise<never>((_, reject) => {
    onClose = () => {
      if (!ended) reject(new Error('client closed the connection'));
    };
    res.once('close', onClose);
  });
  closed.catch(() => {});
  // The second chunk (read-ahead) only for a blob larger than one.
  const chunks: Buffer[] = [takeChunk()];
  // A chunk handed to the socket stays in use until its write callback: only then is it reused.
  let reusable = true;
  try {
    const readAt = async (chunk: Buffer, position: number): Promise<number> => {
      const want = Math.min(chunkSize, size - position);
      const bytesRead = file.warm
        ? readSync(handle.fd, chunk, 0, want, position)
        : await new Promise<number>((resolve, reject) =>
            read(handle.fd, chunk, 0, want, position, (err, n) => (err ? reject(err) : resolve(n))),
          );
      if (bytesRead !== want) throw new Error(`a stored blob is shorter than ${size} bytes`);
      return bytesRead;
    };
    const write = (chunk: Buffer, last: boolean): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        let stalled: NodeJS.Timeout | undefined;
        const done = (err?: Error | null) => {
          clearTimeout(stalled);
          if (err) reject(err);
          else resolve();
        };
        if (last)
          res.end(chunk, () => {
            ended = true;
            done();
          });
        else res.write(chunk, done);
        stalled = dropIfStalled(res, stallMs);
      });
    if (size === 0) {
      res.end();
      return;
    }
    let position = 0;
    let current = 0;
    let n = await readAt(chunks[0]!, 0);
    for (;;) {
      position += n;
      const last = position >= size;
      reusable = false;
      const writing = write(chunks[current]!.subarray(0, n), last);
      if (last) {
        await Promise.race([closed, writing]);
        reusable = true;
        return;
      }
      const next = 1 - current;
      chunks[next] ??= takeChunk();
      const [bytes] = await Promise.race([closed, Promise.all([readAt(chunks[next], position), writing])]);
      reusable = true;
      n = bytes;
      current = next;
    }
  } finally {
    res.off('close', onClose);
    // A chunk still held by a closed socket's pending write is dropped, never reused.
    if (reusable) for (const chunk of chunks) giveBack(chunk);
  }
}

/**
 * A warm file of one chunk (most of a graph's zips): one read and one end(), without the
 * loop's read-ahead, races and closures. As in the loop, a close before the end is an error
 * and a chunk still held by a closed socket's pending write is dropped, never reused.
 */
function sendOneChunk(res: ServerResponse, fd: number, size: number, stallMs: number): Promise<void> {
  const chunk = takeChunk();
  let bytesRead: number;
  try {
    bytesRead = readSync(fd, chunk, 0, size, 0);
  } catch (err) {
    giveBack(chunk);
    throw err;
  }
  if (bytesRead !== size) {
    giveBack(chunk);
    throw new Error(`a stored blob is shorter than ${size} bytes`);
  }
  return new Promise((resolve, reject) => {
    let ended = false;
    let stalled: NodeJS.Timeout | undefined;
    const onClose = () => {
      clearTimeout(stalled);
      if (!ended) reject(new Error('client closed the connection'));
    };
    res.once('close', onClose);
    res.end(chunk.subarray(0, size), () => {
      ended = true;
      clearTimeout(stalled);
      res.off('close', onClose);
      giveBack(chunk);
      resolve();
    });
    stalled = dropIfStalled(res, stallMs);
  });
}

// What one upstream answered, reduced to the three outcomes the GOPROXY chain cares about.
import type { Readable } from 'node:stream';

export type UpstreamOk = {
  outcome: 'ok';
  /** The body, streamed: zips are never held in memory whole. */
  body: Readable;
  /** Content-Length when the upstream declared one. */
  size: number | null;
  /** Where it came from, for logs and the audit trail ("https://…", "file://…", "direct"). */
  source: string;
};

/** 404 or 410: "not here", the only answer after which `,` moves to the next entry. */
export type UpstreamNotFound = { outcome: 'not-found'; status: number; message: string; source: string };

/** Anything else: 5xx, 403, timeouts, resets. Only `|` moves on after it. */
export type UpstreamError = { outcome: 'error'; status: number | null; message: string; source: string };

export type UpstreamResponse = UpstreamOk | UpstreamNotFound | UpstreamError;

/** Reads a whole (small) body: lists, .info, .mod, sumdb records. */
export async function readAll(body: Readable, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buf.length;
    if (total > limitBytes) {
      body.destroy();
      throw new Error(`upstream answer is larger than ${limitBytes} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

// An HTTP answer as the server writes it: a status, a content type and either bytes or an
// open file. How a module answer was produced lives in its RequestRecord, not here.
import type { FileHandle } from 'node:fs/promises';
import { redactSecrets } from '../upstream/redact-secrets.ts';
import type { AnswerSource } from './request-record.ts';

/** An open file to send whole (positional reads only: it may be shared); whoever sends it closes it. */
export type OpenFile = {
  handle: FileHandle;
  size: number;
  close(): Promise<void>;
  /** Sent before by this process (so most likely in the page cache). */
  warm?: boolean;
};

export type Reply = {
  status: number;
  contentType: string;
  /** Bytes, or a file opened before the answer began (a concurrent prune cannot break it). */
  body: Buffer | OpenFile;
  headers?: Record<string, string>;
  source: AnswerSource;
  /** Bytes read from an upstream for this answer (the checksum-database pass-through sets it). */
  upstreamBytes?: number;
};

/** Immutable answers may be cached by anything in between; lists and queries only briefly. */
export const immutableCache = 'public, max-age=604800, immutable';
export const shortLivedCache = 'public, max-age=60';

/**
 * A plain-text error the go command prints whole: it shows at most 8 lines / 648 bytes and
 * stops at the first blank line, so the message is folded into a few dense lines.
 */
export function textReply(status: number, message: string, extra: Partial<Reply> = {}): Reply {
  const lines = redactSecrets(message, [])
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, 7);
  let text = lines.join('\n');
  if (Buffer.byteLength(text) > 600) text = `${Buffer.from(text).subarray(0, 597).toString('utf8')}...`;
  return {
    status,
    contentType: 'text/plain; charset=utf-8',
    body: Buffer.from(`${text}\n`),
    headers: { 'cache-control': 'no-store' },
    source: 'none',
    ...extra,
  };
}

// What the proxy answers: a status, a content type and either bytes or a file to stream,
// plus what the statistics and the audit log need to know about how it was produced.
import { redactSecrets } from '../upstream/redact-secrets.ts';
import type { RequestOutcome } from './proxy-stats.ts';

export type Reply = {
  status: number;
  contentType: string;
  /** `immutable`: a stored blob that never changes (its open descriptor may be kept). */
  body: Buffer | { file: string; size: number; immutable?: boolean };
  headers?: Record<string, string>;
  source: RequestOutcome['source'];
  upstreamBytes?: number;
  stale?: boolean;
  unverified?: boolean;
  notStored?: boolean;
  denial?: { rule: string; reason: string };
  verification?: string;
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

// One record per request, filled in by each stage as the request flows through: the router
// names it, the pipeline says where the answer came from and what happened to it, the server
// adds the status and the bytes. Statistics and the audit log are both fed from it alone.
import type { ProxyRequestKind } from '../gomod/request-kind.ts';

export type AnswerSource = 'store' | 'upstream' | 'direct' | 'none';

export type RequestRecord = {
  kind: ProxyRequestKind;
  module: string | null;
  version: string | null;
  /** Where the answer's bytes came from. */
  source: AnswerSource;
  /** Bytes read from upstreams for this request (set when it caused a fetch). */
  upstreamBytes?: number;
  /** A stored list/@latest/query answer served because the upstream failed. */
  stale?: boolean;
  /** How the blob was checked: `verified:go.sum`, `trusted:first-use`, `unverified:<why>`, `mismatch`. */
  verification?: string;
  /** Served but not put in the store: unverifiable, or the store refused the write. */
  notStored?: 'unverified' | 'store-failed';
  /** The store's own words when it refused a write (no upstream URL, no secret in it). */
  storeError?: string;
  /** The policy rule that refused the request. */
  denial?: { rule: string; reason: string };
};

export function newRequestRecord(
  kind: ProxyRequestKind,
  module: string | null,
  version: string | null,
): RequestRecord {
  return { kind, module, version, source: 'none' };
}

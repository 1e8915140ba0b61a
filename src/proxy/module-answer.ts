// What the module pipeline answers, without HTTP: the server alone turns it into a status
// line and headers. A cold blob may instead go to the client while it arrives, through the
// ClientStream the server hands in (then the answer says it was streamed), at the client's own
// pace from the spool file (spool-stream.ts), never holding the fetch.

import type { OpenFile } from './reply.ts';

export type CachePolicy = 'immutable' | 'short-lived' | 'no-store';

export type ModuleAnswer =
  | {
      type: 'content';
      contentType: string;
      body: Buffer | OpenFile;
      cache: CachePolicy;
      /** Served but not in the store (the client should not assume it is kept). */
      notStored?: boolean;
      /** A stored answer given because the upstream failed. */
      stale?: boolean;
    }
  /** Already written whole to the ClientStream, or aborted there. */
  | { type: 'streamed' }
  | { type: 'denied'; text: string }
  | { type: 'not-found'; message: string }
  | { type: 'upstream-failed'; message: string };

/** A client answer that is written while the upstream body arrives. */
export type ClientStream = {
  /** Starts a successful answer of exactly `size` bytes. */
  start(
    size: number,
    contentType: string,
    source: 'upstream' | 'direct',
    cache: CachePolicy,
    notStored: boolean,
  ): void;
  /** Resolves when the socket took the chunk (or the client is gone: the fill goes on regardless). */
  write(chunk: Buffer): Promise<void>;
  /** Writes the last bytes and ends the answer. */
  end(last: Buffer | null): Promise<void>;
  /** The answer must not complete: drop the connection before its last byte. */
  abort(): void;
  /** Bytes handed to the socket so far. */
  readonly sent: number;
  /** The client went away (or was dropped): nothing more is written. */
  readonly gone: boolean;
};

// The HTTP server: parse and validate the path -> policy -> store -> upstream -> serve, with
// statistics and the audit log for every request, and the token-protected admin endpoint.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constantTimeEqual } from '../constant-time-equal.ts';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { createServer } from '../net/node-http.ts';
import { secureRandomBytes } from '../secure-random.ts';
import { type BlobStore, usedKey } from '../store/blob-store.ts';
import { type AuditEntry, AuditLog } from './audit-log.ts';
import { isLoopbackAddress, isLoopbackHostHeader } from './loopback-host.ts';
import type { CachePolicy, ClientStream, ModuleAnswer } from './module-answer.ts';
import type { ModuleService } from './module-service.ts';
import { pipelinedTooDeep } from './pipeline-limit.ts';
import type { ProxyStats, RequestOutcome } from './proxy-stats.ts';
import { immutableCache, type OpenFile, type Reply, shortLivedCache, textReply } from './reply.ts';
import { BadRequestError, parseRequestPath } from './request-path.ts';
import { newRequestRecord, type RequestRecord } from './request-record.ts';
import { sendFile } from './send-file.ts';
import { h1Header, type ServedZipHashes, wantHeader } from './served-zip-hash.ts';
import type { SumdbPassthrough } from './sumdb-passthrough.ts';

export type ProxyServerParts = {
  store: BlobStore;
  /** What the server calls (create-proxy.ts may load the service itself after listening). */
  modules: Pick<ModuleService, 'handle' | 'settle' | 'close'>;
  sumdb: Pick<SumdbPassthrough, 'handle'>;
  stats: ProxyStats;
  /** Answers HEAD .zip requests that ask for it with the zip's h1 (served-zip-hash.ts). */
  zipHashes?: ServedZipHashes;
  auditLogFile?: string | null;
  adminToken?: string | null;
  /**
   * When set, module and checksum-database requests are answered only under `/<clientToken>/`
   * (GOPROXY `<url>/<clientToken>`); others get 403. Admin calls keep their own bearer token.
   */
  clientToken?: string | null;
  /** Called by POST /_admin/shutdown (the serve command exits the process). */
  onShutdownRequest?: () => void;
  /**
   * How long a client may take nothing of an answer's body before it is dropped (default 30 s,
   * the upstream's own silence timeout): a cold zip's fetch is shared with every other client
   * of that blob, and a stored blob's answer holds its chunks and socket.
   */
  slowClientMs?: number;
  /**
   * No policy is loaded, so a stored .zip's answer depends on its path alone: repeated hits
   * may then take the store-hit fast path (see #storeHits). Default false.
   */
  policyFree?: boolean;
};

/**
 * A raw request URL already answered from the store as a .zip: what parsing it gave (a pure
 * function of the URL) and where the blob sits, so a repeated hit skips the parse, the path
 * escaping and the pipeline. The record is the one every such answer gets.
 */
type StoreHit = {
  module: string;
  version: string;
  path: string;
  record: RequestRecord;
  /** The store's `module@version` key for markUsed, built once (not per hit). */
  usedKey: string;
  /** The answer's headers as writeHead's flat array, built once for a blob of `headersSize` bytes. */
  headers: string[];
  headersSize: number;
};

/** How many raw URLs the fast path remembers (a graph has hundreds of zips; each entry is small). */
const maxStoreHits = 4096;

/**
 * The fast path's key for a request URL: its path, without the query (the full path ignores
 * it too, and the go command sends none), `%21` read as the `!` it stands for (the go command
 * percent-encodes it; other clients do not). Only the canonical path of a zip is remembered
 * (see #rememberStoreHit), so `?x=1`, `?x=2`... or `%65xample.com` cannot churn the map.
 */
function storeHitKey(rawUrl: string): string {
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  return path.includes('%21') ? path.replaceAll('%21', '!') : path;
}

export class ProxyServer {
  readonly #parts: ProxyServerParts;
  readonly #server: Server;
  readonly #audit: AuditLog | null;
  readonly #storeHits = new Map<string, StoreHit>();
  readonly token: string;
  /** `/<client token>/`, or null when any local client may ask. */
  readonly #clientPrefix: Buffer | null;
  #url = '';
  /** Listening on a loopback address: requests must name a loopback host (loopback-host.ts). */
  #loopbackOnly = false;
  /** The last Host header found to be a loopback one: a client sends the same on every request. */
  #loopbackHost: string | undefined = '';

  constructor(parts: ProxyServerParts) {
    this.#parts = parts;
    this.token = parts.adminToken || secureRandomBytes(24).toString('hex');
    this.#clientPrefix = parts.clientToken ? Buffer.from(`/${parts.clientToken}/`) : null;
    this.#audit = parts.auditLogFile ? new AuditLog(parts.auditLogFile) : null;
    this.#server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      if (pipelinedTooDeep(req, res)) {
        req.socket.destroy();
        return;
      }
      if (this.#loopbackOnly && !this.#isLoopbackHost(req.headers.host)) {
        const text = `goproxy-action: this proxy listens on a loopback address and answers only requests to a loopback host (not "${req.headers.host}")`;
        writeReply(res, textReply(403, text), req.method === 'HEAD').catch(() => {});
        return;
      }
      if (this.#clientPrefix && !this.#takeClientPrefix(req)) {
        const text =
          'goproxy-action: this proxy answers only its own job: GOPROXY must be the URL with its client path (the "goproxy" of the ready file, or the GOPROXY that start printed)';
        writeReply(res, textReply(403, text), req.method === 'HEAD').catch(() => {});
        return;
      }
      const hit = this.#storeHits.size > 0 ? this.#storeHits.get(storeHitKey(req.url ?? '')) : undefined;
      const work =
        hit && (req.method === 'GET' || (req.method === 'HEAD' && req.headers[wantHeader] === undefined))
          ? this.#storeHit(hit, req, res)
          : null; // a HEAD asking for the zip's h1 takes the full path, which adds it
      (work ?? this.#handle(req, res)).catch((err) => {
        if (!res.headersSent) {
          writeReply(
            res,
            textReply(500, `goproxy-action: internal error: ${(err as Error).message}`),
            false,
          ).catch(() => {});
        } else {
          res.destroy();
        }
      });
    });
  }

  #isLoopbackHost(host: string | undefined): boolean {
    if (host === this.#loopbackHost) return true;
    if (!isLoopbackHostHeader(host)) return false;
    this.#loopbackHost = host;
    return true;
  }

  get url(): string {
    return this.#url;
  }

  /** What GOPROXY names: the URL, under the client path when there is a client token. */
  get goproxyUrl(): string {
    return this.#clientPrefix ? `${this.#url}${this.#clientPrefix.toString().slice(0, -1)}` : this.#url;
  }

  /**
   * True when the request may be answered: under the client path (then cut from req.url, so
   * everything after sees the path the go command meant), or an admin call (own bearer token).
   * Compared in constant time (without node:crypto): the prefix is the secret.
   */
  #takeClientPrefix(req: IncomingMessage): boolean {
    const prefix = this.#clientPrefix!;
    const url = req.url ?? '';
    const given = Buffer.from(url.slice(0, prefix.length));
    const wanted =
      given.length === prefix.length
        ? constantTimeEqual(given, prefix)
        : url.length === prefix.length - 1 && constantTimeEqual(Buffer.from(`${url}/`), prefix);
    if (wanted) {
      req.url = url.length < prefix.length ? '/' : url.slice(prefix.length - 1);
      return true;
    }
    return url === '/_admin' || url.startsWith('/_admin/');
  }

  get adminUrl(): string {
    return `${this.#url}/_admin`;
  }

  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    this.#loopbackOnly = isLoopbackAddress(host);
    const address = this.#server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.#url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : shownHost}:${address.port}`;
    return this.#url;
  }

  /**
   * Stop accepting, let what is in flight finish (blob writes included) for up to `graceMs`,
   * then abort it whatever the upstream does, and close the log.
   */
  async close(graceMs = 10_000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // A client too slow to take a streamed answer must not hold the shutdown either.
    const hard = setTimeout(() => this.#server.closeAllConnections(), graceMs + 1_000);
    await this.#parts.modules.close(graceMs);
    // Keep-alive sockets would hold the server open; requests still being answered get a moment.
    this.#server.closeIdleConnections();
    const timer = setTimeout(() => this.#server.closeAllConnections(), 2_000);
    await closed;
    clearTimeout(timer);
    clearTimeout(hard);
    await this.#audit?.close();
    this.#parts.store.closeOpenBlobs();
  }

  /**
   * A repeated .zip hit: the same answer #handle gives (same status, headers, bytes, statistics
   * and audit line), without parsing the URL again or going through the pipeline. Only when
   * the file is still held open and linked; otherwise null and #handle answers (and decides)
   * from scratch, as for any request.
   */
  #storeHit(hit: StoreHit, req: IncomingMessage, res: ServerResponse): Promise<void> | null {
    const started = performance.now();
    const file = this.#parts.store.openZipIfOpen(hit.path);
    if (!file) return null;
    this.#parts.store.markUsedKey(hit.usedKey);
    return this.#sendStoreHit(hit, file, req.method === 'HEAD', res, started);
  }

  async #sendStoreHit(
    hit: StoreHit,
    file: OpenFile,
    headOnly: boolean,
    res: ServerResponse,
    started: number,
  ): Promise<void> {
    try {
      if (hit.headersSize !== file.size) {
        // The headers writeReply gives a stored .zip, in the same order (flat: writeHead's
        // cheapest form, and no object to build per answer).
        hit.headers = [
          'content-type',
          zipContentType,
          'content-length',
          String(file.size),
          sourceHeader,
          'store',
          'cache-control',
          immutableCache,
        ];
        hit.headersSize = file.size;
      }
      res.writeHead(200, hit.headers);
      if (headOnly) res.end();
      else await sendFile(res, file, this.#parts.slowClientMs ?? 30_000);
    } finally {
      await file.close();
    }
    this.#record(hit.record, 200, headOnly ? 0 : file.size, started);
  }

  /** Remembers a raw URL #handle answered from the store as a .zip (see #storeHit). */
  #rememberStoreHit(rawUrl: string, module: string, version: string): void {
    const key = storeHitKey(rawUrl);
    // One key per stored zip at most: any other spelling of its path takes the full path.
    if (key !== `/${escapePath(module)}/@v/${escapeVersion(version)}.zip`) return;
    if (this.#storeHits.has(key)) return;
    if (this.#storeHits.size >= maxStoreHits) {
      const oldest = this.#storeHits.keys().next().value;
      if (oldest !== undefined) this.#storeHits.delete(oldest);
    }
    this.#storeHits.set(key, {
      module,
      version,
      path: this.#parts.store.filePath(module, version, 'zip'),
      record: { ...newRequestRecord('zip', module, version), source: 'store' },
      usedKey: usedKey(module, version),
      headers: [],
      headersSize: -1,
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let parsed: ReturnType<typeof parseRequestPath>;
    try {
      parsed = parseRequestPath(req.url ?? '/');
    } catch (err) {
      const status = err instanceof BadRequestError ? err.status : 400;
      await writeReply(
        res,
        textReply(status, `goproxy-action: ${(err as Error).message}`),
        req.method === 'HEAD',
      );
      return;
    }
    if (parsed.type === 'admin') {
      await this.#admin(parsed.action, req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      await writeReply(res, textReply(405, 'goproxy-action: the module proxy protocol is GET only'), false);
      return;
    }
    if (parsed.type === 'root') {
      await writeReply(
        res,
        textReply(200, 'goproxy-action module proxy: set GOPROXY to this URL'),
        req.method === 'HEAD',
      );
      return;
    }
    let record: RequestRecord;
    let reply: Reply | null;
    let bytes: number;
    if (parsed.type === 'sumdb') {
      const answer = await this.#parts.sumdb.handle(parsed.name, parsed.subpath);
      record = {
        ...newRequestRecord('sumdb', null, null),
        source: answer.source,
        ...(answer.upstreamBytes !== undefined ? { upstreamBytes: answer.upstreamBytes } : {}),
      };
      reply = answer;
    } else {
      record = newRequestRecord(parsed.kind, parsed.module, parsed.version);
      const client =
        req.method === 'GET' && parsed.kind === 'zip'
          ? clientStream(res, this.#parts.slowClientMs ?? 30_000)
          : null;
      const answer = await this.#parts.modules.handle(
        { kind: parsed.kind, module: parsed.module, version: parsed.version },
        record,
        client,
      );
      reply = answer.type === 'streamed' ? null : replyFor(answer, record);
      if (reply === null) {
        // Streamed while it arrived: complete, or aborted before its last byte.
        bytes = client!.sent;
        this.#record(record, client!.completed ? 200 : 502, bytes, started);
        return;
      }
      if (req.method === 'HEAD' && parsed.kind === 'zip') await this.#addZipHash(req, reply, parsed);
    }
    bytes = await writeReply(res, reply, req.method === 'HEAD', this.#parts.slowClientMs ?? 30_000);
    this.#record(record, reply.status, bytes, started);
    if (
      this.#parts.policyFree &&
      record.kind === 'zip' &&
      record.source === 'store' &&
      reply.status === 200 &&
      isPlainStoreHit(record)
    ) {
      this.#rememberStoreHit(req.url ?? '', record.module!, record.version!);
    }
  }

  /**
   * The h1 of the zip a HEAD answer stands for, when the client asks (`X-Goproxy-Action-Want: h1`):
   * it can then check the zip against go.sum without downloading it. Left out when it cannot be
   * said for the very bytes a GET would send (see served-zip-hash.ts).
   */
  async #addZipHash(
    req: IncomingMessage,
    reply: Reply,
    target: { module: string; version: string | null },
  ): Promise<void> {
    const zipHashes = this.#parts.zipHashes;
    const asked = String(req.headers[wantHeader] ?? '')
      .split(',')
      .some((w) => w.trim().toLowerCase() === 'h1');
    if (!zipHashes || !asked || reply.status !== 200 || Buffer.isBuffer(reply.body) || !target.version)
      return;
    const path = this.#parts.store.filePath(target.module, target.version, 'zip');
    const h1 = await zipHashes.hashOf(reply.body, path, target.module, target.version);
    if (h1) reply.headers = { ...reply.headers, [h1Header]: h1 };
  }

  /** Statistics and the audit log, both from the request's record. */
  #record(record: RequestRecord, status: number, bytes: number, started: number): void {
    const durationMs = performance.now() - started;
    const { kind, module, version, source } = record;
    // Built field by field (no spreads): this runs for every request, hits included.
    const outcome: RequestOutcome = { kind, module, version, status, source, bytes, durationMs };
    if (record.upstreamBytes !== undefined) outcome.upstreamBytes = record.upstreamBytes;
    if (record.stale) outcome.stale = true;
    if (record.notStored === 'unverified') outcome.unverified = true;
    if (record.notStored === 'store-failed') outcome.notStored = true;
    if (record.denial) outcome.denial = record.denial;
    this.#parts.stats.record(outcome);
    if (!this.#audit) return;
    // The keys in this order: the audit log's lines stay byte for byte what they were.
    const entry: AuditEntry & { stored?: false; storeError?: string } = {
      time: new Date().toISOString(),
      module,
      version,
      kind,
      source,
      status,
      bytes,
      durationMs: Math.round(durationMs * 100) / 100,
    };
    if (record.verification) entry.verification = record.verification;
    if (record.notStored) entry.stored = false;
    if (record.storeError) entry.storeError = record.storeError;
    if (record.denial) entry.decision = { action: 'deny', ...record.denial };
    this.#audit.write(entry);
  }

  async #admin(action: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (action === 'healthz') {
      await writeReply(res, textReply(200, 'ok'), false);
      return;
    }
    if (!this.#authorized(req.headers.authorization)) {
      await writeReply(
        res,
        // Worded without a header-shaped "Authorization: Bearer X", which log redaction masks.
        textReply(
          401,
          "goproxy-action admin: the admin token is missing or wrong; send the ready file's token field as a bearer token in the Authorization header",
        ),
        false,
      );
      return;
    }
    const json = (value: unknown): Reply => ({
      status: 200,
      contentType: 'application/json',
      body: Buffer.from(`${JSON.stringify(value)}\n`),
      headers: { 'cache-control': 'no-store' },
      source: 'none',
    });
    const { store, modules, stats } = this.#parts;
    if (action === 'stats' && req.method === 'GET') {
      const snapshot = stats.snapshot();
      snapshot.store = { ...snapshot.store, ...(await store.summary()) };
      await writeReply(res, json(snapshot), false);
    } else if (action === 'metrics' && req.method === 'GET') {
      const snapshot = stats.snapshot();
      snapshot.store = { ...snapshot.store, ...(await store.summary()) };
      const om = /application\/openmetrics-text/.test(req.headers.accept ?? '');
      const { renderMetrics, openMetricsContentType, prometheusContentType } = await import(
        './metrics-text.ts'
      );
      await writeReply(
        res,
        {
          ...json(null),
          contentType: om ? openMetricsContentType : prometheusContentType,
          body: Buffer.from(renderMetrics(snapshot, om)),
        },
        false,
      );
    } else if (action === 'flush' && req.method === 'POST') {
      await modules.settle();
      await writeReply(res, json({ flushed: true }), false);
    } else if (action === 'prune' && req.method === 'POST') {
      await modules.settle();
      await writeReply(res, json(await store.prune()), false);
    } else if (action === 'shutdown' && req.method === 'POST') {
      await writeReply(res, json({ shuttingDown: true }), false);
      this.#parts.onShutdownRequest?.();
    } else {
      await writeReply(
        res,
        textReply(404, `goproxy-action admin: unknown action "${req.method} ${action}"`),
        false,
      );
    }
  }

  #authorized(header: string | undefined): boolean {
    const match = /^Bearer (.+)$/.exec(header ?? '');
    if (!match) return false;
    const given = Buffer.from(match[1]!);
    const want = Buffer.from(this.token);
    return given.length === want.length && constantTimeEqual(given, want);
  }
}

const zipContentType = 'application/zip';

/** A store hit with nothing else to say (no stale answer, no verification, no denial). */
function isPlainStoreHit(record: RequestRecord): boolean {
  return (
    record.upstreamBytes === undefined &&
    !record.stale &&
    record.verification === undefined &&
    record.notStored === undefined &&
    record.storeError === undefined &&
    record.denial === undefined
  );
}

/** Names where each successful answer came from (`store`, `upstream`, `direct`), for tools such as prewarm. */
const sourceHeader = 'x-goproxy-source';

const cacheControl: Record<CachePolicy, string> = {
  immutable: immutableCache,
  'short-lived': shortLivedCache,
  'no-store': 'no-store',
};

/** The HTTP form of a module answer: the one place a status is chosen for it. */
function replyFor(answer: Exclude<ModuleAnswer, { type: 'streamed' }>, record: RequestRecord): Reply {
  switch (answer.type) {
    case 'content': {
      const headers: Record<string, string> = { 'cache-control': cacheControl[answer.cache] };
      if (answer.notStored) headers['x-goproxy-action-stored'] = 'false';
      if (answer.stale) headers['x-goproxy-action-stale'] = 'true; upstream failed';
      return {
        status: 200,
        contentType: answer.contentType,
        body: answer.body,
        headers,
        source: record.source,
      };
    }
    case 'denied':
      return textReply(403, answer.text);
    case 'not-found':
      return textReply(404, `not found: ${answer.message}`);
    case 'upstream-failed':
      return textReply(502, `goproxy-action: upstream failed: ${answer.message}`);
  }
}

/**
 * A 200 answer written while the upstream body arrives; `abort` drops the connection before its
 * end. The fetch behind it is shared by every client of the blob, so a client that takes nothing
 * for `slowClientMs` is dropped rather than allowed to hold the fetch (and them) forever.
 */
function clientStream(
  res: ServerResponse,
  slowClientMs: number,
): ClientStream & { readonly completed: boolean } {
  let sent = 0;
  let completed = false;
  const gone = () => res.destroyed || res.writableEnded;
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      const timer = setTimeout(() => {
        res.destroy();
        done();
      }, slowClientMs);
      res.on('drain', done);
      res.on('close', done);
    });
  return {
    get sent() {
      return sent;
    },
    get completed() {
      return completed;
    },
    get gone() {
      return gone();
    },
    start(size, contentType, source, cache, notStored) {
      res.writeHead(200, {
        'content-type': contentType,
        'content-length': String(size),
        'cache-control': cacheControl[cache],
        [sourceHeader]: source,
        ...(notStored ? { 'x-goproxy-action-stored': 'false' } : {}),
      });
    },
    async write(chunk) {
      if (gone()) return;
      sent += chunk.length;
      if (!res.write(chunk)) await drained();
    },
    async end(last) {
      if (gone()) return;
      if (last) sent += last.length;
      completed = true;
      // Not awaited: the fetch (and whoever waits on it) need not wait for a slow client.
      res.end(last ?? undefined);
    },
    abort() {
      res.destroy();
    },
  };
}

/**
 * Writes a reply; returns the body bytes sent. An open file in it is closed in any case, and
 * sent to a client that may take nothing for at most `stallMs` (sendFile).
 */
async function writeReply(
  res: ServerResponse,
  reply: Reply,
  headOnly: boolean,
  stallMs?: number,
): Promise<number> {
  const file = Buffer.isBuffer(reply.body) ? null : reply.body;
  try {
    const size = file ? file.size : (reply.body as Buffer).length;
    res.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': String(size),
      ...(reply.status === 200 && reply.source !== 'none' ? { [sourceHeader]: reply.source } : {}),
      ...reply.headers,
    });
    if (headOnly) {
      res.end();
      return 0;
    }
    if (!file) {
      res.end(reply.body);
      return size;
    }
    await sendFile(res, file, stallMs);
    return size;
  } finally {
    await file?.close().catch(() => {});
  }
}

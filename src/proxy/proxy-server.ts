// The HTTP server: parse and validate the path -> policy -> store -> upstream -> serve, with
// statistics and the audit log for every request, and the token-protected admin endpoint.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BlobStore } from '../store/blob-store.ts';
import { AuditLog } from './audit-log.ts';
import type { ModuleService } from './module-service.ts';
import { OpenBlobCache } from './open-blob-cache.ts';
import type { ProxyStats, RequestKind } from './proxy-stats.ts';
import { type Reply, textReply } from './reply.ts';
import { BadRequestError, parseRequestPath } from './request-path.ts';
import { sendFile } from './send-file.ts';
import type { SumdbPassthrough } from './sumdb-passthrough.ts';

export type ProxyServerParts = {
  store: BlobStore;
  modules: ModuleService;
  sumdb: SumdbPassthrough;
  stats: ProxyStats;
  auditLogFile?: string | null;
  adminToken?: string | null;
  /** Called by POST /_admin/shutdown (the serve command exits the process). */
  onShutdownRequest?: () => void;
};

export class ProxyServer {
  readonly #parts: ProxyServerParts;
  readonly #server: Server;
  readonly #audit: AuditLog | null;
  readonly token: string;
  /** Open descriptors of stored blobs that hits are read from (cleared by prune). */
  readonly #blobs = new OpenBlobCache();
  #url = '';

  constructor(parts: ProxyServerParts) {
    this.#parts = parts;
    this.token = parts.adminToken || randomBytes(24).toString('hex');
    this.#audit = parts.auditLogFile ? new AuditLog(parts.auditLogFile) : null;
    this.#server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      this.#handle(req, res).catch((err) => {
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

  get url(): string {
    return this.#url;
  }

  get adminUrl(): string {
    return `${this.#url}/_admin`;
  }

  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    const address = this.#server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.#url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : shownHost}:${address.port}`;
    return this.#url;
  }

  /** Stop accepting, finish what is in flight (blob writes included), close the log. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await this.#parts.modules.close();
    // Keep-alive sockets would hold the server open; requests still being answered get a moment.
    this.#server.closeIdleConnections();
    const timer = setTimeout(() => this.#server.closeAllConnections(), 2_000);
    await closed;
    clearTimeout(timer);
    await this.#audit?.close();
    this.#blobs.clear();
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
    let reply: Reply;
    let kind: RequestKind;
    let module: string | null = null;
    let version: string | null = null;
    if (parsed.type === 'sumdb') {
      kind = 'sumdb';
      reply = await this.#parts.sumdb.handle(parsed.name, parsed.subpath);
    } else {
      kind = parsed.kind;
      module = parsed.module;
      version = parsed.version;
      reply = await this.#parts.modules.handle(parsed.kind, parsed.module, parsed.version);
    }
    const bytes = await writeReply(res, reply, req.method === 'HEAD', this.#blobs);
    const durationMs = performance.now() - started;
    this.#parts.stats.record({
      kind,
      module,
      version,
      status: reply.status,
      source: reply.source,
      bytes,
      durationMs,
      ...(reply.upstreamBytes !== undefined ? { upstreamBytes: reply.upstreamBytes } : {}),
      ...(reply.stale ? { stale: true } : {}),
      ...(reply.unverified ? { unverified: true } : {}),
      ...(reply.notStored ? { notStored: true } : {}),
      ...(reply.denial ? { denial: reply.denial } : {}),
    });
    this.#audit?.write({
      time: new Date().toISOString(),
      module,
      version,
      kind,
      source: reply.source,
      status: reply.status,
      bytes,
      durationMs: Math.round(durationMs * 100) / 100,
      ...(reply.verification ? { verification: reply.verification } : {}),
      ...(reply.denial ? { decision: { action: 'deny', ...reply.denial } } : {}),
    });
  }

  async #admin(action: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (action === 'healthz') {
      await writeReply(res, textReply(200, 'ok'), false);
      return;
    }
    if (!this.#authorized(req.headers.authorization)) {
      await writeReply(
        res,
        textReply(401, 'goproxy-action admin: send Authorization: Bearer <token from the ready file>'),
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
    } else if (action === 'flush' && req.method === 'POST') {
      await modules.settle();
      await writeReply(res, json({ flushed: true }), false);
    } else if (action === 'prune' && req.method === 'POST') {
      await modules.settle();
      const pruned = await store.prune();
      this.#blobs.clear();
      await writeReply(res, json(pruned), false);
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
    return given.length === want.length && timingSafeEqual(given, want);
  }
}

/** Writes a reply; returns the body bytes sent. */
async function writeReply(
  res: ServerResponse,
  reply: Reply,
  headOnly: boolean,
  blobs?: OpenBlobCache,
): Promise<number> {
  const size = Buffer.isBuffer(reply.body) ? reply.body.length : reply.body.size;
  res.writeHead(reply.status, {
    'content-type': reply.contentType,
    'content-length': String(size),
    ...reply.headers,
  });
  if (headOnly) {
    res.end();
    return 0;
  }
  if (Buffer.isBuffer(reply.body)) {
    res.end(reply.body);
    return size;
  }
  await sendFile(res, reply.body.file, size, reply.body.immutable ? blobs : undefined);
  return size;
}

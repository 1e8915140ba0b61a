// A fixture upstream: serves the GOPROXY protocol over HTTP from a directory in the download
// layout (see fixture-modules.ts), logs every request, counts concurrency, and injects faults
// on demand, so tests can watch exactly what a proxy under test asks its upstream for.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve, sep } from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { escapePath } from '../../src/gomod/module-path.ts';
import { compareVersions, isPrerelease, isValidVersion } from '../../src/gomod/version.ts';

export type Fault =
  /** Answer with this status and a text/plain body instead of the real answer. */
  | { kind: 'status'; status: 500 | 502 | 503 | 429 | 403 | 404 | 410; body?: string; retryAfter?: string }
  /** Wait, then answer normally (for client timeouts and concurrency). */
  | { kind: 'delay'; ms: number }
  /** Send the headers and half the body, then reset the connection (TCP RST). */
  | { kind: 'reset' }
  /** Declare the full Content-Length, send only `bytes` of the body (always fewer than all), then close the connection. */
  | { kind: 'truncate'; bytes: number }
  /**
   * Change the body so its hash no longer matches: a .zip is rebuilt as a valid zip with one
   * file's content changed, a .mod gets a comment line appended, anything else has its last
   * byte flipped. `raw: true` flips a byte in the middle of any body (a zip then breaks).
   */
  | { kind: 'corrupt'; raw?: boolean }
  /** Declare the full Content-Length, then send one byte every `intervalMs` (never faster, never done in a test's time). */
  | { kind: 'trickle'; intervalMs: number }
  /** Declare the full Content-Length, send the first half of the body, then nothing more (the connection stays open). */
  | { kind: 'stall' }
  /** Answer 200 with as many random bytes as the real body has. */
  | { kind: 'garbage' }
  /** Apply `fault` to the first matching request only, then answer normally. */
  | { kind: 'once'; fault: Fault };

export type SumdbHandler = {
  name: string;
  handle(subpath: string): Promise<{ status: number; body: Uint8Array; contentType: string }>;
};

export type LoggedRequest = {
  method: string;
  /** The decoded URL path, e.g. `/example.com/!upper/!lib/@v/v1.0.0.zip`. */
  path: string;
  /** The request target exactly as received (before any decoding or dot-segment removal). */
  rawUrl: string;
  /** The status sent (0 if the connection was dropped before a status line). */
  status: number;
  /** Body bytes actually written to the socket. */
  bytes: number;
  /** The kind of fault applied to this request, if any. */
  fault?: Fault['kind'];
};

export type FixtureProxy = {
  url: string;
  /** Every request, in arrival order; entries are completed as responses finish. */
  requests: LoggedRequest[];
  /** Requests whose path contains the substring, or its case-encoded form (`Upper` -> `!upper`). */
  requestsFor(modulePathSubstring: string): LoggedRequest[];
  /** Clears the request log and the concurrency high-water mark. */
  resetLog(): void;
  /** Matcher gets the decoded URL path. A null fault removes the faults set with this matcher. Newest fault wins. */
  setFault(matcher: (path: string) => boolean, fault: Fault | null): void;
  clearFaults(): void;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /** Most requests in flight at once since start or the last resetLog(). */
  readonly maxConcurrent: number;
  close(): Promise<void>;
};

type Answer = { status: number; body: Uint8Array; contentType: string; headers?: Record<string, string> };

const textPlain = 'text/plain; charset=utf-8';

function text(status: number, message: string): Answer {
  return { status, body: Buffer.from(`${message}\n`), contentType: textPlain };
}

export async function startFixtureProxy(options: {
  dir: string;
  sumdb?: SumdbHandler;
}): Promise<FixtureProxy> {
  const root = resolve(options.dir);
  const requests: LoggedRequest[] = [];
  let faults: { matcher: (path: string) => boolean; fault: Fault; used: boolean }[] = [];
  let inFlight = 0;
  let maxConcurrent = 0;

  // The newest matching fault; a spent `once` lets older faults apply again.
  function takeFault(path: string): Fault | null {
    for (let i = faults.length - 1; i >= 0; i--) {
      const entry = faults[i] as (typeof faults)[number];
      if (!entry.matcher(path)) continue;
      if (entry.fault.kind !== 'once') return entry.fault;
      if (entry.used) continue;
      entry.used = true;
      let inner: Fault = entry.fault.fault;
      while (inner.kind === 'once') inner = inner.fault;
      return inner;
    }
    return null;
  }

  async function answer(path: string): Promise<Answer> {
    const sumdb = /^\/sumdb\/([^/]+)\/(.+)$/.exec(path);
    if (sumdb) {
      if (!options.sumdb || sumdb[1] !== options.sumdb.name)
        return text(404, `no checksum database ${sumdb[1]} here`);
      return await options.sumdb.handle(sumdb[2] as string);
    }
    const file = resolve(root, `.${path}`);
    if (file === root) return text(404, 'not a GOPROXY path: /');
    if (!file.startsWith(root + sep) || path.split('/').includes('..')) return text(400, `bad path ${path}`);
    const latest = /^\/(.+)\/@latest$/.exec(path);
    if (latest) return await latestAnswer(resolve(root, latest[1] as string, '@v'));
    const blob = /\/@v\/(list|.+\.(info|mod|zip))$/.exec(path);
    if (!blob) return text(404, `not a GOPROXY path: ${path}`);
    const body = await readOrNull(file);
    if (!body) return text(404, `not found: ${path.slice(1)}`);
    const kind = blob[2] ?? 'list';
    const contentType = kind === 'zip' ? 'application/zip' : kind === 'info' ? 'application/json' : textPlain;
    return { status: 200, body, contentType };
  }

  async function latestAnswer(vDir: string): Promise<Answer> {
    const list = await readOrNull(resolve(vDir, 'list'));
    const versions = (list?.toString('utf8') ?? '')
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter(isValidVersion);
    const releases = versions.filter((v) => !isPrerelease(v));
    const pool = releases.length > 0 ? releases : versions;
    const best = pool.sort(compareVersions).at(-1);
    if (!best) return text(404, 'no versions listed');
    const info = await readOrNull(resolve(vDir, `${best}.info`));
    return {
      status: 200,
      body: info ?? Buffer.from(`${JSON.stringify({ Version: best })}\n`),
      contentType: 'application/json',
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest): Promise<void> {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://fixture').pathname);
    } catch {
      return send(res, entry, text(400, 'bad URL encoding'));
    }
    entry.path = path;
    if (path.includes('\0') || path.includes('\\')) return send(res, entry, text(400, 'bad path'));
    const fault = takeFault(path);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'delay') {
      await new Promise((done) => setTimeout(done, fault.ms));
      if (res.destroyed) return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      const body = fault.body ?? `fixture proxy fault: status ${fault.status}`;
      return send(res, entry, { ...text(fault.status, body), headers });
    }
    let result = await answer(path);
    if (fault?.kind === 'corrupt' && result.status === 200) {
      result = { ...result, body: await corrupt(path, Buffer.from(result.body), fault.raw === true) };
    }
    if (fault?.kind === 'garbage' && result.status === 200) {
      result = { ...result, body: randomBytes(result.body.byteLength) };
    }
    if (fault?.kind === 'trickle') return sendTrickle(res, entry, result, fault.intervalMs);
    if (fault?.kind === 'stall') {
      writeHead(res, entry, result);
      const half = result.body.subarray(0, Math.floor(result.body.byteLength / 2));
      entry.bytes = half.byteLength;
      res.write(half);
      return;
    }
    if (fault?.kind === 'reset') return sendThenReset(res, entry, result);
    if (fault?.kind === 'truncate') return sendTruncated(res, entry, result, fault.bytes);
    if (req.method === 'HEAD') {
      writeHead(res, entry, result);
      res.end();
      return;
    }
    return send(res, entry, result);
  }

  const server = createServer((req, res) => {
    const rawUrl = req.url ?? '';
    const entry: LoggedRequest = { method: req.method ?? '', path: rawUrl, rawUrl, status: 0, bytes: 0 };
    requests.push(entry);
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    res.on('close', () => {
      inFlight--;
    });
    handle(req, res, entry).catch((error: unknown) => {
      if (!res.headersSent) send(res, entry, text(500, `fixture proxy error: ${String(error)}`));
      else res.destroy();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    requestsFor(modulePathSubstring) {
      let escaped = modulePathSubstring;
      try {
        escaped = escapePath(modulePathSubstring);
      } catch {
        // Not a whole module path: match it as given.
      }
      return requests.filter((r) => r.path.includes(modulePathSubstring) || r.path.includes(escaped));
    },
    resetLog() {
      requests.length = 0;
      maxConcurrent = inFlight;
    },
    setFault(matcher, fault) {
      faults = faults.filter((f) => f.matcher !== matcher);
      if (fault) faults.push({ matcher, fault, used: false });
    },
    clearFaults() {
      faults = [];
    },
    get inFlight() {
      return inFlight;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function writeHead(res: ServerResponse, entry: LoggedRequest, answer: Answer): void {
  entry.status = answer.status;
  res.writeHead(answer.status, {
    'content-type': answer.contentType,
    'content-length': String(answer.body.byteLength),
    ...answer.headers,
  });
}

function send(res: ServerResponse, entry: LoggedRequest, answer: Answer): void {
  writeHead(res, entry, answer);
  entry.bytes = answer.body.byteLength;
  res.end(answer.body);
}

function sendThenReset(res: ServerResponse, entry: LoggedRequest, answer: Answer): void {
  const part = answer.body.subarray(0, Math.floor(answer.body.byteLength / 2));
  writeHead(res, entry, answer);
  res.flushHeaders();
  entry.bytes = part.byteLength;
  res.write(part, () => (res.socket as Socket | null)?.resetAndDestroy());
}

function sendTrickle(res: ServerResponse, entry: LoggedRequest, answer: Answer, intervalMs: number): void {
  writeHead(res, entry, answer);
  res.flushHeaders();
  let sent = 0;
  const timer = setInterval(() => {
    // Never the last byte: the answer stays incomplete for as long as the client waits.
    if (res.destroyed || sent >= answer.body.byteLength - 1) return;
    res.write(answer.body.subarray(sent, sent + 1));
    sent++;
    entry.bytes = sent;
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
}

function sendTruncated(res: ServerResponse, entry: LoggedRequest, answer: Answer, bytes: number): void {
  const part = answer.body.subarray(0, Math.max(0, Math.min(bytes, answer.body.byteLength - 1)));
  writeHead(res, entry, answer);
  res.flushHeaders();
  entry.bytes = part.byteLength;
  // Ending the socket (not the response) sends what was written, then FIN: a short body.
  res.write(part, () => (res.socket as Socket | null)?.end());
}

async function corrupt(path: string, body: Buffer, raw: boolean): Promise<Buffer> {
  if (!raw && path.endsWith('.zip')) {
    const rebuilt = await rezipWithOneFileChanged(body).catch(() => null);
    if (rebuilt) return rebuilt;
  }
  if (!raw && path.endsWith('.mod'))
    return Buffer.concat([body, Buffer.from('// corrupted by the fixture proxy\n')]);
  const copy = Buffer.from(body);
  if (copy.length === 0) return Buffer.from('corrupted by the fixture proxy\n');
  const at = raw ? Math.floor(copy.length / 2) : copy.length - 1;
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}

// A valid zip with the same names but one file's content changed: the go command then reports a
// checksum mismatch rather than a broken archive.
async function rezipWithOneFileChanged(body: Buffer): Promise<Buffer> {
  const input = await yauzl.fromBufferPromise(body, { lazyEntries: true });
  const files: { name: string; data: Buffer }[] = [];
  for await (const entry of input.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await input.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    files.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  const victim = files.find((f) => !f.name.endsWith('/go.mod')) ?? files[0];
  if (!victim) throw new Error('empty zip');
  victim.data = Buffer.concat([victim.data, Buffer.from('\n// corrupted by the fixture proxy\n')]);
  const output = new yazl.ZipFile();
  for (const f of files)
    output.addBuffer(f.data, f.name, { mtime: new Date('2024-01-01T00:00:00Z'), mode: 0o644 });
  output.end();
  const chunks: Buffer[] = [];
  for await (const chunk of output.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    throw error;
  }
}

// GETs from one module proxy with a deadline per request, so one slow module is reported and
// never stalls the snapshot. Bodies are size-capped (a hostile proxy cannot fill memory or
// disk); zips stream to a file. Credentials come as the go command takes them (netrc), as one
// Authorization header for the proxy's own host only.
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { maxGoMod, maxZipFile } from '../gomod/module-zip.ts';
import { h1Header, wantHeader } from '../proxy/served-zip-hash.ts';
import { noProfile, type Profiler } from './phase-profile.ts';

export type ProxyAnswer = {
  status: number;
  ms: number;
  bytes: number;
  /** The X-Goproxy-Source header of our own `serve` (store | upstream | direct), when sent. */
  source: string | null;
  body: Buffer | null;
  error?: string;
  /** HEAD: the size the answer's Content-Length gives (nothing transferred). */
  size?: number;
  /** HEAD of a .zip through our in-job `serve`: the h1 it computed for the bytes it serves. */
  h1?: string;
};

export type ProxyClientOptions = {
  /** The proxy's base URL (http or https). */
  url: string;
  timeoutMs: number;
  /** An Authorization header value for the proxy's host (never logged). */
  authorization?: string;
  /** Concurrent connections to the proxy. */
  connections: number;
  /** Times each request by kind (bench/health-snapshot.ts). */
  profile?: Profiler;
};

const maxSmallBody = maxGoMod;

export class ProxyClient {
  readonly base: string;
  readonly #options: ProxyClientOptions;
  #undici: Promise<{ request: typeof import('undici').request; dispatcher: Dispatcher }> | null = null;
  /** Every answer's latency and outcome, for the proxy summary when no statistics endpoint exists. */
  readonly log: {
    kind: string;
    module: string;
    ms: number;
    status: number;
    bytes: number;
    source: string | null;
  }[] = [];

  constructor(options: ProxyClientOptions) {
    const parsed = new URL(options.url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`--proxy ${options.url}: give an http:// or https:// module proxy URL`);
    }
    this.base = options.url.replace(/\/+$/, '');
    this.#options = options;
  }

  #client() {
    this.#undici ??= import('undici').then((loaded) => {
      const u = (
        'Agent' in loaded ? loaded : (loaded as { default: unknown }).default
      ) as typeof import('undici');
      return {
        request: u.request,
        dispatcher: new u.Agent({ connections: this.#options.connections, keepAliveTimeout: 10_000 }),
      };
    });
    return this.#undici;
  }

  /**
   * GET `<base>/<subpath>` (subpath already escaped). With `toFile` the body streams there;
   * otherwise it is returned (up to the go.mod size limit).
   */
  async get(subpath: string, kind: string, module: string, toFile?: string): Promise<ProxyAnswer> {
    const limit = toFile ? maxZipFile : maxSmallBody;
    return this.#timed(`http ${kind}`, kind, module, () => this.#fetch(subpath, limit, toFile));
  }

  /**
   * HEAD `<base>/<subpath>`: whether it answers, and its size, without transferring it; for a
   * .zip of our own `serve`, asked with `X-Goproxy-Action-Want: h1`, the zip's h1 too.
   */
  async head(subpath: string, kind: string, module: string, wantH1: boolean): Promise<ProxyAnswer> {
    // Nothing was transferred: the log (the proxy's byte count without statistics) says 0.
    return this.#timed(`http ${kind} (HEAD)`, kind, module, () => this.#head(subpath, wantH1), 0);
  }

  /** Runs one request under the profile and the client's log; a failure becomes status 0. */
  async #timed(
    label: string,
    kind: string,
    module: string,
    request: () => Promise<ProxyAnswer>,
    loggedBytes?: number,
  ): Promise<ProxyAnswer> {
    const started = performance.now();
    const answer = await (this.#options.profile ?? noProfile).time(label, request).catch(
      (err: unknown): ProxyAnswer => ({
        status: 0,
        ms: 0,
        bytes: 0,
        source: null,
        body: null,
        error: describe(err, this.#options.timeoutMs),
      }),
    );
    answer.ms = Math.round((performance.now() - started) * 100) / 100;
    this.log.push({
      kind,
      module,
      ms: answer.ms,
      status: answer.status,
      bytes: loggedBytes ?? answer.bytes,
      source: answer.source,
    });
    return answer;
  }

  async #head(subpath: string, wantH1: boolean): Promise<ProxyAnswer> {
    const { request, dispatcher } = await this.#client();
    const headers: Record<string, string> = { 'user-agent': 'goproxy-action-health' };
    if (this.#options.authorization) headers.authorization = this.#options.authorization;
    if (wantH1) headers[wantHeader] = 'h1';
    // A cold zip is fetched whole by the proxy before its HEAD answer comes: the same bound as
    // a zip download (ten timeouts), since its headers stand for the whole transfer.
    const deadline = this.#options.timeoutMs * 10;
    const res = await request(`${this.base}/${subpath}`, {
      method: 'HEAD',
      dispatcher,
      signal: AbortSignal.timeout(deadline),
      headers,
      headersTimeout: deadline,
      bodyTimeout: this.#options.timeoutMs,
    });
    await res.body.dump().catch(() => undefined);
    const header = (name: string) => {
      const v = res.headers[name];
      return typeof v === 'string' ? v : null;
    };
    const length = Number(header('content-length') ?? Number.NaN);
    const h1 = header(h1Header);
    return {
      status: res.statusCode,
      ms: 0,
      bytes: 0,
      source: header('x-goproxy-source'),
      body: null,
      ...(res.statusCode !== 200 ? { error: `HTTP ${res.statusCode}` } : {}),
      ...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}),
      // Only a well-formed h1 (SHA-256, base64): anything else is as if none was sent.
      ...(h1 && /^h1:[A-Za-z0-9+/]{43}=$/.test(h1) ? { h1 } : {}),
    };
  }

  async #fetch(subpath: string, limit: number, toFile?: string): Promise<ProxyAnswer> {
    const { request, dispatcher } = await this.#client();
    // The timeout is for silence (no headers, no body bytes for that long); a whole transfer
    // may take longer, since a large zip on a busy link is slow, not stalled. A cap of ten
    // timeouts still bounds any one request, so no module can stall the snapshot.
    const signal = AbortSignal.timeout(this.#options.timeoutMs * (toFile ? 10 : 1));
    const headers: Record<string, string> = { 'user-agent': 'goproxy-action-health' };
    if (this.#options.authorization) headers.authorization = this.#options.authorization;
    const res = await request(`${this.base}/${subpath}`, {
      dispatcher,
      signal,
      headers,
      headersTimeout: this.#options.timeoutMs,
      bodyTimeout: this.#options.timeoutMs,
    });
    const sourceHeader = res.headers['x-goproxy-source'];
    const source = typeof sourceHeader === 'string' ? sourceHeader : null;
    if (res.statusCode !== 200) {
      const text = (await readCapped(res.body, 4096).catch(() => Buffer.alloc(0))).toString('utf8');
      const line = text.split('\n')[0]?.trim().slice(0, 300) ?? '';
      return {
        status: res.statusCode,
        ms: 0,
        bytes: 0,
        source,
        body: null,
        error: `HTTP ${res.statusCode}${line ? `: ${line}` : ''}`,
      };
    }
    if (toFile) {
      let bytes = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          if (bytes > limit) done(new Error(`answer larger than ${limit} bytes`));
          else done(null, chunk);
        },
      });
      await pipeline(res.body, counter, createWriteStream(toFile, { mode: 0o600 }));
      return { status: 200, ms: 0, bytes, source, body: null };
    }
    const body = await readCapped(res.body, limit);
    return { status: 200, ms: 0, bytes: body.length, source, body };
  }
}

async function readCapped(stream: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw new Error(`answer larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return `no complete answer in time (deadline ${timeoutMs} ms of silence, 10x for a zip)`;
  if (/timeout/i.test(e?.code ?? '')) return `no answer within ${timeoutMs} ms`;
  return (e?.message ?? String(err)).split('\n')[0] ?? 'request failed';
}

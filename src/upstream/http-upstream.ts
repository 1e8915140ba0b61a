// Fetches one path from one GOPROXY entry (https, http or file). Transient failures (429,
// 5xx, resets, timeouts before any byte of the body) are retried a little, because a CI job
// that fails on one flaky upstream answer is the thing users run a proxy to avoid.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Dispatcher } from 'undici';
import { redactSecrets, redactUrlUserinfo, secretValuesOfHeaders } from './redact-secrets.ts';
import { trustSystemCertificates } from './trust-system-certificates.ts';
import type { UpstreamCredentials } from './upstream-credentials.ts';
import type { UpstreamResponse } from './upstream-response.ts';

export type HttpUpstreamOptions = {
  /** Time to the response headers, and the longest silence while reading the body. */
  timeoutMs: number;
  /**
   * The whole fetch, retries and body included: an upstream that trickles a byte now and then
   * never trips the silence timeout, so this bounds how long one answer may take.
   */
  deadlineMs: number;
  /** Attempts for one fetch, counting the first. */
  attempts: number;
  /** Sleep before retry n (1-based); Retry-After may lengthen it up to maxBackoffMs. */
  backoffMs: (attempt: number) => number;
  maxBackoffMs: number;
  /** Headers the go command would add for a URL (GOAUTH, netrc, URL userinfo); https only. */
  credentials?: UpstreamCredentials;
};

export const defaultHttpUpstreamOptions: HttpUpstreamOptions = {
  timeoutMs: 30_000,
  deadlineMs: 5 * 60_000,
  attempts: 3,
  backoffMs: (attempt) => 150 * 4 ** (attempt - 1),
  maxBackoffMs: 3_000,
};

const userAgent = 'goproxy-action';

export class HttpUpstream {
  #client: Promise<{ dispatcher: Dispatcher; request: typeof import('undici').request }> | null = null;
  readonly #options: HttpUpstreamOptions;

  constructor(options: Partial<HttpUpstreamOptions> = {}) {
    this.#options = { ...defaultHttpUpstreamOptions, ...options };
  }

  /** undici and the OS certificate store load on the first network fetch: a warm proxy never pays. */
  #getClient() {
    if (!this.#client) trustSystemCertificates();
    this.#client ??= import('undici').then((loaded) => {
      // In the bundle a CommonJS package imported on demand may come as { default: exports }.
      const { Agent, request } = (
        'Agent' in loaded ? loaded : (loaded as { default: unknown }).default
      ) as typeof import('undici');
      return {
        request,
        // Redirects are followed by #follow, which refuses what the go command refuses.
        dispatcher: new Agent({
          connectTimeout: this.#options.timeoutMs,
          headersTimeout: this.#options.timeoutMs,
          bodyTimeout: this.#options.timeoutMs,
          keepAliveTimeout: 10_000,
          connections: 64,
        }),
      };
    });
    return this.#client;
  }

  /**
   * GET `<base>/<subpath>`; subpath is already escaped and validated by the caller. `signal`
   * aborts it (shutdown); the fetch deadline aborts it too, even in the middle of the body.
   */
  async get(base: string, subpath: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    if (base.startsWith('file:')) return getFile(base, subpath);
    // A base that still holds userinfo (e.g. an explicit GOSUMDB URL) has it taken out here:
    // sent as Basic auth over https as the go command does, refused over http, never printed.
    const { url, headers: fromUrl, refusal } = splitUserinfo(`${base}/${subpath}`);
    if (refusal) return { outcome: 'error', status: null, message: refusal, source: redactUrlUserinfo(base) };
    const headers = { ...fromUrl, ...this.#options.credentials?.headersFor(url), 'user-agent': userAgent };
    const abort = new AbortController();
    const seconds = Math.round(this.#options.deadlineMs / 100) / 10;
    const deadline = setTimeout(
      () => abort.abort(new Error(`no complete answer within the fetch deadline of ${seconds}s`)),
      this.#options.deadlineMs,
    );
    deadline.unref();
    const onOuterAbort = () => abort.abort(new Error('the proxy is shutting down'));
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (signal?.aborted) onOuterAbort();
    const release = () => {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onOuterAbort);
    };
    // The deadline ends with the body of a 200; with anything else, here.
    let bodyHolds = false;
    try {
      return await this.#attempts(url, base, headers, abort, () => {
        bodyHolds = true;
        return release;
      });
    } finally {
      if (!bodyHolds) release();
    }
  }

  async #attempts(
    url: string,
    base: string,
    headers: Record<string, string>,
    abort: AbortController,
    handOver: () => () => void,
  ): Promise<UpstreamResponse> {
    let last: UpstreamResponse | null = null;
    for (let attempt = 1; attempt <= this.#options.attempts && !abort.signal.aborted; attempt++) {
      let retryAfterMs = 0;
      try {
        const res = await this.#follow(url, headers, abort.signal);
        if (res.statusCode === 200) {
          const length = Number(res.headers['content-length']);
          // The deadline stays armed while the caller reads the body.
          res.body.once('close', handOver());
          return {
            outcome: 'ok',
            body: res.body,
            size: Number.isFinite(length) ? length : null,
            source: base,
          };
        }
        // The upstream's words reach the client: never the credentials it was sent, nor a
        // part of one (redacted before the text is cut short, or a cut one would not match).
        const text = redactSecrets(await shortText(res.body), secretValuesOfHeaders(headers))
          .slice(0, 600)
          .trim();
        if (abort.signal.aborted) throw abort.signal.reason;
        if (res.statusCode === 404 || res.statusCode === 410) {
          return { outcome: 'not-found', status: res.statusCode, message: text, source: base };
        }
        last = {
          outcome: 'error',
          status: res.statusCode,
          message: `${url}: ${res.statusCode}${text ? `: ${text}` : ''}`,
          source: base,
        };
        if (res.statusCode !== 429 && res.statusCode < 500) return last;
        retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      } catch (err) {
        // A refused redirect is the upstream's answer, not a hiccup: asking again changes nothing.
        if (err instanceof RedirectRefused) {
          return { outcome: 'error', status: null, message: `${url}: ${err.message}`, source: base };
        }
        last = {
          outcome: 'error',
          status: null,
          message: `${url}: ${abort.signal.aborted ? (abort.signal.reason as Error).message : describeNetworkError(err)}`,
          source: base,
        };
      }
      if (attempt < this.#options.attempts && !abort.signal.aborted) {
        const wait = Math.min(
          Math.max(this.#options.backoffMs(attempt), retryAfterMs),
          this.#options.maxBackoffMs,
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    return (
      last ?? {
        outcome: 'error',
        status: null,
        message: `${url}: ${(abort.signal.reason as Error | undefined)?.message ?? 'aborted'}`,
        source: base,
      }
    );
  }

  /**
   * GET `url`, following redirects as the go command's client does: at most 10, and never from
   * https to anything else (cmd/go/internal/web refuses "redirected from secure URL ... to
   * insecure URL ..."): the credentials, GOAUTH's headers included, would travel in clear text,
   * and the answer could be rewritten on the way. Authorization and cookies are not sent on to
   * another origin.
   */
  async #follow(url: string, headers: Record<string, string>, signal: AbortSignal) {
    const { request, dispatcher } = await this.#getClient();
    const secure = url.startsWith('https:');
    let target = url;
    let sent = headers;
    for (let hop = 0; ; hop++) {
      const res = await request(target, { method: 'GET', dispatcher, headers: sent, signal });
      const location = res.headers.location;
      if (!redirectStatuses.has(res.statusCode) || typeof location !== 'string') return res;
      await res.body.dump().catch(() => {});
      if (hop >= maxRedirects) throw new RedirectRefused(`stopped after ${maxRedirects} redirects`);
      let next: URL;
      try {
        next = new URL(location, target);
      } catch {
        throw new RedirectRefused(
          `redirected to an invalid URL ${JSON.stringify(redactUrlUserinfo(location))}`,
        );
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new RedirectRefused(`redirected to an unsupported URL ${redactUrlUserinfo(next.href)}`);
      }
      if (secure && next.protocol !== 'https:') {
        throw new RedirectRefused(
          `redirected from secure URL ${target} to insecure URL ${redactUrlUserinfo(next.href)}`,
        );
      }
      next.username = '';
      next.password = '';
      if (next.origin !== new URL(target).origin) {
        sent = Object.fromEntries(
          Object.entries(sent).filter(([name]) => !crossOriginDropped.has(name.toLowerCase())),
        );
      }
      target = next.href;
    }
  }

  async close(): Promise<void> {
    if (this.#client) await (await this.#client).dispatcher.close();
  }
}

/** Go's http.Client gives up after 10 redirects. */
const maxRedirects = 10;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** What no redirect carries to another origin (as Go's client and undici's redirect handler). */
const crossOriginDropped = new Set(['authorization', 'cookie', 'proxy-authorization']);

class RedirectRefused extends Error {}

function splitUserinfo(raw: string): { url: string; headers: Record<string, string>; refusal?: string } {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(raw)) return { url: raw, headers: {} };
  const parsed = new URL(raw);
  if (parsed.protocol !== 'https:') {
    return {
      url: raw,
      headers: {},
      refusal: `refusing to pass credentials to insecure URL: ${redactUrlUserinfo(raw)}`,
    };
  }
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part; // kept as written, as Go's url.User keeps an undecodable escape
    }
  };
  const basic = `${decode(parsed.username)}:${decode(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, headers: { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } };
}

async function getFile(base: string, subpath: string): Promise<UpstreamResponse> {
  const path = `${fileURLToPath(base)}/${decodeURIComponent(subpath)}`;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { outcome: 'not-found', status: 404, message: 'not found', source: base };
    return { outcome: 'ok', body: createReadStream(path), size: info.size, source: base };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { outcome: 'not-found', status: 404, message: 'not found', source: base };
    }
    // The go command treats an unreadable file:// entry as 403: an error, not "not found".
    return { outcome: 'error', status: 403, message: `${path}: ${(err as Error).message}`, source: base };
  }
}

async function shortText(body: AsyncIterable<Uint8Array> & { destroy?: () => void }): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      chunks.push(Buffer.from(chunk));
      total += chunk.length;
      if (total > 4096) break;
    }
  } catch {
    // The text is only for the error message.
  }
  body.destroy?.();
  return Buffer.concat(chunks).toString('utf8');
}

function parseRetryAfter(value: string | string[] | undefined): number {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return 0;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 0;
}

function describeNetworkError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return 'timed out';
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ECONNREFUSED') return 'connection refused';
  return e.cause?.message ?? e.message ?? String(err);
}

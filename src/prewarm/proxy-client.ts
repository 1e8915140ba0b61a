// GETs from the proxy being warmed: keep-alive connections (one undici Agent), a per-request
// timeout, retries with exponential backoff and full jitter on 5xx, 429 (honouring Retry-After)
// and network failures/timeouts, and one retry budget shared by the whole run so a proxy that is
// down ends the run quickly instead of retrying every request to its limit.
import type { Readable } from 'node:stream';
import { Agent, type Dispatcher, request } from 'undici';
import { formatGoDuration } from '../policy/go-duration.ts';
import { prewarmDefaults } from './prewarm-defaults.ts';

export type ProxyClientOptions = {
  /** Base URL of the proxy (a GOPROXY entry), without a trailing slash. */
  baseUrl: string;
  /** Authorization header value (Basic from a netrc entry, or Bearer), never logged. */
  authorization?: string;
  /** Time to the response headers, and the longest silence while reading a body. */
  timeoutMs: number;
  /** The longest one attempt may take, headers and whole body (default prewarmDefaults'). */
  requestDeadlineMs?: number;
  /** Attempts per request, counting the first. */
  attempts: number;
  /** Retries allowed over the whole run. */
  retryBudget: number;
  /** Base of the exponential backoff; the sleep before retry n is random in [0, base * 2^(n-1)]. */
  backoffMs: number;
  maxBackoffMs: number;
  connections: number;
  /** Aborts waits and requests (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  random?: () => number;
};

export type ProxyAnswer = {
  status: number;
  headers: Record<string, string>;
  /** Milliseconds to the response headers of the attempt that succeeded. */
  firstByteMs: number;
  /** Attempts made (1 when no retry). */
  attempts: number;
};

/** A failed request after retries: what the report shows. */
export class ProxyRequestError extends Error {
  override name = 'ProxyRequestError';
  readonly status: number | null;
  readonly attempts: number;
  constructor(message: string, status: number | null, attempts: number) {
    super(message);
    this.status = status;
    this.attempts = attempts;
  }
}

/** A body that does not pass a check (hash, shape): not retried, reported as a mismatch. */
export class BodyCheckError extends Error {
  override name = 'BodyCheckError';
}

export class ProxyClient {
  readonly #options: ProxyClientOptions;
  readonly #agent: Agent;
  #budget: number;
  retries = 0;

  constructor(options: ProxyClientOptions) {
    this.#options = options;
    this.#budget = options.retryBudget;
    this.#agent = new Agent({
      connections: options.connections,
      keepAliveTimeout: 30_000,
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  get retryBudgetLeft(): number {
    return this.#budget;
  }

  /**
   * GETs `path` (already escaped, starting with '/'), hands a 200 body to `consume`, and returns
   * its result. A body that fails mid-read is retried like a failed request; `consume` must be
   * restartable. Non-retryable statuses (404, 410, other 4xx) throw at once.
   */
  async get<T>(
    path: string,
    consume: (body: Readable, answer: ProxyAnswer) => Promise<T>,
  ): Promise<{ value: T; answer: ProxyAnswer }> {
    const options = this.#options;
    const url = `${options.baseUrl}${path}`;
    const headers: Record<string, string> = { 'user-agent': 'goproxy-action prewarm' };
    if (options.authorization) headers.authorization = options.authorization;
    const deadlineMs = options.requestDeadlineMs ?? prewarmDefaults.requestDeadlineMs;
    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted();
      let retryAfterMs: number | null = null;
      let failure: string;
      let status: number | null = null;
      const started = performance.now();
      // Aborts the request and its body (undici destroys the body on abort) at the deadline.
      const deadline = AbortSignal.timeout(deadlineMs);
      const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
      // Not retried: a proxy that drips would only hold the next attempt as long.
      const pastDeadline = (): ProxyRequestError | null =>
        deadline.aborted && !options.signal?.aborted
          ? new ProxyRequestError(
              `${path}: no complete answer within the request deadline of ${formatGoDuration(deadlineMs)} (--request-deadline); the proxy sends too slowly or never ends its answer`,
              status,
              attempt,
            )
          : null;
      try {
        const response = await request(url, {
          method: 'GET',
          headers,
          dispatcher: this.#agent as Dispatcher,
          signal,
        });
        status = response.statusCode;
        const answer: ProxyAnswer = {
          status,
          headers: flatHeaders(response.headers),
          firstByteMs: performance.now() - started,
          attempts: attempt,
        };
        if (status === 200) {
          try {
            return { value: await consume(response.body, answer), answer };
          } catch (error) {
            response.body.destroy();
            if (error instanceof BodyCheckError || options.signal?.aborted) throw error;
            const late = pastDeadline();
            if (late) throw late;
            failure = `the answer broke off: ${describe(error)}`;
          }
        } else {
          const text = await readSome(response.body);
          const late = pastDeadline();
          if (late) throw late;
          failure = `HTTP ${status}${text ? `: ${text}` : ''}`;
          if (status === 429 || status === 503) retryAfterMs = parseRetryAfter(answer.headers['retry-after']);
          if (!(status >= 500 || status === 429 || status === 408)) {
            throw new ProxyRequestError(failure, status, attempt);
          }
        }
      } catch (error) {
        if (error instanceof ProxyRequestError || error instanceof BodyCheckError) throw error;
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        const late = pastDeadline();
        if (late) throw late;
        failure = describe(error);
      }
      if (attempt >= options.attempts) {
        throw new ProxyRequestError(`${failure} (after ${attempt} attempts)`, status, attempt);
      }
      if (this.#budget <= 0) {
        throw new ProxyRequestError(
          `${failure} (the run's retry budget of ${options.retryBudget} is spent)`,
          status,
          attempt,
        );
      }
      this.#budget--;
      this.retries++;
      await sleep(retryDelayMs(attempt, retryAfterMs, options), options.signal);
    }
  }

  /** Closes the connections; after an abort, without waiting for answers still on their way. */
  async close(): Promise<void> {
    if (this.#options.signal?.aborted) await this.#agent.destroy();
    else await this.#agent.close();
  }
}

/**
 * The sleep before retrying after attempt `attempt` (1-based): full jitter over an exponential
 * backoff, capped; a Retry-After is the server's word, honoured up to the cap and never
 * shortened by jitter.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | null,
  options: Pick<ProxyClientOptions, 'backoffMs' | 'maxBackoffMs' | 'random'>,
): number {
  const random = options.random ?? Math.random;
  const backoff = random() * Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (attempt - 1));
  return retryAfterMs !== null ? Math.min(Math.max(retryAfterMs, backoff), options.maxBackoffMs) : backoff;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Retry-After: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

async function readSome(body: Readable): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body) {
      text += Buffer.from(chunk as Uint8Array).toString('utf8');
      // Enough to say what went wrong: the rest is never read (a hostile body may not end).
      if (text.length >= 300) break;
    }
  } catch {
    // the error status is what matters
  }
  // Hostile bytes never reach a log unfiltered: one line, printable, short.
  return text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, 200);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
      return `timed out (${error.message})`;
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'timed out connecting';
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done, fail) => {
    if (signal?.aborted) return fail(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      fail(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// The GOPROXY chain with the go command's semantics: try each entry in order; after a
// 404/410 go on; after any other failure go on only if the entry was joined with `|`.
// Private modules never touch the main chain: they go to the private chain (default
// `direct`, with the proxy's own credentials), so their paths never reach a public upstream.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import type { ModuleRequestKind } from '../gomod/request-kind.ts';
import type { DirectDownload, DirectFetcher } from './direct-fetcher.ts';
import { DirectFetchError } from './direct-fetcher.ts';
import type { ProxyEntry } from './goproxy-list.ts';
import type { HttpUpstream } from './http-upstream.ts';
import type { UpstreamOk } from './upstream-response.ts';

export type { ModuleRequestKind };

export type ModuleRequest = { kind: ModuleRequestKind; module: string; version?: string };

/**
 * An answer being consumed; `direct` carries the whole download so siblings can be stored too.
 * `final`: no `|` entry can be tried after this one, so a failure mid-body ends the request
 * anyway (the caller may then stream the body to its client as it arrives).
 */
export type ChainBody = UpstreamOk & { direct?: DirectDownload; final: boolean };

export type ChainFailure = {
  ok: false;
  /** 404 when every entry said "not here" (or the chain ended in off); else 502. */
  status: 404 | 502;
  message: string;
};

export type ChainResult<T> = { ok: true; value: T; source: string } | ChainFailure;

export type UpstreamChainOptions = {
  entries: ProxyEntry[];
  /** For private modules; default `direct`. */
  privateEntries?: ProxyEntry[];
  isPrivate: (module: string) => boolean;
  http: HttpUpstream;
  direct: DirectFetcher;
};

/** Reads an answer; throwing marks the entry as failed (a truncated or corrupt body). */
export type Consume<T> = (body: ChainBody) => Promise<T>;

export class UpstreamChain {
  readonly #options: UpstreamChainOptions;

  constructor(options: UpstreamChainOptions) {
    this.#options = options;
  }

  entriesFor(module: string): ProxyEntry[] {
    return this.#options.isPrivate(module)
      ? (this.#options.privateEntries ?? [{ kind: 'direct', fallThroughOnAnyError: false }])
      : this.#options.entries;
  }

  /** `signal` aborts the fetch (shutdown); each HTTP fetch also has its own deadline. */
  async fetchModule<T>(
    request: ModuleRequest,
    consume: Consume<T>,
    signal?: AbortSignal,
  ): Promise<ChainResult<T>> {
    const subpath = moduleSubpath(request);
    return this.#walk(
      this.entriesFor(request.module),
      subpath,
      consume,
      (entry) => (entry.kind === 'direct' ? this.#direct(request, signal) : null),
      signal,
    );
  }

  /** GET `<entry>/sumdb/<name>/<subpath>` along the main chain's URL entries. */
  async fetchSumdb<T>(name: string, subpath: string, consume: Consume<T>): Promise<ChainResult<T>> {
    // The go command connects to the database itself at direct/off; a proxy cannot serve it there.
    const entries: ProxyEntry[] = [];
    for (const entry of this.#options.entries) {
      if (entry.kind !== 'url') break;
      entries.push(entry);
    }
    return this.#walk(entries, `sumdb/${name}/${subpath}`, consume, () => null);
  }

  async #walk<T>(
    entries: ProxyEntry[],
    subpath: string,
    consume: Consume<T>,
    directAnswer: (entry: ProxyEntry) => Promise<ChainBody | ChainFailure> | null,
    signal?: AbortSignal,
  ): Promise<ChainResult<T>> {
    const notes: string[] = [];
    let sawError = false;
    for (const [index, entry] of entries.entries()) {
      const final =
        entry.kind === 'off' ||
        !entry.fallThroughOnAnyError ||
        !entries.slice(index + 1).some((e) => e.kind !== 'off');
      if (entry.kind === 'off') {
        notes.push('GOPROXY=off: no further upstream');
        break;
      }
      let answer: ChainBody | ChainFailure;
      if (entry.kind === 'direct') {
        const direct = directAnswer(entry);
        if (!direct) break;
        answer = await direct;
        if ('outcome' in answer) answer.final = final;
      } else {
        const res = await this.#options.http.get(entry.url, subpath, signal);
        answer =
          res.outcome === 'ok'
            ? { ...res, final }
            : {
                ok: false,
                status: res.outcome === 'not-found' ? 404 : 502,
                message: res.message || `${res.status}`,
              };
        if (res.outcome !== 'ok')
          answer = { ...answer, message: `${entry.url}: ${(answer as ChainFailure).message}` };
      }
      if ('outcome' in answer) {
        const body = answer;
        try {
          const value = await consume(body);
          return { ok: true, value, source: body.source };
        } catch (err) {
          // A body refused before it was read (a zip whose expected hash is already known to be
          // unobtainable) errors as it is destroyed: that error is ours, not an unhandled one.
          body.body.on('error', () => {});
          body.body.destroy();
          answer = { ok: false, status: 502, message: `${body.source}: ${(err as Error).message}` };
        } finally {
          await body.direct?.cleanup();
        }
      }
      notes.push(answer.message);
      if (answer.status !== 404) {
        sawError = true;
        if (!entry.fallThroughOnAnyError) break;
      }
    }
    return {
      ok: false,
      status: sawError ? 502 : 404,
      message: notes.length > 0 ? notes.join('; ') : 'no upstream configured',
    };
  }

  async #direct(request: ModuleRequest, signal?: AbortSignal): Promise<ChainBody | ChainFailure> {
    const direct = this.#options.direct;
    try {
      if (request.kind === 'list') {
        const versions = await direct.list(request.module, signal);
        return bodyOf(Buffer.from(versions.map((v) => `${v}\n`).join('')), 'direct');
      }
      const query = request.kind === 'latest' ? 'latest' : request.version!;
      const download = await direct.download(request.module, query, request.kind === 'zip', signal);
      let body: Readable;
      let size: number | null = null;
      if (request.kind === 'zip') {
        if (!download.zipPath)
          throw new DirectFetchError(`go downloaded no zip for ${request.module}@${query}`, false);
        body = createReadStream(download.zipPath);
      } else {
        const bytes = request.kind === 'mod' ? download.mod : download.info;
        body = Readable.from([bytes]);
        size = bytes.length;
      }
      return { outcome: 'ok', body, size, source: 'direct', direct: download, final: true };
    } catch (err) {
      const notFound = err instanceof DirectFetchError && err.notFound;
      return { ok: false, status: notFound ? 404 : 502, message: `direct: ${(err as Error).message}` };
    }
  }
}

function bodyOf(bytes: Buffer, source: string): ChainBody {
  return { outcome: 'ok', body: Readable.from([bytes]), size: bytes.length, source, final: true };
}

export function moduleSubpath(request: ModuleRequest): string {
  const base = escapePath(request.module).split('/').map(pathEscape).join('/');
  switch (request.kind) {
    case 'list':
      return `${base}/@v/list`;
    case 'latest':
      return `${base}/@latest`;
    default:
      return `${base}/@v/${pathEscape(`${escapeVersion(request.version!)}.${request.kind}`)}`;
  }
}

/**
 * One path segment percent-encoded, as the go command's proxy client does (url.PathEscape),
 * except that `!` stays as it is. A query version may hold what Go allows in a file name
 * (`#`, `%`, a space...): unencoded, `#` would cut the path short and `%` start a bogus escape.
 */
function pathEscape(segment: string): string {
  return segment.replace(/[^A-Za-z0-9\-_.~!$&+:=@]/gu, (c) =>
    [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

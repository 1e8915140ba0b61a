// A stand-in of GitHub's Actions cache service on 127.0.0.1, for running the real @actions/cache
// code end to end:
// - cache service v2 (ACTIONS_RESULTS_URL + ACTIONS_CACHE_SERVICE_V2): the Twirp JSON methods
//   CreateCacheEntry, FinalizeCacheEntryUpload and GetCacheEntryDownloadURL at the root of the
//   URL, with azurite (started here as a plain process) as the blob store and SAS URLs signed
//   with azurite's well-known development account key;
// - the legacy API (ACTIONS_CACHE_URL) spoken by self-hosted, Gitea and Forgejo cache servers:
//   lookup, reserve, PATCH chunks, commit, with the archives on local disk.
// Lookup is the service's: the exact key first, then prefix matches of the key and of each
// restore key, newest first, always for the same version. Entries are immutable: a second
// create of a key+version fails as GitHub's does. Every request is logged for assertions.
// - the REST API's cache listing and deletion over the same entries (GITHUB_API_URL, see
//   envRest): `GET /repos/{owner}/{repo}/actions/caches?key=&ref=&per_page=&page=` and
//   `DELETE /repos/{owner}/{repo}/actions/caches/{id}`, for the tokens in `apiTokens` (a
//   'read' token may list, deleting answers 403 as for a GITHUB_TOKEN without actions: write).
//   Each entry carries the ref it was saved from (`ref`, settable per job).
// - `beforeLookup`, settable per job: awaited before a lookup is matched and answered, so a test
//   can hold one restore until another request arrives (an order of requests, never a time);
//   `beforeCreate` the same for a save's create (v2).
// - `downloadFault`, settable per job: for the entries it names, the v2 lookup answers a URL of
//   this stand-in instead of azurite's, which serves the blob cut after half its bytes (the
//   connection dropped, the full length announced) or with one byte flipped in its middle.
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';

// Azurite's documented development account (public, the same on every installation).
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const CONTAINER = 'actions-cache';
const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';
const LEGACY_PREFIX = '/_apis/artifactcache/';

export type DownloadFault = 'cut' | 'corrupt';

export type CacheEntry = {
  id: number;
  api: 'v2' | 'legacy';
  key: string;
  version: string;
  createdAt: number;
  finalized: boolean;
  sizeBytes: number;
  /** v2: the blob name in azurite; legacy: the archive file on disk. */
  location: string;
  /** The git ref the saving job ran for (the service's `ref` at creation). */
  ref: string;
  /** Updated when a lookup matches the entry (a restore), as GitHub's last_accessed_at. */
  lastAccessedAt: number;
};

export type CacheRequestLog = {
  api: 'v2' | 'legacy';
  op:
    | 'lookup'
    | 'create'
    | 'finalize'
    | 'reserve'
    | 'upload'
    | 'commit'
    | 'download'
    | 'rest-list'
    | 'rest-delete'
    | 'unknown';
  method: string;
  path: string;
  status: number;
  /** lookups: the keys asked for; create/reserve/finalize: the key. */
  keys: string[];
  matchedKey?: string;
  version?: string;
  authorized: boolean;
  /** REST requests: the query, the Authorization header and the API version header as sent. */
  query?: Record<string, string>;
  authorization?: string;
  apiVersion?: string;
};

export type CacheService = {
  /** Base URL with a trailing slash (as the runner gives ACTIONS_RESULTS_URL/ACTIONS_CACHE_URL). */
  url: string;
  runtimeToken: string;
  /** Variables for @actions/cache with the v2 service. */
  envV2(): Record<string, string>;
  /** Variables for @actions/cache with the legacy service. */
  envLegacy(): Record<string, string>;
  /** GITHUB_API_URL and GITHUB_REPOSITORY for the REST endpoints. */
  envRest(): Record<string, string>;
  /** The ref new entries are saved from (default refs/heads/main). */
  ref: string;
  /** Awaited before each lookup (the keys asked for) is matched and answered; unset by default. */
  beforeLookup: ((keys: string[]) => Promise<void> | void) | undefined;
  /** Awaited before each v2 create (the key) is answered; unset by default. */
  beforeCreate: ((key: string) => Promise<void> | void) | undefined;
  /** v2 downloads of the entries it names (by key) broken that way; unset by default. */
  downloadFault: ((key: string) => DownloadFault | undefined) | undefined;
  requests: CacheRequestLog[];
  entries: CacheEntry[];
  close(): Promise<void>;
};

/**
 * Azurite's own port, from the line it prints once listening. It binds port 0 itself: a port
 * picked free beforehand and handed to it can be taken by another test's server meanwhile, and
 * a probe of that port then finds the other server (seen in CI: a GitLab API stand-in answered
 * azurite's requests with 401, and this stand-in's start failed).
 */
async function azuritePort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return await new Promise<number>((resolvePort, reject) => {
    let out = '';
    const finish = (err: Error | null, port = 0): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolvePort(port);
    };
    const onData = (d: Buffer): void => {
      out = (out + d.toString()).slice(-4000);
      const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) finish(null, Number(m[1]));
    };
    const onExit = (code: number | null): void =>
      finish(new Error(`azurite exited with status ${code} before listening`));
    const timer = setTimeout(
      () => finish(new Error(`azurite did not listen on 127.0.0.1 within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Exact key, then prefix matches of each key in order, newest first; same version only. */
export function findEntry(entries: CacheEntry[], keys: string[], version: string): CacheEntry | undefined {
  const usable = entries
    .filter((e) => e.finalized && e.version === version)
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  const [primary] = keys;
  const exact = usable.find((e) => e.key === primary);
  if (exact) return exact;
  for (const key of keys) {
    const match = usable.find((e) => e.key.startsWith(key));
    if (match) return match;
  }
  return undefined;
}

const REST_REPOSITORY = 'octo-org/octo-repo';
const REST_PATH = `/repos/${REST_REPOSITORY}/actions/caches`;

export async function startCacheService(
  options: { runtimeToken?: string; apiTokens?: Record<string, 'read' | 'write'> } = {},
): Promise<CacheService> {
  const runtimeToken = options.runtimeToken ?? `test-runtime-token-${process.pid}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'goproxy-action-cache-service-'));
  const azuriteMain = resolve('node_modules/azurite/dist/src/blob/main.js');
  const azurite = spawn(
    process.execPath,
    [
      azuriteMain,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--location',
      join(dataDir, 'azurite'),
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
      '--disableProductStyleUrl',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let azuriteErr = '';
  azurite.stderr?.on('data', (d: Buffer) => {
    azuriteErr = (azuriteErr + d.toString()).slice(-4000);
  });
  let containerClient: ContainerClient;
  let credential: StorageSharedKeyCredential;
  try {
    // Azurite loads slowly on a loaded shared machine (it missed 20 s at load 20 to 30).
    const blobPort = await azuritePort(azurite, 60_000);
    // Nothing more is read from its stdout; drained so it never blocks on a full pipe.
    azurite.stdout?.resume();
    credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
    containerClient = new BlobServiceClient(
      `http://127.0.0.1:${blobPort}/${DEV_ACCOUNT}`,
      credential,
    ).getContainerClient(CONTAINER);
    await containerClient.createIfNotExists();
  } catch (err) {
    // A failed start must not leave azurite running: the test process would never exit.
    azurite.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${azuriteErr}`);
  }

  const sasUrl = (blobName: string, permissions: string): string => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      credential,
    ).toString();
    return `${containerClient.getBlockBlobClient(blobName).url}?${sas}`;
  };

  const entries: CacheEntry[] = [];
  const requests: CacheRequestLog[] = [];
  let nextId = 1;
  let base = '';
  const scope: {
    ref: string;
    beforeLookup: CacheService['beforeLookup'];
    beforeCreate: CacheService['beforeCreate'];
    downloadFault: CacheService['downloadFault'];
  } = {
    ref: 'refs/heads/main',
    beforeLookup: undefined,
    beforeCreate: undefined,
    downloadFault: undefined,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorized = req.headers.authorization === `Bearer ${runtimeToken}`;
    const log = (entry: Omit<CacheRequestLog, 'method' | 'path' | 'authorized'>): void => {
      requests.push({ ...entry, method: req.method ?? '', path: url.pathname, authorized });
    };
    if (url.pathname.startsWith(TWIRP_PREFIX) && req.method === 'POST') {
      const method = url.pathname.slice(TWIRP_PREFIX.length);
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>;
      if (!authorized) {
        log({ api: 'v2', op: 'unknown', status: 401, keys: [] });
        return sendJson(res, 401, { code: 'unauthenticated', msg: 'missing or wrong runtime token' });
      }
      const key = String(body.key ?? '');
      const version = String(body.version ?? '');
      if (method === 'GetCacheEntryDownloadURL') {
        const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
        const keys = [key, ...restoreKeys];
        await scope.beforeLookup?.(keys);
        const entry = findEntry(
          entries.filter((e) => e.api === 'v2'),
          keys,
          version,
        );
        log({ api: 'v2', op: 'lookup', status: 200, keys, matchedKey: entry?.key, version });
        if (entry) entry.lastAccessedAt = Date.now();
        if (!entry) return sendJson(res, 200, { ok: false, signed_download_url: '', matched_key: '' });
        const fault = scope.downloadFault?.(entry.key);
        return sendJson(res, 200, {
          ok: true,
          signed_download_url: fault
            ? `${base}_faulty/${entry.id}/${fault}?sig=stand-in`
            : sasUrl(entry.location, 'r'),
          matched_key: entry.key,
        });
      }
      if (method === 'CreateCacheEntry') {
        await scope.beforeCreate?.(key);
        if (entries.some((e) => e.api === 'v2' && e.key === key && e.version === version)) {
          log({ api: 'v2', op: 'create', status: 409, keys: [key], version });
          return sendJson(res, 409, {
            code: 'already_exists',
            msg: 'cache entry with the same key, version, and scope already exists',
          });
        }
        const id = nextId++;
        const location = `entry-${id}.tar`;
        entries.push({
          id,
          api: 'v2',
          key,
          version,
          createdAt: Date.now(),
          finalized: false,
          sizeBytes: 0,
          location,
          ref: scope.ref,
          lastAccessedAt: Date.now(),
        });
        log({ api: 'v2', op: 'create', status: 200, keys: [key], version });
        return sendJson(res, 200, { ok: true, signed_upload_url: sasUrl(location, 'cw') });
      }
      if (method === 'FinalizeCacheEntryUpload') {
        const entry = entries.find(
          (e) => e.api === 'v2' && e.key === key && e.version === version && !e.finalized,
        );
        if (!entry) {
          log({ api: 'v2', op: 'finalize', status: 404, keys: [key], version });
          return sendJson(res, 404, {
            code: 'not_found',
            msg: 'no reserved cache entry for this key and version',
          });
        }
        const props = await containerClient.getBlockBlobClient(entry.location).getProperties();
        entry.sizeBytes = props.contentLength ?? 0;
        entry.finalized = true;
        entry.createdAt = Date.now();
        log({ api: 'v2', op: 'finalize', status: 200, keys: [key], version });
        return sendJson(res, 200, { ok: true, entry_id: String(entry.id) });
      }
      log({ api: 'v2', op: 'unknown', status: 404, keys: [] });
      return sendJson(res, 404, { code: 'bad_route', msg: `no method ${method}` });
    }

    if (url.pathname === REST_PATH || url.pathname.startsWith(`${REST_PATH}/`)) {
      const header = req.headers.authorization ?? '';
      const token = /^Bearer (.+)$/.exec(header)?.[1];
      const grant = token === undefined ? undefined : options.apiTokens?.[token];
      const idMatch = /^\/(\d+)$/.exec(url.pathname.slice(REST_PATH.length));
      const op = req.method === 'DELETE' && idMatch ? 'rest-delete' : 'rest-list';
      const restLog = (status: number, keys: string[]): void =>
        log({
          api: 'v2',
          op,
          status,
          keys,
          query: Object.fromEntries(url.searchParams),
          authorization: header,
          apiVersion: String(req.headers['x-github-api-version'] ?? ''),
        });
      if (!grant) {
        restLog(401, []);
        return sendJson(res, 401, { message: 'Bad credentials' });
      }
      if (req.method === 'GET' && url.pathname === REST_PATH) {
        const key = url.searchParams.get('key') ?? '';
        const ref = url.searchParams.get('ref');
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
        const matching = entries
          .filter((e) => e.finalized && e.key.startsWith(key) && (ref === null || e.ref === ref))
          .sort((a, b) => b.lastAccessedAt - a.lastAccessedAt);
        const shown = matching.slice((page - 1) * perPage, page * perPage);
        restLog(200, [key]);
        return sendJson(res, 200, {
          total_count: matching.length,
          actions_caches: shown.map((e) => ({
            id: e.id,
            ref: e.ref,
            key: e.key,
            version: e.version,
            last_accessed_at: new Date(e.lastAccessedAt).toISOString(),
            created_at: new Date(e.createdAt).toISOString(),
            size_in_bytes: e.sizeBytes,
          })),
        });
      }
      if (op === 'rest-delete') {
        const index = entries.findIndex((e) => e.id === Number(idMatch![1]));
        if (grant !== 'write') {
          restLog(403, index === -1 ? [] : [entries[index]!.key]);
          return sendJson(res, 403, { message: 'Resource not accessible by integration' });
        }
        if (index === -1) {
          restLog(404, []);
          return sendJson(res, 404, { message: 'Not Found' });
        }
        const [gone] = entries.splice(index, 1);
        restLog(204, [gone!.key]);
        if (gone!.api === 'v2')
          await containerClient
            .getBlockBlobClient(gone!.location)
            .deleteIfExists()
            .catch(() => undefined);
        else await rm(gone!.location, { force: true });
        res.writeHead(204);
        return void res.end();
      }
      restLog(404, []);
      return sendJson(res, 404, { message: 'Not Found' });
    }
    if (url.pathname.startsWith(LEGACY_PREFIX)) {
      const rest = url.pathname.slice(LEGACY_PREFIX.length);
      if (!authorized) {
        log({ api: 'legacy', op: 'unknown', status: 401, keys: [] });
        return sendJson(res, 401, { message: 'missing or wrong runtime token' });
      }
      if (req.method === 'GET' && rest === 'cache') {
        const keys = (url.searchParams.get('keys') ?? '').split(',').filter((k) => k !== '');
        const version = url.searchParams.get('version') ?? '';
        await scope.beforeLookup?.(keys);
        const entry = findEntry(
          entries.filter((e) => e.api === 'legacy'),
          keys,
          version,
        );
        log({
          api: 'legacy',
          op: 'lookup',
          status: entry ? 200 : 204,
          keys,
          matchedKey: entry?.key,
          version,
        });
        if (entry) entry.lastAccessedAt = Date.now();
        if (!entry) {
          res.writeHead(204);
          return void res.end();
        }
        return sendJson(res, 200, {
          cacheKey: entry.key,
          scope: 'refs/heads/main',
          creationTime: new Date(entry.createdAt).toISOString(),
          archiveLocation: `${base}_blobs/${entry.id}`,
        });
      }
      if (req.method === 'GET' && rest === 'caches') {
        return sendJson(res, 200, { totalCount: 0, artifactCaches: [] });
      }
      if (req.method === 'POST' && rest === 'caches') {
        const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>;
        const key = String(body.key ?? '');
        const version = String(body.version ?? '');
        if (entries.some((e) => e.api === 'legacy' && e.key === key && e.version === version)) {
          log({ api: 'legacy', op: 'reserve', status: 409, keys: [key], version });
          return sendJson(res, 409, {
            message: `Cache already exists. Scope: refs/heads/main, Key: ${key}, Version: ${version}`,
          });
        }
        const id = nextId++;
        const location = join(dataDir, `legacy-${id}.tar`);
        await (await open(location, 'w')).close();
        entries.push({
          id,
          api: 'legacy',
          key,
          version,
          createdAt: Date.now(),
          finalized: false,
          sizeBytes: 0,
          location,
          ref: scope.ref,
          lastAccessedAt: Date.now(),
        });
        log({ api: 'legacy', op: 'reserve', status: 201, keys: [key], version });
        return sendJson(res, 201, { cacheId: id });
      }
      const idMatch = /^caches\/(\d+)$/.exec(rest);
      const entry = idMatch
        ? entries.find((e) => e.api === 'legacy' && e.id === Number(idMatch[1]))
        : undefined;
      if (entry && req.method === 'PATCH' && !entry.finalized) {
        const range = /^bytes (\d+)-(\d+)\/\*$/.exec(String(req.headers['content-range'] ?? ''));
        const data = await readBody(req);
        if (!range || Number(range[2]) - Number(range[1]) + 1 !== data.length) {
          log({ api: 'legacy', op: 'upload', status: 400, keys: [entry.key] });
          return sendJson(res, 400, { message: 'Content-Range missing or not matching the body' });
        }
        const handle = await open(entry.location, 'r+');
        await handle.write(data, 0, data.length, Number(range[1]));
        await handle.close();
        log({ api: 'legacy', op: 'upload', status: 204, keys: [entry.key] });
        res.writeHead(204);
        return void res.end();
      }
      if (entry && req.method === 'POST' && !entry.finalized) {
        const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { size?: number };
        const { size } = await stat(entry.location);
        if (body.size !== size) {
          log({ api: 'legacy', op: 'commit', status: 400, keys: [entry.key] });
          return sendJson(res, 400, {
            message: `size ${body.size} does not match the ${size} bytes uploaded`,
          });
        }
        entry.finalized = true;
        entry.sizeBytes = size;
        entry.createdAt = Date.now();
        log({ api: 'legacy', op: 'commit', status: 204, keys: [entry.key] });
        res.writeHead(204);
        return void res.end();
      }
      log({ api: 'legacy', op: 'unknown', status: 404, keys: [] });
      return sendJson(res, 404, { message: `no route ${req.method} ${url.pathname}` });
    }

    const faultMatch = /^\/_faulty\/(\d+)\/(cut|corrupt)$/.exec(url.pathname);
    if (faultMatch && req.method === 'GET') {
      const entry = entries.find((e) => e.api === 'v2' && e.id === Number(faultMatch[1]) && e.finalized);
      log({ api: 'v2', op: 'download', status: entry ? 200 : 404, keys: entry ? [entry.key] : [] });
      if (!entry) return sendJson(res, 404, { message: 'no such archive' });
      const blob = await containerClient.getBlockBlobClient(entry.location).downloadToBuffer();
      const half = Math.floor(blob.length / 2);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length });
      if (faultMatch[2] === 'corrupt') {
        blob[half] = blob[half]! ^ 0xff;
        return void res.end(blob);
      }
      // Half the bytes, then the connection dropped: the client sees a body shorter than announced.
      res.write(blob.subarray(0, half), () => res.destroy());
      return;
    }
    const blobMatch = /^\/_blobs\/(\d+)$/.exec(url.pathname);
    if (blobMatch && req.method === 'GET') {
      const entry = entries.find((e) => e.api === 'legacy' && e.id === Number(blobMatch[1]) && e.finalized);
      log({ api: 'legacy', op: 'download', status: entry ? 200 : 404, keys: entry ? [entry.key] : [] });
      if (!entry) return sendJson(res, 404, { message: 'no such archive' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': entry.sizeBytes });
      createReadStream(entry.location).pipe(res);
      return;
    }
    sendJson(res, 404, { message: `no route ${req.method} ${url.pathname}` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, { msg: err.message });
      else res.destroy(err);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}/`;

  return {
    url: base,
    runtimeToken,
    envV2: () => ({
      ACTIONS_RESULTS_URL: base,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RUNTIME_TOKEN: runtimeToken,
    }),
    envLegacy: () => ({ ACTIONS_CACHE_URL: base, ACTIONS_RUNTIME_TOKEN: runtimeToken }),
    envRest: () => ({ GITHUB_API_URL: base.replace(/\/$/, ''), GITHUB_REPOSITORY: REST_REPOSITORY }),
    get ref() {
      return scope.ref;
    },
    set ref(value: string) {
      scope.ref = value;
    },
    get beforeLookup() {
      return scope.beforeLookup;
    },
    set beforeLookup(hook) {
      scope.beforeLookup = hook;
    },
    get beforeCreate() {
      return scope.beforeCreate;
    },
    set beforeCreate(hook) {
      scope.beforeCreate = hook;
    },
    get downloadFault() {
      return scope.downloadFault;
    },
    set downloadFault(fault) {
      scope.downloadFault = fault;
    },
    requests,
    entries,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      azurite.kill('SIGTERM');
      await new Promise<void>((done) => {
        if (azurite.exitCode !== null) return done();
        const timer = setTimeout(() => {
          azurite.kill('SIGKILL');
          done();
        }, 5000);
        azurite.once('exit', () => {
          clearTimeout(timer);
          done();
        });
      });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Reads a stored archive's bytes (for tests that look inside an entry). */
export async function readLegacyArchive(entry: CacheEntry): Promise<Buffer> {
  return await readFile(entry.location);
}

/**
 * Points this process's @actions/cache (which reads process.env) at `service` through one API
 * only: the other API's variables are removed, so nothing falls through to it.
 */
export function useCacheApi(service: CacheService, api: 'v2' | 'legacy'): void {
  for (const name of [
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_SERVICE_V2',
    'ACTIONS_CACHE_URL',
    'ACTIONS_RUNTIME_TOKEN',
  ])
    delete process.env[name];
  Object.assign(process.env, api === 'v2' ? service.envV2() : service.envLegacy());
}

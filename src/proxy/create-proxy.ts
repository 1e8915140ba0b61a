// Assembles the engine from its settings: store, upstream chain (main and private),
// verifier (go.sum, checksum database natively), module service,
// sumdb pass-through, statistics and the HTTP server. Used by `serve` and by tests in-process.
import { GoSumIndex, readGoSumFiles } from '../gomod/go-sum.ts';
import { matchPatternList } from '../policy/patterns.ts';
import { BlobStore } from '../store/blob-store.ts';
import { parseGosumdb } from '../sumdb/gosumdb-setting.ts';
import { knownSumdbKey } from '../sumdb/known-sumdb.ts';
import { parseGoproxyList } from '../upstream/goproxy-list.ts';
import type { HttpUpstreamOptions } from '../upstream/http-upstream.ts';
import { UpstreamCredentials } from '../upstream/upstream-credentials.ts';
import type { ModuleService, ProxyPolicyHook } from './module-service.ts';
import type { ProxyEngine } from './proxy-engine.ts';
import { ProxyServer } from './proxy-server.ts';
import { ProxyStats } from './proxy-stats.ts';
import { goSumSeedVerifier } from './seed-verifier.ts';
import { ServedZipHashes } from './served-zip-hash.ts';

export type ProxySettings = {
  storeDir: string;
  /** GOPROXY syntax. */
  upstream: string;
  /** GOPROXY syntax for private modules; default direct. */
  privateUpstream?: string | null;
  /** Modules fetched only through the private chain (GOPRIVATE/GONOPROXY/policy private). */
  privatePatterns: string[];
  /** Modules never looked up in a checksum database (GONOSUMDB/GOPRIVATE/policy private). */
  noSumPatterns: string[];
  /** The GOSUMDB setting in force. */
  gosumdb: string;
  goSumFiles: string[];
  /** A module cache download dir to seed the store from (versions matching go.sum only). */
  seedFrom?: string | null;
  auditLogFile?: string | null;
  adminToken?: string | null;
  /** When set, module requests are answered only under `/<clientToken>/` (proxy-server.ts). */
  clientToken?: string | null;
  policy?: ProxyPolicyHook | null;
  /** Environment of the go/git processes for direct fetches (credentials live here only). */
  env?: NodeJS.ProcessEnv;
  goBinary?: string;
  http?: Partial<HttpUpstreamOptions>;
  /** At shutdown, how long fetches under way may go on before they are aborted (default 10 s). */
  shutdownGraceMs?: number;
  onShutdownRequest?: () => void;
  /**
   * The caller starts the store's stale temp sweep itself (RunningProxy.sweepStore): serve does
   * so once its ready file is written, so that the walk of the whole store does not hold the
   * thread pool and the main thread before then. Default: swept right after listening.
   */
  deferSweep?: boolean;
  /**
   * The caller loads the engine's request-answering part (proxy-engine.ts: upstream chain,
   * checksum database, verifier, module service) itself, once it is ready
   * (RunningProxy.loadEngine): serve's start-up then skips loading most of the proxy's code.
   * A module or checksum-database request that comes first waits for it. Default: loaded before
   * listening.
   */
  deferEngine?: boolean;
  /** Most .info files one list may fetch for min-age (module-service.ts listMetadataLimit). */
  listMetadataLimit?: number;
  /** Zip prefetch bounds (module-service.ts zipPrefetchDefaults); null: off. */
  zipPrefetch?: { concurrency: number; ahead: number } | null;
};

export type RunningProxy = {
  url: string;
  /** What GOPROXY names: `url`, or `url/<client token>` with a client token. */
  goproxyUrl: string;
  /** Versions copied from --seed-from (null when not seeding). */
  seeded: { copied: number; skipped: number } | null;
  adminUrl: string;
  token: string;
  server: ProxyServer;
  store: BlobStore;
  stats: ProxyStats;
  /** The zip hashes it remembers and computes for HEAD answers (served-zip-hash.ts). */
  zipHashes: ServedZipHashes;
  /** Parses the go.sum files now, if no request has needed them yet; rejects on a bad line. */
  loadGoSum: () => Promise<void>;
  /** Loads the engine's request-answering part now, if no request has needed it yet (`deferEngine`). */
  loadEngine: () => Promise<void>;
  /** Removes the store's stale temp files (with `deferSweep`); a failure is only a warning. */
  sweepStore: () => Promise<void>;
  close: () => Promise<void>;
};

export async function createProxy(
  settings: ProxySettings,
  host: string,
  port: number,
): Promise<RunningProxy> {
  const env = settings.env ?? process.env;
  const goBinary = settings.goBinary ?? 'go';
  const store = await BlobStore.open(settings.storeDir, { sweep: 'later' });
  // go.sum files are read now (an unreadable one stops the start) and parsed on first need:
  // serve asks for it right after its ready file is written (loadGoSum), since parsing a large
  // workspace's go.sum is a good part of start-up. A blob to verify before then waits for it.
  const goSumTexts = await readGoSumFiles(settings.goSumFiles);
  let goSumParse: Promise<GoSumIndex> | undefined;
  const loadGoSum = () => {
    // In slices: requests that need no go.sum (store hits) are answered during the parse.
    goSumParse ??= GoSumIndex.parseInSlices(goSumTexts);
    return goSumParse;
  };
  const seeded = settings.seedFrom
    ? await store.seedFromModCache(settings.seedFrom, goSumSeedVerifier(await loadGoSum()))
    : null;
  const isPrivate = (m: string) => matchPatternList(settings.privatePatterns, m, { foldCase: true });
  // As the go command: GONOSUMDB alone decides what is never looked up in the checksum database
  // (a module only in GONOPROXY is fetched direct, and still checked); the job environment puts
  // GOPRIVATE, the policy's and the inputs' private patterns in both lists.
  const isNoSum = (m: string) => matchPatternList(settings.noSumPatterns, m, { foldCase: true });
  const entries = parseGoproxyList(settings.upstream);
  const privateEntries = settings.privateUpstream ? parseGoproxyList(settings.privateUpstream) : null;
  // URL userinfo, NETRC and GOAUTH, as the go command would send them to these upstreams.
  const credentials = await UpstreamCredentials.load({
    entries: [...entries, ...(privateEntries ?? [])],
    env,
  });
  // An explicit key is checked here (parseGosumdb); the known one is the go command's own.
  const sumdbSetting = parseGosumdb(settings.gosumdb);
  const stats = new ProxyStats();
  const zipHashes = new ServedZipHashes();
  // Everything a bad setting can make fail is done above: what is left cannot fail on input,
  // so loading it later changes no error a start would give.
  let engine: ProxyEngine | null = null;
  let engineLoad: Promise<ProxyEngine> | undefined;
  const loadEngine = () => {
    engineLoad ??= import('./proxy-engine.ts').then(async ({ buildProxyEngine }) => {
      engine = await buildProxyEngine({
        store,
        storeDir: settings.storeDir,
        entries,
        privateEntries,
        isPrivate,
        isNoSum,
        credentials,
        ...(settings.http ? { http: settings.http } : {}),
        env,
        goBinary,
        database: sumdbSetting.off
          ? null
          : {
              name: sumdbSetting.name,
              key: sumdbSetting.key ?? knownSumdbKey(sumdbSetting.name),
              url: sumdbSetting.url?.replace(/\/+$/, '') ?? null,
            },
        goSum: loadGoSum,
        policy: settings.policy ?? null,
        onStored: (bytes) => stats.recordStored(bytes),
        onPrefetched: (event) => stats.recordPrefetched(event),
        zipHashes,
        ...(settings.listMetadataLimit !== undefined
          ? { listMetadataLimit: settings.listMetadataLimit }
          : {}),
        ...(settings.zipPrefetch !== undefined ? { zipPrefetch: settings.zipPrefetch } : {}),
      });
      return engine;
    });
    return engineLoad;
  };
  if (!settings.deferEngine) await loadEngine();
  // What the server calls: the engine's own methods once loaded; a request before then waits.
  const modules: Pick<ModuleService, 'handle' | 'settle' | 'close'> = {
    handle: (request, record, client) =>
      engine
        ? engine.modules.handle(request, record, client)
        : loadEngine().then((e) => e.modules.handle(request, record, client)),
    // Nothing loaded, nothing under way.
    settle: async () => {
      if (engineLoad) await (await engineLoad).modules.settle();
      // What the fetches wrote is durable too once a flush answers.
      await store.syncDeferred();
    },
    close: async (graceMs) => {
      if (engineLoad) await (await engineLoad).modules.close(graceMs);
      await store.syncDeferred();
    },
  };
  const sumdb = {
    handle: (name: string, subpath: string) =>
      engine ? engine.sumdb.handle(name, subpath) : loadEngine().then((e) => e.sumdb.handle(name, subpath)),
  };
  const server = new ProxyServer({
    store,
    modules,
    sumdb,
    stats,
    zipHashes,
    auditLogFile: settings.auditLogFile ?? null,
    adminToken: settings.adminToken ?? null,
    clientToken: settings.clientToken ?? null,
    policyFree: !settings.policy,
    // A streaming client may stay silent as long as an upstream may.
    ...(settings.http?.timeoutMs ? { slowClientMs: settings.http.timeoutMs } : {}),
    ...(settings.onShutdownRequest ? { onShutdownRequest: settings.onShutdownRequest } : {}),
  });
  const url = await server.listen(host, port);
  // After ready: a killed writer's temp files cost disk space, not correctness (never served).
  const sweepStore = () =>
    store.removeStaleTempFiles().then(
      () => {},
      (err: Error) => {
        process.emitWarning(`goproxy-action: could not remove stale temp files in the store: ${err.message}`);
      },
    );
  if (!settings.deferSweep) void sweepStore();
  return {
    url,
    goproxyUrl: server.goproxyUrl,
    seeded,
    adminUrl: server.adminUrl,
    token: server.token,
    server,
    store,
    stats,
    zipHashes,
    loadGoSum: async () => {
      await loadGoSum();
    },
    loadEngine: async () => {
      await loadEngine();
    },
    sweepStore,
    close: async () => {
      await server.close(settings.shutdownGraceMs);
      // An engine still loading is waited for, so that its HTTP client is closed too.
      if (engineLoad) await (await engineLoad.catch(() => null))?.http.close();
    },
  };
}

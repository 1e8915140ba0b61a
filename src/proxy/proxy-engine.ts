// The part of the engine that answers module and checksum-database requests: upstream chain
// (HTTP and direct), checksum database pass-through, verifier and module service. create-proxy.ts
// builds it, and serve loads this module only after its ready file (a dynamic import): it is
// most of the proxy's code, and a proxy's start-up needs none of it (bench/engine-startup.ts).
import type { GoSumIndex } from '../gomod/go-sum.ts';
import { ProxyPolicy } from '../policy/proxy-policy.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { DirectFetcher } from '../upstream/direct-fetcher.ts';
import type { ProxyEntry } from '../upstream/goproxy-list.ts';
import { HttpUpstream, type HttpUpstreamOptions } from '../upstream/http-upstream.ts';
import { UpstreamChain } from '../upstream/upstream-chain.ts';
import type { UpstreamCredentials } from '../upstream/upstream-credentials.ts';
import { BlobVerifier } from './blob-verifier.ts';
import { ModuleService, type ProxyPolicyHook } from './module-service.ts';
import type { ServedZipHashes } from './served-zip-hash.ts';
import { StaleAnswers } from './stale-answers.ts';
import { type SumdbDatabase, SumdbPassthrough } from './sumdb-passthrough.ts';

// serve loads the policy's code from here: one lazy chunk instead of two sharing code with it.
export { ProxyPolicy };

export type ProxyEngineSettings = {
  store: BlobStore;
  storeDir: string;
  entries: ProxyEntry[];
  privateEntries: ProxyEntry[] | null;
  isPrivate: (module: string) => boolean;
  isNoSum: (module: string) => boolean;
  credentials: UpstreamCredentials;
  http?: Partial<HttpUpstreamOptions>;
  env: NodeJS.ProcessEnv;
  goBinary: string;
  /** The database GOSUMDB names (null when off), its key already checked where it was given. */
  database: SumdbDatabase | null;
  goSum: () => Promise<GoSumIndex>;
  policy: ProxyPolicyHook | null;
  onStored: (bytes: number) => void;
  zipHashes: ServedZipHashes;
  listMetadataLimit?: number;
  /** Zip prefetch bounds (module-service.ts zipPrefetchDefaults); null: off. */
  zipPrefetch?: { concurrency: number; ahead: number } | null;
  onPrefetched?: (event: 'stored' | 'asked') => void;
};

export type ProxyEngine = {
  modules: ModuleService;
  sumdb: SumdbPassthrough;
  http: HttpUpstream;
};

export async function buildProxyEngine(settings: ProxyEngineSettings): Promise<ProxyEngine> {
  const { store, isNoSum } = settings;
  const http = new HttpUpstream({ ...settings.http, credentials: settings.credentials });
  const chain = new UpstreamChain({
    entries: settings.entries,
    ...(settings.privateEntries ? { privateEntries: settings.privateEntries } : {}),
    isPrivate: settings.isPrivate,
    http,
    direct: new DirectFetcher({
      goBinary: settings.goBinary,
      env: settings.env,
      ...(settings.http?.deadlineMs ? { timeoutMs: settings.http.deadlineMs } : {}),
    }),
  });
  // The checksum database: verified natively, with the key GOSUMDB gives or the one the go
  // command knows for the default database; see sumdb-passthrough.ts for a database without one.
  const sumdb = await SumdbPassthrough.open({
    store,
    http,
    entries: settings.entries,
    database: settings.database,
    isNoSum,
  });
  const verifier = new BlobVerifier({
    goSum: settings.goSum,
    isNoSum,
    sumdbName: settings.database?.name ?? null,
    sumdbLookup: sumdb.verifies ? (module, version) => sumdb.lookupLines(module, version) : null,
  });
  const modules = new ModuleService({
    store,
    chain,
    verifier,
    stale: new StaleAnswers(settings.storeDir),
    policy: settings.policy,
    onStored: settings.onStored,
    zipHashes: settings.zipHashes,
    ...(settings.listMetadataLimit !== undefined ? { listMetadataLimit: settings.listMetadataLimit } : {}),
    ...(settings.zipPrefetch !== undefined ? { zipPrefetch: settings.zipPrefetch } : {}),
    ...(settings.onPrefetched ? { onPrefetched: settings.onPrefetched } : {}),
  });
  return { modules, sumdb, http };
}

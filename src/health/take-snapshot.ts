// Takes a health snapshot: the build list, each module probed through the proxy with bounded
// concurrency, the proxy's statistics, the policy and the vulnerability database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { GoSumIndex } from '../gomod/go-sum.ts';
import type { Policy } from '../policy/policy.ts';
import type { StatsSnapshot } from '../proxy/proxy-stats.ts';
import { readBuildList } from './build-list.ts';
import { probeModule } from './module-probe.ts';
import { PathVersions } from './path-versions.ts';
import type { Progress } from './progress.ts';
import { ProxyClient } from './proxy-client.ts';
import { summarizeProxy } from './proxy-summary.ts';
import { type HealthSnapshot, type ModuleHealth, snapshotSchemaVersion, summarize } from './snapshot.ts';
import { VulnDatabase } from './vuln-database.ts';

export type SnapshotOptions = {
  dir: string;
  proxyUrl: string;
  authorization?: string;
  /** The go command for `go list -m -json all`; null: read go.mod files only. */
  goBinary: string | null;
  /** Environment for the go command (GOPROXY already pointing at the proxy). */
  goCommandEnv: NodeJS.ProcessEnv;
  goEnv: { GOPRIVATE: string; GONOPROXY: string; GONOSUMDB: string };
  policy: Policy | null;
  policySource: string | null;
  vulnDbUrl: string | null;
  /** Reads the in-job proxy's statistics after the probes (null: a remote proxy). */
  readStats: (() => Promise<StatsSnapshot>) | null;
  concurrency: number;
  timeoutMs: number;
  newerMajors: boolean;
  progress?: Progress;
  now?: Date;
};

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export async function takeSnapshot(options: SnapshotOptions): Promise<HealthSnapshot> {
  const now = options.now ?? new Date();
  const buildList = await readBuildList({
    dir: options.dir,
    goBinary: options.goBinary,
    env: options.goCommandEnv,
  });
  const goSum = await GoSumIndex.load(buildList.goSumFiles);
  const vulnDb = options.vulnDbUrl ? await VulnDatabase.open(options.vulnDbUrl, options.timeoutMs) : null;
  const client = new ProxyClient({
    url: options.proxyUrl,
    timeoutMs: options.timeoutMs,
    connections: Math.max(4, options.concurrency * 2),
    ...(options.authorization ? { authorization: options.authorization } : {}),
  });
  const paths = new Map<string, PathVersions>();
  const pathVersions = (path: string) => {
    let pv = paths.get(path);
    if (!pv) {
      pv = new PathVersions(client, path);
      paths.set(path, pv);
    }
    return pv;
  };
  const scratchDir = await mkdtemp(join(tmpdir(), 'goproxy-health-'));
  let done = 0;
  let modules: ModuleHealth[];
  try {
    modules = await mapBounded(buildList.modules, options.concurrency, async (m) => {
      const result = await probeModule(m, {
        client,
        paths: pathVersions,
        goSum,
        excluded: buildList.excluded,
        policy: options.policy,
        goEnv: options.goEnv,
        vulnDb,
        scratchDir,
        now,
        newerMajors: options.newerMajors,
      });
      options.progress?.update(++done, buildList.modules.length, `${m.path}@${m.version}`);
      return result;
    });
  } finally {
    options.progress?.finish();
    await rm(scratchDir, { recursive: true, force: true });
  }
  // Paths relative to the workspace: the snapshot is compared across runs and machines.
  const rel = (file: string) => {
    const r = relative(options.dir, file);
    return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r.split('\\').join('/') : file;
  };
  for (const m of modules) if (m.location) m.location = { ...m.location, file: rel(m.location.file) };
  let stats: StatsSnapshot | null = null;
  if (options.readStats) stats = await options.readStats();
  return {
    schemaVersion: snapshotSchemaVersion,
    generatedAt: now.toISOString(),
    workspace: {
      dir: options.dir,
      buildListSource: buildList.source,
      buildListNote: buildList.note,
      goModFiles: buildList.goModFiles.map(rel),
      goWorkFiles: buildList.goWorkFiles.map(rel),
      goSumFiles: buildList.goSumFiles.map(rel),
      mainModules: buildList.mainModules,
    },
    proxy: summarizeProxy(client, stats),
    vulnDb: vulnDb ? { url: vulnDb.url, modified: vulnDb.modified } : null,
    policySource: options.policySource,
    modules,
    summary: summarize(modules),
  };
}

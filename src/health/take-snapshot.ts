// Takes a health snapshot: the build list, each module probed through the proxy with bounded
// concurrency, the proxy's statistics, the policy and the vulnerability database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { GoSumIndex } from '../gomod/go-sum.ts';
import type { Policy } from '../policy/policy.ts';
import type { StatsSnapshot } from '../proxy/proxy-stats.ts';
import { type BuildListModule, planBuildList } from './build-list.ts';
import { probeModule } from './module-probe.ts';
import { PathVersions } from './path-versions.ts';
import { noProfile, type PhaseProfile } from './phase-profile.ts';
import type { Progress } from './progress.ts';
import { ProxyClient } from './proxy-client.ts';
import { summarizeProxy } from './proxy-summary.ts';
import { type HealthSnapshot, type ModuleHealth, snapshotSchemaVersion, summarize } from './snapshot.ts';
import { VulnDatabase } from './vuln-database.ts';

export type SnapshotOptions = {
  dir: string;
  proxyUrl: string;
  /** The proxy as the snapshot names it, when proxyUrl holds a secret (the client token). */
  proxyShown?: string;
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
  /**
   * The proxy is our own in-job `serve` (its ready file given): zips are not downloaded, their
   * h1 comes with a HEAD answer (docs/health.md, "How zips are verified").
   */
  zipHashFromProxy?: boolean;
  concurrency: number;
  timeoutMs: number;
  newerMajors: boolean;
  progress?: Progress;
  now?: Date;
  /** Where the time went, per phase (printed to stderr with GOPROXY_ACTION_HEALTH_PROFILE=1). */
  profile?: PhaseProfile;
};

/** At most `limit` tasks run at once; the others wait in arrival order. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export async function takeSnapshot(options: SnapshotOptions): Promise<HealthSnapshot> {
  const now = options.now ?? new Date();
  const profile = options.profile;
  const plan = await planBuildList({
    dir: options.dir,
    goBinary: options.goBinary,
    env: options.goCommandEnv,
  });
  const finalBuildList = profile
    ? profile.time('build list (go list -m -json all)', () => plan.final)
    : plan.final;
  const goSum = await GoSumIndex.load(plan.preliminary.goSumFiles);
  const vulnDb = options.vulnDbUrl ? await VulnDatabase.open(options.vulnDbUrl, options.timeoutMs) : null;
  const client = new ProxyClient({
    url: options.proxyUrl,
    timeoutMs: options.timeoutMs,
    connections: Math.max(4, options.concurrency * 2),
    ...(profile ? { profile } : {}),
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
  const limit = createLimiter(options.concurrency);
  const probes = new Map<string, Promise<ModuleHealth>>();
  const probe = (m: BuildListModule): Promise<ModuleHealth> => {
    const key = `${m.path}@${m.version}=>${m.replace?.path ?? ''}@${m.replace?.version ?? ''}`;
    let p = probes.get(key);
    if (!p) {
      p = limit(() =>
        (profile ?? noProfile).time('module probe', () =>
          probeModule(m, {
            client,
            paths: pathVersions,
            goSum,
            excluded: plan.preliminary.excluded,
            policy: options.policy,
            goEnv: options.goEnv,
            vulnDb,
            scratchDir,
            now,
            newerMajors: options.newerMajors,
            zipHashFromProxy: options.zipHashFromProxy === true,
            ...(profile ? { profile } : {}),
          }),
        ),
      );
      probes.set(key, p);
    }
    return p;
  };
  let buildList: Awaited<typeof plan.final>;
  let modules: ModuleHealth[];
  try {
    // The go.mod files' modules are probed while the go command computes the build list: since
    // Go 1.17 a tidy go.mod names most of it, so most of the go command's time is hidden.
    for (const m of plan.preliminary.modules) void probe(m).catch(() => undefined);
    buildList = await finalBuildList;
    let done = 0;
    modules = await Promise.all(
      buildList.modules.map(async (m) => {
        const result = await probe(m);
        options.progress?.update(++done, buildList.modules.length, `${m.path}@${m.version}`);
        // Where it is required, as the final build list says.
        return { ...result, indirect: m.indirect, location: m.location, replace: m.replace };
      }),
    );
  } finally {
    // Probes of go.mod versions the go command did not select finish before the scratch dir goes.
    await Promise.allSettled(probes.values());
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
    proxy: {
      ...summarizeProxy(client, stats),
      ...(options.proxyShown !== undefined ? { url: options.proxyShown } : {}),
    },
    vulnDb: vulnDb ? { url: vulnDb.url, modified: vulnDb.modified } : null,
    policySource: options.policySource,
    modules,
    summary: summarize(modules),
  };
}

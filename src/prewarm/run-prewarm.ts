// One prewarm run: resolves the plan's queries through the proxy, warms every module version
// with bounded concurrency (private ones only where allowed), optionally warms the checksum
// database answers, and returns the report. Whole modules go first and .mod-only versions last
// (largest known module first):
// a proxy like Athens or goproxy fetches the whole module on any miss either way, but only whole
// modules leave a zip for us to check, so those checks overlap the last fetches instead of
// following them. An abort (SIGINT/SIGTERM) stops new work, lets the
// requests in flight fail fast and still returns a report, with `interrupted` set.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eachLimited } from '../each-limited.ts';
import { matchPatternList } from '../policy/patterns.ts';
import {
  type ModuleReport,
  type PrewarmReport,
  type QueryReport,
  slowestOf,
  totalsOf,
} from './prewarm-report.ts';
import type { Progress } from './progress.ts';
import { type ProxyClient, ProxyRequestError } from './proxy-client.ts';
import { resolveQuery } from './resolve-query.ts';
import { Slots } from './slots.ts';
import { warmModule } from './warm-module.ts';
import { compareItems, type WarmItem, type WarmPlan } from './warm-plan.ts';
import { warmSumdb } from './warm-sumdb.ts';

export type RunPrewarmOptions = {
  plan: WarmPlan;
  client: ProxyClient;
  /** The proxy URL for the report (credentials already removed). */
  proxyLabel: string;
  concurrency: number;
  timeoutMs: number;
  attempts: number;
  retryBudget: number;
  /** GOPRIVATE/GONOPROXY and policy private patterns: warmed only when allowPrivate. */
  privatePatterns: readonly string[];
  /** GONOSUMDB plus the private patterns: never looked up in the checksum database. */
  noSumPatterns: readonly string[];
  allowPrivate: boolean;
  /** The checksum database to warm through the proxy (its name), or null. */
  sumdb: string | null;
  warmLatencyMs: number;
  signal: AbortSignal;
  progress: Progress;
  scratchRoot?: string;
};

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

export async function runPrewarm(options: RunPrewarmOptions): Promise<PrewarmReport> {
  const startedAt = new Date();
  const started = performance.now();
  const { plan, client, signal } = options;
  const scratchDir = await mkdtemp(join(options.scratchRoot ?? tmpdir(), 'goproxy-prewarm-'));
  const queries: QueryReport[] = [];
  try {
    // Queries resolve concurrently (each is one or two round trips); the report keeps plan order.
    const planned = plan.queries();
    const resolved: QueryReport[] = new Array(planned.length);
    await eachLimited(
      planned.map((q, at) => ({ q, at })),
      options.concurrency,
      async ({ q, at }) => {
        if (signal.aborted) {
          resolved[at] = { ...q, error: 'not resolved: interrupted' };
          return;
        }
        const isPrivate = matchPatternList(options.privatePatterns, q.module, { foldCase: true });
        if (isPrivate && !options.allowPrivate) {
          resolved[at] = {
            ...q,
            error:
              'private module: not sent to a proxy not allowed to hold private modules (--allow-private)',
          };
          return;
        }
        try {
          resolved[at] = { ...q, version: await resolveQuery(client, q.module, q.query) };
        } catch (error) {
          if (isAbort(error, signal)) resolved[at] = { ...q, error: 'not resolved: interrupted' };
          else resolved[at] = { ...q, error: (error as Error).message };
        }
      },
    );
    for (const q of resolved) {
      queries.push(q);
      if (q.version)
        plan.add({ module: q.module, version: q.version, want: 'full', source: `${q.source} (${q.query})` });
    }

    const items = plan.items();
    const results = new Map<WarmItem, ModuleReport>();
    const base = (item: WarmItem): Omit<ModuleReport, 'status'> => ({
      module: item.module,
      version: item.version,
      want: item.want,
      bytes: 0,
      ms: 0,
      blobs: [],
      sources: item.sources,
    });
    const toWarm: WarmItem[] = [];
    for (const item of items) {
      const isPrivate = matchPatternList(options.privatePatterns, item.module, { foldCase: true });
      if (isPrivate && !options.allowPrivate) {
        results.set(item, {
          ...base(item),
          status: 'skipped',
          reason:
            'private module (GOPRIVATE/GONOPROXY/policy): pass --allow-private if this proxy may hold it',
        });
      } else toWarm.push(item);
    }
    let done = 0;
    let failed = 0;
    let bytes = 0;
    const state = () => ({ done, total: toWarm.length, failed, bytes });
    const lanes = new Slots(options.concurrency);
    const pendingZips = new Slots(2 * options.concurrency);
    // As many checks as lanes: a check waits on file reads and zlib's thread pool between bursts
    // of CPU, and on a loaded runner two at a time could not keep up with eight lanes.
    const checks = new Slots(options.concurrency);
    const requestOrder = [
      ...toWarm.filter((item) => item.want === 'full'),
      ...toWarm.filter((item) => item.want !== 'full'),
    ];
    // Largest first among the .mod-only versions, so the run does not end on a big one: a proxy
    // that fetches whole modules (Athens, goproxy) fetches a module's zip even for its .mod, and
    // other versions of the same module are the best guess of its size that there is. Read when
    // a lane frees (zip sizes seen so far), unknown sizes first, plan order among equals; whole
    // modules all go before (rank 0). With one lane the order is a function of the answers.
    const zipBytesByPath = new Map<string, number>();
    const modOnlyRank = (item: WarmItem) => () => {
      const bytes = zipBytesByPath.get(item.module);
      return bytes === undefined ? 1 : 2 + 1 / (1 + bytes);
    };
    const warmOne = async (item: WarmItem): Promise<void> => {
      if (signal.aborted) return;
      // Replaced by the time the module got its lane when it gets one.
      const itemStarted = performance.now();
      let report: ModuleReport;
      try {
        const outcome = await warmModule(item, {
          client,
          scratchDir,
          warmLatencyMs: options.warmLatencyMs,
          lanes,
          pendingZips,
          checks,
          signal,
          ...(item.want === 'full'
            ? {
                onZipRead: (zipBytes: number) =>
                  zipBytesByPath.set(item.module, Math.max(zipBytes, zipBytesByPath.get(item.module) ?? 0)),
              }
            : { laneRank: modOnlyRank(item) }),
        });
        const ms = Math.round(performance.now() - outcome.startedAt);
        const itemBytes = outcome.blobs.reduce((sum, b) => sum + b.bytes, 0);
        report =
          outcome.status === 'failed'
            ? {
                ...base(item),
                status: 'failed',
                reason: outcome.reason,
                mismatch: outcome.mismatch,
                bytes: itemBytes,
                ms,
                blobs: outcome.blobs,
              }
            : {
                ...base(item),
                status: outcome.status,
                evidence: outcome.evidence,
                bytes: itemBytes,
                ms,
                blobs: outcome.blobs,
              };
      } catch (error) {
        if (isAbort(error, signal)) return;
        const reason =
          error instanceof ProxyRequestError
            ? error.message
            : `unexpected error: ${(error as Error).message}`;
        report = {
          ...base(item),
          status: 'failed',
          reason,
          mismatch: false,
          ms: Math.round(performance.now() - itemStarted),
        };
      }
      results.set(item, report);
      done++;
      if (report.status === 'failed') failed++;
      bytes += report.bytes;
      options.progress.update(state());
    };
    // Checksum-database answers are warmed beside the modules, on the same lanes: after the whole
    // modules queued (rank 0.5), before the .mod-only versions, so the proxy's module fetches
    // (CPU and bandwidth on a cold Athens) overlap the lookups' round trips to the database.
    let sumdbWarm: Promise<PrewarmReport['sumdb']> = Promise.resolve(undefined);
    if (options.sumdb) {
      const eligible = toWarm.filter(
        (item) => !matchPatternList(options.noSumPatterns, item.module, { foldCase: true }),
      );
      sumdbWarm = warmSumdb({
        client,
        name: options.sumdb,
        items: eligible,
        concurrency: options.concurrency,
        lanes: { slots: lanes, rank: 0.5, signal },
      }).catch((error: unknown) => {
        if (!isAbort(error, signal)) throw error;
        return undefined;
      });
      // Awaited below; marked handled meanwhile, in case the module tasks throw first.
      sumdbWarm.catch(() => undefined);
    }
    // Every task starts now and waits for a lane; the lanes serve them in request order.
    await Promise.all(requestOrder.map(warmOne));
    options.progress.finish(state());
    const sumdb = await sumdbWarm;

    const modules = items
      .map((item) => results.get(item) ?? { ...base(item), status: 'not-started' as const })
      .sort(compareItems);
    const report: PrewarmReport = {
      schemaVersion: 1,
      proxy: options.proxyLabel,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      interrupted: signal.aborted,
      settings: {
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        attempts: options.attempts,
        retryBudget: options.retryBudget,
        allowPrivate: options.allowPrivate,
      },
      totals: totalsOf(modules, client.retries),
      queries,
      modules,
      slowest: slowestOf(modules),
      ...(sumdb ? { sumdb } : {}),
    };
    return report;
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

// The prewarm report (schema/prewarm-report.schema.json): what was warmed, what the proxy already
// had, what failed and why, bytes, time, the slowest modules, the checksum-database part. Module
// lists are in plan order (path, then version), so two runs over the same sources compare.
import type { BlobResult } from './warm-module.ts';
import type { WarmWant } from './warm-plan.ts';
import type { SumdbWarmReport } from './warm-sumdb.ts';

export type ModuleStatus = 'warmed' | 'already-warm' | 'failed' | 'skipped' | 'not-started';

export type ModuleReport = {
  module: string;
  version: string;
  want: WarmWant;
  status: ModuleStatus;
  /** failed: why; skipped: why (a private module on a proxy not allowed to hold it). */
  reason?: string;
  /** True for a failure because an answer did not match go.sum (or is not what was asked). */
  mismatch?: boolean;
  /** How already-warm/warmed was told: the proxy's X-Goproxy-Source header, or latency. */
  evidence?: 'header' | 'latency';
  bytes: number;
  ms: number;
  blobs: BlobResult[];
  sources: string[];
};

export type QueryReport = { module: string; query: string; source: string; version?: string; error?: string };

export type PrewarmReport = {
  schemaVersion: 1;
  /** The proxy URL without credentials. */
  proxy: string;
  startedAt: string;
  durationMs: number;
  /** True when SIGINT/SIGTERM stopped the run: modules not reached are `not-started`. */
  interrupted: boolean;
  settings: {
    concurrency: number;
    timeoutMs: number;
    attempts: number;
    retryBudget: number;
    allowPrivate: boolean;
  };
  totals: {
    modules: number;
    warmed: number;
    alreadyWarm: number;
    failed: number;
    mismatches: number;
    skipped: number;
    notStarted: number;
    bytes: number;
    retries: number;
  };
  queries: QueryReport[];
  modules: ModuleReport[];
  slowest: { module: string; version: string; ms: number }[];
  sumdb?: SumdbWarmReport;
};

export function totalsOf(modules: readonly ModuleReport[], retries: number): PrewarmReport['totals'] {
  const count = (status: ModuleStatus) => modules.filter((m) => m.status === status).length;
  return {
    modules: modules.length,
    warmed: count('warmed'),
    alreadyWarm: count('already-warm'),
    failed: count('failed'),
    mismatches: modules.filter((m) => m.mismatch).length,
    skipped: count('skipped'),
    notStarted: count('not-started'),
    bytes: modules.reduce((sum, m) => sum + m.bytes, 0),
    retries,
  };
}

/** The `count` slowest fetched modules, slowest first (ties by path, version). */
export function slowestOf(modules: readonly ModuleReport[], count = 10): PrewarmReport['slowest'] {
  return modules
    .filter((m) => m.status === 'warmed' || m.status === 'already-warm' || m.status === 'failed')
    .map((m) => ({ module: m.module, version: m.version, ms: m.ms }))
    .sort(
      (a, b) =>
        b.ms - a.ms ||
        (a.module < b.module ? -1 : a.module > b.module ? 1 : 0) ||
        (a.version < b.version ? -1 : 1),
    )
    .slice(0, count);
}

/** True when the run should fail the job: a failed module, a failed query, or a sumdb mismatch/failure. */
export function hasFailures(report: PrewarmReport): boolean {
  return (
    report.totals.failed > 0 ||
    report.queries.some((q) => q.error !== undefined) ||
    (report.sumdb?.lookups.some((l) => l.status === 'failed') ?? false) ||
    (report.sumdb?.tiles.some((t) => t.status === 'failed') ?? false)
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// The proxy as a whole: latency percentiles, error rate, cache-hit ratio and bytes, from the
// in-job proxy's own statistics (admin endpoint) when we have its token, else from this
// snapshot's own requests against it.
import type { StatsSnapshot } from '../proxy/proxy-stats.ts';
import type { ProxyClient } from './proxy-client.ts';
import type { LatencySummary, ProxyHealth } from './snapshot.ts';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] as number) * 100) / 100;
}

/** 4xx other than 404/410 and every 5xx or missing answer count as errors (404/410 are answers). */
function isError(status: number): boolean {
  return status === 0 || status >= 500 || (status >= 400 && status !== 404 && status !== 410);
}

function latency(entries: readonly { ms: number; status: number }[]): LatencySummary {
  return {
    requests: entries.length,
    errors: entries.filter((e) => isError(e.status)).length,
    p50Ms: percentile(
      entries.map((e) => e.ms),
      50,
    ),
    p95Ms: percentile(
      entries.map((e) => e.ms),
      95,
    ),
  };
}

export function summarizeProxy(client: ProxyClient, stats: StatsSnapshot | null): ProxyHealth {
  const log = client.log;
  const overall = latency(log);
  const byKind: Record<string, LatencySummary> = {};
  for (const kind of [...new Set(log.map((e) => e.kind))].sort())
    byKind[kind] = latency(log.filter((e) => e.kind === kind));
  const perPath = new Map<string, typeof log>();
  for (const e of log) perPath.set(e.module, [...(perPath.get(e.module) ?? []), e]);
  const statsByPath = new Map((stats?.modules ?? []).map((m) => [m.path, m]));
  const modules = [...perPath]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, entries]) => {
      const s = statsByPath.get(path);
      const sourced = entries.filter((e) => e.source !== null && e.status === 200);
      return {
        path,
        ...latency(entries),
        hits: s ? s.hits : sourced.filter((e) => e.source === 'store').length,
        misses: s ? s.misses : sourced.filter((e) => e.source !== 'store').length,
      };
    });
  if (stats) {
    const t = stats.totals;
    for (const [kind, c] of Object.entries(stats.byKind)) {
      if (c.requests > 0)
        byKind[`proxy:${kind}`] = { requests: c.requests, errors: c.errors, p50Ms: c.p50Ms, p95Ms: c.p95Ms };
    }
    return {
      url: client.base,
      statsSource: 'admin',
      requests: t.requests,
      errors: t.errors,
      errorRate: t.requests > 0 ? round(t.errors / t.requests) : 0,
      // The proxy's own latency for what matters most to a build: the blobs.
      p50Ms: overall.p50Ms,
      p95Ms: overall.p95Ms,
      cacheHitRatio: t.hits + t.misses > 0 ? round(t.hits / (t.hits + t.misses)) : null,
      bytes: t.servedBytes,
      byKind,
      modules,
    };
  }
  const sourced = log.filter((e) => e.source !== null && e.status === 200);
  return {
    url: client.base,
    statsSource: 'probes',
    requests: overall.requests,
    errors: overall.errors,
    errorRate: overall.requests > 0 ? round(overall.errors / overall.requests) : 0,
    p50Ms: overall.p50Ms,
    p95Ms: overall.p95Ms,
    cacheHitRatio:
      sourced.length > 0 ? round(sourced.filter((e) => e.source === 'store').length / sourced.length) : null,
    bytes: log.reduce((sum, e) => sum + e.bytes, 0),
    byKind,
    modules,
  };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

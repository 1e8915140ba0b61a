// The proxy's statistics in the Prometheus text exposition format (0.0.4), or OpenMetrics text
// when the scraper asks for it, for `GET /_admin/metrics`: a long-running shared `serve` can be
// scraped like any service. Per-kind series only: per-module series would grow without bound.
import type { Counters, StatsSnapshot } from './proxy-stats.ts';

const counterHelp: Record<keyof Counters, [name: string, help: string]> = {
  requests: ['requests', 'Requests answered, by request kind.'],
  hits: ['store_hits', 'Answers served from the blob store.'],
  misses: ['store_misses', 'Answers not served from the blob store.'],
  upstreamFetches: ['upstream_fetches', 'Fetches from the upstream chain.'],
  upstreamBytes: ['upstream_bytes', 'Bytes fetched from the upstream chain.'],
  servedBytes: ['served_bytes', 'Bytes served to clients.'],
  errors: ['errors', 'Answers that were errors (5xx, and 4xx other than 404/410).'],
  staleServed: ['stale_served', 'Stored list/latest answers served because the upstream failed.'],
  unverified: ['unverified', 'Blobs served but not stored: they could not be verified.'],
  notStored: ['not_stored', 'Blobs served but not stored: the write failed.'],
  denied: ['denied', 'Requests denied by the policy.'],
};

export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';
export const openMetricsContentType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function renderMetrics(stats: StatsSnapshot, openMetrics: boolean): string {
  const out: string[] = [];
  // OpenMetrics names the counter family without `_total`; the Prometheus format names it with.
  const counter = (family: string, help: string, samples: [labels: string, value: number][]) => {
    const name = `goproxy_${family}`;
    out.push(`# HELP ${openMetrics ? name : `${name}_total`} ${help}`);
    out.push(`# TYPE ${openMetrics ? name : `${name}_total`} counter`);
    for (const [labels, value] of samples) out.push(`${name}_total${labels} ${value}`);
  };
  const gauge = (family: string, help: string, samples: [labels: string, value: number][]) => {
    const name = `goproxy_${family}`;
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) out.push(`${name}${labels} ${value}`);
  };
  const kinds = Object.entries(stats.byKind);
  for (const key of Object.keys(counterHelp) as (keyof Counters)[]) {
    const [family, help] = counterHelp[key];
    counter(
      family,
      help,
      kinds.map(([kind, c]) => [`{kind="${label(kind)}"}`, c[key]]),
    );
  }
  gauge(
    'request_latency_milliseconds',
    'Request latency percentiles over recent requests, by request kind.',
    kinds.flatMap(([kind, c]): [string, number][] => [
      [`{kind="${label(kind)}",quantile="0.5"}`, c.p50Ms],
      [`{kind="${label(kind)}",quantile="0.95"}`, c.p95Ms],
    ]),
  );
  counter('store_added_files', 'Blobs written to the store by this process.', [['', stats.store.addedFiles]]);
  counter('store_added_bytes', 'Bytes written to the store by this process.', [['', stats.store.addedBytes]]);
  if (stats.store.files !== undefined)
    gauge('store_files', 'Files in the blob store.', [['', stats.store.files]]);
  if (stats.store.bytes !== undefined)
    gauge('store_bytes', 'Bytes in the blob store.', [['', stats.store.bytes]]);
  if (stats.prefetch) {
    counter('prefetched_zips', 'Zips fetched and stored before a client asked for them.', [
      ['', stats.prefetch.zips],
    ]);
    counter('prefetched_zips_asked', 'Prefetched zips a client then asked for.', [
      ['', stats.prefetch.asked],
    ]);
  }
  gauge('modules_seen', 'Distinct module paths requested.', [['', stats.modules.length]]);
  gauge('uptime_seconds', 'Seconds since the proxy started.', [['', Math.round(stats.uptimeMs / 1000)]]);
  if (openMetrics) out.push('# EOF');
  return `${out.join('\n')}\n`;
}

// A few plain lines about what the proxy did, for logs and the `stop` command.
import type { Counters, ProxyStats, PruneResult } from './admin-client.ts';

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function n(counters: Partial<Counters> | undefined, key: keyof Counters): number {
  const value = counters?.[key];
  return typeof value === 'number' ? value : 0;
}

export function statsLines(stats: ProxyStats, pruned?: PruneResult): string[] {
  const t = stats.totals;
  const lines = [
    `requests: ${n(t, 'requests')} (hits ${n(t, 'hits')}, misses ${n(t, 'misses')}, errors ${n(t, 'errors')})`,
    `upstream: ${n(t, 'upstreamFetches')} fetches, ${formatBytes(n(t, 'upstreamBytes'))}`,
    `served: ${formatBytes(n(t, 'servedBytes'))} to clients, ${Array.isArray(stats.modules) ? stats.modules.length : 0} modules`,
  ];
  if (n(t, 'denied') > 0) lines.push(`denied by policy: ${n(t, 'denied')}`);
  if (n(t, 'unverified') > 0 || n(t, 'notStored') > 0)
    lines.push(`served but not stored: ${n(t, 'notStored')} (unverified ${n(t, 'unverified')})`);
  const prefetch = stats.prefetch;
  if (prefetch && prefetch.zips > 0)
    lines.push(`zips prefetched: ${prefetch.zips} (asked for by a client: ${prefetch.asked})`);
  if (n(t, 'staleServed') > 0) lines.push(`stale answers (upstream failing): ${n(t, 'staleServed')}`);
  if (pruned)
    lines.push(
      `pruned: removed ${pruned.removedFiles} files (${formatBytes(pruned.removedBytes)}), kept ${pruned.keptFiles} (${formatBytes(pruned.keptBytes)})`,
    );
  return lines;
}

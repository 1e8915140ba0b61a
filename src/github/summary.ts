// The job summary: what a person wants to see after a build. Pure: report in, Markdown out.
import type { Counters } from '../daemon/admin-client.ts';
import { formatBytes } from '../daemon/stats-text.ts';
import type { BuildCacheReport, BuildCacheSaveOutcome } from './build-cache-step.ts';
import type { CacheReport, RunReport, SaveOutcome } from './run-report.ts';

function num(counters: Partial<Counters> | undefined, key: keyof Counters): number {
  const value = counters?.[key];
  return typeof value === 'number' ? value : 0;
}

function ms(value: number | undefined): string {
  if (value === undefined) return '-';
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const SAVE_TEXT: Record<SaveOutcome, string> = {
  saved: 'saved',
  'exact-hit': 'not saved (exact hit: nothing new)',
  'nothing-new': 'not saved (no new blobs)',
  'not-restored':
    'not saved (the store was not restored, the module tree was: its new blobs would replace the full entry with a smaller one)',
  'already-saved': 'not saved (another job saved this key first)',
  'read-only': 'not saved (this run may not write to the cache)',
  disabled: 'off',
  failed: 'save failed',
};

function cacheRows(cache: CacheReport): string[][] {
  const restored =
    cache.restore === 'none'
      ? 'none (cold)'
      : `${cache.restore}${cache.matchedKey && cache.restore === 'partial' ? ` from \`${cache.matchedKey}\`` : ''}`;
  const rows = [
    ['cache key', `\`${cache.key}\``],
    [
      'restored',
      cache.storeSkipped
        ? 'not restored: the module tree restored exactly, so the go command needs nothing from the store'
        : `${restored}${cache.restoredBlobs ? `: ${cache.restoredBlobs} blobs, ${formatBytes(cache.restoredBytes ?? 0)}` : ''} in ${ms(cache.restoreMs)}`,
    ],
  ];
  if (cache.addedBlobs !== undefined)
    rows.push(['new blobs', `${cache.addedBlobs} (${formatBytes(cache.addedBytes ?? 0)})`]);
  let saved = SAVE_TEXT[cache.save];
  if (cache.save === 'saved')
    saved += ` (${cache.savedAs === 'layer' ? 'a delta layer' : 'a base'}): ${cache.savedBlobs ?? 0} blobs, ${formatBytes(cache.savedBytes ?? 0)} in ${ms(cache.saveMs)}`;
  rows.push(['saved', saved]);
  return rows;
}

const BUILD_SAVE_TEXT: Record<BuildCacheSaveOutcome, string> = {
  'saved-base': 'saved a new base',
  'saved-layer': 'saved a delta layer',
  'nothing-new': 'not saved (nothing new)',
  'below-threshold': 'not saved (too little new to be worth an entry)',
  refused: 'not saved (the cache service refused; see the log)',
  'read-only': 'not saved (this run may not write to the cache)',
  disabled: 'off',
};

function buildCacheRows(b: BuildCacheReport): string[][] {
  const rows = [
    [
      'build cache restored',
      b.restoredKeys.length === 0
        ? `none (cold) in ${ms(b.restoreMs)}`
        : `${b.restoredKeys.length} entr${b.restoredKeys.length === 1 ? 'y' : 'ies'} (\`${b.restoredKeys.at(-1)}\`): ${b.restoredEntries} objects, ${formatBytes(b.restoredBytes)} in ${ms(b.restoreMs)}`,
    ],
    [
      'build cache use',
      `${b.usedEntries === undefined ? '' : `${b.usedEntries} restored objects used, `}${b.addedEntries} added (${formatBytes(b.addedBytes)})`,
    ],
  ];
  let saved = BUILD_SAVE_TEXT[b.save];
  if (b.savedKey) saved += `: \`${b.savedKey}\` in ${ms(b.saveMs)}`;
  if (b.prunedEntries > 0)
    saved += `, after pruning ${b.prunedEntries} unused objects (${formatBytes(b.prunedBytes)})`;
  rows.push(['build cache saved', saved]);
  return rows;
}

export function renderSummary(report: RunReport): string {
  const out: string[] = [];
  out.push(`### Go modules (goproxy-action, ${report.mode})`, '');
  const rows: string[][] = [['proxy', `\`${report.proxyUrl}\``]];
  const stats = report.stats;
  if (stats) {
    const t = stats.totals;
    const modules = Array.isArray(stats.modules) ? stats.modules.length : 0;
    rows.push(
      ['modules served', String(modules)],
      ['requests', `${num(t, 'requests')}: ${num(t, 'hits')} hits, ${num(t, 'misses')} misses`],
      ['upstream', `${num(t, 'upstreamFetches')} fetches, ${formatBytes(num(t, 'upstreamBytes'))}`],
      ['errors', String(num(t, 'errors'))],
    );
    if (num(t, 'denied') > 0) rows.push(['denied by policy', String(num(t, 'denied'))]);
    if (num(t, 'notStored') > 0)
      rows.push(['served, not stored', `${num(t, 'notStored')} (unverified: ${num(t, 'unverified')})`]);
  }
  if (report.cache?.enabled) rows.push(...cacheRows(report.cache));
  else if (report.cache) rows.push(['cache', 'off']);
  if (report.buildCache) rows.push(...buildCacheRows(report.buildCache));
  if (report.pruned)
    rows.push([
      'pruned',
      `${report.pruned.removedFiles} unused files (${formatBytes(report.pruned.removedBytes)}) in ${ms(report.pruneMs)}`,
    ]);
  out.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${escapeCell(k!)} | ${escapeCell(v!)} |`));
  if (report.problems.length > 0) {
    out.push('', '**Problems**', '', ...report.problems.slice(0, 20).map((p) => `- ${escapeCell(p)}`));
    if (report.problems.length > 20) out.push(`- … and ${report.problems.length - 20} more (see the log)`);
  }
  return `${out.join('\n')}\n`;
}

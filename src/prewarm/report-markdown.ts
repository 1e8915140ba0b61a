// The prewarm report as Markdown: the GitHub job summary, or a file kept as a GitLab artifact.
import { formatBytes, hasFailures, type PrewarmReport } from './prewarm-report.ts';

/** Table cells hold hostile text (proxy error bodies): one line, no pipes, no markup. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[|<>`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function formatReportMarkdown(report: PrewarmReport): string {
  const t = report.totals;
  const lines: string[] = [];
  const verdict = report.interrupted ? 'interrupted' : hasFailures(report) ? 'failures' : 'ok';
  lines.push(`## goproxy prewarm: ${verdict}`, '');
  lines.push(
    `Proxy ${cell(report.proxy)}: ${t.modules} module versions in ${(report.durationMs / 1000).toFixed(1)} s.`,
    '',
  );
  lines.push(
    '| warmed | already warm | failed | checksum mismatches | skipped | not started | bytes | retries |',
  );
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  lines.push(
    `| ${t.warmed} | ${t.alreadyWarm} | ${t.failed} | ${t.mismatches} | ${t.skipped} | ${t.notStarted} | ${formatBytes(t.bytes)} | ${t.retries} |`,
    '',
  );
  const failed = report.modules.filter((m) => m.status === 'failed');
  if (failed.length > 0) {
    lines.push('### Failed', '', '| module | version | reason |', '|---|---|---|');
    for (const m of failed)
      lines.push(
        `| ${cell(m.module)} | ${cell(m.version)} | ${m.mismatch ? '**' : ''}${cell(m.reason ?? '')}${m.mismatch ? '**' : ''} |`,
      );
    lines.push('');
  }
  const badQueries = report.queries.filter((q) => q.error);
  if (badQueries.length > 0) {
    lines.push('### Queries not resolved', '', '| query | reason |', '|---|---|');
    for (const q of badQueries) lines.push(`| ${cell(`${q.module}@${q.query}`)} | ${cell(q.error ?? '')} |`);
    lines.push('');
  }
  const skipped = report.modules.filter((m) => m.status === 'skipped');
  if (skipped.length > 0) {
    lines.push(
      `### Skipped (${skipped.length})`,
      '',
      ...skipped.slice(0, 50).map((m) => `- ${cell(m.module)}@${cell(m.version)}: ${cell(m.reason ?? '')}`),
      '',
    );
  }
  if (report.slowest.length > 0) {
    lines.push('### Slowest', '', '| module | version | ms |', '|---|---|---:|');
    for (const s of report.slowest) lines.push(`| ${cell(s.module)} | ${cell(s.version)} | ${s.ms} |`);
    lines.push('');
  }
  if (report.sumdb) {
    const s = report.sumdb;
    if (!s.supported)
      lines.push(
        `Checksum database ${cell(s.name)}: the proxy does not pass it through (no lookups warmed).`,
        '',
      );
    else {
      const bad = s.lookups.filter((l) => l.status === 'failed');
      lines.push(
        `Checksum database ${cell(s.name)}: ${s.lookups.length - bad.length}/${s.lookups.length} lookups, ${s.tiles.filter((x) => x.status === 'warmed').length}/${s.tiles.length} full tiles warmed.`,
        '',
      );
      for (const l of bad)
        lines.push(
          `- ${cell(l.module)}@${cell(l.version)}: ${l.mismatch ? '**' : ''}${cell(l.reason ?? '')}${l.mismatch ? '**' : ''}`,
        );
      if (bad.length > 0) lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}

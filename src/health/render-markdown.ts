// The snapshot as Markdown: the GitHub job summary and the GitLab merge-request note. Problems
// first (what needs doing), then the proxy, then every module in a collapsed table.

import { moduleFindings } from './findings.ts';
import type { HealthSnapshot, ModuleHealth } from './snapshot.ts';
import type { SnapshotDiff } from './snapshot-diff.ts';

/** Hidden in the rendered note; the MR-note updater finds its own note by it. */
export const noteMarker = '<!-- goproxy-action:health -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

function mark(m: ModuleHealth): string {
  const findings = moduleFindings(m);
  if (findings.some((f) => f.severity === 'error')) return '❌';
  if (findings.some((f) => f.severity === 'warning')) return '⚠️';
  return '✅';
}

export function renderMarkdown(s: HealthSnapshot, diff: SnapshotDiff | null = null): string {
  const out: string[] = [noteMarker, '## Go module health', ''];
  const sum = s.summary;
  out.push(
    `${sum.modules} modules (${s.workspace.buildListSource === 'go-list' ? 'build list from `go list -m all`' : 'from go.mod files'}) · ` +
      `${sum.unresolvable} unresolvable · ${sum.checksumMismatch} checksum mismatches · ${sum.retracted} retracted · ` +
      `${sum.deprecated} deprecated · ${sum.denied} denied · ${s.vulnDb ? `${sum.vulnerable} vulnerable` : 'no vulnerability database'} · ${sum.outdated} with updates`,
    '',
  );
  if (s.workspace.buildListNote) out.push(`> ${cell(s.workspace.buildListNote)}`, '');
  const problems = s.modules.flatMap(moduleFindings).filter((f) => f.severity !== 'notice');
  if (problems.length > 0) {
    out.push('### Findings', '', '| | module | finding |', '|---|---|---|');
    for (const f of problems) {
      out.push(
        `| ${f.severity === 'error' ? '❌' : '⚠️'} | \`${f.module}@${f.version}\` | ${cell(f.message.slice(f.module.length + f.version.length + 3))} |`,
      );
    }
    out.push('');
  }
  if (diff) {
    out.push('### Since the baseline', '');
    const lines: [string, string[]][] = [
      ['added', diff.added.map((m) => `${m.path}@${m.version}`)],
      ['removed', diff.removed.map((m) => `${m.path}@${m.version}`)],
      ['upgraded', diff.upgraded.map((c) => `${c.path} ${c.from} → ${c.to}`)],
      ['downgraded', diff.downgraded.map((c) => `${c.path} ${c.from} → ${c.to}`)],
      ['newly deprecated', diff.newlyDeprecated],
      ['newly retracted', diff.newlyRetracted],
      ['newly vulnerable', diff.newlyVulnerable.map((v) => `${v.module} ${v.id}`)],
      ['newly denied', diff.newlyDenied],
    ];
    const changed = lines.filter(([, items]) => items.length > 0);
    if (changed.length === 0) out.push('No changes.');
    for (const [what, items] of changed)
      out.push(`- **${what}** (${items.length}): ${items.map((i) => `\`${cell(i)}\``).join(', ')}`);
    out.push('');
  }
  const p = s.proxy;
  out.push(
    '### Proxy',
    '',
    `\`${p.url}\` (${p.statsSource === 'admin' ? "the proxy's own statistics" : 'measured by these probes'}): ` +
      `p50 ${p.p50Ms} ms · p95 ${p.p95Ms} ms · ${p.requests} requests · error rate ${(p.errorRate * 100).toFixed(1)}% · ` +
      `cache hits ${p.cacheHitRatio === null ? 'unknown' : `${(p.cacheHitRatio * 100).toFixed(1)}%`} · ${formatBytes(p.bytes)}`,
    '',
    zipHashLine(s),
    '',
  );
  out.push(
    '<details><summary>All modules</summary>',
    '',
    '| | module | version | latest | behind | age | source | go.sum |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const m of s.modules) {
    // "ok" only when both hashes were computed and matched (or the zip line is not needed).
    const { zip, mod } = m.verified;
    const sums =
      zip === 'mismatch' || mod === 'mismatch'
        ? 'mismatch'
        : zip === 'match' && mod === 'match'
          ? 'ok'
          : zip === 'missing' && mod === 'match' && m.verified.missingLines.length === 0
            ? 'ok (go.mod only)'
            : `zip ${zip}, go.mod ${mod}`;
    out.push(
      `| ${mark(m)} | \`${cell(m.path)}\` | ${cell(m.version)} | ${cell(m.current.latest)}${m.current.newerMajor ? ` (${cell(m.current.newerMajor.path)})` : ''} | ${m.current.behind} | ${m.current.usedAgeDays ?? '?'}d | ${m.resolvable.source} | ${sums} |`,
    );
  }
  out.push('', '</details>', '');
  return out.join('\n');
}

/** Who hashed the zips that were checked against go.sum (docs/health.md, "How zips are verified"). */
function zipHashLine(s: HealthSnapshot): string {
  const by = (who: string | null) => s.modules.filter((m) => (m.verified.zipHashedBy ?? null) === who).length;
  return (
    `Zips hashed for the go.sum check: ${by('proxy')} by the in-job proxy (its h1 for the bytes it serves, not downloaded), ` +
    `${by('download')} downloaded and hashed here, ${by(null)} not hashed.`
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1 << 20)).toFixed(1)} MiB`;
}

// What is wrong with a module, as findings every report shares (annotations, code quality,
// JUnit failures, the Markdown table): one list, so the reports cannot disagree.
import type { ModuleHealth } from './snapshot.ts';

export type FindingKind =
  | 'unresolvable'
  | 'checksum'
  | 'missing-sum'
  | 'retracted'
  | 'deprecated'
  | 'denied'
  | 'warned'
  | 'vuln'
  | 'outdated';

export type Finding = {
  kind: FindingKind;
  severity: 'error' | 'warning' | 'notice';
  module: string;
  version: string;
  message: string;
};

export function moduleFindings(m: ModuleHealth): Finding[] {
  const out: Finding[] = [];
  const add = (kind: FindingKind, severity: Finding['severity'], message: string) =>
    out.push({
      kind,
      severity,
      module: m.path,
      version: m.version,
      message: `${m.path}@${m.version}: ${message}`,
    });
  if (!m.resolvable.ok) {
    const failed = (['info', 'mod', 'zip'] as const).filter((k) => m.resolvable[k].status !== 200);
    const detail = failed
      .map((k) => `.${k} ${m.resolvable[k].error ?? `HTTP ${m.resolvable[k].status}`}`)
      .join('; ');
    add(
      'unresolvable',
      'error',
      `not resolvable through the proxy (${detail || 'the zip is not a valid module zip'})`,
    );
  }
  if (m.verified.zip === 'mismatch' || m.verified.mod === 'mismatch') {
    const which = [m.verified.zip === 'mismatch' ? 'zip' : '', m.verified.mod === 'mismatch' ? 'go.mod' : '']
      .filter(Boolean)
      .join(' and ');
    add(
      'checksum',
      'error',
      `${which} hash does not match go.sum (got ${m.verified.zip === 'mismatch' ? m.verified.zipHash : m.verified.modHash})`,
    );
  }
  if (m.verified.missingLines.length > 0)
    add(
      'missing-sum',
      'warning',
      `go.sum lacks ${m.verified.missingLines.length} line(s): ${m.verified.missingLines.join(', ')}`,
    );
  if (m.retracted) add('retracted', 'error', `retracted by its author: ${m.retracted.join('; ')}`);
  if (m.deprecated) add('deprecated', 'warning', `deprecated: ${m.deprecated.split('\n')[0]}`);
  if (m.policy.action === 'deny')
    add('denied', 'error', `denied by policy (${m.policy.rule}): ${m.policy.reason}`);
  if (m.policy.action === 'warn')
    add('warned', 'warning', `policy warning (${m.policy.rule}): ${m.policy.reason}`);
  for (const v of m.vulnerabilities ?? []) {
    const fix = v.fixed.length > 0 ? `fixed in ${v.fixed.join(', ')}` : 'no fixed version';
    const aka = v.aliases.length > 0 ? ` (${v.aliases.join(', ')})` : '';
    add('vuln', 'error', `${v.id}${aka}${v.severity ? ` [${v.severity}]` : ''}: ${v.summary}; ${fix}`);
  }
  if (m.current.update) {
    const major = m.current.newerMajor
      ? `; a newer major exists: ${m.current.newerMajor.path}@${m.current.newerMajor.version}`
      : '';
    add('outdated', 'notice', `${m.current.behind} update available: ${m.current.update}${major}`);
  } else if (m.current.newerMajor) {
    add(
      'outdated',
      'notice',
      `a newer major version exists: ${m.current.newerMajor.path}@${m.current.newerMajor.version}`,
    );
  }
  return out;
}

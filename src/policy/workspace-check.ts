// The static policy check of a workspace: every module@version named by its go.mod, go.work
// and go.sum files against the policy, plus the environment lint. This is the enforcement
// when no proxy of ours is in the path (remote mode), and an early warning otherwise.
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { findModuleFiles } from '../gomod/find-module-files.ts';
import { GoModError, parseGoMod, parseGoWork } from '../gomod/go-mod-file.ts';
import { GoSumError, parseGoSum } from '../gomod/go-sum.ts';
import { isPseudoVersion } from '../gomod/version.ts';
import { type Decision, decideVersion, isPrivateModule, type RequestKind } from './decide.ts';
import { type GoSumModule, type LintFinding, lintEnvironment } from './env-lint.ts';
import type { Policy, RuleAction } from './policy.ts';

export type CheckFinding = {
  severity: 'error' | 'warn';
  /** What raised it: a lint id, `policy` for module decisions, `parse` for unreadable files. */
  check: string;
  message: string;
  fix?: string;
  file?: string;
  line?: number;
  module?: string;
  version?: string;
  /** The policy rule that decided, for module findings. */
  rule?: string;
};

export type CheckReport = {
  policySource: string | null;
  files: string[];
  /** module@version references checked (after deduplication per file). */
  checked: number;
  findings: CheckFinding[];
  errors: number;
  warnings: number;
};

export type CheckOptions = {
  /** The workspace root. */
  dir: string;
  policy: Policy | null;
  env: Record<string, string | undefined>;
  /** How file names are shown (default: relative to `dir`). */
  displayBase?: string;
};

type Reference = {
  module: string;
  version: string;
  kind: RequestKind;
  file: string;
  line: number;
  what: string;
};

function display(base: string, file: string): string {
  const rel = relative(base, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function pseudoFinding(policy: Policy, ref: Reference): Decision | null {
  const action: RuleAction = policy.rules.pseudoVersions;
  if (action === 'allow' || ref.kind !== 'zip' || !isPseudoVersion(ref.version)) return null;
  if (isPrivateModule(policy, ref.module)) return null;
  return {
    action,
    rule: 'rules.pseudo-versions',
    reason: 'a pseudo-version (an untagged commit)',
    fix: 'require a tagged release of the module',
  };
}

export async function checkWorkspace(options: CheckOptions): Promise<CheckReport> {
  const base = options.displayBase ?? options.dir;
  const files = await findModuleFiles(options.dir);
  const findings: CheckFinding[] = [];
  const references: Reference[] = [];
  const goSumModules: GoSumModule[] = [];
  const seenGoSumModule = new Set<string>();
  for (const path of files) {
    const file = display(base, path);
    const text = await readFile(path, 'utf8');
    try {
      if (path.endsWith('go.sum')) {
        // One reference per module@version and file: the zip line when there is one (it is
        // what gets built), else the /go.mod line, which only path rules apply to.
        const byVersion = new Map<string, Reference>();
        for (const l of parseGoSum(text, file)) {
          const key = `${l.module}@${l.version}`;
          const ref: Reference = {
            module: l.module,
            version: l.version,
            kind: l.isGoMod ? 'mod' : 'zip',
            file,
            line: l.line,
            what: l.isGoMod ? 'go.sum (go.mod hash only)' : 'go.sum',
          };
          const prev = byVersion.get(key);
          if (!prev || (prev.kind === 'mod' && ref.kind === 'zip')) byVersion.set(key, ref);
          if (!seenGoSumModule.has(`${file} ${l.module}`)) {
            seenGoSumModule.add(`${file} ${l.module}`);
            goSumModules.push({ module: l.module, version: l.version, file, line: l.line });
          }
        }
        references.push(...byVersion.values());
      } else if (path.endsWith('go.work')) {
        const work = parseGoWork(text, file);
        for (const r of work.replace) {
          if (r.new.version !== '')
            references.push({
              module: r.new.path,
              version: r.new.version,
              kind: 'zip',
              file,
              line: r.line,
              what: 'replace',
            });
        }
      } else {
        const mod = parseGoMod(text, file);
        const localReplaced = new Set(mod.replace.filter((r) => r.new.version === '').map((r) => r.old.path));
        for (const r of mod.require) {
          // A module replaced by a local directory is never downloaded.
          if (localReplaced.has(r.path)) continue;
          references.push({
            module: r.path,
            version: r.version,
            kind: 'zip',
            file,
            line: r.line,
            what: 'require',
          });
        }
        for (const r of mod.replace) {
          if (r.new.version !== '')
            references.push({
              module: r.new.path,
              version: r.new.version,
              kind: 'zip',
              file,
              line: r.line,
              what: 'replace',
            });
        }
      }
    } catch (err) {
      if (err instanceof GoModError) {
        for (const p of err.problems) {
          findings.push({
            severity: 'error',
            check: 'parse',
            message: p.message,
            fix: 'fix the file (go mod tidy rewrites go.mod and go.sum)',
            file,
            line: p.line,
          });
        }
      } else if (err instanceof GoSumError) {
        findings.push({
          severity: 'error',
          check: 'parse',
          message: err.message.replace(/^[^:]+:\d+: /, ''),
          file,
          line: err.line,
        });
      } else {
        throw err;
      }
    }
  }
  if (options.policy) {
    for (const ref of references) {
      const decision = decideVersion(options.policy, ref.module, ref.version, ref.kind);
      const outcome = decision.action !== 'allow' ? decision : pseudoFinding(options.policy, ref);
      if (!outcome || outcome.action === 'allow') continue;
      findings.push({
        severity: outcome.action === 'deny' ? 'error' : 'warn',
        check: 'policy',
        message: `${ref.module}@${ref.version} (${ref.what}) ${outcome.action === 'deny' ? 'is denied' : 'needs attention'}: ${outcome.rule ?? 'policy'}${outcome.reason ? `: ${outcome.reason}` : ''}`,
        ...(outcome.fix ? { fix: outcome.fix } : {}),
        file: ref.file,
        line: ref.line,
        module: ref.module,
        version: ref.version,
        ...(outcome.rule ? { rule: outcome.rule } : {}),
      });
    }
  }
  const lint: LintFinding[] = lintEnvironment({ env: options.env, policy: options.policy, goSumModules });
  for (const f of lint) {
    findings.push({
      severity: f.severity,
      check: f.id,
      message: f.message,
      fix: f.fix,
      ...(f.file ? { file: f.file } : {}),
      ...(f.line ? { line: f.line } : {}),
    });
  }
  return {
    policySource: options.policy?.source ?? null,
    files: files.map((f) => display(base, f)),
    checked: references.length,
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warn').length,
  };
}

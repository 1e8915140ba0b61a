// Environment lint: settings of the go command that silently weaken verification or leak
// private module paths. Each finding has an id (its severity is configurable in the policy's
// `lint:` section), a message saying what is wrong and a fix saying what to write instead.
import { firstMatchingPattern, matchPrefixPatterns, parsePatternList } from './patterns.ts';
import type { LintSeverity, Policy } from './policy.ts';

export const lintFindingIds = [
  'gosumdb-off',
  'private-patterns-too-broad',
  'private-module-not-in-gonosumdb',
  'goinsecure',
  'gonosumcheck',
  'goflags-insecure',
  'public-upstream-after-private',
] as const;
export type LintFindingId = (typeof lintFindingIds)[number];

/** Defaults: what weakens verification or leaks paths is an error; what is merely misleading warns. */
export const defaultLintSeverity: Record<LintFindingId, Exclude<LintSeverity, 'off'>> = {
  'gosumdb-off': 'error',
  'private-patterns-too-broad': 'error',
  'private-module-not-in-gonosumdb': 'error',
  goinsecure: 'warn',
  gonosumcheck: 'warn',
  'goflags-insecure': 'warn',
  'public-upstream-after-private': 'error',
};

export type LintFinding = {
  id: LintFindingId;
  severity: 'error' | 'warn';
  message: string;
  fix: string;
  /** The variable the finding is about, e.g. GONOSUMDB. */
  variable?: string;
  /** Where the finding shows (a go.sum line), when it has a place in a file. */
  file?: string;
  line?: number;
};

export type GoSumModule = { module: string; version: string; file: string; line: number };

export type EnvLintInput = {
  /** The go command's environment as the build will see it. */
  env: Record<string, string | undefined>;
  policy: Policy | null;
  /** Modules of the workspace's go.sum files (one entry per module is enough). */
  goSumModules?: GoSumModule[];
  /** GOPROXY-syntax upstream lists to check (default: the environment's GOPROXY). */
  upstreams?: string[];
};

// Hosts whose first path element is an owner: a pattern naming only the host covers every
// owner's modules. Not registries: code hosts and vanity domains of large projects.
const sharedHosts = new Set([
  'github.com',
  'gitlab.com',
  'bitbucket.org',
  'codeberg.org',
  'gitea.com',
  'golang.org',
  'google.golang.org',
  'gopkg.in',
  'go.googlesource.com',
  'k8s.io',
  'sigs.k8s.io',
  'cloud.google.com',
  'go.opentelemetry.io',
  'go.uber.org',
  'dev.azure.com',
]);

function value(env: EnvLintInput['env'], name: string): string {
  return (env[name] ?? '').trim();
}

/** GONOSUMDB as the go command uses it: GONOSUMDB when set, else GOPRIVATE. */
function effectiveNoSumDb(env: EnvLintInput['env']): { name: string; value: string } {
  const own = value(env, 'GONOSUMDB');
  return own !== ''
    ? { name: 'GONOSUMDB', value: own }
    : { name: 'GOPRIVATE', value: value(env, 'GOPRIVATE') };
}

function examples(list: string[]): string {
  const shown = list.slice(0, 3).join(', ');
  return list.length > 3 ? `${shown} and ${list.length - 3} more` : shown;
}

function normalizeUpstream(entry: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(entry) ? entry : `https://${entry}`;
  return withScheme.replace(/\/+$/, '').toLowerCase();
}

type Raw = Omit<LintFinding, 'severity'>;

function tooBroad(input: EnvLintInput, modules: GoSumModule[]): Raw[] {
  const out: Raw[] = [];
  const policyPrivate = input.policy?.private ?? [];
  for (const name of ['GONOSUMDB', 'GOPRIVATE']) {
    for (const pattern of parsePatternList(value(input.env, name))) {
      let why: string | null = null;
      let at: GoSumModule | undefined;
      if (pattern === '*' || /^[*?]+$/.test(pattern) || pattern === '*.*') {
        why = 'it matches every module';
      } else if (sharedHosts.has(pattern.toLowerCase())) {
        why = `it covers every owner's modules on ${pattern}`;
      } else if (policyPrivate.length > 0) {
        // With a policy, what is private is known: a pattern covering other modules is too broad.
        const publicCovered = modules.filter(
          (m) =>
            matchPrefixPatterns(pattern, m.module) &&
            firstMatchingPattern(policyPrivate, m.module, { foldCase: true }) === null,
        );
        if (publicCovered.length > 0) {
          at = publicCovered[0];
          why = `it covers public modules of go.sum (${examples(publicCovered.map((m) => m.module))})`;
        }
      }
      if (why === null) continue;
      const checksum = name === 'GONOSUMDB' || value(input.env, 'GONOSUMDB') === '';
      out.push({
        id: 'private-patterns-too-broad',
        variable: name,
        message: `${name} pattern '${pattern}' is too broad: ${why}, so ${checksum ? 'their checksums are not verified against the checksum database' : 'they are treated as private'}`,
        fix: `list only your private module prefixes in ${name}, e.g. ${name}=github.com/your-org${policyPrivate.length > 0 ? ` (the policy's private patterns: ${policyPrivate.join(',')})` : ''}`,
        ...(at ? { file: at.file, line: at.line } : {}),
      });
    }
  }
  return out;
}

function privateNotInNoSumDb(input: EnvLintInput, modules: GoSumModule[]): Raw[] {
  const env = input.env;
  if (value(env, 'GOSUMDB') === 'off') return [];
  // What is private: the policy's patterns (case-folded), else what the environment says.
  const policyPrivate = input.policy?.private ?? [];
  const envPrivate = [
    ...parsePatternList(value(env, 'GOPRIVATE')),
    ...parsePatternList(value(env, 'GONOPROXY')),
  ];
  const isPrivate = (m: string): boolean =>
    policyPrivate.length > 0
      ? firstMatchingPattern(policyPrivate, m, { foldCase: true }) !== null
      : envPrivate.some((p) => matchPrefixPatterns(p, m));
  const noSumDb = effectiveNoSumDb(env);
  const leaking = modules.filter((m) => isPrivate(m.module) && !matchPrefixPatterns(noSumDb.value, m.module));
  if (leaking.length === 0) return [];
  const patterns = policyPrivate.length > 0 ? policyPrivate : envPrivate;
  const first = leaking[0]!;
  return [
    {
      id: 'private-module-not-in-gonosumdb',
      variable: 'GONOSUMDB',
      message: `private module${leaking.length > 1 ? 's' : ''} ${examples([...new Set(leaking.map((m) => m.module))])} ${leaking.length > 1 ? 'are' : 'is'} not covered by ${noSumDb.value === '' ? 'GONOSUMDB (unset, and GOPRIVATE is empty)' : `${noSumDb.name}=${noSumDb.value}`}: the go command sends ${leaking.length > 1 ? 'their paths' : 'its path'} to the checksum database (Go matches these patterns case-sensitively)`,
      fix: `set GONOSUMDB=${patterns.join(',')} (or GOPRIVATE, which GONOSUMDB defaults to); 'goproxy-action env' prints the full environment`,
      file: first.file,
      line: first.line,
    },
  ];
}

function upstreamOrder(input: EnvLintInput): Raw[] {
  const declared = new Set(
    parseUpstreamEntries(input.policy?.privateUpstream ?? '')
      .map((e) => e.entry)
      .filter((e) => e !== 'direct' && e !== 'off')
      .map(normalizeUpstream),
  );
  if (declared.size === 0) return [];
  const lists = input.upstreams ?? [value(input.env, 'GOPROXY')];
  const out: Raw[] = [];
  for (const list of lists) {
    const entries = parseUpstreamEntries(list);
    let sawPrivate: string | null = null;
    for (const { entry, separator } of entries) {
      if (entry === 'direct' || entry === 'off') continue;
      const isPrivate = declared.has(normalizeUpstream(entry));
      if (isPrivate) {
        sawPrivate = entry;
        continue;
      }
      if (sawPrivate === null) continue;
      const how =
        separator === '|'
          ? 'after any error of the private one (timeouts included)'
          : 'when the private one answers 404 or 410';
      out.push({
        id: 'public-upstream-after-private',
        variable: 'GOPROXY',
        message: `upstream '${entry}' is not declared private but follows the private '${sawPrivate}' with '${separator}': the go command hands it private module paths ${how}`,
        fix: `put '${entry}' before the private upstream and set GONOPROXY/GOPRIVATE for private modules, or declare it in private-upstream if it is yours`,
      });
    }
  }
  return out;
}

function parseUpstreamEntries(list: string): { entry: string; separator: ',' | '|' | '' }[] {
  const out: { entry: string; separator: ',' | '|' | '' }[] = [];
  let separator: ',' | '|' | '' = '';
  let current = '';
  for (const ch of list) {
    if (ch === ',' || ch === '|') {
      if (current.trim() !== '') out.push({ entry: current.trim(), separator });
      separator = ch;
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '') out.push({ entry: current.trim(), separator });
  return out;
}

/** Every finding of the environment, with severities from the policy's `lint:` section (off ones dropped). */
export function lintEnvironment(input: EnvLintInput): LintFinding[] {
  const env = input.env;
  const modules = input.goSumModules ?? [];
  const raw: Raw[] = [];
  if (value(env, 'GOSUMDB') === 'off') {
    raw.push({
      id: 'gosumdb-off',
      variable: 'GOSUMDB',
      message: 'GOSUMDB=off: modules not yet in go.sum are accepted without any checksum verification',
      fix: 'unset GOSUMDB (the go command then uses its default checksum database) and list private modules in GONOSUMDB or GOPRIVATE instead',
    });
  }
  raw.push(...tooBroad(input, modules));
  raw.push(...privateNotInNoSumDb(input, modules));
  const insecure = value(env, 'GOINSECURE');
  if (insecure !== '') {
    raw.push({
      id: 'goinsecure',
      variable: 'GOINSECURE',
      message: `GOINSECURE=${insecure}: matching modules are fetched direct over plain HTTP or without certificate checks (checksums are still verified)`,
      fix: 'unset GOINSECURE and serve those repositories over HTTPS with a trusted certificate (SSL_CERT_FILE can add a private CA)',
    });
  }
  if (env.GONOSUMCHECK !== undefined) {
    raw.push({
      id: 'gonosumcheck',
      variable: 'GONOSUMCHECK',
      message: 'GONOSUMCHECK is set, but the go command has no such variable: it does nothing',
      fix: 'remove GONOSUMCHECK; to keep private modules away from the checksum database set GONOSUMDB=<your private prefixes>',
    });
  }
  const goflags = value(env, 'GOFLAGS');
  if (/(^|\s)--?insecure(=\S*)?(\s|$)/.test(goflags)) {
    raw.push({
      id: 'goflags-insecure',
      variable: 'GOFLAGS',
      message:
        'GOFLAGS holds -insecure, which Go removed in 1.17: it is ignored, and whoever set it wanted unverified fetches',
      fix: 'remove -insecure from GOFLAGS; for private hosts without HTTPS the (also discouraged) setting is GOINSECURE',
    });
  }
  raw.push(...upstreamOrder(input));
  const overrides = input.policy?.lint ?? {};
  const out: LintFinding[] = [];
  for (const r of raw) {
    const severity = overrides[r.id] ?? defaultLintSeverity[r.id];
    if (severity === 'off') continue;
    out.push({ ...r, severity });
  }
  return out;
}

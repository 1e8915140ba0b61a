import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import schema from '../../schema/goproxy-policy.schema.json' with { type: 'json' };
import { parseGoDuration } from './go-duration.ts';
import { PolicyFileError } from './load-policy.ts';
import { validatePattern } from './patterns.ts';
import { type DenyRule, defaultRules, type LintSeverity, type Policy, type RuleAction } from './policy.ts';
import { parseVersionConstraint, VersionConstraintError } from './version-constraint.ts';

export { defaultPolicyFile, PolicyFileError } from './load-policy.ts';

// Compiled on first use: commands that never load a policy should not pay for it.
let compiled: ReturnType<Ajv['compile']> | null = null;
function validateSchema(data: unknown): { ok: boolean; errors: ErrorObject[] } {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  const ok = compiled(data) === true;
  return { ok, errors: compiled.errors ?? [] };
}

type Located = { at: number; message: string };

/** Property names a schema object allows, for "write one of ..." hints. */
function allowedKeys(schemaPath: string): string[] {
  // schemaPath looks like `#/properties/rules/additionalProperties` or `#/properties/deny/items/anyOf/1/...`
  const parts = schemaPath.replace(/^#\//, '').split('/').slice(0, -1);
  let node: unknown = schema;
  for (const p of parts) node = (node as Record<string, unknown>)?.[decodeURIComponent(p)];
  const props = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function suggestion(word: string, candidates: string[]): string {
  const lower = word.toLowerCase();
  const extended = candidates.filter((c) => c.startsWith(lower));
  if (lower.length >= 3 && extended.length === 1) return `'${extended[0]}'`;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? `'${best}'` : '';
}

/** `deny[2].versions` from a JSON pointer, for messages. */
function describe(pointer: string): string {
  if (pointer === '') return 'the policy';
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^[0-9]+$/.test(p) ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`), '');
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
}

function nodeOffset(node: unknown): number | null {
  const range = (node as Node | null)?.range;
  return range ? range[0] : null;
}

const fixFor: Record<string, string> = {
  private: 'write a list of patterns, e.g.\n  private:\n    - github.com/acme-corp',
  allow: 'write a list of patterns, e.g.\n  allow:\n    - github.com\n    - golang.org/x',
  deny: "write a list of patterns or {module, versions, reason} entries, e.g.\n  deny:\n    - github.com/evil-org\n    - module: github.com/some/lib\n      versions: '< v1.4.2'",
  rules: 'write a mapping, e.g.\n  rules:\n    retracted: deny\n    min-age: 72h',
  lint: 'write a mapping of finding ids to error, warn or off, e.g.\n  lint:\n    gosumdb-off: error',
  'private-upstream': "write one GOPROXY-style list, e.g. 'https://goproxy.corp.example.com'",
  'rules.min-age': "write a Go duration such as '72h' or '1h30m'",
};

function fixForPointer(pointer: string): string {
  const key = describe(pointer).replace(/\[\d+\]/g, '');
  if (fixFor[key]) return fixFor[key];
  if (key === 'deny.module' || /^(private|allow)$/.test(key))
    return 'write a module path pattern such as github.com/acme-corp';
  if (key === 'deny.versions') return "write a constraint such as '>= v1.2.0, < v1.4.2 || v2.0.0'";
  if (key === 'deny.reason') return "write the reason as text, e.g. 'CVE-2026-1234, upgrade to v1.4.2'";
  return 'see docs/policy.md for the expected form';
}

function schemaProblems(
  errors: ErrorObject[],
  data: unknown,
  doc: ReturnType<typeof parseDocument>,
): Located[] {
  const out: Located[] = [];
  const valueAt = (pointer: string): unknown =>
    pointerSegments(pointer).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], data);
  const nodeAt = (pointer: string): unknown => {
    const segs = pointerSegments(pointer);
    return segs.length === 0 ? doc.contents : doc.getIn(segs, true);
  };
  const seen = new Set<string>();
  for (const e of errors) {
    // A deny entry is a string or an object. The anyOf error reports values that are neither;
    // the type error of the other branch is noise (ajv names the $ref target, not the branch).
    const value = valueAt(e.instancePath);
    const isDenyEntry = /^\/deny\/\d+$/.test(e.instancePath);
    if (isDenyEntry && e.keyword === 'type') continue;
    if (e.keyword === 'anyOf') {
      const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
      if (typeof value !== 'string' && !isObject) {
        out.push({
          at: nodeOffset(nodeAt(e.instancePath)) ?? 0,
          message: `${describe(e.instancePath)} must be a pattern or a {module, versions, reason} entry; ${fixFor.deny}`,
        });
      }
      continue;
    }
    let at = nodeOffset(nodeAt(e.instancePath)) ?? 0;
    let message: string;
    const where = describe(e.instancePath);
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const map = nodeAt(e.instancePath);
        if (isMap(map)) {
          const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
          at = nodeOffset(pair?.key) ?? at;
        }
        const keys = allowedKeys(e.schemaPath);
        const near = suggestion(key, keys);
        message = `unknown key '${key}' in ${where}; ${near ? `write ${near} instead (` : 'write one of ('}${keys.join(', ')})`;
        break;
      }
      case 'type': {
        const want = (e.params as { type: string }).type;
        const what =
          value === null
            ? 'has no value'
            : `must be ${want === 'array' ? 'a list' : want === 'object' ? 'a mapping' : `a ${want}`}`;
        message = `${where} ${what}; ${e.instancePath === '' ? 'write a mapping with the keys private, allow, deny, rules, lint, private-upstream' : fixForPointer(e.instancePath)}`;
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: string[] }).allowedValues;
        message = `${where} is '${String(value)}'; write one of ${allowed.join(', ')}`;
        break;
      }
      case 'pattern':
        message = `${where} '${String(value)}' is not a Go duration; write e.g. '72h', '1h30m' or '90m'`;
        break;
      case 'minLength':
        message = `${where} is empty; ${fixForPointer(e.instancePath)}`;
        break;
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        message = `${where} has no '${missing}'; write e.g. 'module: github.com/some/lib'`;
        break;
      }
      default:
        message = `${where} ${e.message ?? 'is invalid'}; ${fixForPointer(e.instancePath)}`;
    }
    const dedupe = `${at}:${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    out.push({ at, message });
  }
  return out;
}

type RawDeny = string | { module: string; versions?: string; reason?: string };
type RawPolicy = {
  private?: string[];
  allow?: string[];
  deny?: RawDeny[];
  rules?: { retracted?: RuleAction; 'pseudo-versions'?: RuleAction; 'min-age'?: string };
  lint?: Record<string, LintSeverity>;
  'private-upstream'?: string;
};

function checkUpstreamList(list: string): string | null {
  for (const raw of list.split(/[,|]/)) {
    const entry = raw.trim();
    if (entry === '')
      return `private-upstream '${list}' has an empty entry; separate proxy URLs with ',' or '|'`;
    if (entry === 'direct' || entry === 'off') continue;
    const withScheme = /^[a-z]+:\/\//i.test(entry) ? entry : `https://${entry}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      return `private-upstream entry '${entry}' is not a URL; write e.g. 'https://goproxy.corp.example.com'`;
    }
    if (!['http:', 'https:', 'file:'].includes(url.protocol)) {
      return `private-upstream entry '${entry}' uses ${url.protocol.slice(0, -1)}; write an https://, http:// or file:// URL`;
    }
    if (url.username !== '' || url.password !== '') {
      return 'private-upstream holds credentials in its URL; remove them and supply them through NETRC or GOAUTH (a policy file is not a secret store)';
    }
  }
  return null;
}

/** Semantic checks after the schema passed: patterns, version constraints, durations, URLs. */
function buildPolicy(
  raw: RawPolicy,
  source: string,
  doc: ReturnType<typeof parseDocument>,
): [Policy, Located[]] {
  const problems: Located[] = [];
  const offsetOf = (path: (string | number)[]): number => nodeOffset(doc.getIn(path, true)) ?? 0;
  const patternList = (key: 'private' | 'allow'): string[] => {
    const list = raw[key] ?? [];
    list.forEach((p, i) => {
      const err = validatePattern(p);
      if (err) problems.push({ at: offsetOf([key, i]), message: `${key}[${i}]: ${err}` });
    });
    return list;
  };
  const privatePatterns = patternList('private');
  const allow = raw.allow === undefined ? null : patternList('allow');
  const deny: DenyRule[] = [];
  (raw.deny ?? []).forEach((entry, i) => {
    const module = typeof entry === 'string' ? entry : entry.module;
    const modulePath = typeof entry === 'string' ? ['deny', i] : ['deny', i, 'module'];
    const err = validatePattern(module);
    if (err) problems.push({ at: offsetOf(modulePath), message: `deny[${i}]: ${err}` });
    let versions = null;
    if (typeof entry !== 'string' && entry.versions !== undefined) {
      try {
        versions = parseVersionConstraint(entry.versions);
      } catch (e) {
        if (!(e instanceof VersionConstraintError)) throw e;
        problems.push({
          at: offsetOf(['deny', i, 'versions']),
          message: `deny[${i}].versions: ${e.message}`,
        });
      }
    }
    const reason = typeof entry === 'string' ? null : (entry.reason?.trim() ?? null) || null;
    deny.push({ module, versions, reason, line: 0 });
  });
  const rules = { ...defaultRules };
  if (raw.rules?.retracted) rules.retracted = raw.rules.retracted;
  if (raw.rules?.['pseudo-versions']) rules.pseudoVersions = raw.rules['pseudo-versions'];
  const minAge = raw.rules?.['min-age'];
  if (minAge !== undefined) {
    const ms = parseGoDuration(minAge);
    if (ms === null) {
      problems.push({
        at: offsetOf(['rules', 'min-age']),
        message: `rules.min-age '${minAge}' is not a Go duration; write e.g. '72h'`,
      });
    } else {
      rules.minAgeMs = ms;
      rules.minAge = minAge;
    }
  }
  const privateUpstream = raw['private-upstream']?.trim() ?? null;
  if (privateUpstream !== null) {
    const err = checkUpstreamList(privateUpstream);
    if (err) problems.push({ at: offsetOf(['private-upstream']), message: err });
  }
  const policy: Policy = {
    source,
    private: privatePatterns,
    allow,
    deny,
    rules,
    lint: { ...(raw.lint ?? {}) },
    privateUpstream,
  };
  return [policy, problems];
}

/** Parses and validates policy YAML; `source` is how messages name the file. */
export function parsePolicyText(text: string, source: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const where = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${source}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    throw new PolicyFileError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const first = e.message.split('\n')[0] ?? e.message;
        const hint =
          e.code === 'DUPLICATE_KEY'
            ? '; write each key once'
            : '; fix the YAML syntax (indent list items under their key, quote values containing ": " or "#")';
        return `${source}:${pos?.line ?? 1}:${pos?.col ?? 1}: ${first.replace(/ at line \d+, column \d+:?$/, '')}${hint}`;
      }),
    );
  }
  // An empty file is an empty policy: active (no fallback after the proxy), with no rules.
  const data: unknown = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  const validation = validateSchema(data);
  if (!validation.ok) {
    const located = schemaProblems(validation.errors, data, doc);
    located.sort((a, b) => a.at - b.at);
    throw new PolicyFileError(located.map((p) => `${where(p.at)}: ${p.message}`));
  }
  const [policy, problems] = buildPolicy(data as RawPolicy, source, doc);
  if (problems.length > 0) {
    problems.sort((a, b) => a.at - b.at);
    throw new PolicyFileError(problems.map((p) => `${where(p.at)}: ${p.message}`));
  }
  policy.deny.forEach((rule, i) => {
    rule.line = lineCounter.linePos(nodeOffset(doc.getIn(['deny', i], true)) ?? 0).line;
  });
  return policy;
}

export { type LoadedPolicy, loadPolicy } from './load-policy.ts';

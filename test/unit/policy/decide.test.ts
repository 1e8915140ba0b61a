import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapePath, unescapePath } from '../../../src/gomod/module-path.ts';
import { decideMetadata, decidePath, decideVersion, isPrivateModule } from '../../../src/policy/decide.ts';
import { parsePolicyText } from '../../../src/policy/policy-file.ts';

const policy = parsePolicyText(
  `private:
  - github.com/acme-corp
  - "*.corp.example.com"
allow:
  - github.com
  - golang.org/x
  - gopkg.in
deny:
  - github.com/evil-org
  - gopkg.in/evil.v1
  - module: github.com/some/lib
    versions: ">= v1.2.0, < v1.4.2 || v2.0.0"
    reason: "CVE-2026-1234, upgrade"
rules:
  retracted: deny
  pseudo-versions: warn
  min-age: 72h
`,
  '.goproxy.yml',
);

test('decidePath: deny, private and allow in that order', () => {
  assert.deepEqual(
    { ...decidePath(policy, 'github.com/evil-org/tool') },
    {
      action: 'deny',
      rule: 'deny github.com/evil-org',
      reason: 'modules under github.com/evil-org are denied',
      fix: 'use another module, or remove the entry from .goproxy.yml if it is wrong',
      line: 9,
      module: 'github.com/evil-org/tool',
      source: '.goproxy.yml',
    },
  );
  assert.deepEqual(decidePath(policy, 'github.com/acme-corp/svc'), {
    action: 'allow',
    rule: 'private github.com/acme-corp',
  });
  assert.deepEqual(decidePath(policy, 'git.corp.example.com/team/lib'), {
    action: 'allow',
    rule: 'private *.corp.example.com',
  });
  assert.equal(decidePath(policy, 'github.com/good/lib').action, 'allow');
  assert.equal(decidePath(policy, 'golang.org/x/mod').action, 'allow');
  const notListed = decidePath(policy, 'example.org/other');
  assert.equal(notListed.action, 'deny');
  assert.equal(notListed.rule, 'allow');
  assert.match(notListed.fix ?? '', /add a pattern covering it to 'allow:' in \.goproxy\.yml/);
  // A versioned deny does not deny the path.
  assert.equal(decidePath(policy, 'github.com/some/lib').action, 'allow');
});

test('case: private and deny match regardless of case, allow case-sensitively', () => {
  assert.equal(decidePath(policy, 'github.com/Evil-Org/x').action, 'deny');
  assert.equal(decidePath(policy, 'github.com/EVIL-ORG').action, 'deny');
  assert.equal(decidePath(policy, 'github.com/ACME-Corp/svc').rule, 'private github.com/acme-corp');
  assert.ok(isPrivateModule(policy, 'GIT.corp.example.com/x'));
  assert.equal(
    decidePath(policy, 'golang.org/X/mod').action,
    'deny',
    'allow list is case-sensitive: fail closed',
  );
  assert.equal(
    decidePath(policy, 'GITHUB.com/evil-org/x').action,
    'deny',
    'an upper-case host is no module path',
  );
});

test('no bypass at the decision level: case-encoding, +incompatible, trailing slash, .., percent, major suffix', () => {
  // Case-encoded path as it arrives on the wire, decoded as the proxy decodes it.
  assert.equal(unescapePath('github.com/!evil-!org/x'), 'github.com/Evil-Org/x');
  assert.equal(decidePath(policy, unescapePath('github.com/!evil-!org/x')).action, 'deny');
  assert.equal(
    decideVersion(policy, unescapePath(escapePath('github.com/EviL-org/x')), 'v1.0.0', 'zip').action,
    'deny',
  );
  // +incompatible: the same version in Go's order.
  const incompatible = decideVersion(policy, 'github.com/some/lib', 'v2.0.0+incompatible', 'zip');
  assert.equal(incompatible.action, 'deny');
  assert.equal(incompatible.rule, 'deny github.com/some/lib >= v1.2.0, < v1.4.2 || v2.0.0');
  assert.equal(decideVersion(policy, 'github.com/evil-org/x', 'v3.0.0+incompatible', 'zip').action, 'deny');
  // Paths a prefix match could be fooled by are not module paths at all.
  for (const path of [
    'github.com/evil-org/x/',
    'github.com/good/../evil-org/x',
    'github.com/good/./x',
    'github.com/evil%2dorg/x',
    'github.com/evil-org%2Fx',
    'github.com//evil-org/x',
    '/github.com/evil-org/x',
    'github.com/evil-org/x\u0000',
    'github.com/good/lib/',
  ]) {
    const d = decideVersion(policy, path, 'v1.0.0', 'zip');
    assert.equal(d.action, 'deny', path);
  }
  // Major-version suffixes stay under the denied prefix.
  assert.equal(decidePath(policy, 'github.com/evil-org/x/v2').action, 'deny');
  assert.equal(decidePath(policy, 'github.com/Evil-Org/x/v3').action, 'deny');
  assert.equal(decidePath(policy, 'gopkg.in/evil.v1').action, 'deny');
  // Another major version is another module: a versioned deny on v1 leaves /v2 alone.
  assert.equal(
    decideVersion(policy, 'github.com/some/lib/v2', 'v2.0.0', 'zip').action,
    'deny',
    'prefix covers /v2 too',
  );
  assert.equal(decideVersion(policy, 'github.com/some/lib/v2', 'v2.1.0', 'zip').action, 'allow');
});

test('decideVersion: version constraints apply to .zip only', () => {
  for (const kind of ['list', 'info', 'mod', 'latest'] as const) {
    assert.equal(decideVersion(policy, 'github.com/some/lib', 'v1.3.0', kind).action, 'allow', kind);
  }
  const zip = decideVersion(policy, 'github.com/some/lib', 'v1.3.0', 'zip');
  assert.equal(zip.action, 'deny');
  assert.equal(zip.reason, 'CVE-2026-1234, upgrade');
  assert.equal(zip.line, 11);
  assert.equal(zip.version, 'v1.3.0');
  assert.match(zip.fix ?? '', /outside '>= v1\.2\.0, < v1\.4\.2 \|\| v2\.0\.0'/);
  assert.equal(decideVersion(policy, 'github.com/some/lib', 'v1.4.2', 'zip').action, 'allow');
  assert.equal(decideVersion(policy, 'github.com/Some/Lib', 'v1.2.0', 'zip').action, 'deny', 'case-folded');
  assert.equal(decideVersion(policy, 'github.com/some/lib', 'master', 'zip').action, 'deny');
  // Path denies hold for every kind.
  for (const kind of ['list', 'info', 'mod', 'zip', 'latest'] as const) {
    assert.equal(
      decideVersion(
        policy,
        'github.com/evil-org/x',
        kind === 'list' || kind === 'latest' ? null : 'v1.0.0',
        kind,
      ).action,
      'deny',
    );
  }
});

const now = new Date('2026-06-01T12:00:00Z');
const old = new Date('2026-01-01T00:00:00Z');

test('decideMetadata: retracted, pseudo-versions and min-age; the worst wins', () => {
  const base = { module: 'github.com/good/lib', version: 'v1.0.0', time: old, retracted: null, now };
  assert.deepEqual(decideMetadata(policy, base), { action: 'allow' });
  const retracted = decideMetadata(policy, { ...base, retracted: { rationale: 'broke the API' } });
  assert.equal(retracted.action, 'deny');
  assert.equal(retracted.reason, 'retracted: broke the API');
  assert.equal(
    decideMetadata(policy, { ...base, retracted: { rationale: '' } }).reason,
    'retracted: retracted by module author',
  );

  const pseudo = decideMetadata(policy, { ...base, version: 'v0.0.0-20260101000000-abcdefabcdef' });
  assert.equal(pseudo.action, 'warn');
  assert.equal(pseudo.rule, 'rules.pseudo-versions');

  const young = decideMetadata(policy, { ...base, time: new Date('2026-05-31T00:00:00Z') });
  assert.equal(young.action, 'deny');
  assert.equal(young.rule, 'rules.min-age 72h');
  assert.match(young.reason ?? '', /published 2026-05-31T00:00:00\.000Z, 36h ago \(author-set time\)/);
  assert.equal(young.recheckAfter, '2026-06-03T00:00:00.000Z');
  assert.equal(
    decideMetadata(policy, { ...base, time: new Date('2026-05-29T11:59:59Z') }).action,
    'allow',
    'older than 72h',
  );
  assert.equal(decideMetadata(policy, { ...base, time: null }).action, 'deny', 'unknown age fails closed');

  // Young pseudo-version: the deny wins over the warning.
  const both = decideMetadata(policy, {
    ...base,
    version: 'v0.0.0-20260531000000-abcdefabcdef',
    time: new Date('2026-05-31T00:00:00Z'),
  });
  assert.equal(both.action, 'deny');
  assert.equal(both.rule, 'rules.min-age 72h');

  // Private modules: no cool-down, no pseudo-version rule, but retraction applies.
  const priv = {
    ...base,
    module: 'github.com/acme-corp/svc',
    version: 'v0.0.0-20260601110000-abcdefabcdef',
    time: now,
  };
  assert.deepEqual(decideMetadata(policy, priv), { action: 'allow' });
  assert.equal(decideMetadata(policy, { ...priv, retracted: { rationale: 'x' } }).action, 'deny');
});

test('decideMetadata: warnings combine; allow settings silence rules', () => {
  const warnAll = parsePolicyText('rules:\n  retracted: warn\n  pseudo-versions: warn\n', 'p.yml');
  const d = decideMetadata(warnAll, {
    module: 'x.io/m',
    version: 'v0.0.0-20260101000000-abcdefabcdef',
    time: old,
    retracted: { rationale: 'oops' },
    now,
  });
  assert.equal(d.action, 'warn');
  assert.equal(d.rule, 'rules.retracted, rules.pseudo-versions');
  assert.equal(d.reason, 'retracted: oops; a pseudo-version (an untagged commit)');
  const none = parsePolicyText('rules:\n  retracted: allow\n', 'p.yml');
  assert.deepEqual(
    decideMetadata(none, {
      module: 'x.io/m',
      version: 'v0.0.0-20260101000000-abcdefabcdef',
      time: null,
      retracted: { rationale: '' },
      now,
    }),
    {
      action: 'allow',
    },
  );
});

test('property: a deny pattern is never escaped by changing the case of the path', () => {
  // No element like v2 or v0: those are major-version suffixes with rules of their own.
  const element = fc.stringMatching(/^[a-uw-z][a-z0-9-]{0,5}$/);
  fc.assert(
    fc.property(
      element,
      fc.array(element, { maxLength: 3 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
      (org, rest, flips) => {
        const p = parsePolicyText(`deny:\n  - github.com/${org}\n`, 'p.yml');
        const path = [org, ...rest].join('/');
        // The host stays lower case: an upper-case host is not a module path (and is denied as such).
        const variant = `github.com/${[...path].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('')}`;
        const wire = escapePath(variant);
        assert.equal(decideVersion(p, unescapePath(wire), 'v1.0.0', 'zip').action, 'deny', variant);
      },
    ),
    { numRuns: 500 },
  );
});

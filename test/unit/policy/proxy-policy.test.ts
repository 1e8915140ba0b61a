import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePolicyText } from '../../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../../src/policy/proxy-policy.ts';

const text = `private:
  - github.com/acme-corp
allow:
  - github.com
deny:
  - github.com/evil-org
  - module: github.com/some/lib
    versions: "< v1.4.2"
    reason: "CVE-2026-1234, upgrade to v1.4.2"
rules:
  retracted: deny
  min-age: 72h
`;
const policy = parsePolicyText(text, '.goproxy.yml');
const now = new Date('2026-06-01T12:00:00Z');

function checkGoPrintable(body: string): void {
  assert.ok(body.endsWith('\n'));
  const lines = body.slice(0, -1).split('\n');
  assert.ok(lines.length <= 8, `${lines.length} lines`);
  assert.ok(Buffer.byteLength(body, 'utf8') <= 600, `${Buffer.byteLength(body)} bytes`);
  assert.ok(
    lines.every((l) => l.trim() !== ''),
    'no blank line (the go command stops there)',
  );
  assert.doesNotMatch(body, /[\u0000-\u0009\u000b-\u001f\u007f]/, 'no control characters');
}

test('ProxyPolicy: isPrivate merges the environment patterns and folds case', () => {
  const pp = new ProxyPolicy(policy, { extraPrivatePatterns: ['git.corp.example.com'] });
  assert.equal(pp.isPrivate('github.com/Acme-Corp/svc'), true);
  assert.equal(pp.isPrivate('git.corp.example.com/x'), true);
  assert.equal(pp.isPrivate('github.com/good/x'), false);
  // Private by the environment counts for decisions too: allowed beside the allow list.
  assert.equal(pp.beforeUpstream('git.corp.example.com/x', 'v1.0.0', 'zip').action, 'allow');
  assert.equal(
    new ProxyPolicy(policy).beforeUpstream('git.corp.example.com/x', 'v1.0.0', 'zip').action,
    'deny',
  );
});

test('ProxyPolicy: denialText names the rule, reason, policy file and the fix, and fits the go command', () => {
  const pp = new ProxyPolicy(policy);
  const d = pp.beforeUpstream('github.com/some/lib', 'v1.3.0', 'zip');
  assert.equal(d.action, 'deny');
  const body = pp.denialText(d);
  assert.equal(
    body,
    [
      'goproxy-action policy denied github.com/some/lib@v1.3.0',
      'rule: deny github.com/some/lib < v1.4.2 (.goproxy.yml line 7)',
      'reason: CVE-2026-1234, upgrade to v1.4.2',
      'policy file: .goproxy.yml',
      "fix: require a version outside '< v1.4.2' (go get github.com/some/lib@<version>)",
      '',
    ].join('\n'),
  );
  checkGoPrintable(body);
  checkGoPrintable(pp.denialText(pp.beforeUpstream('example.org/x', null, 'list')));
  checkGoPrintable(pp.denialText({ action: 'deny' }));
});

test('ProxyPolicy: a hostile or huge reason is flattened and cut, never breaking the go command output', () => {
  const hostile = parsePolicyText(
    `deny:\n  - module: github.com/x\n    reason: "line one\\n\\nline two\\u0007\\r\\n${'very long reason '.repeat(80)}"\n`,
    'p.yml',
  );
  const pp = new ProxyPolicy(hostile);
  const body = pp.denialText(pp.beforeUpstream(`github.com/x/${'y'.repeat(300)}`, 'v1.0.0', 'zip'));
  checkGoPrintable(body);
  assert.match(body, /^goproxy-action policy denied github\.com\/x\/y+\.\.\.\nrule: deny github\.com\/x/);
  assert.match(body, /reason: line one line two /);
  // A decision recorded as JSON in the store explains itself after a round trip.
  const recorded = JSON.parse(JSON.stringify(pp.beforeUpstream('github.com/x/z', 'v1.0.0', 'mod')));
  assert.match(pp.denialText(recorded), /denied github\.com\/x\/z@v1\.0\.0/);
});

test('ProxyPolicy.onNewVersion: reads retract directives of the latest go.mod', () => {
  const pp = new ProxyPolicy(policy);
  const latestGoMod = `module github.com/good/lib

go 1.21

retract (
	// Published by mistake.
	v1.0.1
	[v1.1.0, v1.1.5] // Data race in the cache.
)
`;
  const input = {
    module: 'github.com/good/lib',
    infoTime: new Date('2026-01-01T00:00:00Z'),
    latestGoModText: latestGoMod,
    now,
  };
  const single = pp.onNewVersion({ ...input, version: 'v1.0.1' });
  assert.equal(single.action, 'deny');
  assert.equal(single.reason, 'retracted: Published by mistake.');
  assert.equal(pp.onNewVersion({ ...input, version: 'v1.1.3' }).reason, 'retracted: Data race in the cache.');
  assert.equal(pp.onNewVersion({ ...input, version: 'v1.1.6' }).action, 'allow');
  assert.equal(pp.onNewVersion({ ...input, version: 'v1.0.1', latestGoModText: null }).action, 'allow');
  assert.equal(
    pp.onNewVersion({ ...input, version: 'v1.0.1', latestGoModText: 'this is not a go.mod {{{' }).action,
    'allow',
  );
  assert.equal(
    pp.onNewVersion({
      ...input,
      version: 'v1.0.1',
      latestGoModText: 'module github.com/good/lib\nretract v1.0.1\n',
    }).reason,
    'retracted: retracted by module author',
  );
  const young = pp.onNewVersion({ ...input, version: 'v1.2.0', infoTime: new Date('2026-06-01T00:00:00Z') });
  assert.equal(young.action, 'deny');
  assert.match(
    pp.denialText(young),
    /rule: rules\.min-age 72h\nreason: published 2026-06-01T00:00:00\.000Z, 12h ago/,
  );
});

test('ProxyPolicy.onNewVersion: the versions of one list are judged against their latest go.mod parsed once, not once each', () => {
  // #blockedVersions asks about every listed version (up to 10,000) with the same latest go.mod
  // (up to 16 MiB from the upstream): parsing and scanning it per version blocked the proxy.
  const pp = new ProxyPolicy(parsePolicyText('rules:\n  retracted: deny\n', '.goproxy.yml'));
  const retracts = Array.from({ length: 2000 }, (_, i) => `retract v1.0.${2 * i} // broken ${i}\n`);
  const latestGoModText = `module github.com/good/lib\n\ngo 1.21\n\n${retracts.join('')}`;
  const input = { module: 'github.com/good/lib', infoTime: null, latestGoModText, now };
  for (let i = 0; i < 4000; i++) {
    const decision = pp.onNewVersion({ ...input, version: `v1.0.${i}` });
    assert.equal(decision.action, i % 2 === 0 ? 'deny' : 'allow', `v1.0.${i}`);
    if (i % 2 === 0) assert.equal(decision.reason, `retracted: broken ${i / 2}`);
  }
  assert.equal(pp.goModsParsed, 1);
  // Another module's go.mod (or another text) is read afresh.
  pp.onNewVersion({ ...input, module: 'github.com/good/other', version: 'v1.0.0' });
  pp.onNewVersion({ ...input, version: 'v1.0.0', latestGoModText: 'module github.com/good/lib\n' });
  assert.equal(pp.goModsParsed, 3);
});

test('ProxyPolicy.isStale: another policy or a passed recheck time re-decides; otherwise the record holds', () => {
  const pp = new ProxyPolicy(policy);
  const young = pp.onNewVersion({
    module: 'github.com/good/lib',
    version: 'v1.2.0',
    infoTime: new Date('2026-06-01T00:00:00Z'),
    latestGoModText: null,
    now,
  });
  const recorded = JSON.parse(JSON.stringify(young));
  assert.equal(pp.isStale(recorded, now), false);
  assert.equal(pp.isStale(recorded, new Date('2026-06-04T00:00:00Z')), true);
  const samePolicyMoved = new ProxyPolicy(
    parsePolicyText(`# a comment moves every line\n${text}`, '.goproxy.yml'),
  );
  assert.equal(samePolicyMoved.isStale(recorded, now), false, 'only the inputs of metadata rules count');
  const relaxed = new ProxyPolicy(
    parsePolicyText(text.replace('min-age: 72h', 'min-age: 1h'), '.goproxy.yml'),
  );
  assert.equal(relaxed.isStale(recorded, now), true);
  assert.equal(pp.isStale({ action: 'allow' }, now), true, 'a record without fingerprint is re-decided');
});

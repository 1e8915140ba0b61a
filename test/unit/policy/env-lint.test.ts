import assert from 'node:assert/strict';
import { test } from 'node:test';
import schema from '../../../schema/goproxy-policy.schema.json' with { type: 'json' };
import { type GoSumModule, lintEnvironment, lintFindingIds } from '../../../src/policy/env-lint.ts';
import { jobGoEnv } from '../../../src/policy/job-go-env.ts';
import { parsePolicyText } from '../../../src/policy/policy-file.ts';

const goSum: GoSumModule[] = [
  { module: 'github.com/acme-corp/svc', version: 'v1.0.0', file: 'go.sum', line: 1 },
  { module: 'github.com/pkg/errors', version: 'v0.9.1', file: 'go.sum', line: 3 },
  { module: 'golang.org/x/mod', version: 'v0.20.0', file: 'go.sum', line: 5 },
];
const policy = parsePolicyText('private:\n  - github.com/acme-corp\n', '.goproxy.yml');

const ids = (findings: { id: string }[]) => findings.map((f) => f.id);

test('the schema lists exactly the finding ids the lint knows', () => {
  assert.deepEqual(Object.keys(schema.properties.lint.properties).sort(), [...lintFindingIds].sort());
});

test('a clean environment (the one env exports) has no findings', () => {
  const env = jobGoEnv(
    { goEnv: { GOSUMDB: 'sum.example.net' }, policyPrivate: policy.private },
    { kind: 'proxy', proxyUrl: 'http://127.0.0.1:4000' },
  );
  assert.deepEqual(lintEnvironment({ env, policy, goSumModules: goSum }), []);
  assert.deepEqual(lintEnvironment({ env: {}, policy: null, goSumModules: goSum }), []);
});

test('GOSUMDB=off, GOINSECURE, GONOSUMCHECK, GOFLAGS -insecure', () => {
  const findings = lintEnvironment({
    env: {
      GOSUMDB: 'off',
      GOINSECURE: 'git.corp.example.com',
      GONOSUMCHECK: '1',
      GOFLAGS: '-mod=mod -insecure',
    },
    policy: null,
    goSumModules: goSum,
  });
  assert.deepEqual(ids(findings), ['gosumdb-off', 'goinsecure', 'gonosumcheck', 'goflags-insecure']);
  assert.deepEqual(
    findings.map((f) => f.severity),
    ['error', 'warn', 'warn', 'warn'],
  );
  for (const f of findings) {
    assert.ok(f.message.length > 20 && f.fix.length > 20, f.id);
  }
  assert.match(findings[0]!.fix, /unset GOSUMDB/);
  assert.deepEqual(ids(lintEnvironment({ env: { GOFLAGS: '-insecure=true' }, policy: null })), [
    'goflags-insecure',
  ]);
  assert.deepEqual(ids(lintEnvironment({ env: { GOFLAGS: '-mod=mod -insecurex' }, policy: null })), []);
});

test('too-broad GONOSUMDB/GOPRIVATE: everything, a shared host, or public modules of go.sum', () => {
  const star = lintEnvironment({ env: { GONOSUMDB: '*' }, policy: null, goSumModules: goSum });
  assert.deepEqual(ids(star), ['private-patterns-too-broad']);
  assert.match(star[0]!.message, /GONOSUMDB pattern '\*' is too broad: it matches every module/);
  const host = lintEnvironment({ env: { GOPRIVATE: 'github.com' }, policy: null, goSumModules: goSum });
  assert.deepEqual(ids(host), ['private-patterns-too-broad']);
  assert.match(host[0]!.message, /covers every owner's modules on github\.com/);
  const withPolicy = lintEnvironment({
    env: { GOPRIVATE: 'github.com/acme-corp,github.com/pkg' },
    policy,
    goSumModules: goSum,
  });
  assert.deepEqual(ids(withPolicy), ['private-patterns-too-broad']);
  assert.match(
    withPolicy[0]!.message,
    /'github\.com\/pkg' is too broad: it covers public modules of go\.sum \(github\.com\/pkg\/errors\)/,
  );
  assert.equal(withPolicy[0]!.file, 'go.sum');
  assert.equal(withPolicy[0]!.line, 3);
});

test('private modules of go.sum not covered by GONOSUMDB leak to the checksum database', () => {
  const unset = lintEnvironment({ env: {}, policy, goSumModules: goSum });
  assert.deepEqual(ids(unset), ['private-module-not-in-gonosumdb']);
  assert.match(unset[0]!.message, /github\.com\/acme-corp\/svc is not covered by GONOSUMDB/);
  assert.match(unset[0]!.fix, /GONOSUMDB=github\.com\/acme-corp/);
  assert.equal(unset[0]!.line, 1);
  // Go matches case-sensitively: a differently cased GONOSUMDB does not protect the path.
  const cased = lintEnvironment({ env: { GONOSUMDB: 'github.com/Acme-Corp' }, policy, goSumModules: goSum });
  assert.deepEqual(ids(cased), ['private-module-not-in-gonosumdb']);
  // GONOSUMDB falls back to GOPRIVATE, as in the go command.
  assert.deepEqual(
    lintEnvironment({ env: { GOPRIVATE: 'github.com/acme-corp' }, policy, goSumModules: goSum }),
    [],
  );
  // GONOSUMDB=none (set for GONOPROXY's sake by mistake) covers nothing.
  assert.deepEqual(
    ids(
      lintEnvironment({
        env: { GOPRIVATE: 'github.com/acme-corp', GONOSUMDB: 'none' },
        policy,
        goSumModules: goSum,
      }),
    ),
    ['private-module-not-in-gonosumdb'],
  );
  // Without a policy, GONOPROXY says what is private.
  assert.deepEqual(
    ids(
      lintEnvironment({
        env: { GONOPROXY: 'github.com/acme-corp', GONOSUMDB: 'x.io' },
        policy: null,
        goSumModules: goSum,
      }),
    ),
    ['private-module-not-in-gonosumdb'],
  );
  // With no checksum database at all there is nothing to leak to (gosumdb-off says the rest).
  assert.deepEqual(ids(lintEnvironment({ env: { GOSUMDB: 'off' }, policy, goSumModules: goSum })), [
    'gosumdb-off',
  ]);
});

test('an upstream not declared private after a private one', () => {
  const p = parsePolicyText(
    'private:\n  - github.com/acme-corp\nprivate-upstream: goproxy.corp.example.com/\n',
    '.goproxy.yml',
  );
  const env = { GOPRIVATE: 'github.com/acme-corp' };
  const comma = lintEnvironment({
    env: { ...env, GOPROXY: 'https://goproxy.corp.example.com,https://mirror.example.org,direct' },
    policy: p,
  });
  assert.deepEqual(ids(comma), ['public-upstream-after-private']);
  assert.match(
    comma[0]!.message,
    /'https:\/\/mirror\.example\.org' .* with ',': .* when the private one answers 404 or 410/,
  );
  const pipe = lintEnvironment({
    env: { ...env, GOPROXY: 'https://goproxy.corp.example.com|mirror.example.org' },
    policy: p,
  });
  assert.match(pipe[0]!.message, /with '\|': .*after any error/);
  assert.deepEqual(
    lintEnvironment({
      env: { ...env, GOPROXY: 'https://mirror.example.org,https://goproxy.corp.example.com,direct' },
      policy: p,
    }),
    [],
  );
  assert.deepEqual(
    lintEnvironment({ env: { ...env, GOPROXY: 'https://goproxy.corp.example.com,direct' }, policy: p }),
    [],
  );
  assert.deepEqual(
    ids(
      lintEnvironment({
        env,
        policy: p,
        upstreams: ['https://goproxy.corp.example.com|https://mirror.example.org'],
      }),
    ),
    ['public-upstream-after-private'],
  );
});

test('severities come from the policy lint section; off drops the finding', () => {
  const p = parsePolicyText(
    'lint:\n  gosumdb-off: warn\n  goinsecure: off\n  gonosumcheck: error\n',
    '.goproxy.yml',
  );
  const findings = lintEnvironment({
    env: { GOSUMDB: 'off', GOINSECURE: 'x.io', GONOSUMCHECK: '' },
    policy: p,
  });
  assert.deepEqual(
    findings.map((f) => [f.id, f.severity]),
    [
      ['gosumdb-off', 'warn'],
      ['gonosumcheck', 'error'],
    ],
  );
});

// The one function computing the job's Go environment: a table pins its results for every
// surface (our proxy, a remote list), and the defaults it applies (GONOPROXY and GONOSUMDB
// from GOPRIVATE) are checked against the real `go env`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { type GoSettings, type JobTarget, jobGoEnv, jobPatterns } from '../../../src/policy/job-go-env.ts';
import { goEnv as explicitGoEnv } from '../../support/go-env.ts';

const run = promisify(execFile);

const proxy: JobTarget = { kind: 'proxy', proxyUrl: 'http://127.0.0.1:4000' };
const remote: JobTarget = { kind: 'list', goproxy: 'https://goproxy.example.com,off' };

type Row = {
  name: string;
  goEnv: GoSettings;
  inputPrivate?: string[];
  policyPrivate?: string[];
  target: JobTarget;
  expect: { GOPROXY: string; GONOPROXY: string; GOPRIVATE: string; GONOSUMDB: string };
};

const table: Row[] = [
  {
    name: 'nothing private',
    goEnv: { GOSUMDB: 'sum.example.net' },
    target: proxy,
    expect: { GOPROXY: 'http://127.0.0.1:4000', GONOPROXY: '', GOPRIVATE: '', GONOSUMDB: '' },
  },
  {
    name: 'GOPRIVATE alone: private through our proxy, kept from the checksum database',
    goEnv: { GOPRIVATE: 'corp.example.com' },
    target: proxy,
    expect: {
      GOPROXY: 'http://127.0.0.1:4000',
      GONOPROXY: 'none',
      GOPRIVATE: 'corp.example.com',
      GONOSUMDB: 'corp.example.com',
    },
  },
  {
    name: 'GONOSUMDB alone is not private routing (Go fetches it through the proxy list)',
    goEnv: { GONOSUMDB: 'nosum.example.com' },
    target: remote,
    expect: {
      GOPROXY: 'https://goproxy.example.com,off',
      GONOPROXY: '',
      GOPRIVATE: '',
      GONOSUMDB: 'nosum.example.com',
    },
  },
  {
    name: 'GONOPROXY alone: direct, but still looked up in the checksum database',
    goEnv: { GONOPROXY: 'direct.example.com' },
    target: remote,
    expect: {
      GOPROXY: 'https://goproxy.example.com,off',
      GONOPROXY: 'direct.example.com',
      GOPRIVATE: '',
      GONOSUMDB: '',
    },
  },
  {
    name: 'GOPRIVATE with GONOPROXY=none: the user sends private modules through their proxy',
    goEnv: { GOPRIVATE: 'corp.example.com', GONOPROXY: 'none' },
    target: remote,
    expect: {
      GOPROXY: 'https://goproxy.example.com,off',
      GONOPROXY: 'none',
      GOPRIVATE: 'corp.example.com',
      GONOSUMDB: 'corp.example.com',
    },
  },
  {
    name: 'inputs and policy join all three sets; explicit GONOSUMDB replaces the GOPRIVATE default',
    goEnv: { GOPRIVATE: 'a.example.com', GONOSUMDB: 'b.example.com' },
    inputPrivate: ['in.example.com'],
    policyPrivate: ['pol.example.com', 'in.example.com'],
    target: remote,
    expect: {
      GOPROXY: 'https://goproxy.example.com,off',
      GONOPROXY: 'in.example.com,pol.example.com,a.example.com',
      GOPRIVATE: 'in.example.com,pol.example.com,a.example.com',
      GONOSUMDB: 'in.example.com,pol.example.com,b.example.com',
    },
  },
  {
    name: 'remote proxy serving private modules itself',
    goEnv: {},
    inputPrivate: ['corp.example.com'],
    target: { kind: 'list', goproxy: 'https://goproxy.example.com', privateThroughProxy: true },
    expect: {
      GOPROXY: 'https://goproxy.example.com',
      GONOPROXY: 'none',
      GOPRIVATE: 'corp.example.com',
      GONOSUMDB: 'corp.example.com',
    },
  },
  {
    name: 'our proxy with a fallback reaching another server: private modules kept off the list',
    goEnv: { GOPRIVATE: 'corp.example.com' },
    target: {
      kind: 'proxy',
      proxyUrl: 'http://127.0.0.1:4000',
      fallback: 'https://mirror.example.org,direct',
    },
    expect: {
      GOPROXY: 'http://127.0.0.1:4000|https://mirror.example.org,direct',
      GONOPROXY: 'corp.example.com',
      GOPRIVATE: 'corp.example.com',
      GONOSUMDB: 'corp.example.com',
    },
  },
  {
    name: 'our proxy with fallback direct: private modules still through our proxy',
    goEnv: { GOPRIVATE: 'corp.example.com' },
    target: { kind: 'proxy', proxyUrl: 'http://127.0.0.1:4000', fallback: 'direct' },
    expect: {
      GOPROXY: 'http://127.0.0.1:4000|direct',
      GONOPROXY: 'none',
      GOPRIVATE: 'corp.example.com',
      GONOSUMDB: 'corp.example.com',
    },
  },
];

for (const row of table) {
  test(`jobGoEnv: ${row.name}`, () => {
    const env = jobGoEnv(
      {
        goEnv: { GOSUMDB: 'sum.example.net', ...row.goEnv },
        ...(row.inputPrivate ? { inputPrivate: row.inputPrivate } : {}),
        ...(row.policyPrivate ? { policyPrivate: row.policyPrivate } : {}),
      },
      row.target,
    );
    assert.deepEqual(env, { ...row.expect, GOSUMDB: row.goEnv.GOSUMDB ?? 'sum.example.net' });
  });
}

test('jobPatterns: what serve routes privately is GONOPROXY, what it keeps from the sumdb is GONOSUMDB', () => {
  const job = jobPatterns({
    goEnv: { GOPROXY: 'https://p.example.com', GOPRIVATE: '', GONOPROXY: '', GONOSUMDB: 'nosum.example.com' },
    inputPrivate: ['in.example.com'],
  });
  assert.deepEqual(job.patterns.noProxy, ['in.example.com']);
  assert.deepEqual(job.patterns.noSumDb, ['in.example.com', 'nosum.example.com']);
  assert.equal(job.goproxy, 'https://p.example.com');
});

test('jobGoEnv: a bad proxy URL or an empty list is refused with what to write', () => {
  assert.throws(
    () => jobGoEnv({ goEnv: {} }, { kind: 'proxy', proxyUrl: '127.0.0.1:4000' }),
    /http:\/\/127\.0\.0\.1:PORT/,
  );
  assert.throws(
    () => jobGoEnv({ goEnv: {} }, { kind: 'proxy', proxyUrl: 'http://a,http://b' }),
    /list separators/,
  );
  assert.throws(() => jobGoEnv({ goEnv: {} }, { kind: 'list', goproxy: ' ' }), /empty/);
});

// The defaults are Go's: for each environment, the sets computed without inputs or policy equal
// what `go env` reports for GONOPROXY and GONOSUMDB.
test('jobPatterns: GONOPROXY and GONOSUMDB defaults agree with go env', async () => {
  const cases: GoSettings[] = [
    { GOPRIVATE: 'a.example.com' },
    { GOPRIVATE: 'a.example.com', GONOPROXY: 'b.example.com' },
    { GOPRIVATE: 'a.example.com', GONOSUMDB: 'c.example.com' },
    { GOPRIVATE: 'a.example.com,x.example.com/y', GONOPROXY: 'none', GONOSUMDB: '' },
    { GONOPROXY: 'b.example.com' },
    { GONOSUMDB: 'c.example.com' },
    {},
  ];
  for (const settings of cases) {
    const env = explicitGoEnv({
      goproxy: 'off',
      goprivate: settings.GOPRIVATE ?? '',
      gonoproxy: settings.GONOPROXY ?? '',
      gonosumdb: settings.GONOSUMDB ?? '',
    });
    const { stdout } = await run('go', ['env', '-json', 'GONOPROXY', 'GONOSUMDB'], { env });
    const go = JSON.parse(stdout) as { GONOPROXY: string; GONOSUMDB: string };
    const ours = jobPatterns({ goEnv: settings }).patterns;
    const asGo = (list: string[], raw: string) =>
      raw === 'none' && list.length === 0 ? 'none' : list.join(',');
    assert.equal(asGo(ours.noProxy, go.GONOPROXY), go.GONOPROXY, JSON.stringify(settings));
    assert.equal(asGo(ours.noSumDb, go.GONOSUMDB), go.GONOSUMDB, JSON.stringify(settings));
  }
});

// [network] The health snapshot of a small real graph through the in-job proxy (its ready file:
// zips checked by the h1 of its HEAD answers) in front of the machine's GOPROXY: its update, deprecated and retracted fields equal what the go command
// prints with `go list -m -u -retracted -json all`. No network means this fails.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { readHealthInputs, runHealth } from '../../src/health/run-health.ts';
import { parseJsonStream } from '../support/fixture-modules.ts';
import { goEnv, machineGoEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

type GoListed = {
  Path: string;
  Version: string;
  Main?: boolean;
  Update?: { Version: string };
  Deprecated?: string;
  Retracted?: string[];
};

test('[network] a real graph: update, deprecated and retracted equal go list -m -u -retracted', {
  timeout: 300_000,
}, async () => {
  const goproxy = await machineGoEnv('GOPROXY');
  const gosumdb = await machineGoEnv('GOSUMDB');
  const dir = makeTempDir('health-real');
  // An old, deprecated module (github.com/golang/protobuf) and an old x/text: updates exist.
  await writeFile(
    join(dir, 'go.mod'),
    'module example.com/healthreal\n\ngo 1.22\n\nrequire (\n\tgithub.com/golang/protobuf v1.5.0\n\tgolang.org/x/text v0.3.0\n)\n',
  );
  await writeFile(
    join(dir, 'main.go'),
    'package main\n\nimport (\n\t_ "github.com/golang/protobuf/proto"\n\t_ "golang.org/x/text/language"\n)\n\nfunc main() {}\n',
  );
  const tidy = await runGo(['mod', 'tidy'], dir, goEnv({ goproxy, gosumdb }));
  assert.equal(tidy.code, 0, tidy.stderr);
  const proxy = await startTestProxy({ upstream: goproxy, gosumdb, goSumFiles: [join(dir, 'go.sum')] });
  try {
    const env = goEnv({ goproxy: proxy.url, gosumdb });
    // As the in-job proxy (its ready file): zips checked by the h1 of its HEAD answers.
    const readyFile = join(makeTempDir('ready'), 'proxy-ready.json');
    await writeFile(
      readyFile,
      JSON.stringify({ url: proxy.url, pid: process.pid, adminUrl: proxy.adminUrl, token: proxy.token }),
    );
    const inputs = await readHealthInputs({
      dir,
      readyFile,
      failOn: '',
      concurrency: 8,
      timeoutMs: 60_000,
      useGo: true,
      newerMajors: true,
      env,
    });
    const snapshot = (await runHealth(inputs, { baseline: null, outputs: {} })).snapshot;
    const listed = await runGo(
      ['list', '-m', '-u', '-retracted', '-json', 'all'],
      dir,
      goEnv({ goproxy: proxy.url, gosumdb }),
    );
    assert.equal(listed.code, 0, listed.stderr);
    const go = (parseJsonStream(listed.stdout) as GoListed[]).filter((m) => !m.Main);
    assert.ok(go.length >= 3, `a graph, not a single module: ${go.length}`);
    assert.equal(snapshot.workspace.buildListSource, 'go-list');
    assert.deepEqual(
      snapshot.modules.map((m) => `${m.path}@${m.version}`).sort(),
      go.map((g) => `${g.Path}@${g.Version}`).sort(),
    );
    for (const g of go) {
      const m = snapshot.modules.find((x) => x.path === g.Path);
      assert.ok(m);
      assert.equal(m.current.update, g.Update?.Version ?? null, `update of ${g.Path}`);
      assert.equal(m.deprecated, g.Deprecated ?? null, `deprecated of ${g.Path}`);
      assert.deepEqual(m.retracted, g.Retracted ?? null, `retracted of ${g.Path}`);
    }
    const protobuf = snapshot.modules.find((m) => m.path === 'github.com/golang/protobuf');
    assert.ok(protobuf?.deprecated, 'github.com/golang/protobuf is deprecated in its latest go.mod');
    const text = snapshot.modules.find((m) => m.path === 'golang.org/x/text');
    assert.equal(text?.verified.zip, 'match');
    assert.equal(text?.verified.zipHashedBy, 'proxy');
    for (const m of snapshot.modules) {
      // Every zip go.sum names is checked and matches; none is taken on trust.
      if (m.verified.zip !== 'missing') assert.equal(m.verified.zip, 'match', m.path);
      if (m.verified.zip === 'match') assert.ok(m.verified.zipHashedBy !== null, m.path);
    }
  } finally {
    await proxy.close();
  }
});

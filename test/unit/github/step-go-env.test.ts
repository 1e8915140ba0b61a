// The main step's one `go env` (src/github/step-go-env.ts), with the real go command behind a
// recording `go` on PATH: one go process serves the store's setup, the build cache and the
// module tree, each getting exactly what its own `go env` call printed before; without a go
// command the error is the one each setup gave. The real step (one go process for the three,
// one more for the environment check) is test/e2e/github-build-cache.test.ts.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILD_CACHE_GO_NAMES, buildCacheFamilyFromGo } from '../../../src/buildcache/build-cache-key.ts';
import { TREE_GO_NAMES, treeGoEnv } from '../../../src/github/mod-tree-step.ts';
import { readStepGoEnv } from '../../../src/github/step-go-env.ts';
import { readGoEnv } from '../../../src/gomod/read-go-env.ts';
import { GO_SETTING_NAMES } from '../../../src/policy/job-go-env.ts';
import { goEnv, makeTempDir, recordingGo } from '../../support/go-env.ts';

/**
 * A job's environment whose settings come from all three places `go env` looks: the process
 * environment (GOPRIVATE, GOPROXY), the go env file (GONOSUMDB), and defaults derived from
 * another variable (GONOPROXY: GOPRIVATE's value).
 */
async function jobEnv(path: string): Promise<Record<string, string>> {
  const goEnvFile = join(makeTempDir('step-go-env'), 'env');
  await writeFile(goEnvFile, 'GONOSUMDB=example.com/nosum\n');
  const env = goEnv({
    goproxy: 'https://proxy.example.test,direct',
    gosumdb: 'sum.golang.org',
    goprivate: 'example.com/private',
    extra: { GOENV: goEnvFile, PATH: path },
  });
  delete env.GONOPROXY;
  delete env.GONOSUMDB;
  return env;
}

test('one go env serves the three setups, each with exactly what its own go env printed', async () => {
  const go = await recordingGo();
  const env = await jobEnv(`${go.dir}:${process.env.PATH}`);
  const step = await readStepGoEnv(env);
  const calls = await go.calls();
  assert.equal(calls.length, 1, `one go process: ${calls.join('; ')}`);
  assert.match(calls[0]!, /^env -json /);
  for (const name of [...GO_SETTING_NAMES, ...BUILD_CACHE_GO_NAMES, ...TREE_GO_NAMES])
    assert.ok(calls[0]!.split(' ').includes(name), `${name} asked in the one call`);

  // What each setup's own call (before the step shared one) printed, in the same environment.
  const own = {
    proxy: await readGoEnv(GO_SETTING_NAMES, { env }),
    buildCache: await readGoEnv(BUILD_CACHE_GO_NAMES, { env }),
    tree: await readGoEnv(TREE_GO_NAMES, { env }),
  };
  assert.equal((await go.calls()).length, 4);
  for (const [setup, values] of Object.entries(own))
    for (const [name, value] of Object.entries(values))
      assert.equal(step[name as keyof typeof step], value, `${setup}: ${name}`);
  // The settings from each place, so the comparison above is not between empty strings.
  assert.equal(step.GOPRIVATE, 'example.com/private');
  assert.equal(step.GONOPROXY, 'example.com/private', 'derived from GOPRIVATE by the go command');
  assert.equal(step.GONOSUMDB, 'example.com/nosum', 'from the go env file');
  assert.equal(step.GOMODCACHE, env.GOMODCACHE);
  assert.match(step.GOVERSION, /^go1\./);
  // And what the setups make of them.
  assert.equal(buildCacheFamilyFromGo(step), buildCacheFamilyFromGo(own.buildCache));
  assert.deepEqual(treeGoEnv(step), { gomodcache: env.GOMODCACHE, goos: own.tree.GOOS });
});

test('without a go command: the error each setup gave, and none unobserved when no setup awaits it', async () => {
  const env = await jobEnv(makeTempDir('no-go'));
  const own = await readGoEnv(GO_SETTING_NAMES, { env }).then(
    () => assert.fail('no go command, yet go env ran'),
    (err: Error) => err.message,
  );
  assert.match(own, /could not run 'go env' .*install Go first/);
  await assert.rejects(readStepGoEnv(env), (err: Error) => err.message === own);
  // A step that fails before any setup awaits the read (a policy error): the rejection is
  // observed already (else the test runner reports it as unhandled and this file fails).
  void readStepGoEnv(env);
  await new Promise((resolve) => setTimeout(resolve, 200));
});

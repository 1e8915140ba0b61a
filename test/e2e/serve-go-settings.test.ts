// serve takes the go command's settings from GOPROXY_ACTION_GO_SETTINGS (what the action,
// `start` and `ci start` read already) instead of running `go env` (issue 9, start-up): the
// go command is not run, and the proxy computes the very same job environment from them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { readGoEnv } from '../../src/gomod/read-go-env.ts';
import { GO_SETTING_NAMES } from '../../src/policy/job-go-env.ts';
import { goSettingsEnvName, passGoSettings } from '../../src/policy/passed-go-settings.ts';
import { cliNode, cliScript } from '../support/cli-under-test.ts';
import { makeTempDir, recordingGo } from '../support/go-env.ts';

/** Runs serve until ready, returns its banner (stdout) with the port masked, and stops it. */
async function serveBanner(env: NodeJS.ProcessEnv, store: string): Promise<string> {
  const readyFile = join(makeTempDir('go-settings-ready'), 'ready.json');
  const args = [cliScript, 'serve', '--ready-file', readyFile, '--upstream', 'off', '--store', store];
  args.push('--go-sum', '/dev/null');
  const child = spawn(cliNode, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    let ready = false;
    for (let i = 0; i < 1200 && !ready && child.exitCode === null; i++) {
      try {
        JSON.parse(await readFile(readyFile, 'utf8'));
        ready = true;
      } catch {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    assert.ok(ready, `serve became ready: ${err}`);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, err);
  return out.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
}

test('serve with GOPROXY_ACTION_GO_SETTINGS runs no go command and computes the same job environment as with go env', async () => {
  const go = await recordingGo();
  const home = makeTempDir('go-settings-home');
  const store = join(makeTempDir('go-settings-store'), 'store');
  // Settings that change what serve exports: private modules, a GONOSUMDB of its own.
  const env: NodeJS.ProcessEnv = {
    PATH: `${go.dir}:${process.env.PATH}`,
    HOME: home,
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOSUMDB: 'sum.golang.org',
    GOPRIVATE: 'example.com/private',
    GONOPROXY: '',
    GONOSUMDB: 'example.com/nosum',
  };
  const byGoEnv = await serveBanner(env, store);
  const goCalls = await go.calls();
  assert.ok(
    goCalls.some((c) => c.startsWith('env -json')),
    `without the settings serve runs go env (${goCalls.join('; ')})`,
  );
  // What the action reads (through the same recording go: one more call, then none by serve).
  const read = await readGoEnv(GO_SETTING_NAMES, { env });
  const callsBefore = await go.calls();
  assert.equal(callsBefore.length, goCalls.length + 1);
  const passed = await serveBanner({ ...env, ...passGoSettings(read) }, store);
  assert.deepEqual(await go.calls(), callsBefore, 'with the settings passed, the go command is not run');
  assert.match(byGoEnv, /GOPRIVATE='?example\.com\/private/);
  assert.match(byGoEnv, /GONOSUMDB='?example\.com\/nosum/);
  assert.equal(passed, byGoEnv, 'the same banner and exported environment');
});

test('serve refuses a malformed GOPROXY_ACTION_GO_SETTINGS with a one-line message naming the fix', async () => {
  const store = join(makeTempDir('go-settings-bad'), 'store');
  for (const bad of ['{not json', '[]', JSON.stringify({ GOPROXY: 'off' })]) {
    const child = spawn(
      cliNode,
      [cliScript, 'serve', '--upstream', 'off', '--store', store, '--go-sum', '/dev/null'],
      {
        env: { PATH: process.env.PATH, HOME: makeTempDir('home'), GOENV: 'off', [goSettingsEnvName]: bad },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, 2, `a usage error for ${bad}`);
    assert.equal(err.trim().split('\n').length, 1, err);
    assert.match(
      err,
      /GOPROXY_ACTION_GO_SETTINGS must be a JSON object with the string fields GOPROXY, GOSUMDB/,
    );
  }
});

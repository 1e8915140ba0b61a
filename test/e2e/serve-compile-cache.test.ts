// serve keeps V8's compiled code for its bundle in the user's cache dir (Node's compile cache,
// issue 9 start-up): a second start on the machine skips compiling it. Where that dir cannot
// be created, or NODE_DISABLE_COMPILE_CACHE=1, serve starts all the same and says nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliNode, cliScript } from '../support/cli-under-test.ts';
import { makeTempDir } from '../support/go-env.ts';

/** Starts serve with `env` until its ready file and a 200, stops it; returns its stderr. */
async function serveOnce(env: NodeJS.ProcessEnv): Promise<string> {
  const readyFile = join(makeTempDir('compile-cache-ready'), 'ready.json');
  const store = join(makeTempDir('compile-cache-store'), 'store');
  const args = [cliScript, 'serve', '--ready-file', readyFile, '--upstream', 'off', '--gosumdb', 'off'];
  args.push('--store', store, '--go-sum', '/dev/null');
  const child = spawn(cliNode, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    let url: string | null = null;
    for (let i = 0; i < 1200 && url === null && child.exitCode === null; i++) {
      try {
        url = (JSON.parse(await readFile(readyFile, 'utf8')) as { url: string }).url;
      } catch {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    assert.ok(url, `serve became ready: ${err}`);
    const res = await fetch(`${url}/`);
    await res.arrayBuffer();
    assert.equal(res.status, 200);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, err);
  return err;
}

function baseEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, GOENV: 'off', GOTOOLCHAIN: 'local' };
  return { ...env, GOPROXY: 'off', GOSUMDB: 'off', GOPRIVATE: '', GONOPROXY: '', GONOSUMDB: '' };
}

const cacheDirOf = (cacheHome: string) => join(cacheHome, 'goproxy-action', 'node-compile-cache');

/** Every file below dir (the cache keeps one directory per Node version). */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

test('serve fills a compile cache in the user cache dir and starts again from it', async () => {
  const home = makeTempDir('compile-cache-home');
  await serveOnce(baseEnv(home));
  const dir = cacheDirOf(join(home, '.cache'));
  const first = filesBelow(dir);
  assert.ok(first.length > 0, `compiled code kept in ${dir}`);
  // XDG_CACHE_HOME moves it, as it moves the default store.
  const xdg = makeTempDir('compile-cache-xdg');
  await serveOnce({ ...baseEnv(home), XDG_CACHE_HOME: xdg });
  assert.ok(filesBelow(cacheDirOf(xdg)).length > 0);
  // A second start with the cache in place: ready and answering as before.
  await serveOnce(baseEnv(home));
  assert.ok(filesBelow(dir).length >= first.length);
});

test('serve starts without a compile cache where none can be kept, or when it is turned off', async () => {
  const home = makeTempDir('compile-cache-off-home');
  const err = await serveOnce({ ...baseEnv(home), NODE_DISABLE_COMPILE_CACHE: '1' });
  assert.ok(!existsSync(cacheDirOf(join(home, '.cache'))), 'nothing kept when turned off');
  assert.doesNotMatch(err, /compile cache|cache directory/i);
  // A cache dir below a regular file cannot be created, whoever runs the test.
  const blocker = join(makeTempDir('compile-cache-blocked'), 'a-file');
  writeFileSync(blocker, '');
  const blocked = await serveOnce({ ...baseEnv(home), XDG_CACHE_HOME: blocker });
  assert.doesNotMatch(blocked, /compile cache|cache directory/i);
});

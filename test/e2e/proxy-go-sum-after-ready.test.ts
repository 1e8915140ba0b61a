// go.sum is read before the proxy listens and parsed after it is ready (issue 9, start-up): a
// request that comes before the parse waits for it and is verified against those lines; a
// go.sum that cannot be read still stops the start; one that cannot be parsed lets nothing
// unverified into the store.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { escapePath } from '../../src/gomod/module-path.ts';
import { type FixtureModule, goSumFor, writeFixtureModules } from '../support/fixture-modules.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { makeTempDir } from '../support/go-env.ts';
import { cliEntry, serveEnv, startServeProcess } from '../support/serve-process.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const good: FixtureModule = { path: 'example.com/sum/good', version: 'v1.0.0' };
const altered: FixtureModule = { path: 'example.com/sum/altered', version: 'v1.0.0' };
const wrongHash = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

let dir: string;
let upstream: FixtureProxy;
/** go.sum with good's true lines and altered's zip line replaced by a wrong hash. */
let goSumText: string;

before(async () => {
  dir = makeTempDir('sum-after-ready-fixtures');
  await writeFixtureModules(dir, [good, altered]);
  goSumText = (await goSumFor(dir, [good, altered]))
    .split('\n')
    .map((line) =>
      line.startsWith(`${altered.path} ${altered.version} `)
        ? `${altered.path} ${altered.version} ${wrongHash}`
        : line,
    )
    .join('\n');
  assert.match(goSumText, new RegExp(`${altered.path} ${altered.version} ${wrongHash}`));
  upstream = await startFixtureProxy({ dir });
});

after(async () => {
  await upstream.close();
});

const path = (m: FixtureModule, ext: 'zip' | 'mod') => `/${escapePath(m.path)}/@v/${m.version}.${ext}`;
const stored = (storeDir: string, m: FixtureModule, ext: 'zip' | 'mod') =>
  join(storeDir, escapePath(m.path), '@v', `${m.version}.${ext}`);

async function get(base: string, p: string) {
  const res = await request(`${base}${p}`);
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, body };
}

test('requests that come before go.sum is parsed are verified against the go.sum read at start', async () => {
  const goSum = join(makeTempDir('sum-after-ready'), 'go.sum');
  await writeFile(goSum, goSumText);
  // Nothing asks for the parse: the first blob to verify does.
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [goSum] });
  try {
    // Read at start, parsed later: what is on disk now does not count.
    await writeFile(goSum, 'not a go.sum line\n');
    const [bad, ok, mod] = await Promise.all([
      get(proxy.url, path(altered, 'zip')),
      get(proxy.url, path(good, 'zip')),
      get(proxy.url, path(good, 'mod')),
    ]);
    assert.notEqual(bad.status, 200, 'a zip whose go.sum line differs is refused');
    assert.match(bad.body.toString(), /checksum mismatch/);
    assert.equal(existsSync(stored(proxy.storeDir, altered, 'zip')), false, 'the refused zip is not stored');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, await readFile(join(dir, escapePath(good.path), '@v', `${good.version}.zip`)));
    assert.equal(mod.status, 200);
    assert.equal(existsSync(stored(proxy.storeDir, good, 'zip')), true);
    const byKind = proxy.stats.snapshot().byKind;
    assert.equal(byKind.zip?.requests, 2);
  } finally {
    await proxy.close();
  }
});

test('serve: a go.sum that cannot be read stops the start, before the ready file', async () => {
  const readyFile = join(makeTempDir('sum-ready'), 'ready.json');
  const missing = join(makeTempDir('sum-missing'), 'go.sum');
  const child = spawn(
    process.execPath,
    [
      cliEntry,
      'serve',
      '--ready-file',
      readyFile,
      '--store',
      join(makeTempDir('store'), 'store'),
      '--upstream',
      upstream.url,
      '--gosumdb',
      'off',
      '--go-sum',
      missing,
    ],
    { env: serveEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.equal(code, 1);
  assert.match(stderr, new RegExp(`cannot read go.sum file ${missing} \\(ENOENT\\): check the path given`));
  assert.equal(existsSync(readyFile), false);
});

test('serve: a malformed go.sum found after ready is reported on one line, and nothing is fetched into the store', async () => {
  const goSum = join(makeTempDir('sum-malformed'), 'go.sum');
  await writeFile(goSum, `${goSumText}example.com/sum/broken v1.0.0\n`);
  const store = join(makeTempDir('store'), 'store');
  const serve = await startServeProcess([
    '--store',
    store,
    '--upstream',
    upstream.url,
    '--gosumdb',
    'off',
    '--go-sum',
    goSum,
  ]);
  try {
    const answer = await get(serve.ready.url, path(good, 'zip'));
    assert.notEqual(
      answer.status,
      200,
      'without its go.sum lines nothing is verified, so nothing is served from upstream',
    );
    assert.match(answer.body.toString(), /malformed go\.sum line: wrong number of fields 2/);
    const modAnswer = await get(serve.ready.url, path(good, 'mod'));
    assert.notEqual(modAnswer.status, 200);
    // The go.sum-verified blobs; an .info carries no hash in go.sum and is kept as ever.
    assert.equal(existsSync(stored(store, good, 'zip')), false);
    assert.equal(existsSync(stored(store, good, 'mod')), false);
    assert.match(
      serve.log(),
      new RegExp(
        `goproxy-action: ${goSum.replaceAll('.', '\\.')}:\\d+: malformed go\\.sum line: .*Every module not already in the store is refused until the go\\.sum is fixed and serve restarted\\.`,
      ),
    );
  } finally {
    assert.equal(await serve.stop(), 0, serve.log());
  }
});

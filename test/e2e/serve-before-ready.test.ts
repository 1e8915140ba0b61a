// What the serve bundle does before its ready file (issue 9 start-up): no asynchronous file
// call (each fs/promises call's first use cost start-up CPU; nothing is served yet, so its few
// reads and writes are synchronous) and node:crypto not loaded (about 10 ms of CPU: the admin
// token comes from the kernel's random device, and the bundle loads node:crypto on first use).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildCliFromWorkingTree } from '../support/gitlab-ci-local.ts';
import { makeTempDir } from '../support/go-env.ts';
import { startServeProcess } from '../support/serve-process.ts';

/**
 * Preloaded into serve: records every asynchronous fs call (fs/promises and fs callbacks) and
 * whether node:crypto is loaded, and writes them to $BEFORE_READY_OUT when the ready file is
 * renamed into place.
 */
const recorder = `
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const calls = [];
let done = false;
const readyFile = process.env.BEFORE_READY_FILE;
function report() {
  done = true;
  const crypto = process.moduleLoadList.filter((m) => /^NativeModule (internal\\/)?crypto\\b/.test(m));
  fs.writeFileSync(process.env.BEFORE_READY_OUT, JSON.stringify({ calls, crypto }));
}
for (const [mod, prefix] of [[fsp, 'fs/promises.'], [fs, 'fs.']]) {
  for (const name of Object.keys(mod)) {
    const f = mod[name];
    if (typeof f !== 'function' || /^[A-Z]/.test(name) || name.endsWith('Sync') || name.startsWith('watch')) continue;
    mod[name] = function (...args) {
      if (!done) calls.push(prefix + name + ' ' + String(args[0]));
      return f.apply(this, args);
    };
  }
}
const renameSync = fs.renameSync;
fs.renameSync = function (from, to) {
  const result = renameSync.call(this, from, to);
  if (!done && to === readyFile) report();
  return result;
};
const rename = fsp.rename;
fsp.rename = async function (from, to) {
  const result = await rename.call(this, from, to);
  if (!done && to === readyFile) report();
  return result;
};
`;

test('the serve bundle makes no asynchronous file call and does not load node:crypto before its ready file, and answers module requests sent right then', async () => {
  const cli = await buildCliFromWorkingTree();
  const dir = makeTempDir('before-ready');
  const preload = join(dir, 'recorder.cjs');
  writeFileSync(preload, recorder);
  const goSum = join(dir, 'go.sum');
  writeFileSync(goSum, 'example.com/a v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
  const readyFile = join(dir, 'ready.json');
  const out = join(dir, 'before-ready.json');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: join(dir, 'home'),
    NODE_DISABLE_COMPILE_CACHE: '1',
    GOPROXY_ACTION_GO_SETTINGS: JSON.stringify({
      GOPROXY: 'off',
      GOSUMDB: 'off',
      GOPRIVATE: '',
      GONOPROXY: '',
      GONOSUMDB: '',
    }),
    BEFORE_READY_FILE: readyFile,
    BEFORE_READY_OUT: out,
  };
  const serve = await startServeProcess(
    ['--store', join(dir, 'store'), '--upstream', 'off', '--gosumdb', 'off', '--go-sum', goSum],
    [],
    { entry: cli, nodeArgs: ['-r', preload], env, cwd: dir, readyFile },
  );
  try {
    const { ready } = serve;
    assert.match(ready.token, /^[0-9a-f]{48}$/);
    const res = await fetch(`${ready.url}/`);
    await res.arrayBuffer();
    assert.equal(res.status, 200);
    const seen = JSON.parse(await readFile(out, 'utf8')) as { calls: string[]; crypto: string[] };
    assert.deepEqual(seen, { calls: [], crypto: [] });
    // The engine's request-answering part loads after the ready file (create-proxy.ts
    // deferEngine): module and checksum-database requests sent at once wait for it and get
    // the answers it gives.
    const [info, sumdb] = await Promise.all([
      fetch(`${ready.url}/example.com/a/@v/v1.0.0.info`),
      fetch(`${ready.url}/sumdb/sum.golang.org/supported`),
    ]);
    assert.equal(info.status, 404);
    assert.equal((await info.text()).trim(), 'not found: GOPROXY=off: no further upstream');
    assert.equal(sumdb.status, 404);
    assert.match(
      await sumdb.text(),
      /checksum database sum\.golang\.org is not served here \(GOSUMDB is off\)/,
    );
  } finally {
    assert.equal(await serve.stop(), 0, serve.log());
  }
});

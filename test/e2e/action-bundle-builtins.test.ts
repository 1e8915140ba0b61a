// scripts/build.ts turns the bundles' ES imports of Node built-ins into require(), including
// the dependencies' `import * as http from "http"` (no `node:`): an ES import of node:http reads
// its lazy WebSocket export, which loads Node's own undici, http2 and zlib (about 40 ms of the
// post step's start-up with nothing to save). Proven on the built post.js as the runner starts it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { buildActionBundles } from '../support/action-runner.ts';
import { makeTempDir } from '../support/go-env.ts';

const run = promisify(execFile);

test('the built post step loads neither Node’s undici nor http2 nor zlib when it has nothing to do', async () => {
  const dist = await buildActionBundles();
  const work = makeTempDir('post-builtins');
  try {
    // No state: post says the main step did not finish and returns; then list what Node loaded.
    const probe = `await import(${JSON.stringify(join(dist, 'post.js'))}); console.log(JSON.stringify(process.moduleLoadList));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RUNNER_TEMP: work, GITHUB_WORKSPACE: work },
    });
    const lines = stdout.trim().split('\n');
    assert.match(stdout, /the main step did not finish setting up/);
    const loaded = JSON.parse(lines.at(-1) ?? '[]') as string[];
    // The probe itself is real: @actions/core's http-client did load node:http.
    assert.ok(loaded.includes('NativeModule http'), 'node:http was loaded (by @actions/http-client)');
    for (const internal of [
      'NativeModule internal/deps/undici/undici',
      'NativeModule http2',
      'NativeModule zlib',
    ])
      assert.ok(!loaded.includes(internal), `${internal} was loaded by post.js`);
    // And no output file keeps an ES import of a built-in other than the banner's node:module.
    const files = [
      ...(await readdir(dist)).filter((f) => f.endsWith('.js')).map((f) => join(dist, f)),
      ...(await readdir(join(dist, 'chunks'))).map((f) => join(dist, 'chunks', f)),
    ];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const esImports = [...text.matchAll(/^import [^;]*? from "((?:node:)?[a-z_/]+)";$/gm)]
        .map((m) => m[1])
        .filter((specifier) => specifier !== 'node:module' && !specifier?.startsWith('.'));
      assert.deepEqual(esImports, [], `${file} imports built-ins as ES modules`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(dirname(dist), { recursive: true, force: true });
  }
});

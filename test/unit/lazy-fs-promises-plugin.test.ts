// scripts/lazy-fs-promises-plugin.ts: in the bundles, our code's imports of node:fs/promises
// load it only when one of its functions is first called, and then give its own results.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { lazyNodeFsPromises } from '../../scripts/lazy-fs-promises-plugin.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

/** Bundles `source` as scripts/build.ts does (with or without the plugin). */
async function bundle(dir: string, source: string, withPlugin: boolean): Promise<string> {
  const outfile = join(dir, withPlugin ? 'lazy.js' : 'eager.js');
  await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    plugins: withPlugin ? [lazyNodeFsPromises] : [],
  });
  return outfile;
}

const source = `
  import { readFile, stat } from 'node:fs/promises';
  const loaded = () => process.moduleLoadList.includes('NativeModule fs/promises');
  const atLoad = loaded();
  const text = await readFile(process.argv[2], 'utf8');
  const size = (await stat(process.argv[2])).size;
  const missing = await readFile(process.argv[2] + '.missing').catch((err) => err.code);
  console.log(JSON.stringify({ atLoad, afterCall: loaded(), text, size, missing }));`;

test('with the plugin, node:fs/promises loads at the first call of one of its functions, which then work as its own', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-lazy-fsp-'));
  try {
    const file = join(dir, 'data.txt');
    await writeFile(file, 'goproxy\n');
    const expected = { text: await readFile(file, 'utf8'), size: 8, missing: 'ENOENT' };
    const env = { PATH: process.env.PATH ?? '' };
    const lazy = JSON.parse(
      (await run(process.execPath, [await bundle(dir, source, true), file], { env })).stdout,
    );
    assert.deepEqual(lazy, { atLoad: false, afterCall: true, ...expected });
    // Without it, the bundle loads node:fs/promises as it starts (what the plugin avoids).
    const eager = JSON.parse(
      (await run(process.execPath, [await bundle(dir, source, false), file], { env })).stdout,
    );
    assert.deepEqual(eager, { atLoad: true, afterCall: true, ...expected });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('with the plugin, importing a value of node:fs/promises fails the build', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-lazy-fsp-'));
  try {
    await assert.rejects(
      bundle(dir, `import { constants } from 'node:fs/promises'; console.log(constants);`, true),
      /No matching export .* for import "constants"/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// scripts/lazy-crypto-plugin.ts: in the bundles, our code's imports of node:crypto load it only
// when one of its functions is first called, and then give node:crypto's own results.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { lazyNodeCrypto } from '../../scripts/lazy-crypto-plugin.ts';

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
    plugins: withPlugin ? [lazyNodeCrypto] : [],
  });
  return outfile;
}

const source = `
  import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
  const loaded = () => process.moduleLoadList.includes('NativeModule crypto');
  const atLoad = loaded();
  const sha = createHash('sha256').update('goproxy').digest('hex');
  console.log(JSON.stringify({
    atLoad,
    afterCall: loaded(),
    sha,
    equal: timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')),
    random: randomBytes(8).length,
  }));`;

test('with the plugin, node:crypto loads at the first call of one of its functions, which then work as its own', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-lazy-crypto-'));
  try {
    const expected = {
      sha: createHash('sha256').update('goproxy').digest('hex'),
      equal: timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')),
      random: 8,
    };
    const env = { PATH: process.env.PATH ?? '' };
    const lazy = JSON.parse((await run(process.execPath, [await bundle(dir, source, true)], { env })).stdout);
    assert.deepEqual(lazy, { atLoad: false, afterCall: true, ...expected });
    // Without it, the bundle loads node:crypto as it starts (what the plugin avoids).
    const eager = JSON.parse(
      (await run(process.execPath, [await bundle(dir, source, false)], { env })).stdout,
    );
    assert.deepEqual(eager, { atLoad: true, afterCall: true, ...expected });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('with the plugin, importing a class or a value of node:crypto fails the build', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-lazy-crypto-'));
  try {
    for (const name of ['Hash', 'constants', 'webcrypto']) {
      await assert.rejects(
        bundle(dir, `import { ${name} } from 'node:crypto'; console.log(${name});`, true),
        new RegExp(`No matching export .* for import "${name}"`),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

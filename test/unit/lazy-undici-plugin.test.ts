// scripts/lazy-undici-plugin.ts: in the action's bundles, @actions/http-client no longer
// evaluates undici when it loads, and a ProxyAgent it constructs behind an HTTP proxy is still
// undici's.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { lazyUndiciInHttpClient } from '../../scripts/lazy-undici-plugin.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

/** Marks undici's evaluation: its index.js sets a global when it runs. */
const markUndiciEvaluated: Plugin = {
  name: 'mark-undici-evaluated',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]undici[\\/]index\.js$/ }, async (args) => ({
      contents: `${await readFile(args.path, 'utf8')}\nglobalThis.undiciEvaluated = true;\n`,
      loader: 'js',
    }));
  },
};

/** Bundles http-client (with or without the plugin) and reports what loading and using it did. */
async function probe(withPlugin: boolean): Promise<{ atLoad: boolean; afterAgent: boolean; agent: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'gpa-lazy-undici-'));
  try {
    await build({
      stdin: { contents: "export { HttpClient } from '@actions/http-client';", resolveDir: root },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(dir, 'bundle.js'),
      logLevel: 'error',
      // As scripts/build.ts: CommonJS code in an ES bundle needs require.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      plugins: withPlugin ? [lazyUndiciInHttpClient, markUndiciEvaluated] : [markUndiciEvaluated],
    });
    const script = `
      const evaluated = () => globalThis.undiciEvaluated === true;
      const { HttpClient } = await import('./bundle.js');
      const atLoad = evaluated();
      process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
      const agent = new HttpClient('probe').getAgentDispatcher('https://example.invalid/');
      console.log(JSON.stringify({ atLoad, afterAgent: evaluated(), agent: agent.constructor.name.replace(/\\d+$/, '') + ' ' + typeof agent.dispatch }));
      await agent.close();
    `;
    await writeFile(join(dir, 'probe.mjs'), script);
    const env = { PATH: process.env.PATH ?? '' };
    const { stdout } = await run(process.execPath, [join(dir, 'probe.mjs')], { env, cwd: dir });
    return JSON.parse(stdout) as { atLoad: boolean; afterAgent: boolean; agent: string };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('with the plugin, http-client loads without evaluating undici and still builds undici ProxyAgents', async () => {
  const lazy = await probe(true);
  assert.deepEqual(lazy, { atLoad: false, afterAgent: true, agent: 'ProxyAgent function' });
  // Without it, loading http-client evaluates undici (what the plugin avoids).
  const eager = await probe(false);
  assert.deepEqual(eager, { atLoad: true, afterAgent: true, agent: 'ProxyAgent function' });
});

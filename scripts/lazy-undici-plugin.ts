// An esbuild plugin of scripts/build.ts, in its own file so that a test can build with it.
import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * @actions/http-client imports undici's ProxyAgent at its top level, so @actions/core (which
 * imports http-client for OIDC tokens) made every action step evaluate all of undici (800 kB)
 * before its first line: about 110 ms of CPU (bench/action-main.ts). http-client constructs a
 * ProxyAgent only in getAgentDispatcher, which neither the @actions packages nor we call. Its
 * import of undici becomes this stand-in, which loads undici (bundled as usual) when a
 * ProxyAgent is constructed, the same class then.
 */
export const lazyUndiciInHttpClient: Plugin = {
  name: 'lazy-undici-in-http-client',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) =>
      /[\\/]node_modules[\\/]@actions[\\/]http-client[\\/]/.test(args.importer)
        ? { path: 'undici-proxy-agent', namespace: 'lazy-undici' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-undici' }, () => ({
      contents:
        "export class ProxyAgent { constructor(...args) { return new (require('undici').ProxyAgent)(...args); } }\n",
      loader: 'js',
      // From the project root: undici as the project has it.
      resolveDir: resolve(import.meta.dirname, '..'),
    }));
  },
};

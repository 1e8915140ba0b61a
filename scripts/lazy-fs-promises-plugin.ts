// An esbuild plugin of scripts/build.ts, in its own file so that a test can build with it.
import type { Plugin } from 'esbuild';
import { lazyFunctionsModule } from './lazy-crypto-plugin.ts';

/**
 * Loading node:fs/promises costs serve about 4 ms of CPU before its ready file (it loads
 * readline's interface and the fs watchers with it), and serve calls none of it before then:
 * its file work before ready is synchronous (test/e2e/serve-before-ready.test.ts). In the
 * bundles, our own code's ES imports of node:fs/promises become a stand-in whose functions
 * load it on their first call, as lazyNodeCrypto does for node:crypto. Only functions are
 * offered (`constants` imported from our code fails the build); dependencies are left as they are.
 */
export const lazyNodeFsPromises: Plugin = {
  name: 'lazy-node-fs-promises',
  setup(b) {
    b.onResolve({ filter: /^(node:)?fs\/promises$/ }, (args) =>
      args.kind === 'import-statement' && !/[\\/]node_modules[\\/]/.test(args.importer)
        ? { path: 'node:fs/promises', namespace: 'lazy-fs-promises' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-fs-promises' }, () => ({
      contents: lazyFunctionsModule('node:fs/promises'),
      loader: 'js',
    }));
  },
};

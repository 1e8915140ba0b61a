// An esbuild plugin of scripts/build.ts, in its own file so that a test can build with it.
import { createRequire } from 'node:module';
import type { Plugin } from 'esbuild';

/**
 * Loading node:crypto costs about 10 ms of CPU (some twenty internal modules, then OpenSSL on
 * first use): a fifth of a bare Node HTTP server's whole start-up, and serve's static graph
 * imports it from a dozen files (store hashes, temp names, the checksum database) that a start
 * and a store hit never call (bench/engine-startup.ts). In the bundles, our own code's ES
 * imports of node:crypto become this stand-in: each function loads node:crypto when first
 * called, then is node:crypto's. Only functions are offered (a class, `constants` or
 * `webcrypto` imported from our code fails the build: import those where they are used).
 * Dependencies' own imports and requires of crypto are left as they are.
 */
export const lazyNodeCrypto: Plugin = {
  name: 'lazy-node-crypto',
  setup(b) {
    b.onResolve({ filter: /^(node:)?crypto$/ }, (args) =>
      args.kind === 'import-statement' && !/[\\/]node_modules[\\/]/.test(args.importer)
        ? { path: 'node:crypto', namespace: 'lazy-crypto' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      contents: lazyCryptoModule(),
      loader: 'js',
    }));
  },
};

/** node:crypto's functions (not its classes), each loading the module on its first call. */
export function lazyCryptoModule(): string {
  return lazyFunctionsModule('node:crypto');
}

/**
 * A stand-in for built-in `specifier`: its functions whose names start in lower case (not its
 * classes or constants), each loading the built-in on its first call, then calling its own.
 */
export function lazyFunctionsModule(specifier: string): string {
  const builtin = createRequire(import.meta.url)(specifier) as Record<string, unknown>;
  const names = Object.keys(builtin).filter(
    (name) => typeof builtin[name] === 'function' && /^[a-z]/.test(name),
  );
  return [
    'let builtin;',
    `const load = () => (builtin ??= require(${JSON.stringify(specifier)}));`,
    ...names.map((name) => `export const ${name} = (...args) => load().${name}(...args);`),
    '',
  ].join('\n');
}

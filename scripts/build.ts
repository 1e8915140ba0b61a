// Bundles every entry point into a self-contained ESM file in dist/. The output is
// committed and CI rebuilds it, so the build must be deterministic (no timestamps, no
// absolute paths).
import { build } from 'esbuild';

/** Entry points: source file -> dist file name (without .js). */
export const entryPoints: Record<string, string> = {
  cli: 'src/cli.ts',
  main: 'src/github/main.ts',
  post: 'src/github/post.ts',
};

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  splitting: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (the @actions and Azure packages) call require(); ESM has none.
  banner: {
    js: "import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);",
  },
});

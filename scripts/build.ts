// Bundles the entry points into dist/: ESM, needing nothing but dist/ itself (shared code
// and heavy dependencies sit in chunks loaded on demand). The output is committed and CI
// rebuilds it, so the build must be deterministic (no timestamps, no absolute paths).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/** Entry points: source file -> dist file name (without .js). */
export const entryPoints: Record<string, string> = {
  cli: 'src/cli.ts',
  main: 'src/github/main.ts',
  post: 'src/github/post.ts',
  health: 'src/github/health-main.ts',
};

// Chunk names carry content hashes: start clean so no stale chunk outlives a rebuild.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  // Chunks: undici, yaml and ajv load only when a command needs them (start-up time).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (the @actions and Azure packages) call require(); ESM has none.
  banner: {
    js: "import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);",
  },
});

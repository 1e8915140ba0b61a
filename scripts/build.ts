// Bundles the entry points into dist/: ESM, needing nothing but dist/ itself (shared code
// and heavy dependencies sit in chunks loaded on demand). The output is committed and CI
// rebuilds it, so the build must be deterministic (no timestamps, no absolute paths).
// Prints, per entry point, what loads at start (the entry and the chunks it imports
// statically) and what may load later (dynamic imports), so start-up weight stays visible.
import { rmSync } from 'node:fs';
import { type BuildOptions, build, type Metafile } from 'esbuild';

/** Entry points: dist file name (without .js) -> source file, with the Node line each runs on. */
export const entryPoints: Record<string, { source: string; target: string }> = {
  // The CLI runs in users' images (node:22-alpine is common): every supported Node line.
  cli: { source: 'src/cli.ts', target: 'node22' },
  // The action runs on the runner's Node 24 (action.yml: runs.using node24).
  main: { source: 'src/github/main.ts', target: 'node24' },
  post: { source: 'src/github/post.ts', target: 'node24' },
  'prewarm-main': { source: 'src/github/prewarm-main.ts', target: 'node24' },
  health: { source: 'src/github/health-main.ts', target: 'node24' },
};

const common: BuildOptions = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Chunks: undici, yaml and ajv load only when a command needs them (start-up time).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // CommonJS dependencies (the @actions and Azure packages) call require(); ESM has none.
  banner: {
    js: "import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);",
  },
};

// Chunk names carry content hashes: start clean so no stale chunk outlives a rebuild.
rmSync('dist', { recursive: true, force: true });

// One build per target (entries of one target share chunks).
const outputs: Metafile['outputs'] = {};
for (const target of [...new Set(Object.values(entryPoints).map((entry) => entry.target))]) {
  const entries = Object.entries(entryPoints).filter(([, entry]) => entry.target === target);
  const result = await build({
    ...common,
    target,
    entryPoints: Object.fromEntries(entries.map(([name, entry]) => [name, entry.source])),
  });
  Object.assign(outputs, result.metafile?.outputs);
}

/** The output files an entry loads: statically (at start), or also through dynamic imports. */
function closure(file: string, withDynamic: boolean, seen = new Set<string>()): Set<string> {
  if (seen.has(file) || !outputs[file]) return seen;
  seen.add(file);
  for (const imported of outputs[file].imports) {
    if (imported.external) continue;
    if (imported.kind === 'dynamic-import' && !withDynamic) continue;
    closure(imported.path, withDynamic, seen);
  }
  return seen;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
const size = (files: Set<string>) => [...files].reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0);
for (const name of Object.keys(entryPoints)) {
  const file = `dist/${name}.js`;
  const atStart = closure(file, false);
  const all = closure(file, true);
  process.stderr.write(
    `build: dist/${name}.js (${entryPoints[name]?.target}) loads ${kb(size(atStart))} at start (${atStart.size} files), ${kb(size(all))} with everything it may import\n`,
  );
}

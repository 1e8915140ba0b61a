// Bundles the entry points into dist/: ESM, needing nothing but dist/ itself (shared code
// and heavy dependencies sit in chunks loaded on demand). The output is committed and CI
// rebuilds it, so the build must be deterministic (no timestamps, no absolute paths).
// Prints, per entry point, what loads at start (the entry and the chunks it imports
// statically) and what may load later (dynamic imports), so start-up weight stays visible.
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { lazyNodeCrypto } from './lazy-crypto-plugin.ts';
import { lazyNodeFsPromises } from './lazy-fs-promises-plugin.ts';
import { lazyUndiciInHttpClient } from './lazy-undici-plugin.ts';

/**
 * Entry points: dist file name (without .js) -> source file, with the Node line each runs on.
 * `alone`: built on its own, sharing no chunk with the other entries, so what it loads at start
 * is a few files (the other builds import it as `./<name>.js`, from an entry in dist/ itself).
 */
export const entryPoints: Record<string, { source: string; target: string; alone?: boolean }> = {
  // The CLI runs in users' images (node:22-alpine is common): every supported Node line.
  cli: { source: 'src/cli.ts', target: 'node22' },
  // `goproxy-action serve` (the proxy daemon), loaded by cli.js: its start-up is measured
  // (bench/engine-startup.ts); its lazy chunks (undici, yaml, the zip checker) are its own copies.
  serve: { source: 'src/cli/serve-main.ts', target: 'node22', alone: true },
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

const alone = Object.entries(entryPoints).filter(([, entry]) => entry.alone);

/** An entry's source as esbuild names importers (real paths: src/ may be a symlink). */
const realSource = (entry: { source: string }) => realpathSync(entry.source);

/** In the other builds, an import of an `alone` entry's source is the built file, left external. */
const aloneEntriesExternal: Plugin = {
  name: 'alone-entries-external',
  setup(b) {
    b.onResolve({ filter: /\.ts$/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const found = alone.find(([, entry]) => realSource(entry) === resolve(args.resolveDir, args.path));
      if (!found) return undefined;
      // An entry's own code lands in dist/, every other module's in dist/chunks/ (checked below).
      const fromEntry = Object.values(entryPoints).some((entry) => realSource(entry) === args.importer);
      return { path: `${fromEntry ? '.' : '..'}/${found[0]}.js`, external: true };
    });
  },
};

// One build per target (entries of one target share chunks), and one per `alone` entry.
const builds = [
  ...[...new Set(Object.values(entryPoints).map((entry) => entry.target))].map((target) =>
    Object.entries(entryPoints).filter(([, entry]) => entry.target === target && !entry.alone),
  ),
  ...alone.map((entry) => [entry]),
];
const outputs: Metafile['outputs'] = {};
for (const entries of builds) {
  const result = await build({
    ...common,
    target: entries[0]![1].target,
    entryPoints: Object.fromEntries(entries.map(([name, entry]) => [name, entry.source])),
    plugins: [aloneEntriesExternal, lazyUndiciInHttpClient, lazyNodeCrypto, lazyNodeFsPromises],
  });
  Object.assign(outputs, result.metafile?.outputs);
}
/** The `alone` entry's output an import in `file` names, if it names one. */
const aloneTarget = (file: string, path: string) =>
  alone.find(([name]) => path.endsWith(`/${name}.js`) && (path.startsWith('./') || path.startsWith('../')))
    ? join(dirname(file), path)
    : null;
for (const [file, output] of Object.entries(outputs)) {
  for (const imported of output.imports) {
    const target = aloneTarget(file, imported.path);
    if (target && !outputs[target]) throw new Error(`${file} imports ${imported.path}, which is not built`);
  }
}

/**
 * `import { a as b } from "node:x"` in the output becomes `const { a: b } = require("node:x")`
 * (the banner defines require). Node gives an ES import of a built-in a facade that reads every
 * export, running the built-in's lazy getters: node:fs's ReadStream loads the fs streams and
 * readline, node:util's TextDecoder the text codecs and util's diff, node:crypto's webcrypto.
 * That was ~8 ms of serve's ~50 ms start-up (bench/engine-startup.ts). Built-ins' exports do
 * not change, so a copy of the values is the same as the live binding.
 * A default import is the built-in's module.exports either way; namespace imports and
 * node:module (the banner's own import) stay as they are.
 */
function requireBuiltins(file: string): void {
  const text = readFileSync(file, 'utf8');
  // Dependencies name built-ins without `node:` (@actions/http-client's `import * as http from
  // "http"`: node:http's lazy WebSocket getter then loads Node's own undici, http2 and zlib,
  // about 40 ms of the post step's 150 ms with nothing to save).
  const builtin = (specifier: string) => specifier !== 'node:module' && isBuiltin(specifier);
  const rewritten = text.replace(
    /^import \{([^}]*)\} from "((?:node:)?[a-z_/]+)";$/gm,
    (whole, names: string, specifier: string) =>
      builtin(specifier)
        ? `const {${names.replace(/\b([\w$]+) as ([\w$]+)\b/g, '$1: $2')}} = require("${specifier}");`
        : whole,
  );
  const withDefaults = rewritten.replace(
    /^import ([\w$]+) from "((?:node:)?[a-z_/]+)";$/gm,
    (whole, name: string, specifier: string) =>
      builtin(specifier) ? `const ${name} = require("${specifier}");` : whole,
  );
  // A namespace import of a built-in is its exports object: module.exports holds the same
  // functions and values (only the namespace's own `default` is missing, which esbuild's output
  // reads through a default import instead).
  const withNamespaces = withDefaults.replace(
    /^import \* as ([\w$]+) from "((?:node:)?[a-z_/]+)";$/gm,
    (whole, name: string, specifier: string) =>
      builtin(specifier) ? `const ${name} = require("${specifier}");` : whole,
  );
  if (withNamespaces !== text) writeFileSync(file, withNamespaces);
}
for (const file of Object.keys(outputs)) if (file.endsWith('.js')) requireBuiltins(file);

/** The output files an entry loads: statically (at start), or also through dynamic imports. */
function closure(file: string, withDynamic: boolean, seen = new Set<string>()): Set<string> {
  if (seen.has(file) || !outputs[file]) return seen;
  seen.add(file);
  for (const imported of outputs[file].imports) {
    const target = aloneTarget(file, imported.path);
    if (target) {
      // Loaded only when that command runs: counted with what may load later.
      if (withDynamic) closure(target, withDynamic, seen);
      continue;
    }
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

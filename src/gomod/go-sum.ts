// go.sum files: "<module> <version>[/go.mod] <hash>" lines, as cmd/go reads them. The proxy
// verifies what it stores against these lines, so a line it misreads is a hole: anything
// that is not exactly three fields of the expected shape is an error naming file:line.

import { readFileSync } from 'node:fs';
import { checkImportPath, ModulePathError } from './module-path.ts';
import { isValidVersion } from './version.ts';

export interface GoSumLine {
  module: string;
  /** The version without the "/go.mod" suffix. */
  version: string;
  /** True for "<version>/go.mod" lines (the hash of the go.mod alone), false for the zip's hash. */
  isGoMod: boolean;
  /** "h1:<base64>" (or another "<algorithm>:" form, kept as written). */
  hash: string;
  /** 1-based line number in `file`. */
  line: number;
  file: string;
}

export class GoSumError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: malformed go.sum line: ${problem}`);
    this.name = 'GoSumError';
    this.file = file;
    this.line = line;
  }
}

/**
 * The hash cmd/go once wrote for non-modules (a 1-file tree holding an empty go.mod); cmd/go
 * drops such lines when reading, and so do we.
 */
export const emptyGoModHash = 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=';

/** What strings.Fields splits on (unicode.IsSpace), which is not quite JavaScript's \\s. */
const goSpace = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

const h1Pattern = /^h1:[A-Za-z0-9+/]{43}=$/;
const otherHashPattern = /^[a-z][a-z0-9]*:\S+$/;

export function parseGoSum(text: string, file: string): GoSumLine[] {
  const lines: GoSumLine[] = [];
  const reader = new GoSumReader(text, file);
  while (reader.readInto(lines, Number.POSITIVE_INFINITY));
  return lines;
}

/**
 * A go.sum text read a few lines at a time (parseGoSum reads it whole): serve parses its
 * go.sum after it is ready, between the requests that come meanwhile (GoSumIndex.parseInSlices).
 */
class GoSumReader {
  readonly #file: string;
  readonly #rawLines: string[];
  readonly #checkedModules = new Set<string>();
  #next = 0;

  constructor(text: string, file: string) {
    this.#file = file;
    this.#rawLines = text.split('\n');
    // A final "\n" ends the last line; it does not start another.
    if (this.#rawLines.at(-1) === '') this.#rawLines.pop();
  }

  /** Parses up to `count` more lines into `out`; false once every line is read. */
  readInto(out: GoSumLine[], count: number): boolean {
    const end = Math.min(this.#rawLines.length, this.#next + count);
    for (; this.#next < end; this.#next++) {
      const parsed = this.#parseLine(this.#rawLines[this.#next] as string, this.#next + 1);
      if (parsed) out.push(parsed);
    }
    return this.#next < this.#rawLines.length;
  }

  #parseLine(raw: string, line: number): GoSumLine | null {
    const file = this.#file;
    const fields = raw.split(goSpace).filter((f) => f !== '');
    if (fields.length === 0) return null;
    if (fields.length !== 3) {
      throw new GoSumError(
        file,
        line,
        `wrong number of fields ${fields.length}, want 3 ("<module> <version>[/go.mod] h1:<hash>"); fix the line or regenerate go.sum with "go mod tidy"`,
      );
    }
    const [module, versionField, hash] = fields as [string, string, string];
    if (hash === emptyGoModHash) return null;
    // Each module has two lines or more (zip, go.mod, versions): its path is checked once,
    // which is most of the parse (serve parses every go.sum at start).
    if (!this.#checkedModules.has(module)) {
      try {
        checkImportPath(module);
      } catch (err) {
        if (err instanceof ModulePathError) throw new GoSumError(file, line, err.message);
        throw err;
      }
      this.#checkedModules.add(module);
    }
    const isGoMod = versionField.endsWith('/go.mod');
    const version = isGoMod ? versionField.slice(0, -'/go.mod'.length) : versionField;
    if (!isValidVersion(version)) {
      throw new GoSumError(file, line, `invalid version ${JSON.stringify(versionField)} for ${module}`);
    }
    if (hash.startsWith('h1:') ? !h1Pattern.test(hash) : !otherHashPattern.test(hash)) {
      throw new GoSumError(
        file,
        line,
        `invalid hash ${JSON.stringify(hash)} (want "h1:" followed by 44 base64 characters)`,
      );
    }
    return { module, version, isGoMod, hash, line, file };
  }
}

export type GoSumText = { file: string; text: string };

/**
 * Reads go.sum files, in order; a file that cannot be read is an error naming it. Synchronous:
 * serve reads them before it is ready, when nothing waits on its event loop, and an fs/promises
 * read costs more start-up CPU than the read itself (bench/engine-startup.ts).
 */
export async function readGoSumFiles(files: readonly string[]): Promise<GoSumText[]> {
  const texts: GoSumText[] = [];
  for (const file of files) {
    try {
      texts.push({ file, text: readFileSync(file, 'utf8') });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`cannot read go.sum file ${file} (${code ?? String(err)}): check the path given`);
    }
  }
  return texts;
}

function key(module: string, version: string): string {
  return `${module}@${version}`;
}

/**
 * Every go.sum line the proxy knows, looked up by module@version. Several go.sum files may
 * disagree: all hashes seen are kept (in the order first seen) and the caller decides.
 */
export class GoSumIndex {
  readonly #zip = new Map<string, GoSumLine[]>();
  readonly #mod = new Map<string, GoSumLine[]>();

  static async load(files: readonly string[]): Promise<GoSumIndex> {
    return GoSumIndex.parse(await readGoSumFiles(files));
  }

  /** The index of go.sum texts already read (readGoSumFiles); throws GoSumError on a bad line. */
  static parse(texts: readonly GoSumText[]): GoSumIndex {
    const index = new GoSumIndex();
    for (const { file, text } of texts) index.add(parseGoSum(text, file));
    return index;
  }

  /**
   * As parse, giving the event loop a turn every few milliseconds: serve parses its go.sum
   * once it is ready, and the requests that come meanwhile (store hits need no go.sum) are
   * answered between the slices instead of after the whole parse (bench/engine-startup.ts).
   * The same index and the same first error as parse.
   */
  static async parseInSlices(texts: readonly GoSumText[], sliceMs = 2): Promise<GoSumIndex> {
    const index = new GoSumIndex();
    for (const { file, text } of texts) {
      const reader = new GoSumReader(text, file);
      const lines: GoSumLine[] = [];
      let sliceStart = performance.now();
      while (reader.readInto(lines, 64)) {
        if (performance.now() - sliceStart < sliceMs) continue;
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      index.add(lines);
    }
    return index;
  }

  add(lines: readonly GoSumLine[]): void {
    for (const l of lines) {
      const map = l.isGoMod ? this.#mod : this.#zip;
      const k = key(l.module, l.version);
      const list = map.get(k);
      if (list) list.push(l);
      else map.set(k, [l]);
    }
  }

  /** Distinct zip hashes recorded for module@version ([] when none). */
  zipHash(module: string, version: string): string[] {
    return distinctHashes(this.#zip.get(key(module, version)));
  }

  /** Distinct go.mod hashes recorded for module@version ([] when none). */
  modHash(module: string, version: string): string[] {
    return distinctHashes(this.#mod.get(key(module, version)));
  }

  hasZip(module: string, version: string): boolean {
    return this.#zip.has(key(module, version));
  }

  hasMod(module: string, version: string): boolean {
    return this.#mod.has(key(module, version));
  }

  /** True when any line (zip or go.mod) names module@version. */
  has(module: string, version: string): boolean {
    return this.hasZip(module, version) || this.hasMod(module, version);
  }

  /** The lines behind a hash lookup, for error messages that say where a hash came from. */
  lines(module: string, version: string, isGoMod: boolean): GoSumLine[] {
    return [...((isGoMod ? this.#mod : this.#zip).get(key(module, version)) ?? [])];
  }

  /** Number of distinct module@version entries (zip or go.mod). */
  get size(): number {
    return new Set([...this.#zip.keys(), ...this.#mod.keys()]).size;
  }
}

function distinctHashes(lines: GoSumLine[] | undefined): string[] {
  return [...new Set((lines ?? []).map((l) => l.hash))];
}

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  ModulePathError,
  checkImportPath
} from "./chunk-HEGZARSW.js";
import {
  isValidVersion,
  readdir
} from "./chunk-TPCHYJEY.js";

// src/gomod/find-module-files.ts
const { join } = require("node:path");
var skippedDirs = /* @__PURE__ */ new Set(["node_modules", "vendor", "testdata", "dist"]);
function isSkippedDir(name) {
  return skippedDirs.has(name) || name.startsWith(".") || name.startsWith("_");
}
function isWorkspaceModuleFile(path) {
  const dirs = path.split(/[\\/]/).slice(0, -1);
  return dirs.every((d) => d === "" || d === "." || !isSkippedDir(d));
}
var moduleFileNames = ["go.mod", "go.work", "go.sum"];
async function findModuleFiles(root, names = moduleFileNames, maxDepth = 12) {
  const wanted = new Set(names);
  const found = [];
  async function walk(dir, depth) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isFile() && wanted.has(entry.name)) found.push(join(dir, entry.name));
      else if (entry.isDirectory() && depth < maxDepth && !isSkippedDir(entry.name)) {
        await walk(join(dir, entry.name), depth + 1);
      }
    }
  }
  await walk(root, 0);
  return found.sort();
}

// src/gomod/go-sum.ts
const { readFileSync } = require("node:fs");
var GoSumError = class extends Error {
  file;
  line;
  constructor(file, line, problem) {
    super(`${file}:${line}: malformed go.sum line: ${problem}`);
    this.name = "GoSumError";
    this.file = file;
    this.line = line;
  }
};
var emptyGoModHash = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";
var goSpace = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
var h1Pattern = /^h1:[A-Za-z0-9+/]{43}=$/;
var otherHashPattern = /^[a-z][a-z0-9]*:\S+$/;
function parseGoSum(text, file) {
  const lines = [];
  const reader = new GoSumReader(text, file);
  while (reader.readInto(lines, Number.POSITIVE_INFINITY)) ;
  return lines;
}
var GoSumReader = class {
  #file;
  #rawLines;
  #checkedModules = /* @__PURE__ */ new Set();
  #next = 0;
  constructor(text, file) {
    this.#file = file;
    this.#rawLines = text.split("\n");
    if (this.#rawLines.at(-1) === "") this.#rawLines.pop();
  }
  /** Parses up to `count` more lines into `out`; false once every line is read. */
  readInto(out, count) {
    const end = Math.min(this.#rawLines.length, this.#next + count);
    for (; this.#next < end; this.#next++) {
      const parsed = this.#parseLine(this.#rawLines[this.#next], this.#next + 1);
      if (parsed) out.push(parsed);
    }
    return this.#next < this.#rawLines.length;
  }
  #parseLine(raw, line) {
    const file = this.#file;
    const fields = raw.split(goSpace).filter((f) => f !== "");
    if (fields.length === 0) return null;
    if (fields.length !== 3) {
      throw new GoSumError(
        file,
        line,
        `wrong number of fields ${fields.length}, want 3 ("<module> <version>[/go.mod] h1:<hash>"); fix the line or regenerate go.sum with "go mod tidy"`
      );
    }
    const [module, versionField, hash] = fields;
    if (hash === emptyGoModHash) return null;
    if (!this.#checkedModules.has(module)) {
      try {
        checkImportPath(module);
      } catch (err) {
        if (err instanceof ModulePathError) throw new GoSumError(file, line, err.message);
        throw err;
      }
      this.#checkedModules.add(module);
    }
    const isGoMod = versionField.endsWith("/go.mod");
    const version = isGoMod ? versionField.slice(0, -"/go.mod".length) : versionField;
    if (!isValidVersion(version)) {
      throw new GoSumError(file, line, `invalid version ${JSON.stringify(versionField)} for ${module}`);
    }
    if (hash.startsWith("h1:") ? !h1Pattern.test(hash) : !otherHashPattern.test(hash)) {
      throw new GoSumError(
        file,
        line,
        `invalid hash ${JSON.stringify(hash)} (want "h1:" followed by 44 base64 characters)`
      );
    }
    return { module, version, isGoMod, hash, line, file };
  }
};
async function readGoSumFiles(files) {
  const texts = [];
  for (const file of files) {
    try {
      texts.push({ file, text: readFileSync(file, "utf8") });
    } catch (err) {
      const code = err.code;
      throw new Error(`cannot read go.sum file ${file} (${code ?? String(err)}): check the path given`);
    }
  }
  return texts;
}
function key(module, version) {
  return `${module}@${version}`;
}
var GoSumIndex = class _GoSumIndex {
  #zip = /* @__PURE__ */ new Map();
  #mod = /* @__PURE__ */ new Map();
  static async load(files) {
    return _GoSumIndex.parse(await readGoSumFiles(files));
  }
  /** The index of go.sum texts already read (readGoSumFiles); throws GoSumError on a bad line. */
  static parse(texts) {
    const index = new _GoSumIndex();
    for (const { file, text } of texts) index.add(parseGoSum(text, file));
    return index;
  }
  /**
   * As parse, giving the event loop a turn every few milliseconds: serve parses its go.sum
   * once it is ready, and the requests that come meanwhile (store hits need no go.sum) are
   * answered between the slices instead of after the whole parse (bench/engine-startup.ts).
   * The same index and the same first error as parse.
   */
  static async parseInSlices(texts, sliceMs = 2) {
    const index = new _GoSumIndex();
    for (const { file, text } of texts) {
      const reader = new GoSumReader(text, file);
      const lines = [];
      let sliceStart = performance.now();
      while (reader.readInto(lines, 64)) {
        if (performance.now() - sliceStart < sliceMs) continue;
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      index.add(lines);
    }
    return index;
  }
  add(lines) {
    for (const l of lines) {
      const map = l.isGoMod ? this.#mod : this.#zip;
      const k = key(l.module, l.version);
      const list = map.get(k);
      if (list) list.push(l);
      else map.set(k, [l]);
    }
  }
  /** Distinct zip hashes recorded for module@version ([] when none). */
  zipHash(module, version) {
    return distinctHashes(this.#zip.get(key(module, version)));
  }
  /** Distinct go.mod hashes recorded for module@version ([] when none). */
  modHash(module, version) {
    return distinctHashes(this.#mod.get(key(module, version)));
  }
  hasZip(module, version) {
    return this.#zip.has(key(module, version));
  }
  hasMod(module, version) {
    return this.#mod.has(key(module, version));
  }
  /** True when any line (zip or go.mod) names module@version. */
  has(module, version) {
    return this.hasZip(module, version) || this.hasMod(module, version);
  }
  /** The lines behind a hash lookup, for error messages that say where a hash came from. */
  lines(module, version, isGoMod) {
    return [...(isGoMod ? this.#mod : this.#zip).get(key(module, version)) ?? []];
  }
  /** Number of distinct module@version entries (zip or go.mod). */
  get size() {
    return (/* @__PURE__ */ new Set([...this.#zip.keys(), ...this.#mod.keys()])).size;
  }
};
function distinctHashes(lines) {
  return [...new Set((lines ?? []).map((l) => l.hash))];
}

export {
  isWorkspaceModuleFile,
  findModuleFiles,
  GoSumError,
  parseGoSum,
  GoSumIndex
};

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  readdir
} from "./chunk-SY3SBDYW.js";

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

export {
  isWorkspaceModuleFile,
  findModuleFiles
};

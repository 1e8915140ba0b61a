import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  chmod,
  mkdtemp,
  rm
} from "./chunk-TPCHYJEY.js";

// src/remote/credentials-dir.ts
const { basename, join } = require("node:path");
var PREFIX = "goproxy-action-credentials-";
async function createCredentialsDir(tempRoot) {
  const dir = await mkdtemp(join(tempRoot, PREFIX));
  await chmod(dir, 448);
  return dir;
}
async function removeCredentialsDir(dir) {
  if (!basename(dir).startsWith(PREFIX)) {
    throw new Error(`refusing to remove ${dir}: it is not a credentials directory made by goproxy-action`);
  }
  await rm(dir, { recursive: true, force: true });
}

// src/each-limited.ts
async function eachLimited(list, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const item = list[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, worker));
}

export {
  eachLimited,
  createCredentialsDir,
  removeCredentialsDir
};

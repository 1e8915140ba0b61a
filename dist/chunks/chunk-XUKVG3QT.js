import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/store/atomic-file.ts
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";

// src/store/store-write-error.ts
var capacityCodes = /* @__PURE__ */ new Set(["ENOSPC", "EDQUOT", "EROFS", "EFBIG"]);
var StoreWriteError = class extends Error {
  name = "StoreWriteError";
  /** The errno code: ENOSPC, EDQUOT, EROFS or EFBIG. */
  code;
  /** The file whose write failed (the final path, not the temp file). */
  path;
  constructor(code, path, cause) {
    super(`cannot store ${path}: ${describe(code)}`, { cause });
    this.code = code;
    this.path = path;
  }
};
function describe(code) {
  switch (code) {
    case "ENOSPC":
      return "disk full (ENOSPC); free space on that disk or use a store directory on another one";
    case "EDQUOT":
      return "disk quota exceeded (EDQUOT); raise the quota or use a store directory elsewhere";
    case "EROFS":
      return "read-only filesystem (EROFS); use a writable store directory";
    default:
      return `file too large for this filesystem (${code})`;
  }
}
function asStoreWriteError(err, path) {
  const code = err?.code;
  if (typeof code === "string" && capacityCodes.has(code)) return new StoreWriteError(code, path, err);
  return err;
}

// src/store/atomic-file.ts
var tempPrefix = ".tmp-";
var cleanupMayFail = /* @__PURE__ */ new Set(["ENOENT", "EROFS", "EACCES", "EPERM"]);
var staleTempAgeMs = 24 * 60 * 60 * 1e3;
function newTempPath(finalPath) {
  return join(dirname(finalPath), `${tempPrefix}${process.pid}-${randomBytes(8).toString("hex")}`);
}
async function openTemp(finalPath) {
  const dir = dirname(finalPath);
  for (let attempt = 0; ; attempt++) {
    await mkdir(dir, { recursive: true });
    const tempPath = newTempPath(finalPath);
    try {
      return { handle: await open(tempPath, "wx", 420), tempPath };
    } catch (err) {
      if (err.code !== "ENOENT" || attempt >= 3) throw err;
    }
  }
}
async function beginAtomicWrite(finalPath) {
  let opened;
  try {
    opened = await openTemp(finalPath);
  } catch (err) {
    throw asStoreWriteError(err, finalPath);
  }
  const { handle, tempPath } = opened;
  let state = "open";
  let queue = Promise.resolve();
  const cleanup = async () => {
    if (state === "open") {
      state = "closed";
      await handle.close().catch(() => void 0);
    }
    if (state === "closed") {
      state = "done";
      await unlink(tempPath).catch(() => void 0);
    }
  };
  const failWith = async (err) => {
    await cleanup();
    throw asStoreWriteError(err, finalPath);
  };
  const enqueue = (step) => {
    const next = queue.then(step);
    queue = next.catch(() => void 0);
    return next;
  };
  return {
    path: tempPath,
    write: (chunk) => enqueue(async () => {
      if (state !== "open")
        throw new Error(`write after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        let offset = 0;
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
        }
      } catch (err) {
        await failWith(err);
      }
    }),
    commit: () => enqueue(async () => {
      if (state !== "open")
        throw new Error(`commit after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        await handle.sync();
        state = "closed";
        await handle.close();
        await rename(tempPath, finalPath);
        state = "done";
      } catch (err) {
        await failWith(err);
      }
    }),
    discard: () => enqueue(cleanup),
    detach: async () => {
      await enqueue(async () => {
        if (state !== "open")
          throw new Error(`detach after commit, discard, detach or a failed write of ${finalPath}`);
        state = "done";
        await handle.close();
      });
      return tempPath;
    }
  };
}
async function writeFileAtomic(finalPath, data) {
  const pending = await beginAtomicWrite(finalPath);
  try {
    await pending.write(data);
    await pending.commit();
  } catch (err) {
    await pending.discard();
    throw err;
  }
}
function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}
async function removeStaleTempFiles(root) {
  let removed = 0;
  const visit = async (dir) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (err.code === "ENOENT") return;
      throw err;
    }
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return visit(path);
        if (entry.isFile() && entry.name.startsWith(tempPrefix) && await isStaleTemp(path, entry.name)) {
          try {
            await unlink(path);
            removed++;
          } catch (err) {
            if (!cleanupMayFail.has(err.code ?? "")) throw err;
          }
        }
      })
    );
  };
  await visit(root);
  return removed;
}
async function isStaleTemp(path, name) {
  const pid = Number.parseInt(name.slice(tempPrefix.length), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return true;
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs >= staleTempAgeMs;
}

export {
  StoreWriteError,
  tempPrefix,
  beginAtomicWrite,
  writeFileAtomic,
  removeStaleTempFiles
};

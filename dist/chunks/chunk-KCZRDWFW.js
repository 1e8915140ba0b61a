import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  checkModuleZip
} from "./chunk-CTO3CDGR.js";
import {
  redactUrlUserinfo
} from "./chunk-M7AEWHDY.js";

// src/upstream/goproxy-list.ts
var GoproxyListError = class extends Error {
  name = "GoproxyListError";
};
function parseGoproxyList(value) {
  const entries = [];
  let rest = value.trim();
  if (rest === "")
    throw new GoproxyListError('GOPROXY list is empty: give at least one proxy URL, "direct" or "off"');
  while (rest !== "") {
    const match = /[,|]/.exec(rest);
    const raw = (match ? rest.slice(0, match.index) : rest).trim();
    const separator = match?.[0];
    rest = match ? rest.slice(match.index + 1) : "";
    if (raw === "") continue;
    const fallThroughOnAnyError = separator === "|";
    if (raw === "direct") {
      entries.push({ kind: "direct", fallThroughOnAnyError });
    } else if (raw === "off") {
      entries.push({ kind: "off" });
    } else if (raw === "noproxy") {
      entries.push({ kind: "direct", fallThroughOnAnyError });
    } else {
      entries.push({ kind: "url", ...normalizeProxyUrl(raw), fallThroughOnAnyError });
    }
  }
  if (entries.length === 0) {
    throw new GoproxyListError(
      `GOPROXY list "${redactUrlUserinfo(value)}" has no entries: give a proxy URL, "direct" or "off"`
    );
  }
  return entries;
}
function normalizeProxyUrl(raw) {
  const shown = redactUrlUserinfo(raw);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" is not a valid URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:" && url.protocol !== "file:") {
    throw new GoproxyListError(
      `GOPROXY entry "${shown}" uses the scheme ${url.protocol.slice(0, -1)}: only https, http and file are supported`
    );
  }
  if (url.username === "" && url.password === "") return { url: withScheme.replace(/\/+$/, "") };
  if (url.protocol !== "https:") {
    throw new GoproxyListError(
      `refusing to pass credentials to insecure URL: ${redactUrlUserinfo(withScheme)}; use https, or drop the credentials from the URL`
    );
  }
  let credentials;
  try {
    credentials = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password)
    };
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" has badly percent-encoded credentials`);
  }
  url.username = "";
  url.password = "";
  return { url: url.href.replace(/\/+$/, ""), credentials };
}

// src/proxy/served-zip-hash.ts
import { stat } from "node:fs/promises";
var wantHeader = "x-goproxy-action-want";
var h1Header = "x-goproxy-action-h1";
var sameFile = (a, b) => a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
var identity = (s) => ({
  dev: s.dev,
  ino: s.ino,
  size: s.size,
  mtimeNs: s.mtimeNs,
  ctimeNs: s.ctimeNs
});
var maxRemembered = 1e5;
var ServedZipHashes = class _ServedZipHashes {
  #known = /* @__PURE__ */ new Map();
  /** Hashes computed for answers (not remembered ones), for tests and statistics. */
  computed = 0;
  static #key(module, version, file) {
    return `${file.dev}:${file.ino} ${module}@${version}`;
  }
  /**
   * Records that the open file (a stored zip of module@version) hashed to `h1`: called right
   * after the blob was verified and renamed into place (a rename changes the ctime).
   */
  async remember(handle, module, version, h1) {
    const file = identity(await handle.stat({ bigint: true }));
    this.#set(module, version, file, h1);
  }
  #set(module, version, file, h1) {
    if (this.#known.size >= maxRemembered) this.#known.delete(this.#known.keys().next().value);
    this.#known.set(_ServedZipHashes.#key(module, version, file), { file, h1 });
  }
  /**
   * The h1 of the bytes `body` holds (an answer's open file, whose name is `path`), or null
   * when it cannot be said for sure (not a valid module zip, unreadable, or the file changed
   * while it was hashed): then the client downloads and hashes it itself.
   */
  async hashOf(body, path, module, version) {
    try {
      const before = identity(await body.handle.stat({ bigint: true }));
      if (before.size !== BigInt(body.size)) return null;
      const known = this.#known.get(_ServedZipHashes.#key(module, version, before));
      if (known && sameFile(known.file, before)) return known.h1;
      const named = identity(await stat(path, { bigint: true }));
      if (!sameFile(named, before)) return null;
      const { hash } = await checkModuleZip(path, module, version);
      this.computed++;
      const after = identity(await body.handle.stat({ bigint: true }));
      const namedAfter = identity(await stat(path, { bigint: true }));
      if (!sameFile(after, before) || !sameFile(namedAfter, before)) return null;
      this.#set(module, version, before, hash);
      return hash;
    } catch {
      return null;
    }
  }
};

export {
  GoproxyListError,
  parseGoproxyList,
  wantHeader,
  h1Header,
  ServedZipHashes
};

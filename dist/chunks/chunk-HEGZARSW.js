import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  isValidVersion,
  versionBuild,
  versionMajor
} from "./chunk-TPCHYJEY.js";
import {
  __require
} from "./chunk-UOOPJVRV.js";

// lazy-crypto:node:crypto
var builtin;
var load = () => builtin ??= __require("node:crypto");
var createHash = (...args) => load().createHash(...args);
var randomBytes = (...args) => load().randomBytes(...args);
var hash = (...args) => load().hash(...args);

// src/gomod/go-quote.ts
var printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
function isGoPrint(c) {
  return c === " " || printable.test(c);
}
function escapeChar(c, quote) {
  if (c === quote || c === "\\") return `\\${c}`;
  if (isGoPrint(c)) return c;
  const named = {
    "\x07": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "	": "\\t",
    "\v": "\\v"
  };
  if (named[c]) return named[c];
  const cp = c.codePointAt(0);
  if (cp < 32 || cp === 127) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp >= 55296 && cp <= 57343) return "\\ufffd";
  if (cp < 65536) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}
function goQuote(s) {
  let out = '"';
  for (const c of s) out += escapeChar(c, '"');
  return `${out}"`;
}
function goQuoteRune(c) {
  return `'${escapeChar(c, "'")}'`;
}

// src/gomod/module-path.ts
var ModulePathError = class extends Error {
  input;
  reason;
  constructor(message, input, reason) {
    super(message);
    this.name = "ModulePathError";
    this.input = input;
    this.reason = reason;
  }
};
function pathError(kind, path, reason) {
  return new ModulePathError(`malformed ${kind} path ${goQuote(path)}: ${reason}`, path, reason);
}
function isAsciiAlnum(r) {
  return r >= "0" && r <= "9" || r >= "A" && r <= "Z" || r >= "a" && r <= "z";
}
function firstPathOK(r) {
  return r === "-" || r === "." || r >= "0" && r <= "9" || r >= "a" && r <= "z";
}
function modPathOK(r) {
  return r === "-" || r === "." || r === "_" || r === "~" || isAsciiAlnum(r);
}
function importPathOK(r) {
  return modPathOK(r) || r === "+";
}
var fileNameAllowed = "!#$%&()+,-.=@[]^_{}~ ";
function fileNameOK(r) {
  if (r.codePointAt(0) < 128) return isAsciiAlnum(r) || fileNameAllowed.includes(r);
  return new RegExp("^\\p{L}$", "u").test(r);
}
var badWindowsNames = [
  "CON",
  "PRN",
  "AUX",
  "NUL",
  "COM1",
  "COM2",
  "COM3",
  "COM4",
  "COM5",
  "COM6",
  "COM7",
  "COM8",
  "COM9",
  "LPT1",
  "LPT2",
  "LPT3",
  "LPT4",
  "LPT5",
  "LPT6",
  "LPT7",
  "LPT8",
  "LPT9"
];
function elemProblem(elem, kind) {
  if (elem === "") return "empty path element";
  if (/^\.+$/.test(elem)) return `invalid path element ${goQuote(elem)}`;
  if (elem[0] === "." && kind === "module") return "leading dot in path element";
  if (elem.endsWith(".")) return "trailing dot in path element";
  for (const r of elem) {
    const ok = kind === "module" ? modPathOK(r) : kind === "import" ? importPathOK(r) : fileNameOK(r);
    if (!ok) return `invalid char ${goQuoteRune(r)}`;
  }
  const dot = elem.indexOf(".");
  const short = dot >= 0 ? elem.slice(0, dot) : elem;
  const upperShort = short.toUpperCase();
  if (/^[\x00-\x7f]*$/.test(short) && badWindowsNames.includes(upperShort)) {
    return `${goQuote(short)} disallowed as path element component on Windows`;
  }
  if (kind === "file") return null;
  const tilde = short.lastIndexOf("~");
  if (tilde >= 0 && tilde < short.length - 1 && /^[0-9]+$/.test(short.slice(tilde + 1))) {
    return "trailing tilde and digits in path element";
  }
  return null;
}
function pathProblem(path, kind) {
  if (!path.isWellFormed()) return "invalid UTF-8";
  if (path === "") return "empty string";
  if (path[0] === "-" && kind !== "file") return "leading dash";
  if (path.includes("//")) return "double slash";
  if (path.endsWith("/")) return "trailing slash";
  for (const elem of path.split("/")) {
    const problem = elemProblem(elem, kind);
    if (problem) return problem;
  }
  return null;
}
function modulePathProblem(path) {
  const problem = pathProblem(path, "module");
  if (problem) return problem;
  let i = path.indexOf("/");
  if (i < 0) i = path.length;
  if (i === 0) return "leading slash";
  const first = path.slice(0, i);
  if (!first.includes(".")) return "missing dot in first path element";
  if (path[0] === "-") return "leading dash in first path element";
  for (const r of first) {
    if (!firstPathOK(r)) return `invalid char ${goQuoteRune(r)} in first path element`;
  }
  if (!splitPathVersion(path)) return "invalid version";
  return null;
}
function checkModulePath(path) {
  const problem = modulePathProblem(path);
  if (problem) throw pathError("module", path, problem);
}
function isValidModulePath(path) {
  return modulePathProblem(path) === null;
}
function checkImportPath(path) {
  const problem = pathProblem(path, "import");
  if (problem) throw pathError("import", path, problem);
}
function checkFilePath(path) {
  const problem = pathProblem(path, "file");
  if (problem) throw pathError("file", path, problem);
}
function splitGopkgIn(path) {
  let i = path.length;
  if (path.endsWith("-unstable")) i -= "-unstable".length;
  while (i > 0 && path[i - 1] !== void 0 && path[i - 1] >= "0" && path[i - 1] <= "9")
    i--;
  if (i <= 1 || path[i - 1] !== "v" || path[i - 2] !== ".") return null;
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (pathMajor.length <= 2 || pathMajor[2] === "0" && pathMajor !== ".v0") return null;
  return { prefix, pathMajor };
}
function splitPathVersion(path) {
  if (path.startsWith("gopkg.in/")) return splitGopkgIn(path);
  let i = path.length;
  let dot = false;
  for (; i > 0; i--) {
    const c = path[i - 1];
    if (!(c >= "0" && c <= "9" || c === ".")) break;
    if (c === ".") dot = true;
  }
  if (i <= 1 || i === path.length || path[i - 1] !== "v" || path[i - 2] !== "/")
    return { prefix: path, pathMajor: "" };
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (dot || pathMajor.length <= 2 || pathMajor[2] === "0" || pathMajor === "/v1") return null;
  return { prefix, pathMajor };
}
function checkPathMajor(v, pathMajor) {
  let pm = pathMajor;
  if (pm.startsWith(".v") && pm.endsWith("-unstable")) pm = pm.slice(0, -"-unstable".length);
  if (v.startsWith("v0.0.0-") && pm === ".v1") return;
  const m = versionMajor(v);
  let want;
  if (pm === "") {
    if (m === "v0" || m === "v1" || versionBuild(v) === "+incompatible") return;
    want = "v0 or v1";
  } else if (pm[0] === "/" || pm[0] === ".") {
    if (m === pm.slice(1)) return;
    want = pm.slice(1);
  } else {
    want = pm;
  }
  const reason = `should be ${want}, not ${m}`;
  throw new ModulePathError(`version ${goQuote(v)} invalid: ${reason}`, v, reason);
}
function checkModuleVersion(path, version) {
  checkModulePath(path);
  if (!isValidVersion(version)) {
    const reason = "not a semantic version";
    throw new ModulePathError(`${path}@${version}: invalid version: ${reason}`, version, reason);
  }
  try {
    checkPathMajor(version, splitPathVersion(path)?.pathMajor ?? "");
  } catch (err) {
    if (!(err instanceof ModulePathError)) throw err;
    throw new ModulePathError(`${path}@${version}: invalid version: ${err.reason}`, version, err.reason);
  }
}
function escapeString(s) {
  return s.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
function unescapeString(escaped) {
  let out = "";
  let bang = false;
  for (const r of escaped) {
    if (r.codePointAt(0) >= 128) return null;
    if (bang) {
      bang = false;
      if (r < "a" || r > "z") return null;
      out += r.toUpperCase();
      continue;
    }
    if (r === "!") {
      bang = true;
      continue;
    }
    if (r >= "A" && r <= "Z") return null;
    out += r;
  }
  return bang ? null : out;
}
function escapePath(path) {
  checkModulePath(path);
  return escapeString(path);
}
function versionStringProblem(v) {
  if (elemProblem(v, "file") !== null || v.includes("!") || !/^[\x00-\x7f]*$/.test(v)) {
    return "disallowed version string";
  }
  return null;
}
function escapeVersion(v) {
  const problem = versionStringProblem(v);
  if (problem) throw new ModulePathError(`version ${goQuote(v)} invalid: ${problem}`, v, problem);
  return escapeString(v);
}
function unescapePath(escaped) {
  const path = unescapeString(escaped);
  if (path === null) {
    throw new ModulePathError(
      `invalid escaped module path ${goQuote(escaped)}: upper-case letters must be written as "!" + lower-case, and "!" must be followed by a-z`,
      escaped,
      "bad escape"
    );
  }
  const problem = modulePathProblem(path);
  if (problem) {
    throw new ModulePathError(
      `invalid escaped module path ${goQuote(escaped)}: malformed module path ${goQuote(path)}: ${problem}`,
      escaped,
      problem
    );
  }
  return path;
}
function unescapeVersion(escaped) {
  const v = unescapeString(escaped);
  if (v === null) {
    throw new ModulePathError(
      `invalid escaped version ${goQuote(escaped)}: upper-case letters must be written as "!" + lower-case, and "!" must be followed by a-z`,
      escaped,
      "bad escape"
    );
  }
  const problem = elemProblem(v, "file");
  if (problem) {
    throw new ModulePathError(`invalid escaped version ${goQuote(v)}: ${problem}`, escaped, problem);
  }
  return v;
}

export {
  createHash,
  randomBytes,
  hash,
  goQuote,
  goQuoteRune,
  ModulePathError,
  checkModulePath,
  isValidModulePath,
  checkImportPath,
  checkFilePath,
  splitPathVersion,
  checkPathMajor,
  checkModuleVersion,
  escapePath,
  escapeVersion,
  unescapePath,
  unescapeVersion
};

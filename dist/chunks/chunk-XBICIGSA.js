import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  readFile
} from "./chunk-TPCHYJEY.js";

// src/policy/path-match.ts
var SLASH = 47;
var STAR = 42;
var BACKSLASH = 92;
var OPEN = 91;
var CLOSE = 93;
var CARET = 94;
var DASH = 45;
var QUESTION = 63;
var RUNE_ERROR = 65533;
var encoder = new TextEncoder();
function decodeRune(b, at) {
  const n = b.length - at;
  if (n <= 0) return [RUNE_ERROR, 0];
  const c0 = b[at];
  if (c0 < 128) return [c0, 1];
  const cont = (i) => {
    const c = b[at + i];
    return c !== void 0 && c >= 128 && c <= 191 ? c & 63 : -1;
  };
  if (c0 >= 194 && c0 <= 223) {
    const c1 = cont(1);
    return c1 < 0 ? [RUNE_ERROR, 1] : [(c0 & 31) << 6 | c1, 2];
  }
  if (c0 >= 224 && c0 <= 239) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return [RUNE_ERROR, 1];
    const r = (c0 & 15) << 12 | c1 << 6 | c2;
    if (r < 2048 || r >= 55296 && r <= 57343) return [RUNE_ERROR, 1];
    return [r, 3];
  }
  if (c0 >= 240 && c0 <= 244) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return [RUNE_ERROR, 1];
    const r = (c0 & 7) << 18 | c1 << 12 | c2 << 6 | c3;
    if (r < 65536 || r > 1114111) return [RUNE_ERROR, 1];
    return [r, 4];
  }
  return [RUNE_ERROR, 1];
}
function scanChunk(p, from) {
  let i = from;
  let star = false;
  while (i < p.length && p[i] === STAR) {
    i++;
    star = true;
  }
  const start = i;
  let inRange = false;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === BACKSLASH) {
      if (i + 1 < p.length) i++;
    } else if (c === OPEN) {
      inRange = true;
    } else if (c === CLOSE) {
      inRange = false;
    } else if (c === STAR && !inRange) {
      break;
    }
  }
  return { star, start, end: i };
}
var BAD = /* @__PURE__ */ Symbol("bad pattern");
function getEsc(p, at, end) {
  if (at >= end || p[at] === DASH || p[at] === CLOSE) return BAD;
  let i = at;
  if (p[i] === BACKSLASH) {
    i++;
    if (i >= end) return BAD;
  }
  const [rune, width] = decodeRune(p.subarray(0, end), i);
  if (rune === RUNE_ERROR && width === 1) return BAD;
  const next = i + width;
  if (next >= end) return BAD;
  return { rune, next };
}
function matchChunk(p, start, end, s, from) {
  let failed = false;
  let ci = start;
  let si = from;
  while (ci < end) {
    if (!failed && si >= s.length) failed = true;
    const c = p[ci];
    if (c === OPEN) {
      let r = 0;
      if (!failed) {
        const [rune, width] = decodeRune(s, si);
        r = rune;
        si += width;
      }
      ci++;
      let negated = false;
      if (ci < end && p[ci] === CARET) {
        negated = true;
        ci++;
      }
      let match = false;
      let nrange = 0;
      for (; ; ) {
        if (ci < end && p[ci] === CLOSE && nrange > 0) {
          ci++;
          break;
        }
        const lo = getEsc(p, ci, end);
        if (lo === BAD) return BAD;
        ci = lo.next;
        let hi = lo.rune;
        if (p[ci] === DASH) {
          const h = getEsc(p, ci + 1, end);
          if (h === BAD) return BAD;
          ci = h.next;
          hi = h.rune;
        }
        if (lo.rune <= r && r <= hi) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (c === QUESTION) {
      if (!failed) {
        if (s[si] === SLASH) failed = true;
        si += decodeRune(s, si)[1];
      }
      ci++;
    } else {
      if (c === BACKSLASH) {
        ci++;
        if (ci >= end) return BAD;
      }
      if (!failed) {
        if (p[ci] !== s[si]) failed = true;
        si++;
      }
      ci++;
    }
  }
  return failed ? null : si;
}
function indexOfSlash(s, from) {
  for (let i = from; i < s.length; i++) if (s[i] === SLASH) return i;
  return -1;
}
function pathMatch(pattern, name) {
  const p = encoder.encode(pattern);
  const s = encoder.encode(name);
  let pi = 0;
  let si = 0;
  const yes = { matched: true, badPattern: false };
  const no = { matched: false, badPattern: false };
  const bad = { matched: false, badPattern: true };
  chunks: while (pi < p.length) {
    const chunk = scanChunk(p, pi);
    pi = chunk.end;
    if (chunk.star && chunk.start === chunk.end) {
      return indexOfSlash(s, si) < 0 ? yes : no;
    }
    const t = matchChunk(p, chunk.start, chunk.end, s, si);
    if (typeof t === "number" && (t === s.length || pi < p.length)) {
      si = t;
      continue;
    }
    if (t === BAD) return bad;
    if (chunk.star) {
      for (let i = si; i < s.length && s[i] !== SLASH; i++) {
        const t2 = matchChunk(p, chunk.start, chunk.end, s, i + 1);
        if (typeof t2 === "number") {
          if (pi >= p.length && t2 < s.length) continue;
          si = t2;
          continue chunks;
        }
        if (t2 === BAD) return bad;
      }
    }
    while (pi < p.length) {
      const rest = scanChunk(p, pi);
      pi = rest.end;
      if (matchChunk(p, rest.start, rest.end, new Uint8Array(0), 0) === BAD) return bad;
    }
    return no;
  }
  return si === s.length ? yes : no;
}
function isBadGlob(pattern) {
  const p = encoder.encode(pattern);
  let pi = 0;
  while (pi < p.length) {
    const chunk = scanChunk(p, pi);
    pi = chunk.end;
    if (matchChunk(p, chunk.start, chunk.end, new Uint8Array(0), 0) === BAD) return true;
  }
  return false;
}

// src/policy/patterns.ts
function matchPrefixPatterns(patterns, path) {
  for (const raw of patterns.split(",")) {
    const glob = raw.endsWith("/") ? raw.slice(0, -1) : raw;
    if (glob === "") continue;
    let slashes = 0;
    for (let i = 0; i < glob.length; i++) if (glob[i] === "/") slashes++;
    let prefix = path;
    for (let i = 0; i < path.length; i++) {
      if (path[i] === "/") {
        if (slashes === 0) {
          prefix = path.slice(0, i);
          break;
        }
        slashes--;
      }
    }
    if (slashes > 0) continue;
    if (pathMatch(glob, prefix).matched) return true;
  }
  return false;
}
function matchPatternList(patterns, path, options) {
  return firstMatchingPattern(patterns, path, options) !== null;
}
function firstMatchingPattern(patterns, path, options) {
  const folded = options.foldCase ? path.toLowerCase() : path;
  for (const pattern of patterns) {
    if (matchPrefixPatterns(pattern, path)) return pattern;
    if (options.foldCase && matchPrefixPatterns(pattern.toLowerCase(), folded)) return pattern;
  }
  return null;
}
function parsePatternList(csv) {
  const out = [];
  for (const raw of csv.split(",")) {
    const glob = raw.endsWith("/") ? raw.slice(0, -1) : raw;
    if (glob !== "") out.push(glob);
  }
  return out;
}
function validatePattern(pattern) {
  if (pattern.trim() === "")
    return "the pattern is empty; write a module path prefix such as github.com/acme-corp";
  if (/\s/.test(pattern)) {
    return `pattern '${pattern}' contains white space, which Go does not trim, so it would match nothing; write '${pattern.replace(/\s+/g, "")}'`;
  }
  if (pattern.includes(",")) {
    return `pattern '${pattern}' contains ',', which separates patterns; write each pattern as its own list item`;
  }
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(pattern);
  if (scheme) {
    return `pattern '${pattern}' has a URL scheme; patterns match module paths, write '${pattern.slice(scheme[0].length)}'`;
  }
  if (pattern.startsWith("/")) {
    return `pattern '${pattern}' starts with '/'; module paths do not, write '${pattern.replace(/^\/+/, "")}'`;
  }
  if (/\/\//.test(pattern)) {
    return `pattern '${pattern}' contains '//', an empty path element no module path has; write '${pattern.replace(/\/{2,}/g, "/")}'`;
  }
  if (pattern.includes("@")) {
    return `pattern '${pattern}' contains '@'; patterns match module paths without versions (use 'versions:' in a deny entry for versions)`;
  }
  if (/![a-z]/.test(pattern)) {
    return `pattern '${pattern}' looks case-encoded; patterns match decoded module paths, write '${pattern.replace(/!([a-z])/g, (_m, c) => c.toUpperCase())}'`;
  }
  if (isBadGlob(pattern)) {
    return `pattern '${pattern}' is not a valid glob (Go's path.Match syntax: '*', '?', '[a-z]', '[^a-z]', '\\' escapes); Go would silently ignore it`;
  }
  return null;
}

// src/policy/load-policy.ts
const { existsSync } = require("node:fs");
const { isAbsolute, relative, resolve } = require("node:path");
var defaultPolicyFile = ".goproxy.yml";
var PolicyFileError = class extends Error {
  name = "PolicyFileError";
  /** Each problem as `file:line:column: message`. */
  problems;
  constructor(problems) {
    super(problems.join("\n"));
    this.problems = problems;
  }
};
async function loadPolicy(options) {
  const workspace = resolve(options.workspace);
  const display = (file2) => {
    const rel = relative(workspace, file2);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file2;
  };
  let file;
  if (options.explicitPath !== void 0 && options.explicitPath !== "") {
    file = resolve(workspace, options.explicitPath);
    if (!existsSync(file)) {
      throw new PolicyFileError([
        `${display(file)}: the policy file does not exist; create it (see docs/policy.md) or stop naming it with --policy / the policy-file input`
      ]);
    }
  } else {
    file = resolve(workspace, defaultPolicyFile);
    if (!existsSync(file)) {
      const yamlSpelling = resolve(workspace, ".goproxy.yaml");
      const note = existsSync(yamlSpelling) ? `; found .goproxy.yaml, which is not read: rename it to ${defaultPolicyFile}` : "";
      return {
        policy: null,
        source: null,
        message: `no policy: ${display(file)} does not exist, so every module is allowed${note}`
      };
    }
  }
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PolicyFileError([
      `${display(file)}: cannot read the policy file (${reason}); check its permissions`
    ]);
  }
  const source = display(file);
  const { parsePolicyText } = await import("./policy-file-7J3ZRUL7.js");
  const policy = parsePolicyText(text, source);
  return { policy, source, message: `policy: ${source}` };
}

export {
  matchPrefixPatterns,
  matchPatternList,
  firstMatchingPattern,
  parsePatternList,
  validatePattern,
  defaultPolicyFile,
  PolicyFileError,
  loadPolicy
};

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

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
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
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
  const { parsePolicyText } = await import("./policy-file-TWO3Q4XY.js");
  const policy = parsePolicyText(text, source);
  return { policy, source, message: `policy: ${source}` };
}

// src/gomod/version.ts
function isDigit(c) {
  return c !== void 0 && c >= "0" && c <= "9";
}
function isIdentChar(c) {
  return c >= "A" && c <= "Z" || c >= "a" && c <= "z" || c >= "0" && c <= "9" || c === "-";
}
function isBadNum(s) {
  return /^[0-9]+$/.test(s) && s.length > 1 && s[0] === "0";
}
function isNum(s) {
  return /^[0-9]*$/.test(s);
}
function parseNumber(s) {
  if (!isDigit(s[0])) return null;
  let i = 1;
  while (i < s.length && isDigit(s[i])) i++;
  if (s[0] === "0" && i !== 1) return null;
  return [s.slice(0, i), s.slice(i)];
}
function parsePrerelease(s) {
  if (s[0] !== "-") return null;
  let i = 1;
  let start = 1;
  while (i < s.length && s[i] !== "+") {
    const c = s[i];
    if (!isIdentChar(c) && c !== ".") return null;
    if (c === ".") {
      if (start === i || isBadNum(s.slice(start, i))) return null;
      start = i + 1;
    }
    i++;
  }
  if (start === i || isBadNum(s.slice(start, i))) return null;
  return [s.slice(0, i), s.slice(i)];
}
function parseBuild(s) {
  if (s[0] !== "+") return null;
  let i = 1;
  let start = 1;
  while (i < s.length) {
    const c = s[i];
    if (!isIdentChar(c) && c !== ".") return null;
    if (c === ".") {
      if (start === i) return null;
      start = i + 1;
    }
    i++;
  }
  if (start === i) return null;
  return [s.slice(0, i), s.slice(i)];
}
function parse(v) {
  if (v === "" || v[0] !== "v") return null;
  const major = parseNumber(v.slice(1));
  if (!major) return null;
  let rest = major[1];
  if (rest === "")
    return { major: major[0], minor: "0", patch: "0", short: ".0.0", prerelease: "", build: "" };
  if (rest[0] !== ".") return null;
  const minor = parseNumber(rest.slice(1));
  if (!minor) return null;
  rest = minor[1];
  if (rest === "")
    return { major: major[0], minor: minor[0], patch: "0", short: ".0", prerelease: "", build: "" };
  if (rest[0] !== ".") return null;
  const patch = parseNumber(rest.slice(1));
  if (!patch) return null;
  rest = patch[1];
  let prerelease = "";
  let build = "";
  if (rest[0] === "-") {
    const p = parsePrerelease(rest);
    if (!p) return null;
    [prerelease, rest] = p;
  }
  if (rest[0] === "+") {
    const b = parseBuild(rest);
    if (!b) return null;
    [build, rest] = b;
  }
  if (rest !== "") return null;
  return { major: major[0], minor: minor[0], patch: patch[0], short: "", prerelease, build };
}
function isValidVersion(v) {
  return parse(v) !== null;
}
function semverCanonical(v) {
  const p = parse(v);
  if (!p) return "";
  if (p.build !== "") return v.slice(0, v.length - p.build.length);
  return v + p.short;
}
function canonicalVersion(v) {
  const cv = semverCanonical(v);
  if (cv !== "" && versionBuild(v) === "+incompatible") return `${cv}+incompatible`;
  return cv;
}
function versionMajor(v) {
  const p = parse(v);
  return p ? v.slice(0, 1 + p.major.length) : "";
}
function versionPrerelease(v) {
  return parse(v)?.prerelease ?? "";
}
function versionBuild(v) {
  return parse(v)?.build ?? "";
}
function isPrerelease(v) {
  return versionPrerelease(v) !== "";
}
function compareInt(x, y) {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : 1;
}
function comparePrerelease(x, y) {
  if (x === y) return 0;
  if (x === "") return 1;
  if (y === "") return -1;
  const xs = x.slice(1).split(".");
  const ys = y.slice(1).split(".");
  for (let i = 0; i < xs.length && i < ys.length; i++) {
    const dx = xs[i];
    const dy = ys[i];
    if (dx === dy) continue;
    const ix = isNum(dx);
    const iy = isNum(dy);
    if (ix !== iy) return ix ? -1 : 1;
    if (ix && dx.length !== dy.length) return dx.length < dy.length ? -1 : 1;
    return dx < dy ? -1 : 1;
  }
  return xs.length < ys.length ? -1 : 1;
}
function compareVersions(a, b) {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa && !pb) return 0;
  if (!pa) return -1;
  if (!pb) return 1;
  return compareInt(pa.major, pb.major) || compareInt(pa.minor, pb.minor) || compareInt(pa.patch, pb.patch) || comparePrerelease(pa.prerelease, pb.prerelease);
}
function compareGoStrings(a, b) {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (; ; ) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done ? cb.done ? 0 : -1 : 1;
    const pa = ca.value.codePointAt(0);
    const pb = cb.value.codePointAt(0);
    if (pa !== pb) return pa < pb ? -1 : 1;
  }
}
function sortVersions(list) {
  return [...list].sort((a, b) => compareVersions(a, b) || compareGoStrings(a, b));
}
var pseudoVersionPattern = /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
function isPseudoVersion(v) {
  let dashes = 0;
  for (const c of v) if (c === "-") dashes++;
  return dashes >= 2 && isValidVersion(v) && pseudoVersionPattern.test(v);
}
function parsePseudoVersion(v) {
  if (!isPseudoVersion(v)) return null;
  const build = versionBuild(v);
  let rest = v.slice(0, v.length - build.length);
  const j = rest.lastIndexOf("-");
  const rev = rest.slice(j + 1);
  rest = rest.slice(0, j);
  const i = rest.lastIndexOf("-");
  const dot = rest.lastIndexOf(".");
  if (dot > i) return { base: rest.slice(0, dot), timestamp: rest.slice(dot + 1), rev, build };
  return { base: rest.slice(0, i), timestamp: rest.slice(i + 1), rev, build };
}
var daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function isLeap(year) {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
function pseudoVersionTime(v) {
  const parts = parsePseudoVersion(v);
  if (!parts) return null;
  const t = parts.timestamp;
  const year = Number(t.slice(0, 4));
  const month = Number(t.slice(4, 6));
  const day = Number(t.slice(6, 8));
  const hour = Number(t.slice(8, 10));
  const minute = Number(t.slice(10, 12));
  const second = Number(t.slice(12, 14));
  if (month < 1 || month > 12) return null;
  const monthDays = month === 2 && isLeap(year) ? 29 : daysInMonth[month - 1];
  if (day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return null;
  const date = /* @__PURE__ */ new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date;
}

export {
  matchPrefixPatterns,
  matchPatternList,
  firstMatchingPattern,
  parsePatternList,
  validatePattern,
  isValidVersion,
  semverCanonical,
  canonicalVersion,
  versionMajor,
  versionBuild,
  isPrerelease,
  compareVersions,
  compareGoStrings,
  sortVersions,
  isPseudoVersion,
  pseudoVersionTime,
  defaultPolicyFile,
  PolicyFileError,
  loadPolicy
};

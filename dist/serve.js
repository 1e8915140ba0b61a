import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  firstMatchingPattern,
  loadPolicy,
  matchPatternList,
  parseGoDuration,
  validatePattern,
  versionSatisfies
} from "./chunks/chunk-Z2GRSLCE.js";
import {
  ModulePathError,
  checkImportPath,
  checkModulePath,
  checkModuleVersion,
  checkPathMajor,
  createHash,
  createPublicKey,
  escapePath,
  escapeVersion,
  goQuote,
  goQuoteRune,
  hashGoMod,
  isValidModulePath,
  randomBytes,
  splitPathVersion,
  timingSafeEqual,
  unescapePath,
  unescapeVersion,
  verify
} from "./chunks/chunk-GS4ACEOO.js";
import {
  canonicalVersion,
  compareVersions,
  isCanonicalVersion,
  isPrerelease,
  isPseudoVersion,
  isValidVersion,
  sortVersions
} from "./chunks/chunk-UGLX5G22.js";
import "./chunks/chunk-BZZXECNI.js";

// src/cli/usage-error.ts
var UsageError = class extends Error {
  name = "UsageError";
};

// src/cli/run-command.ts
async function runCommand(name, load, args) {
  try {
    return await (await load()).run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`goproxy-action ${name}: ${err.message}
`);
      return 2;
    }
    process.stderr.write(`goproxy-action ${name}: ${err instanceof Error ? err.message : String(err)}
`);
    return 1;
  }
}

// src/cli/serve-command.ts
const { renameSync, rmSync: rmSync2, writeFileSync: writeFileSync2 } = require("node:fs");
const { join: join11, resolve: resolve3 } = require("node:path");

// src/daemon/env-lines.ts
function checkEntry(name, value) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`'${name}' is not a valid environment variable name`);
  if (/[\r\n\0]/.test(value))
    throw new Error(`the value of ${name} contains a line break or NUL, which cannot be exported`);
}
function shellQuote(value) {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
function renderEnvLines(env, format) {
  const lines = [];
  for (const [name, value] of Object.entries(env)) {
    checkEntry(name, value);
    if (value === "") continue;
    lines.push(format === "shell" ? `export ${name}=${shellQuote(value)}` : `${name}=${value}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}
`;
}

// src/gomod/find-module-files.ts
const { readdir } = require("node:fs/promises");
const { join } = require("node:path");
var skippedDirs = /* @__PURE__ */ new Set(["node_modules", "vendor", "testdata", "dist"]);
function isSkippedDir(name) {
  return skippedDirs.has(name) || name.startsWith(".") || name.startsWith("_");
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

// src/gomod/read-go-env.ts
const { promisify } = require("node:util");
async function readGoEnv(names, options = {}) {
  const env = options.env ?? process.env;
  const goBinary = options.goBinary ?? "go";
  const values = {};
  let stdout;
  try {
    const run = promisify((await import("node:child_process")).execFile);
    ({ stdout } = await run(goBinary, ["env", "-json", ...names], { env, maxBuffer: 1 << 20 }));
  } catch (err) {
    const missing = err.code === "ENOENT";
    if (missing && options.whenGoMissing === "environment") {
      for (const name of names) values[name] = env[name] ?? "";
      return values;
    }
    const detail = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new Error(
      `could not run '${goBinary} env' (${detail}); install Go first (e.g. actions/setup-go) so the go command is on PATH`
    );
  }
  const parsed = JSON.parse(stdout);
  for (const name of names) values[name] = parsed[name] ?? "";
  return values;
}

// src/policy/goproxy-setting.ts
function goproxySettingError(value) {
  let rest = value;
  let entries = 0;
  while (rest !== "") {
    const at = rest.search(/[,|]/);
    const raw = (at >= 0 ? rest.slice(0, at) : rest).trim();
    rest = at >= 0 ? rest.slice(at + 1) : "";
    if (raw === "") continue;
    entries++;
    if (raw === "off" || raw === "direct") return null;
    let url = raw;
    if (/[.:/]/.test(url) && !url.includes(":/") && !url.startsWith("/")) url = `https://${url}`;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    if (scheme === void 0)
      return `'${raw}': invalid proxy URL missing scheme (write a URL such as https://${raw.replace(/^\/+/, "")}, or direct or off)`;
    if (scheme !== "https" && scheme !== "http" && scheme !== "file")
      return `'${raw}': invalid proxy URL scheme (must be https, http, file)`;
    if (!URL.canParse(url)) return `'${raw}': not a valid URL`;
  }
  if (entries === 0) return "the list is empty: give a proxy URL, direct or off";
  return null;
}

// src/policy/client-env.ts
function privatePatternsFrom(...sources) {
  const seen = /* @__PURE__ */ new Set();
  const merged = [];
  for (const source of sources) {
    if (source === void 0) continue;
    const entries = typeof source === "string" ? source.split(",") : source.flatMap((s) => s.split(","));
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === "" || entry === "none" || entry === "off" || seen.has(entry)) continue;
      seen.add(entry);
      merged.push(entry);
    }
  }
  return merged;
}

// src/policy/job-go-env.ts
var GO_SETTING_NAMES = ["GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB"];
function jobPatterns(sources) {
  const env = sources.goEnv;
  const ours = privatePatternsFrom([...sources.inputPrivate ?? []], [...sources.policyPrivate ?? []]);
  const goprivate = env.GOPRIVATE ?? "";
  const gonoproxy = env.GONOPROXY || goprivate;
  const gonosumdb = env.GONOSUMDB || goprivate;
  return {
    patterns: {
      private: privatePatternsFrom(ours, goprivate),
      noProxy: privatePatternsFrom(ours, gonoproxy),
      noSumDb: privatePatternsFrom(ours, gonosumdb)
    },
    gosumdb: env.GOSUMDB ?? "",
    goproxy: (env.GOPROXY ?? "").trim()
  };
}
function checkProxyUrl(proxyUrl) {
  let url;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new Error(`proxy URL '${proxyUrl}' is not a URL; write it as http://127.0.0.1:PORT`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`proxy URL '${proxyUrl}' must use http or https; write it as http://127.0.0.1:PORT`);
  }
  if (/[,|\s]/.test(proxyUrl)) {
    throw new Error(
      `proxy URL '${proxyUrl}' contains ',', '|' or a space, which GOPROXY reads as list separators; pass one URL`
    );
  }
}
function onlyDirectOrOff(list) {
  return list.split(/[,|]/).map((e) => e.trim()).filter((e) => e !== "").every((e) => e === "direct" || e === "off");
}
function jobGoEnv(sources, target) {
  const job = jobPatterns(sources);
  const { private: priv, noProxy, noSumDb } = job.patterns;
  let goproxy;
  let noProxyThere;
  if (target.kind === "proxy") {
    checkProxyUrl(target.proxyUrl);
    const fallback = target.fallback?.trim() ?? "";
    goproxy = fallback === "" ? target.proxyUrl : `${target.proxyUrl}|${fallback}`;
    noProxyThere = fallback === "" || onlyDirectOrOff(fallback);
  } else {
    goproxy = target.goproxy.trim();
    if (goproxy === "")
      throw new Error("the GOPROXY list is empty; give the proxy URL, e.g. https://goproxy.example.com");
    noProxyThere = target.privateThroughProxy === true;
  }
  let gonoproxy = "";
  if (noProxyThere) {
    if (priv.length > 0 || noProxy.length > 0) gonoproxy = "none";
  } else if (noProxy.length > 0) {
    gonoproxy = noProxy.join(",");
  } else if (priv.length > 0) {
    gonoproxy = "none";
  }
  return {
    GOPROXY: goproxy,
    GONOPROXY: gonoproxy,
    GOPRIVATE: priv.join(","),
    GONOSUMDB: noSumDb.join(","),
    GOSUMDB: job.gosumdb
  };
}

// src/policy/passed-go-settings.ts
var goSettingsEnvName = "GOPROXY_ACTION_GO_SETTINGS";
function passedGoSettings(env) {
  const text = env[goSettingsEnvName];
  if (text === void 0 || text === "") return null;
  const problem = `${goSettingsEnvName} must be a JSON object with the string fields ${GO_SETTING_NAMES.join(", ")} (as go env -json prints them); unset it to have serve run go env`;
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(problem);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(problem);
  const values = {};
  for (const name of GO_SETTING_NAMES) {
    const value = parsed[name];
    if (typeof value !== "string") throw new Error(problem);
    values[name] = value;
  }
  return values;
}

// src/gomod/go-mod-file.ts
var GoModError = class extends Error {
  problems;
  constructor(problems) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "GoModError";
    this.problems = problems;
  }
};
function formatProblem(p) {
  const pos = p.column > 1 ? `${p.file}:${p.line}:${p.column}: ` : p.line > 0 ? `${p.file}:${p.line}: ` : `${p.file}: `;
  return pos + p.message;
}
var EOF = "EOF";
var EOLCOMMENT = "EOLCOMMENT";
var IDENT = "IDENT";
var STRING = "STRING";
var COMMENT = "COMMENT";
function isEOL(k) {
  return k === EOF || k === EOLCOMMENT || k === "\n";
}
var SyntaxStop = class {
  problem;
  constructor(problem) {
    this.problem = problem;
  }
};
var printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
function isIdent(c) {
  switch (c) {
    case " ":
    case "(":
    case ")":
    case "[":
    case "]":
    case "{":
    case "}":
    case ",":
    case "":
      return false;
    default:
      return printable.test(c);
  }
}
var Lexer = class {
  file;
  text;
  /** Index into `text` of the next unread character. */
  i = 0;
  pos = { line: 1, lineRune: 1, offset: 0 };
  token;
  comments = [];
  #tokenStart = 0;
  constructor(file, text) {
    this.file = file;
    this.text = text;
    this.token = { kind: EOF, pos: this.pos, endPos: this.pos, text: "" };
    this.readToken();
  }
  fail(message) {
    throw new SyntaxStop({ file: this.file, line: this.pos.line, column: this.pos.lineRune, message });
  }
  eof() {
    return this.i >= this.text.length;
  }
  peekRune() {
    if (this.eof()) return "";
    return String.fromCodePoint(this.text.codePointAt(this.i));
  }
  readRune() {
    const c = this.peekRune();
    this.i += c.length;
    if (c === "\n") this.pos = { line: this.pos.line + 1, lineRune: 1, offset: this.i };
    else this.pos = { line: this.pos.line, lineRune: this.pos.lineRune + 1, offset: this.i };
    return c;
  }
  startToken() {
    this.#tokenStart = this.i;
    this.token = { kind: EOF, pos: this.pos, endPos: this.pos, text: "" };
  }
  endToken(kind) {
    let text = this.text.slice(this.#tokenStart, this.i);
    if (kind === COMMENT || kind === EOLCOMMENT) {
      if (text.endsWith("\r\n")) text = text.slice(0, -2);
      else if (text.endsWith("\n")) text = text.slice(0, -1);
    }
    this.token = { kind, pos: this.token.pos, endPos: this.pos, text };
  }
  peek() {
    return this.token.kind;
  }
  lex() {
    const tok = this.token;
    this.readToken();
    return tok;
  }
  readToken() {
    while (!this.eof()) {
      const c2 = this.peekRune();
      if (c2 === " " || c2 === "	" || c2 === "\r") {
        this.readRune();
        continue;
      }
      if (this.text.startsWith("//", this.i)) {
        this.startToken();
        const lineStart = this.text.lastIndexOf("\n", this.i - 1) + 1;
        const suffix = this.text.slice(lineStart, this.i).trim() !== "";
        this.readRune();
        this.readRune();
        while (!this.eof() && this.readRune() !== "\n") {
        }
        if (!suffix) {
          this.endToken(COMMENT);
          return;
        }
        this.endToken(EOLCOMMENT);
        this.comments.push({ start: this.token.pos, token: this.token.text, suffix });
        return;
      }
      if (this.text.startsWith("/*", this.i))
        this.fail("mod files must use // comments (not /* */ comments)");
      break;
    }
    this.startToken();
    if (this.eof()) {
      this.endToken(EOF);
      return;
    }
    const c = this.peekRune();
    if ("\n()[]{},".includes(c)) {
      this.readRune();
      this.endToken(c);
      return;
    }
    if (c === '"' || c === "`") {
      this.readRune();
      for (; ; ) {
        if (this.eof()) {
          this.pos = this.token.pos;
          this.fail("unexpected EOF in string");
        }
        if (this.peekRune() === "\n") this.fail("unexpected newline in string");
        const r = this.readRune();
        if (r === c) break;
        if (r === "\\" && c !== "`") {
          if (this.eof()) {
            this.pos = this.token.pos;
            this.fail("unexpected EOF in string");
          }
          this.readRune();
        }
      }
      this.endToken(STRING);
      return;
    }
    if (!isIdent(c)) this.fail(`unexpected input character ${goQuoteRune(c)}`);
    while (isIdent(this.peekRune())) {
      if (this.text.startsWith("//", this.i)) break;
      if (this.text.startsWith("/*", this.i))
        this.fail("mod files must use // comments (not /* */ comments)");
      this.readRune();
    }
    this.endToken(IDENT);
  }
};
function emptyComments() {
  return { before: [], suffix: [] };
}
function parseSyntax(lx) {
  const stmts = [];
  let cb = null;
  for (; ; ) {
    const k = lx.peek();
    if (k === "\n") {
      lx.lex();
      if (cb) {
        stmts.push(cb);
        cb = null;
      }
    } else if (k === COMMENT) {
      const tok = lx.lex();
      cb ??= { kind: "comments", start: tok.pos, ...emptyComments() };
      cb.before.push({ start: tok.pos, token: tok.text, suffix: false });
    } else if (k === EOF) {
      if (cb) stmts.push(cb);
      return stmts;
    } else {
      parseStmt(lx, stmts);
      if (cb) {
        stmts[stmts.length - 1].before = cb.before;
        cb = null;
      }
    }
  }
}
function parseStmt(lx, stmts) {
  const first = lx.lex();
  const start = first.pos;
  let end = first.endPos;
  const tokens = [first.text];
  for (; ; ) {
    const tok = lx.lex();
    if (isEOL(tok.kind)) {
      stmts.push({ kind: "line", start, end, token: tokens, ...emptyComments() });
      return;
    }
    if (tok.kind === "(") {
      const next = lx.peek();
      if (isEOL(next)) {
        stmts.push(parseLineBlock(lx, start, tokens, tok));
        return;
      }
      if (next === ")") {
        const rparen = lx.lex();
        if (isEOL(lx.peek())) {
          lx.lex();
          stmts.push({
            kind: "block",
            start,
            token: tokens,
            lparen: { kind: "paren", pos: tok.pos, ...emptyComments() },
            lines: [],
            rparen: { kind: "paren", pos: rparen.pos, ...emptyComments() },
            ...emptyComments()
          });
          return;
        }
        tokens.push(tok.text, rparen.text);
      } else {
        tokens.push(tok.text);
      }
    } else {
      tokens.push(tok.text);
      end = tok.endPos;
    }
  }
}
function parseLineBlock(lx, start, token, lparen) {
  const block = {
    kind: "block",
    start,
    token,
    lparen: { kind: "paren", pos: lparen.pos, ...emptyComments() },
    lines: [],
    rparen: { kind: "paren", pos: lparen.pos, ...emptyComments() },
    ...emptyComments()
  };
  let comments = [];
  const blank = (c) => c !== void 0 && c.token === "" && c.start.offset === -1;
  for (; ; ) {
    const k = lx.peek();
    if (k === EOLCOMMENT) {
      lx.lex();
    } else if (k === "\n") {
      lx.lex();
      if (comments.length === 0 && block.lines.length > 0 || comments.length > 0 && !blank(comments.at(-1))) {
        comments.push({ start: { line: 0, lineRune: 0, offset: -1 }, token: "", suffix: false });
      }
    } else if (k === COMMENT) {
      const tok = lx.lex();
      comments.push({ start: tok.pos, token: tok.text, suffix: false });
    } else if (k === EOF) {
      lx.fail(`syntax error (unterminated block started at ${lx.file}:${start.line}:${start.lineRune})`);
    } else if (k === ")") {
      const rparen = lx.lex();
      if (comments.length === 1 && blank(comments[0])) comments = [];
      block.rparen = { kind: "paren", pos: rparen.pos, before: comments, suffix: [] };
      if (!isEOL(lx.peek())) lx.fail("syntax error (expected newline after closing paren)");
      lx.lex();
      return block;
    } else {
      const line = parseLine(lx);
      line.before = comments;
      block.lines.push(line);
      comments = [];
    }
  }
}
function parseLine(lx) {
  const first = lx.lex();
  if (isEOL(first.kind)) lx.fail("internal parse error: parseLine at end of line");
  const start = first.pos;
  let end = first.endPos;
  const tokens = [first.text];
  for (; ; ) {
    const tok = lx.lex();
    if (isEOL(tok.kind)) return { kind: "line", start, end, token: tokens, ...emptyComments() };
    tokens.push(tok.text);
    end = tok.endPos;
  }
}
function plus(p, s) {
  return { line: p.line, lineRune: p.lineRune + s.length, offset: p.offset + s.length };
}
function assignSuffixComments(stmts, all) {
  const post = [];
  for (const s of stmts) {
    if (s.kind === "block") {
      post.push({ span: [s.lparen.pos, plus(s.lparen.pos, ")")], com: s.lparen });
      for (const l of s.lines) post.push({ span: [l.start, l.end], com: l });
      post.push({ span: [s.rparen.pos, plus(s.rparen.pos, ")")], com: s.rparen });
      post.push({ span: [s.start, plus(s.rparen.pos, ")")], com: s });
    } else if (s.kind === "line") {
      post.push({ span: [s.start, s.end], com: s });
    } else {
      post.push({ span: [s.start, s.start], com: s });
    }
  }
  const suffix = all.filter((c) => c.suffix);
  for (let i = post.length - 1; i >= 0; i--) {
    const { span, com } = post[i];
    if (span[0].line !== span[1].line) continue;
    while (suffix.length > 0 && span[1].offset <= suffix.at(-1).start.offset) {
      com.suffix.push(suffix.pop());
    }
  }
  for (const p of post) p.com.suffix.reverse();
}
function parseFileSyntax(file, text) {
  const lx = new Lexer(file, text);
  const stmts = parseSyntax(lx);
  assignSuffixComments(stmts, lx.comments);
  return stmts;
}
function goUnquote(s) {
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) throw new Error("invalid syntax");
  const body = s.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; ) {
    const c = body[i];
    if (c === '"' || c === "\n") throw new Error("invalid syntax");
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    const simple = {
      a: "\x07",
      b: "\b",
      f: "\f",
      n: "\n",
      r: "\r",
      t: "	",
      v: "\v",
      "\\": "\\",
      '"': '"'
    };
    if (e !== void 0 && e in simple) {
      out += simple[e];
      i += 2;
      continue;
    }
    const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) throw new Error("invalid syntax");
      const value = Number.parseInt(hex, 16);
      if (e === "x") {
        if (value >= 128) throw new Error("invalid syntax: non-ASCII \\x escape is not supported");
        out += String.fromCharCode(value);
      } else {
        if (value > 1114111 || value >= 55296 && value <= 57343) throw new Error("invalid syntax");
        out += String.fromCodePoint(value);
      }
      i += 2 + hexLen;
      continue;
    }
    if (e !== void 0 && e >= "0" && e <= "7") {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error("invalid syntax");
      const value = Number.parseInt(oct, 8);
      if (value >= 128) throw new Error("invalid syntax: non-ASCII octal escape is not supported");
      out += String.fromCharCode(value);
      i += 4;
      continue;
    }
    throw new Error("invalid syntax");
  }
  return out;
}
function parseString(t) {
  if (t.startsWith('"')) return goUnquote(t);
  if (/["'`]/.test(t)) throw new Error("unquoted string cannot contain quote");
  return t;
}
var goVersionRE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
var laxGoVersionRE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/s;
var toolchainRE = /^default$|^go1($|\.)/;
var deprecatedRE = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/;
var DirectiveError = class extends Error {
  verb;
  modPath;
  constructor(message, verb = "", modPath = "") {
    super(message);
    this.verb = verb;
    this.modPath = modPath;
  }
  text() {
    if (this.modPath) return `${this.verb} ${this.modPath}: ${this.message}`;
    if (this.verb) return `${this.verb}: ${this.message}`;
    return this.message;
  }
};
function parseVersion(verb, path, token, canonicalize) {
  let t;
  try {
    t = parseString(token);
  } catch (err) {
    throw new DirectiveError(`version ${goQuote(token)} invalid: ${err.message}`, verb, path);
  }
  if (!canonicalize) return t;
  const cv = canonicalVersion(t);
  if (cv === "")
    throw new DirectiveError(`version ${goQuote(t)} invalid: must be of the form v1.2.3`, verb, path);
  return cv;
}
function checkMajor(verb, path, version, pathMajor) {
  try {
    checkPathMajor(version, pathMajor);
  } catch (err) {
    if (err instanceof ModulePathError) throw new DirectiveError(err.message, verb, path);
    throw err;
  }
}
function modulePathMajor(path) {
  const split = splitPathVersion(path);
  if (!split) throw new DirectiveError("invalid module path");
  return split.pathMajor;
}
function directiveComment(block, line) {
  let com = line;
  if (block && line.before.length === 0 && line.suffix.length === 0) com = block;
  const lines = [];
  for (const c of [...com.before, ...com.suffix]) {
    if (!c.token.startsWith("//")) continue;
    lines.push(c.token.slice(2).trim());
  }
  return lines.join("\n");
}
function isIndirect(line) {
  const first = line.suffix[0];
  if (!first) return false;
  const f = first.token.replace(/^\/\//, "").trim().split(/\s+/).filter(Boolean);
  return f.length === 1 && f[0] === "indirect" || f.length > 1 && f[0] === "indirect;";
}
function isDirectoryPath(ns) {
  return ns === "." || ns.startsWith("./") || ns.startsWith(".\\") || ns === ".." || ns.startsWith("../") || ns.startsWith("..\\") || ns.startsWith("/") || ns.startsWith("\\") || ns.length >= 2 && /^[A-Za-z]:/.test(ns);
}
function invalidQuoted(err) {
  return new DirectiveError(`invalid quoted string: ${err.message}`);
}
function parseReplace(verb, args, line) {
  const arrow = args.length >= 2 && args[1] === "=>" ? 1 : 2;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args[arrow] !== "=>") {
    throw new DirectiveError(
      `usage: ${verb} module/path [v1.2.3] => other/module v1.4
	 or ${verb} module/path [v1.2.3] => ../local/directory`
    );
  }
  let s;
  try {
    s = parseString(args[0]);
  } catch (err) {
    throw invalidQuoted(err);
  }
  let pathMajor;
  try {
    pathMajor = modulePathMajor(s);
  } catch (err) {
    throw new DirectiveError(err.message, verb, s);
  }
  let v = "";
  if (arrow === 2) {
    v = parseVersion(verb, s, args[1], true);
    checkMajor(verb, s, v, pathMajor);
  }
  let ns;
  try {
    ns = parseString(args[arrow + 1]);
  } catch (err) {
    throw invalidQuoted(err);
  }
  let nv = "";
  if (args.length === arrow + 2) {
    if (!isDirectoryPath(ns)) {
      if (ns.includes("@")) {
        throw new DirectiveError("replacement module must match format 'path version', not 'path@version'");
      }
      throw new DirectiveError(
        "replacement module without version must be directory path (rooted or starting with . or ..)"
      );
    }
    if (ns.includes("\\"))
      throw new DirectiveError("replacement directory appears to be Windows path (on a non-windows system)");
  }
  if (args.length === arrow + 3) {
    nv = parseVersion(verb, ns, args[arrow + 2], true);
    if (isDirectoryPath(ns))
      throw new DirectiveError(`replacement module directory path ${goQuote(ns)} cannot have version`);
  }
  return { old: { path: s, version: v }, new: { path: ns, version: nv }, line };
}
function parseRetractInterval(args) {
  let toks = args;
  if (toks.length === 0 || toks[0] === "(") throw new DirectiveError("expected '[' or version");
  if (toks[0] !== "[") {
    const v = parseVersion("retract", "", toks[0], false);
    return { low: v, high: v, rest: toks.slice(1) };
  }
  toks = toks.slice(1);
  if (toks.length === 0) throw new DirectiveError("expected version after '['");
  const low = parseVersion("retract", "", toks[0], false);
  toks = toks.slice(1);
  if (toks.length === 0 || toks[0] !== ",") throw new DirectiveError("expected ',' after version");
  toks = toks.slice(1);
  if (toks.length === 0) throw new DirectiveError("expected version after ','");
  const high = parseVersion("retract", "", toks[0], false);
  toks = toks.slice(1);
  if (toks.length === 0 || toks[0] !== "]") throw new DirectiveError("expected ']' after version");
  return { low, high, rest: toks.slice(1) };
}
function parseGodebug(args) {
  const arg = args[0];
  if (args.length !== 1 || arg === void 0 || /["`',]/.test(arg) || !arg.includes("=")) {
    throw new DirectiveError("usage: godebug key=value");
  }
  const eq = arg.indexOf("=");
  return { key: arg.slice(0, eq), value: arg.slice(eq + 1) };
}
function parseGoVersion(args, lax) {
  if (args.length !== 1) throw new DirectiveError("go directive expects exactly one argument");
  const v = args[0];
  if (goVersionRE.test(v)) return v;
  const m = lax ? laxGoVersionRE.exec(v) : null;
  if (m) return m[1];
  throw new DirectiveError(`invalid go version '${v}': must match format 1.23.0`);
}
function parseToolchain(args) {
  if (args.length !== 1) throw new DirectiveError("toolchain directive expects exactly one argument");
  if (!toolchainRE.test(args[0])) {
    throw new DirectiveError(`invalid toolchain version '${args[0]}': must match format go1.23.0 or default`);
  }
  return args[0];
}
function singlePath(args, usage) {
  if (args.length !== 1) throw new DirectiveError(usage);
  try {
    return parseString(args[0]);
  } catch (err) {
    throw invalidQuoted(err);
  }
}
function parseGoMod(text, file, options = {}) {
  const strict = !options.lax;
  const stmts = parseOrThrow(file, text);
  const out = {
    module: null,
    go: null,
    toolchain: null,
    deprecated: null,
    require: [],
    exclude: [],
    replace: [],
    retract: [],
    tool: [],
    ignore: [],
    godebug: []
  };
  const problems = [];
  let sawModule = false;
  const add = (block, line, verb, args) => {
    if (!strict && !["go", "module", "retract", "require", "ignore"].includes(verb)) return;
    const lineNo = line.start.line;
    switch (verb) {
      case "go":
        if (out.go !== null) throw new DirectiveError("repeated go statement");
        out.go = parseGoVersion(args, !strict);
        return;
      case "toolchain":
        if (out.toolchain !== null) throw new DirectiveError("repeated toolchain statement");
        out.toolchain = parseToolchain(args);
        return;
      case "module": {
        if (sawModule) throw new DirectiveError("repeated module statement");
        sawModule = true;
        const m = deprecatedRE.exec(directiveComment(block, line));
        out.deprecated = m && m[1] !== "" ? m[1] : null;
        out.module = { path: "", line: lineNo };
        if (args.length !== 1) throw new DirectiveError("usage: module module/path");
        try {
          out.module.path = parseString(args[0]);
        } catch (err) {
          throw invalidQuoted(err);
        }
        return;
      }
      case "godebug":
        out.godebug.push({ ...parseGodebug(args), line: lineNo });
        return;
      case "require":
      case "exclude": {
        if (args.length !== 2) throw new DirectiveError(`usage: ${verb} module/path v1.2.3`);
        let s;
        try {
          s = parseString(args[0]);
        } catch (err) {
          throw invalidQuoted(err);
        }
        const v = parseVersion(verb, s, args[1], true);
        const pathMajor = modulePathMajor(s);
        checkMajor(verb, s, v, pathMajor);
        if (verb === "require")
          out.require.push({ path: s, version: v, indirect: isIndirect(line), line: lineNo });
        else out.exclude.push({ path: s, version: v, line: lineNo });
        return;
      }
      case "replace":
        out.replace.push(parseReplace(verb, args, lineNo));
        return;
      case "retract": {
        const rationale = directiveComment(block, line);
        let interval;
        try {
          interval = parseRetractInterval(args);
        } catch (err) {
          if (strict) throw err;
          return;
        }
        if (interval.rest.length > 0 && strict) {
          throw new DirectiveError(`unexpected token after version: ${goQuote(interval.rest[0])}`);
        }
        out.retract.push({ low: interval.low, high: interval.high, rationale, line: lineNo });
        return;
      }
      case "tool":
        out.tool.push({
          path: singlePath(args, "tool directive expects exactly one argument"),
          line: lineNo
        });
        return;
      case "ignore":
        out.ignore.push({
          path: singlePath(args, "ignore directive expects exactly one argument"),
          line: lineNo
        });
        return;
      default:
        throw new DirectiveError(`unknown directive: ${verb}`);
    }
  };
  runDirectives(
    file,
    stmts,
    problems,
    strict,
    ["module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"],
    add
  );
  if (problems.length > 0) throw new GoModError(problems);
  return out;
}
function parseOrThrow(file, text) {
  try {
    return parseFileSyntax(file, text);
  } catch (err) {
    if (err instanceof SyntaxStop) throw new GoModError([err.problem]);
    throw err;
  }
}
function runDirectives(file, stmts, problems, strict, blockVerbs, add) {
  const apply = (block, line, verb, args) => {
    try {
      add(block, line, verb, args);
    } catch (err) {
      if (!(err instanceof DirectiveError)) throw err;
      problems.push({ file, line: line.start.line, column: line.start.lineRune, message: err.text() });
    }
  };
  for (const s of stmts) {
    if (s.kind === "line") {
      apply(null, s, s.token[0], s.token.slice(1));
    } else if (s.kind === "block") {
      if (s.token.length > 1 || !blockVerbs.includes(s.token[0])) {
        if (strict) {
          problems.push({
            file,
            line: s.start.line,
            column: s.start.lineRune,
            message: `unknown block type: ${s.token.join(" ")}`
          });
        }
        continue;
      }
      for (const l of s.lines) apply(s, l, s.token[0], l.token);
    }
  }
}
function isRetracted(version, retract) {
  return retract.some((r) => compareVersions(r.low, version) <= 0 && compareVersions(version, r.high) <= 0);
}
function retractionRationales(version, retract) {
  return retract.filter((r) => compareVersions(r.low, version) <= 0 && compareVersions(version, r.high) <= 0).map((r) => r.rationale).filter((r) => r !== "");
}
function shortMessage(message, emptyDefault) {
  const nl = message.indexOf("\n");
  const first = (nl >= 0 ? message.slice(0, nl) : message).trim();
  if (first === "") return emptyDefault;
  if (Buffer.byteLength(first, "utf8") > 500) return "(message omitted: too long)";
  if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\s]*$/u.test(first))
    return "(message omitted: contains non-printable characters)";
  return first;
}

// src/policy/decide.ts
var allow = { action: "allow" };
function about(policy, module, version) {
  return version === null ? { module, source: policy.source } : { module, version, source: policy.source };
}
function isPrivateModule(policy, module) {
  return firstMatchingPattern(policy.private, module, { foldCase: true }) !== null;
}
function decidePath(policy, module) {
  if (!isValidModulePath(module)) {
    return {
      action: "deny",
      rule: "module path check",
      reason: "not a valid module path",
      fix: "request the module by its canonical path",
      ...about(policy, module, null)
    };
  }
  for (const rule of policy.deny) {
    if (rule.versions !== null) continue;
    if (firstMatchingPattern([rule.module], module, { foldCase: true }) === null) continue;
    return {
      action: "deny",
      rule: `deny ${rule.module}`,
      reason: rule.reason ?? `modules under ${rule.module} are denied`,
      fix: `use another module, or remove the entry from ${policy.source} if it is wrong`,
      ...rule.line > 0 ? { line: rule.line } : {},
      ...about(policy, module, null)
    };
  }
  const privatePattern = firstMatchingPattern(policy.private, module, { foldCase: true });
  if (privatePattern !== null) return { action: "allow", rule: `private ${privatePattern}` };
  if (policy.allow !== null && firstMatchingPattern(policy.allow, module, { foldCase: false }) === null) {
    return {
      action: "deny",
      rule: "allow",
      reason: "the module is not on the allow list",
      fix: `add a pattern covering it to 'allow:' in ${policy.source} (patterns match case-sensitively)`,
      ...about(policy, module, null)
    };
  }
  return allow;
}
function decideVersion(policy, module, version, kind) {
  const byPath = decidePath(policy, module);
  if (byPath.action === "deny") return version === null ? byPath : { ...byPath, version };
  if (kind !== "zip") return byPath;
  if (version === null || !isValidVersion(version)) {
    return {
      action: "deny",
      rule: "version check",
      reason: `'${version ?? ""}' is not a Go module version`,
      fix: "request a canonical version such as v1.2.3",
      ...about(policy, module, version)
    };
  }
  for (const rule of policy.deny) {
    if (rule.versions === null) continue;
    if (firstMatchingPattern([rule.module], module, { foldCase: true }) === null) continue;
    if (!versionSatisfies(rule.versions, version)) continue;
    return {
      action: "deny",
      rule: `deny ${rule.module} ${rule.versions.text}`,
      reason: rule.reason ?? `versions ${rule.versions.text} of ${rule.module} are denied`,
      fix: `require a version outside '${rule.versions.text}' (go get ${module}@<version>)`,
      ...rule.line > 0 ? { line: rule.line } : {},
      ...about(policy, module, version)
    };
  }
  return byPath;
}
var severity = { allow: 0, warn: 1, deny: 2 };
function formatAge(ms) {
  const hours = ms / 36e5;
  if (hours >= 48) return `${Math.floor(hours / 24)}d`;
  if (hours >= 1) return `${Math.floor(hours)}h`;
  return `${Math.max(0, Math.floor(ms / 6e4))}m`;
}
function decideMetadata(policy, meta) {
  const isPrivate = isPrivateModule(policy, meta.module);
  const outcomes = [];
  const add = (action, d) => {
    if (action !== "allow") outcomes.push({ action, ...d, ...about(policy, meta.module, meta.version) });
  };
  if (meta.retracted !== null) {
    const rationale = meta.retracted.rationale.trim() || "retracted by module author";
    add(policy.rules.retracted, {
      rule: "rules.retracted",
      reason: `retracted: ${rationale}`,
      fix: `use a version that is not retracted (go list -m -versions ${meta.module})`
    });
  }
  if (!isPrivate && isPseudoVersion(meta.version)) {
    add(policy.rules.pseudoVersions, {
      rule: "rules.pseudo-versions",
      reason: "a pseudo-version (an untagged commit)",
      fix: "require a tagged release of the module"
    });
  }
  const minAgeMs = policy.rules.minAgeMs;
  if (!isPrivate && minAgeMs !== null && minAgeMs > 0) {
    if (meta.time === null || Number.isNaN(meta.time.getTime())) {
      add("deny", {
        rule: `rules.min-age ${policy.rules.minAge}`,
        reason: "the version has no publication time, so its age cannot be checked",
        fix: "require a tagged version whose .info carries a Time"
      });
    } else {
      const age = meta.now.getTime() - meta.time.getTime();
      if (age < minAgeMs) {
        const availableAt = new Date(meta.time.getTime() + minAgeMs);
        add("deny", {
          rule: `rules.min-age ${policy.rules.minAge}`,
          reason: `published ${meta.time.toISOString()}, ${formatAge(age)} ago (author-set time)`,
          fix: `wait until ${availableAt.toISOString()} or require an older version`,
          recheckAfter: availableAt.toISOString()
        });
      }
    }
  }
  if (outcomes.length === 0) return allow;
  const worst = outcomes.reduce((a, b) => severity[b.action] > severity[a.action] ? b : a);
  if (worst.action === "deny") return worst;
  return {
    ...worst,
    rule: outcomes.map((o) => o.rule).join(", "),
    reason: outcomes.map((o) => o.reason).join("; ")
  };
}

// src/policy/proxy-policy.ts
var maxLines = 8;
var maxBytes = 600;
var maxLineBytes = 160;
function oneLine(text) {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  return truncateBytes(flat, maxLineBytes);
}
function truncateBytes(text, limit) {
  if (Buffer.byteLength(text, "utf8") <= limit) return text;
  let out = "";
  for (const ch of text) {
    if (Buffer.byteLength(`${out}${ch}...`, "utf8") > limit) break;
    out += ch;
  }
  return `${out}...`;
}
var ProxyPolicy = class {
  policy;
  /** Private patterns: the policy's plus those of the environment (GOPRIVATE, GONOPROXY). */
  privatePatterns;
  /** Changes whenever the inputs of metadata decisions change, so recorded decisions can be re-made. */
  fingerprint;
  constructor(policy, options = {}) {
    this.privatePatterns = [.../* @__PURE__ */ new Set([...policy.private, ...options.extraPrivatePatterns ?? []])];
    this.policy = { ...policy, private: this.privatePatterns };
    const inputs = JSON.stringify({ rules: policy.rules, private: [...this.privatePatterns].sort() });
    this.fingerprint = createHash("sha256").update(inputs).digest("hex").slice(0, 16);
  }
  /** Private modules are fetched only direct or from the private upstream, never looked up in a checksum database. */
  isPrivate(module) {
    return matchPatternList(this.privatePatterns, module, { foldCase: true });
  }
  /** Path rules (and version constraints for `.zip`), decided before any upstream contact. */
  beforeUpstream(module, version, kind) {
    return decideVersion(this.policy, module, version, kind);
  }
  /**
   * Which metadata a version needs before it can be judged: its .info time (min-age, not for
   * private modules) and the latest go.mod (retractions, when they deny).
   */
  metadataNeeds(module) {
    const minAge = this.policy.rules.minAgeMs;
    return {
      time: minAge !== null && minAge > 0 && !this.isPrivate(module),
      retractions: this.policy.rules.retracted === "deny"
    };
  }
  /** Metadata rules for a version whose zip just entered the store. Record the result with the blob. */
  onNewVersion(input) {
    let retracted = null;
    if (input.latestGoModText !== null) {
      try {
        const goMod = parseGoMod(input.latestGoModText, `${input.module}/go.mod`, { lax: true });
        if (isRetracted(input.version, goMod.retract)) {
          retracted = {
            rationale: shortMessage(retractionRationales(input.version, goMod.retract)[0] ?? "", "")
          };
        }
      } catch (err) {
        if (!(err instanceof GoModError)) throw err;
      }
    }
    const decision = decideMetadata(this.policy, {
      module: input.module,
      version: input.version,
      time: input.infoTime,
      retracted,
      now: input.now
    });
    return { ...decision, policyFingerprint: this.fingerprint };
  }
  /**
   * True when a recorded decision must be made again: it was made under other rules, or it
   * depended on the clock (min-age) and that time has passed.
   */
  isStale(recorded, now) {
    if (recorded.policyFingerprint !== this.fingerprint) return true;
    if (recorded.recheckAfter !== void 0 && now.getTime() >= Date.parse(recorded.recheckAfter))
      return true;
    return false;
  }
  /** The 403 body: short text/plain the go command prints whole (<= 8 lines, <= 600 bytes, no blank line). */
  denialText(decision) {
    const subject = decision.module ? `${decision.module}${decision.version ? `@${decision.version}` : ""}` : "this request";
    const source = decision.source ?? this.policy.source;
    const lines = [
      oneLine(`goproxy-action policy denied ${subject}`),
      oneLine(
        `rule: ${decision.rule ?? "policy"}${decision.line ? ` (${source} line ${decision.line})` : ""}`
      )
    ];
    if (decision.reason) lines.push(oneLine(`reason: ${decision.reason}`));
    lines.push(oneLine(`policy file: ${source}`));
    if (decision.fix) lines.push(oneLine(`fix: ${decision.fix}`));
    let text = lines.slice(0, maxLines).join("\n");
    while (Buffer.byteLength(text, "utf8") > maxBytes && lines.length > 2) {
      lines.splice(lines.length - 1, 1);
      text = lines.join("\n");
    }
    return `${truncateBytes(text, maxBytes)}
`;
  }
};

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
        await new Promise((resolve4) => setImmediate(resolve4));
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

// src/store/blob-store.ts
const { constants, mkdirSync } = require("node:fs");
const { lstat, open: open3, readFile: readFile2, rmdir, unlink: unlink3 } = require("node:fs/promises");
const { dirname: dirname3, join: join5, resolve } = require("node:path");

// src/store/atomic-file.ts
const { mkdir, open, readdir: readdir2, rename, stat, unlink } = require("node:fs/promises");
const { dirname, join: join2 } = require("node:path");

// src/process-alive.ts
const { readFileSync: readFileSync2 } = require("node:fs");
function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === "EPERM";
  }
  try {
    const stat6 = readFileSync2(`/proc/${pid}/stat`, "utf8");
    const state = stat6.slice(stat6.lastIndexOf(")") + 2, stat6.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

// src/store/store-write-error.ts
var StoreWriteError = class extends Error {
  name = "StoreWriteError";
  /** The errno code (ENOSPC, EROFS, EACCES, ENOTDIR, ENOENT, EMFILE, ...). */
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
      return "disk full (ENOSPC): no space or no inodes left; free some or use a store directory on another disk";
    case "EDQUOT":
      return "disk quota exceeded (EDQUOT); raise the quota or use a store directory elsewhere";
    case "EROFS":
      return "read-only filesystem (EROFS); use a writable store directory";
    case "EFBIG":
      return "file too large for this filesystem (EFBIG)";
    case "EACCES":
    case "EPERM":
      return `permission denied (${code}); give the proxy's user write access to the store`;
    case "ENOTDIR":
    case "EEXIST":
      return `a file stands where a directory must be (${code}); remove it from the store`;
    case "ENOENT":
      return "a directory vanished while writing (ENOENT), e.g. removed by a concurrent prune";
    case "EMFILE":
    case "ENFILE":
      return `too many open files (${code}); raise the limit (ulimit -n)`;
    default:
      return `the filesystem refused the write (${code})`;
  }
}
function asStoreWriteError(err, path) {
  if (err instanceof StoreWriteError) return err;
  const code = err?.code;
  if (typeof code === "string" && /^E[A-Z0-9]+$/.test(code)) return new StoreWriteError(code, path, err);
  return err;
}

// src/store/atomic-file.ts
var tempPrefix = ".tmp-";
var cleanupMayFail = /* @__PURE__ */ new Set(["ENOENT", "EROFS", "EACCES", "EPERM"]);
var staleTempAgeMs = 24 * 60 * 60 * 1e3;
function newTempPath(finalPath) {
  return join2(dirname(finalPath), `${tempPrefix}${process.pid}-${randomBytes(8).toString("hex")}`);
}
async function openTemp(finalPath) {
  const dir = dirname(finalPath);
  for (let attempt = 0; ; attempt++) {
    const tempPath = newTempPath(finalPath);
    try {
      if (attempt > 0) await mkdir(dir, { recursive: true });
      return { handle: await open(tempPath, "wx", 420), tempPath };
    } catch (err) {
      if (err.code !== "ENOENT" || attempt >= 4) throw err;
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
  let size = 0;
  let syncedSize = -1;
  let queue = Promise.resolve();
  const close = async () => {
    if (state === "open") {
      state = "failed";
      await handle.close().catch(() => void 0);
    }
  };
  const cleanup = async () => {
    await close();
    if (state === "failed") {
      state = "done";
      await unlink(tempPath).catch(() => void 0);
    }
  };
  const failWith = async (err) => {
    await close();
    throw asStoreWriteError(err, finalPath);
  };
  const enqueue = (step) => {
    const next = queue.then(step);
    queue = next.catch(() => void 0);
    return next;
  };
  return {
    path: tempPath,
    get size() {
      return size;
    },
    write: (chunk) => enqueue(async () => {
      if (state !== "open")
        throw new Error(`write after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        let offset = 0;
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
          size += bytesWritten;
        }
      } catch (err) {
        await failWith(err);
      }
    }),
    sync: () => enqueue(async () => {
      if (state !== "open")
        throw new Error(`sync after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        await handle.sync();
        syncedSize = size;
      } catch (err) {
        await failWith(err);
      }
    }),
    commit: (options) => enqueue(async () => {
      if (state !== "open")
        throw new Error(`commit after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        if (options?.durable !== false && syncedSize !== size) await handle.sync();
        state = "failed";
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
        if (state === "done") throw new Error(`detach after commit, discard or detach of ${finalPath}`);
        await close();
        state = "done";
      });
      return tempPath;
    }
  };
}
async function writeFileAtomic(finalPath, data, options) {
  const pending = await beginAtomicWrite(finalPath);
  try {
    await pending.write(data);
    await pending.commit(options);
  } catch (err) {
    await pending.discard();
    throw err;
  }
}
async function removeStaleTempFiles(root) {
  let removed = 0;
  const pending = [root];
  const visit = async (dir) => {
    let entries;
    try {
      entries = await readdir2(dir, { withFileTypes: true });
    } catch (err) {
      if (err.code === "ENOENT") return;
      throw err;
    }
    for (const entry of entries) {
      const path = join2(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && entry.name.startsWith(tempPrefix) && await isStaleTemp(path, entry.name)) {
        try {
          await unlink(path);
          removed++;
        } catch (err) {
          if (!cleanupMayFail.has(err.code ?? "")) throw err;
        }
      }
    }
  };
  let active = 0;
  await new Promise((resolve4, reject) => {
    let failed = false;
    const next = () => {
      if (failed) return;
      while (active < walkConcurrency && pending.length > 0) {
        active++;
        visit(pending.pop()).then(
          () => {
            active--;
            next();
          },
          (err) => {
            failed = true;
            reject(err);
          }
        );
      }
      if (active === 0 && pending.length === 0) resolve4();
    };
    next();
  });
  return removed;
}
var walkConcurrency = 4;
async function isStaleTemp(path, name) {
  const pid = Number.parseInt(name.slice(tempPrefix.length), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return true;
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs >= staleTempAgeMs;
}

// src/store/file-lock.ts
const { link, mkdir: mkdir2, open: open2, readFile, rename: rename2, stat: stat2, unlink: unlink2 } = require("node:fs/promises");
const { hostname } = require("node:os");
const { dirname: dirname2 } = require("node:path");
const { setTimeout: sleep } = require("node:timers/promises");
var defaultFileLockOptions = { staleLockMs: 3e4, timeoutMs: 12e4 };
function parseHolder(text) {
  try {
    const value = JSON.parse(text);
    if (typeof value.host === "string" && typeof value.pid === "number" && typeof value.nonce === "string")
      return value;
  } catch {
  }
  return null;
}
function isMissing(err) {
  const code = err?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
async function tryCreate(path, holder) {
  for (let attempt = 0; ; attempt++) {
    let created = false;
    try {
      const handle = await open2(path, "wx", 420);
      created = true;
      try {
        await handle.writeFile(JSON.stringify(holder));
      } finally {
        await handle.close();
      }
      return true;
    } catch (err) {
      const code = err.code;
      if (!created && code === "EEXIST") return false;
      if (!created && code === "ENOENT" && attempt < 3) {
        await mkdir2(dirname2(path), { recursive: true }).catch((mkdirErr) => {
          throw asStoreWriteError(mkdirErr, path);
        });
        continue;
      }
      if (created) await unlink2(path).catch(() => void 0);
      throw asStoreWriteError(err, path);
    }
  }
}
async function staleLockText(path, staleLockMs) {
  let text;
  let ageMs;
  try {
    text = await readFile(path, "utf8");
    ageMs = Date.now() - (await stat2(path)).mtimeMs;
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  if (ageMs >= staleLockMs) return text;
  const holder = parseHolder(text);
  if (holder && holder.host === hostname() && !isProcessAlive(holder.pid)) return text;
  return null;
}
async function breakStaleLock(path, staleText) {
  const aside = `${path}.broken-${randomBytes(6).toString("hex")}`;
  try {
    await rename2(path, aside);
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  const moved = await readFile(aside, "utf8").catch(() => staleText);
  if (moved !== staleText) await link(aside, path).catch(() => void 0);
  await unlink2(aside).catch(() => void 0);
}
async function withFileLock(path, work, options = defaultFileLockOptions) {
  const holder = { host: hostname(), pid: process.pid, nonce: randomBytes(12).toString("hex") };
  const mine = JSON.stringify(holder);
  const started = Date.now();
  for (let attempt = 0; !await tryCreate(path, holder); attempt++) {
    const staleText = await staleLockText(path, options.staleLockMs);
    if (staleText !== null) {
      await breakStaleLock(path, staleText);
      continue;
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for the store lock ${path}; if no other goproxy-action process uses this store, delete that file`
      );
    }
    await sleep(Math.min(2 + attempt * 2, 50) * (0.5 + Math.random()));
  }
  try {
    return await work();
  } finally {
    const current = await readFile(path, "utf8").catch(() => null);
    if (current === mine) await unlink2(path).catch(() => void 0);
  }
}

// src/store/keyed-lock.ts
var KeyedLock = class {
  #tails = /* @__PURE__ */ new Map();
  /** Runs `work` after every earlier call with the same key has settled. */
  run(key2, work) {
    const previous = this.#tails.get(key2) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => void 0,
      () => void 0
    );
    this.#tails.set(key2, tail);
    void tail.then(() => {
      if (this.#tails.get(key2) === tail) this.#tails.delete(key2);
    });
    return result;
  }
};

// src/store/open-blob-cache.ts
const { fstatSync } = require("node:fs");
var OpenBlobCache = class {
  #entries = /* @__PURE__ */ new Map();
  #max;
  /** How long an entry is trusted without asking whether its file is still linked. */
  #recheckMs;
  // 1024: a large graph's zips (hits on an evicted file cost an open, fstat and close); Node
  // raises the soft descriptor limit to the hard one, which is far above this on CI runners.
  constructor(max = 1024, recheckMs = 1e3) {
    this.#max = max;
    this.#recheckMs = recheckMs;
  }
  /**
   * The open file at `path` with its size, or null when no regular file is there.
   * `openFile` opens it on a miss (null: missing).
   */
  async acquire(path, openFile) {
    const cached = this.acquireOpen(path);
    if (cached) return cached;
    let opened;
    try {
      opened = await openFile(path);
    } catch (err) {
      if (err.code !== "EMFILE") throw err;
      this.clear();
      opened = await openFile(path);
    }
    if (!opened) return null;
    let entry = this.#entries.get(path);
    if (entry) {
      await opened.handle.close().catch(() => {
      });
    } else {
      entry = { ...opened, users: 0, evicted: false, checkedAt: performance.now() };
      this.#entries.set(path, entry);
      this.#evictBeyond(this.#max);
    }
    return this.#handOut(entry, false);
  }
  /**
   * The file at `path` if it is held open here and still linked, else null (then nothing was
   * opened): synchronous, so a hit costs no hand-off at all.
   */
  acquireOpen(path) {
    const entry = this.#entries.get(path);
    if (!entry) return null;
    if (performance.now() - entry.checkedAt >= this.#recheckMs) {
      let linked = false;
      try {
        linked = fstatSync(entry.handle.fd).nlink > 0;
      } catch {
      }
      if (!linked) {
        this.#evict(path, entry);
        return null;
      }
      entry.checkedAt = performance.now();
    }
    this.#entries.delete(path);
    this.#entries.set(path, entry);
    return this.#handOut(entry, true);
  }
  #handOut(held, warm) {
    held.users++;
    let released = false;
    return {
      handle: held.handle,
      size: held.size,
      warm,
      close: async () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.evicted && held.users === 0) await held.handle.close().catch(() => {
        });
      }
    };
  }
  /** Closes every idle file and forgets the rest (they close when their last reader is done). */
  clear() {
    this.#evictBeyond(0);
  }
  #evictBeyond(limit) {
    for (const [path, entry] of this.#entries) {
      if (this.#entries.size <= limit) break;
      this.#evict(path, entry);
    }
  }
  #evict(path, entry) {
    if (this.#entries.get(path) === entry) this.#entries.delete(path);
    entry.evicted = true;
    if (entry.users === 0) entry.handle.close().catch(() => {
    });
  }
};

// src/store/seed-from-mod-cache.ts
const { createReadStream } = require("node:fs");

// src/store/store-inventory.ts
const { readdir: readdir3, stat: stat3 } = require("node:fs/promises");
const { join: join4 } = require("node:path");

// src/store/store-layout.ts
const { isAbsolute, join: join3, relative, sep } = require("node:path");
var blobExts = ["info", "mod", "zip", "ziphash"];
var versionDirName = "@v";
var listFileName = "list";
var bookkeepingDirName = ".goproxy-action";
var sumdbDirName = "sumdb";
function isBlobExt(ext) {
  return blobExts.includes(ext);
}
function parseBlobName(name) {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || name.startsWith(".")) return null;
  const ext = name.slice(dot + 1);
  if (!isBlobExt(ext)) return null;
  return { escapedVersion: name.slice(0, dot), ext };
}
function checkSafeElement(element, what) {
  if (element === "" || element.startsWith(".") || /[/\\:\0]/.test(element) || element.length > 255 || // Control characters never belong in a module path, version or sumdb path.
  [...element].some((c) => c.codePointAt(0) < 32)) {
    throw new Error(`refusing unsafe ${what} ${JSON.stringify(element)}: not a store path element`);
  }
}
function joinInside(root, elements, what) {
  const full = join3(root, ...elements);
  const rel = relative(root, full);
  if (rel === "" || isAbsolute(rel) || rel.split(sep)[0] === "..") {
    throw new Error(`refusing ${what} ${JSON.stringify(elements.join("/"))}: it resolves outside the store`);
  }
  return full;
}

// src/store/store-inventory.ts
async function readDirOrEmpty(dir) {
  try {
    return await readdir3(dir, { withFileTypes: true });
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw err;
  }
}
async function findModuleDirs(root) {
  const found = [];
  const visit = async (dir, escapedPrefix) => {
    const entries = await readDirOrEmpty(dir);
    await Promise.all(
      entries.map(async (entry) => {
        if (!entry.isDirectory() || entry.name.startsWith(".")) return;
        if (escapedPrefix === "" && entry.name === sumdbDirName) return;
        const child = join4(dir, entry.name);
        if (entry.name === versionDirName) {
          if (escapedPrefix !== "") {
            found.push({
              escapedModule: escapedPrefix,
              versionDir: child,
              entries: await readDirOrEmpty(child)
            });
          }
          return;
        }
        await visit(child, escapedPrefix === "" ? entry.name : `${escapedPrefix}/${entry.name}`);
      })
    );
  };
  await visit(root, "");
  return found;
}
function decodeModulePath(escaped) {
  try {
    return unescapePath(escaped);
  } catch {
    return null;
  }
}
function decodeVersion(escaped) {
  try {
    return unescapeVersion(escaped);
  } catch {
    return null;
  }
}
async function scanVersionDir(module, escapedModule, versionDir, entries) {
  const byVersion = /* @__PURE__ */ new Map();
  await Promise.all(
    (entries ?? await readDirOrEmpty(versionDir)).map(async (entry) => {
      if (!entry.isFile()) return;
      const parsed = parseBlobName(entry.name);
      if (!parsed) return;
      const version = decodeVersion(parsed.escapedVersion);
      if (version === null) return;
      const path = join4(versionDir, entry.name);
      const info = await stat3(path).catch(() => null);
      if (!info?.isFile()) return;
      let stored = byVersion.get(version);
      if (!stored) {
        stored = {
          module,
          version,
          escapedModule,
          escapedVersion: parsed.escapedVersion,
          versionDir,
          files: {}
        };
        byVersion.set(version, stored);
      }
      stored.files[parsed.ext] = { path, size: info.size };
    })
  );
  return [...byVersion.values()];
}
async function scanStoredVersions(root) {
  const all = await Promise.all(
    (await findModuleDirs(root)).map(async (dir) => {
      const module = decodeModulePath(dir.escapedModule);
      return module === null ? [] : scanVersionDir(module, dir.escapedModule, dir.versionDir, dir.entries);
    })
  );
  return all.flat();
}

// src/store/seed-from-mod-cache.ts
var seedConcurrency = 4;
var copyOrder = ["info", "mod", "zip", "ziphash"];
async function copyIntoStore(store, module, version, ext, source) {
  const pending = await store.beginWrite(module, version, ext);
  try {
    for await (const chunk of createReadStream(source)) await pending.write(chunk);
    await pending.commit();
  } catch (err) {
    await pending.discard();
    throw err;
  }
}
async function seedFromModCache(store, downloadDir, verify2) {
  const candidates = await scanStoredVersions(downloadDir);
  let copied = 0;
  let skipped = 0;
  let next = 0;
  const seedOne = async (index) => {
    const candidate = candidates[index];
    const { module, version } = candidate;
    const missing = [];
    for (const ext of blobExts) {
      const source = candidate.files[ext];
      if (!source) continue;
      const present = await store.stat(module, version, ext);
      if (present?.size !== source.size) missing.push(ext);
    }
    if (missing.length === 0) {
      skipped++;
      return;
    }
    const files = {};
    for (const ext of blobExts) {
      const source = candidate.files[ext];
      if (source) files[ext] = source.path;
    }
    if (!await verify2(module, version, files)) {
      skipped++;
      return;
    }
    for (const ext of copyOrder) {
      const source = files[ext];
      if (source && missing.includes(ext)) await copyIntoStore(store, module, version, ext, source);
    }
    if (files.mod) await store.addVersionToList(module, version);
    copied++;
  };
  const worker = async () => {
    while (next < candidates.length) await seedOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(seedConcurrency, candidates.length) }, worker));
  return { copied, skipped };
}

// src/store/version-list.ts
function isListableVersion(version) {
  return isCanonicalVersion(version) && !isPseudoVersion(version);
}
function parseVersionList(text) {
  const versions = [];
  for (const line of text.split("\n")) {
    const version = line.trim().split(/\s+/)[0] ?? "";
    if (isListableVersion(version)) versions.push(version);
  }
  return versions;
}
function formatVersionList(versions) {
  const sorted = sortVersions([...new Set(versions)].filter(isListableVersion));
  return sorted.map((v) => `${v}
`).join("");
}

// src/store/blob-store.ts
var metaDirName = "meta";
var locksDirName = "locks";
var sumdbNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,253}$/;
function usedKey(module, version) {
  return `${module}@${version}`;
}
function isMissing2(err) {
  const code = err?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
var readNoFollow = constants.O_RDONLY | constants.O_NOFOLLOW;
function isMissingOrLink(err) {
  return isMissing2(err) || err?.code === "ELOOP";
}
var BlobStore = class _BlobStore {
  /** Absolute path of the store directory. */
  root;
  #listLock = new KeyedLock();
  #metaLock = new KeyedLock();
  #used = /* @__PURE__ */ new Set();
  /** Stored .zip files kept open between hits (a hit then costs no open, stat or close). */
  #openZips = new OpenBlobCache();
  constructor(root) {
    this.root = root;
  }
  /**
   * Opens (creating) the store at `root` and removes temp files a killed writer left behind;
   * with `sweep: 'later'` the caller does that with removeStaleTempFiles() (a server: once it
   * is ready, since the walk over the whole store costs start-up time and nothing needs it).
   */
  static async open(root, options = {}) {
    const absolute = resolve(root);
    try {
      mkdirSync(absolute, { recursive: true });
    } catch (err) {
      throw new Error(
        `cannot use ${absolute} as the module store: ${err.message}; give a directory that can be created or exists`,
        { cause: err }
      );
    }
    if (options.sweep !== "later") await removeStaleTempFiles(absolute);
    return new _BlobStore(absolute);
  }
  /** Removes temp files a killed writer left behind (those of live writers stay); returns how many. */
  removeStaleTempFiles() {
    return removeStaleTempFiles(this.root);
  }
  // ---- paths -------------------------------------------------------------------------------
  #escapedModuleElements(module) {
    const elements = escapePath(module).split("/");
    for (const element of elements) checkSafeElement(element, "module path element");
    if (!elements[0]?.includes(".")) {
      throw new Error(`refusing module path ${JSON.stringify(module)}: its first element has no dot`);
    }
    return elements;
  }
  #versionFileName(version, suffix) {
    const escaped = escapeVersion(version);
    checkSafeElement(escaped, "version");
    return `${escaped}.${suffix}`;
  }
  /** `<root>/<escaped module>/@v/<escaped version>.<ext>` */
  filePath(module, version, ext) {
    if (!isBlobExt(ext))
      throw new Error(`unknown blob kind ${JSON.stringify(ext)}: use info, mod, zip or ziphash`);
    return joinInside(
      this.root,
      [...this.#escapedModuleElements(module), versionDirName, this.#versionFileName(version, ext)],
      "module file"
    );
  }
  /** `<root>/<escaped module>/@v/list` */
  listPath(module) {
    return joinInside(
      this.root,
      [...this.#escapedModuleElements(module), versionDirName, listFileName],
      "list"
    );
  }
  /** `<root>/.goproxy-action/meta/<escaped module>/@v/<escaped version>.json` */
  metaPath(module, version) {
    return joinInside(
      this.root,
      [
        bookkeepingDirName,
        metaDirName,
        ...this.#escapedModuleElements(module),
        versionDirName,
        this.#versionFileName(version, "json")
      ],
      "metadata file"
    );
  }
  /** `<root>/sumdb/<name>/<subpath>`; subpath like "lookup/golang.org/x/text@v0.3.0" or "tile/8/0/x001/234.p/5". */
  sumdbPath(name, subpath) {
    if (!sumdbNamePattern.test(name) || name.includes("..")) {
      throw new Error(`invalid checksum database name ${JSON.stringify(name)}: expected a host-like name`);
    }
    const elements = subpath.split("/");
    for (const element of elements) {
      if (!/^[A-Za-z0-9_~!@+-][A-Za-z0-9._~!@+-]*$/.test(element)) {
        throw new Error(
          `invalid checksum database path ${JSON.stringify(subpath)}: elements must be non-empty, not start with a dot, and use only letters, digits and -._~!@+`
        );
      }
    }
    return joinInside(this.root, [sumdbDirName, name, ...elements], "checksum database path");
  }
  // ---- reading -----------------------------------------------------------------------------
  async stat(module, version, ext) {
    try {
      const info = await lstat(this.filePath(module, version, ext));
      return info.isFile() ? { size: info.size } : null;
    } catch (err) {
      if (isMissing2(err)) return null;
      throw err;
    }
  }
  /**
   * The stored blob, opened (or null if it is not stored): once open, a concurrent prune
   * cannot turn the hit into a failed answer. The caller closes the handle.
   */
  async openBlob(module, version, ext) {
    const path = this.filePath(module, version, ext);
    return ext === "zip" ? this.#openZips.acquire(path, openOrNull) : openOrNull(path);
  }
  /**
   * The stored .zip at `path` (as filePath gives it) when an earlier hit left it open here and
   * it is still linked, else null (nothing is opened then: openBlob finds it or not). No I/O
   * beyond an occasional fstat: a warm proxy's repeated hits take this way.
   */
  openZipIfOpen(path) {
    return this.#openZips.acquireOpen(path);
  }
  async readFile(module, version, ext) {
    return readOrNull(this.filePath(module, version, ext));
  }
  /**
   * The versions whose .info is stored (pseudo-versions included), in Go's order: what the
   * store can answer a list or @latest with when no upstream can (GOPROXY=file:// reads the
   * same files).
   */
  async versionsWithInfo(module) {
    const versionDir = dirname3(this.listPath(module));
    const stored = await scanVersionDir(module, escapePath(module), versionDir);
    return sortVersions(stored.filter((v) => v.files.info !== void 0).map((v) => v.version));
  }
  // ---- writing -----------------------------------------------------------------------------
  /** Starts streaming a blob to a temp file next to its final path; commit or discard it. */
  async beginWrite(module, version, ext) {
    return beginAtomicWrite(this.filePath(module, version, ext));
  }
  async writeFileAtomic(module, version, ext, data) {
    await writeFileAtomic(this.filePath(module, version, ext), data, { durable: ext !== "ziphash" });
  }
  /**
   * Adds `version` to the module's @v/list (for GOPROXY=file:// readers). Pseudo-versions and
   * non-canonical versions are ignored, as proxies leave them out of lists.
   */
  async addVersionToList(module, version) {
    const listPath = this.listPath(module);
    if (!isListableVersion(version)) return;
    await this.#withListLock(module, async () => {
      const current = await readOrNull(listPath);
      const versions = current ? parseVersionList(current.toString("utf8")) : [];
      if (versions.includes(version)) return;
      await writeFileAtomic(listPath, Buffer.from(formatVersionList([...versions, version])), {
        durable: false
      });
    });
  }
  /** `<root>/.goproxy-action/locks/list-<sha256 of the module path>.lock` */
  listLockPath(module) {
    this.#escapedModuleElements(module);
    const digest = createHash("sha256").update(module).digest("hex").slice(0, 32);
    return joinInside(this.root, [bookkeepingDirName, locksDirName, `list-${digest}.lock`], "lock file");
  }
  /**
   * Serializes read-modify-write of a module's @v/list: in this process (KeyedLock, so callers
   * queue without polling) and across processes sharing the store (a lock file), so neither
   * two requests nor two proxies lose each other's versions.
   */
  #withListLock(module, work) {
    const lockPath = this.listLockPath(module);
    return this.#listLock.run(module, () => withFileLock(lockPath, work));
  }
  // ---- metadata and checksum-database cache -------------------------------------------------
  async writeMeta(module, version, meta) {
    await writeFileAtomic(this.metaPath(module, version), Buffer.from(`${JSON.stringify(meta, null, 2)}
`), {
      durable: false
    });
  }
  /**
   * Read-modify-write of a version's metadata under the store's lock (across processes too),
   * so two writers adding different fields (verification, a policy decision) keep both.
   */
  async updateMeta(module, version, update) {
    const key2 = `${module}@${version}`;
    const digest = createHash("sha256").update(key2).digest("hex").slice(0, 32);
    const lockPath = joinInside(
      this.root,
      [bookkeepingDirName, locksDirName, `meta-${digest}.lock`],
      "lock file"
    );
    await this.#metaLock.run(
      key2,
      () => withFileLock(lockPath, async () => {
        const current = await this.readMeta(module, version).catch(() => null);
        await this.writeMeta(module, version, update(current));
      })
    );
  }
  async readMeta(module, version) {
    const path = this.metaPath(module, version);
    const data = await readOrNull(path);
    if (data === null) return null;
    try {
      return JSON.parse(data.toString("utf8"));
    } catch (err) {
      throw new Error(
        `corrupt metadata file ${path} (${err.message}); delete it to have it rebuilt`
      );
    }
  }
  async readSumdb(name, subpath) {
    return readOrNull(this.sumdbPath(name, subpath));
  }
  async writeSumdb(name, subpath, data) {
    await writeFileAtomic(this.sumdbPath(name, subpath), data);
  }
  // ---- usage, prune, summary, seeding -------------------------------------------------------
  /** Records that `module@version` was served by this process (in memory). */
  markUsed(module, version) {
    this.#used.add(usedKey(module, version));
  }
  /** markUsed with the key usedKey gave, built once by a caller that marks the same version often. */
  markUsedKey(key2) {
    this.#used.add(key2);
  }
  /** A copy of the `module@version` keys marked used so far. */
  usedVersions() {
    return new Set(this.#used);
  }
  /**
   * Removes every stored module version whose `module@version` is not in `used`: its blobs and
   * its metadata; rewrites the affected lists and removes directories left empty. sumdb/ is left
   * alone. The counts are of blob files (.info, .mod, .zip, .ziphash).
   */
  async prune(used = this.usedVersions()) {
    this.#openZips.clear();
    const result = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
    const touched = /* @__PURE__ */ new Map();
    for (const stored of await scanStoredVersions(this.root)) {
      const files = Object.values(stored.files);
      if (used.has(`${stored.module}@${stored.version}`)) {
        result.keptFiles += files.length;
        result.keptBytes += files.reduce((sum, f) => sum + f.size, 0);
        continue;
      }
      for (const file of files) {
        if (await unlinkIfPresent(file.path)) {
          result.removedFiles++;
          result.removedBytes += file.size;
        }
      }
      touched.set(stored.module, stored);
    }
    for (const [module, stored] of touched) {
      await this.#withListLock(module, () => this.#rewriteListAfterPrune(module, stored.versionDir));
      await removeEmptyDirs(stored.versionDir, this.root);
    }
    await this.#pruneMeta(used);
    this.#openZips.clear();
    return result;
  }
  async #rewriteListAfterPrune(module, versionDir) {
    const listPath = join5(versionDir, listFileName);
    const current = await readOrNull(listPath);
    if (current === null) return;
    const remaining = new Set(
      (await scanVersionDir(module, escapePath(module), versionDir)).map((v) => v.version)
    );
    const text = formatVersionList(
      parseVersionList(current.toString("utf8")).filter((v) => remaining.has(v))
    );
    if (text === "") await unlinkIfPresent(listPath);
    else if (text !== current.toString("utf8")) await writeFileAtomic(listPath, Buffer.from(text));
  }
  async #pruneMeta(used) {
    const metaRoot = join5(this.root, bookkeepingDirName, metaDirName);
    for (const dir of await findModuleDirs(metaRoot)) {
      const module = decodeModulePath(dir.escapedModule);
      if (module === null) continue;
      let removedAny = false;
      for (const entry of dir.entries) {
        if (!entry.isFile() || !entry.name.endsWith(".json") || entry.name.startsWith(".")) continue;
        const version = decodeVersion(entry.name.slice(0, -".json".length));
        if (version === null || used.has(`${module}@${version}`)) continue;
        removedAny = await unlinkIfPresent(join5(dir.versionDir, entry.name)) || removedAny;
      }
      if (removedAny) await removeEmptyDirs(dir.versionDir, metaRoot);
    }
  }
  /** Counts of stored blob files, their bytes, module versions and modules. */
  async summary() {
    const versions = await scanStoredVersions(this.root);
    let files = 0;
    let bytes = 0;
    for (const stored of versions) {
      for (const file of Object.values(stored.files)) {
        files++;
        bytes += file.size;
      }
    }
    return { files, bytes, versions: versions.length, modules: new Set(versions.map((v) => v.module)).size };
  }
  /**
   * Imports an existing `$GOMODCACHE/cache/download` tree. For each module version that has
   * files the store lacks, `verify` decides whether it is copied. Counts are module versions.
   */
  async seedFromModCache(downloadDir, verify2) {
    return seedFromModCache(this, downloadDir, verify2);
  }
  /** Closes the .zip files kept open for hits (those still being read close when done). */
  closeOpenBlobs() {
    this.#openZips.clear();
  }
};
async function openOrNull(path) {
  let handle;
  try {
    handle = await open3(path, readNoFollow);
  } catch (err) {
    if (isMissingOrLink(err)) return null;
    throw err;
  }
  const info = await handle.stat().catch(async (err) => {
    await handle.close();
    throw err;
  });
  if (!info.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, size: info.size, close: () => handle.close() };
}
async function readOrNull(path) {
  try {
    return await readFile2(path, { flag: readNoFollow });
  } catch (err) {
    if (isMissingOrLink(err)) return null;
    throw err;
  }
}
async function unlinkIfPresent(path) {
  try {
    await unlink3(path);
    return true;
  } catch (err) {
    if (isMissing2(err)) return false;
    throw err;
  }
}
async function removeEmptyDirs(dir, stopAt) {
  let current = dir;
  while (current !== stopAt && current.startsWith(stopAt)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname3(current);
  }
}

// src/sumdb/strict-base64.ts
var base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function decodeStrictBase64(text) {
  if (!base64Pattern.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// src/sumdb/note.ts
var algEd25519 = 1;
var signaturePrefix = "\u2014 ";
var maxSignatures = 100;
var NoteError = class extends Error {
  name = "NoteError";
  kind;
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
};
function isValidNoteName(name) {
  return name !== "" && name.isWellFormed() && !/[\s\u0085+]/u.test(name);
}
function keyHash(name, key2) {
  const digest = createHash("sha256").update(name, "utf8").update("\n").update(key2).digest();
  return digest.readUInt32BE(0);
}
function hex8(hash) {
  return hash.toString(16).padStart(8, "0");
}
function chop(s, sep2) {
  const i = s.indexOf(sep2);
  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + sep2.length)];
}
function base64url(bytes) {
  return Buffer.from(bytes).toString("base64url");
}
function ed25519PublicKey(raw) {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: base64url(raw) }, format: "jwk" });
}
var pkcs8Ed25519Prefix = Buffer.from("302e020100300506032b657004220420", "hex");
var verifierKeyForm = "<name>+<8 hex digits>+<base64 key>";
function parseVerifierKey(vkey) {
  const bad = (why) => new NoteError(
    "bad-key",
    `invalid verifier key ${JSON.stringify(vkey)}: ${why} (want ${verifierKeyForm})`
  );
  const [name, rest] = chop(vkey, "+");
  const [hash16, key64] = chop(rest, "+");
  if (!isValidNoteName(name)) throw bad('the name must be non-empty, without spaces or "+"');
  if (!/^[0-9a-fA-F]{8}$/.test(hash16)) throw bad("the key hash must be 8 hex digits");
  const key2 = decodeStrictBase64(key64);
  if (key2 === null || key2.length === 0) throw bad("the key is not valid base64");
  const hash = Number.parseInt(hash16, 16);
  if (hash !== keyHash(name, key2))
    throw bad("the key hash does not match the name and key: the key is mistyped or altered");
  if (key2[0] !== algEd25519) throw bad(`unknown key algorithm ${key2[0]} (only 1, Ed25519, exists)`);
  if (key2.length !== 33) throw bad(`an Ed25519 key is 32 bytes, this one is ${key2.length - 1}`);
  return {
    name,
    hash,
    keyId: `${name}+${hex8(hash)}`,
    text: vkey,
    publicKey: ed25519PublicKey(key2.subarray(1))
  };
}
function checkNoteCharacters(msg, what) {
  if (!msg.isWellFormed() || /[\x00-\x09\x0b-\x1f]/.test(msg)) {
    throw new NoteError("malformed", `malformed ${what}: it holds control characters or invalid UTF-8`);
  }
}
function decodeNote(msg) {
  if (typeof msg === "string") return msg;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(msg);
  } catch {
    throw new NoteError("malformed", "malformed note: it is not valid UTF-8");
  }
}
function verifyNote(msg, verifierKey) {
  const key2 = typeof verifierKey === "string" ? parseVerifierKey(verifierKey) : verifierKey;
  const note = decodeNote(msg);
  checkNoteCharacters(note, "note");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("malformed", "malformed note: no blank line before a signature block");
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === "" || !block.endsWith("\n")) {
    throw new NoteError(
      "malformed",
      "malformed note: the signature block is empty or does not end with a newline"
    );
  }
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > maxSignatures) {
    throw new NoteError("malformed", `malformed note: more than ${maxSignatures} signature lines`);
  }
  const others = [];
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(signaturePrefix)) {
      throw new NoteError(
        "malformed",
        `malformed note: signature line ${JSON.stringify(line)} does not start with "\u2014 "`
      );
    }
    const [name, b64] = chop(line.slice(signaturePrefix.length), " ");
    const raw = decodeStrictBase64(b64);
    if (raw === null || !isValidNoteName(name) || raw.length < 5) {
      throw new NoteError("malformed", `malformed note: bad signature line ${JSON.stringify(line)}`);
    }
    const hash = Buffer.from(raw.buffer, raw.byteOffset, 4).readUInt32BE(0);
    if (name !== key2.name || hash !== key2.hash) {
      others.push(`${name}+${hex8(hash)}`);
      continue;
    }
    if (verified) continue;
    const signature = raw.subarray(4);
    if (signature.length !== 64 || !verify(null, Buffer.from(text, "utf8"), key2.publicKey, signature)) {
      throw new NoteError(
        "bad-signature",
        `invalid signature by key ${key2.keyId}: the note was altered or forged`
      );
    }
    verified = true;
  }
  if (!verified) {
    const seen = others.length > 0 ? `it is signed only by ${[...new Set(others)].join(", ")}` : "it has no signatures";
    throw new NoteError("unsigned", `note is not signed by key ${key2.keyId}: ${seen}`);
  }
  return { text, verifiedBy: key2.keyId };
}

// src/sumdb/gosumdb-setting.ts
var forms = 'use off, <name>, <name>+<key>, or "<name>+<key> <url>"';
function invalid(value, why) {
  return new Error(`invalid GOSUMDB ${JSON.stringify(value)}: ${why}; ${forms}`);
}
function checkDatabaseName(value, name) {
  let parsed;
  try {
    parsed = new URL(`https://${name}`);
  } catch {
    throw invalid(value, `database name ${JSON.stringify(name)} must be host[/path]`);
  }
  const plain = /^[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[A-Za-z0-9._~-]+)*$/.test(name) && parsed.username === "" && parsed.search === "" && parsed.hash === "";
  if (!plain) throw invalid(value, `database name ${JSON.stringify(name)} must be host[/path]`);
}
function parseGosumdb(value) {
  const fields = value.trim().split(/\s+/).filter((f) => f !== "");
  if (fields.length === 0) throw invalid(value, "it is empty (unset it to get the default database)");
  if (fields.length > 2) throw invalid(value, "too many fields");
  const [first, urlText] = fields;
  if (first === "off") {
    if (urlText !== void 0) throw invalid(value, '"off" takes no URL');
    return { name: "off", key: null, url: null, off: true };
  }
  let name = first;
  let key2 = null;
  if (first.includes("+")) {
    try {
      name = parseVerifierKey(first).name;
    } catch (error) {
      throw invalid(value, error.message);
    }
    key2 = first;
  }
  checkDatabaseName(value, name);
  let url = null;
  if (urlText !== void 0) {
    let parsed;
    try {
      parsed = new URL(urlText);
    } catch {
      throw invalid(value, `${JSON.stringify(urlText)} is not a URL`);
    }
    if (!["https:", "http:", "file:"].includes(parsed.protocol)) {
      throw invalid(value, `URL scheme ${parsed.protocol} is not supported (use https, http or file)`);
    }
    url = urlText.replace(/\/+$/, "");
  }
  return { name, key: key2, url, off: false };
}

// src/sumdb/known-sumdb.ts
var knownKeys = /* @__PURE__ */ new Map([
  ["sum.golang.org", "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"]
]);
var defaultSumdbName = [...knownKeys.keys()][0];
function knownSumdbKey(name) {
  return knownKeys.get(name) ?? null;
}

// src/upstream/direct-fetcher.ts
const { mkdtemp, readFile: readFile3, rm } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { join: join6 } = require("node:path");

// src/upstream/redact-secrets.ts
var secretNamePattern = /(TOKEN|PASSWORD|SECRET|PASS|AUTH|CREDENTIAL|KEY)/i;
function secretValuesFrom(env) {
  const values = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6) continue;
    if (secretNamePattern.test(name) || /^GIT_CONFIG_VALUE_\d+$/.test(name)) values.push(value);
  }
  return values.sort((a, b) => b.length - a.length);
}
function secretValuesOfHeaders(headers) {
  const values = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name === "user-agent" || value.length < 4) continue;
    values.push(value);
    const scheme = /^(basic|bearer)\s+(\S+)$/i.exec(value);
    if (!scheme) continue;
    values.push(scheme[2]);
    if (scheme[1].toLowerCase() !== "basic") continue;
    const userPassword = Buffer.from(scheme[2], "base64").toString("utf8");
    values.push(userPassword);
    const password = userPassword.slice(userPassword.indexOf(":") + 1);
    if (password.length >= 4) values.push(password);
  }
  return values.sort((a, b) => b.length - a.length);
}
function redactUrlUserinfo(text) {
  return text.replace(
    /(\b[a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/gi,
    (_all, scheme, userinfo) => {
      const colon = userinfo.indexOf(":");
      return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:xxxxx` : "xxxxx"}@`;
    }
  );
}
function redactTempPaths(text) {
  return text.replace(/'[^'\n]*[/\\]\.tmp-\d+-[0-9a-f]+'/g, "'<temp file>'").replace(/(?:[A-Za-z]:)?[/\\][^\s'"`]*?[/\\]\.tmp-\d+-[0-9a-f]+/g, "<temp file>");
}
function redactSecrets(text, secrets) {
  let out = redactTempPaths(redactUrlUserinfo(text));
  out = out.replace(/(authorization:\s*)(basic|bearer)\s+\S+/gi, "$1$2 ***");
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join("***");
  }
  return out;
}

// src/upstream/direct-fetcher.ts
var DirectFetchError = class extends Error {
  name = "DirectFetchError";
  notFound;
  constructor(message, notFound) {
    super(message);
    this.notFound = notFound;
  }
};
var notFoundPattern = /unknown revision|no matching versions|not found|invalid version|does not exist|no such|repository .* not found|malformed module path|404/i;
var DirectFetcher = class {
  #go;
  #env;
  #secrets;
  #timeoutMs;
  constructor(options = {}) {
    this.#go = options.goBinary ?? "go";
    this.#env = options.env ?? process.env;
    this.#secrets = secretValuesFrom(this.#env);
    this.#timeoutMs = options.timeoutMs ?? 10 * 6e4;
  }
  /** `go mod download -json module@query`: .info, .mod and .zip of the resolved version. */
  async download(module, query, withZip, signal) {
    const work = await mkdtemp(join6(tmpdir(), "goproxy-action-direct-"));
    const cleanup = () => rm(work, { recursive: true, force: true });
    try {
      const args = withZip ? ["mod", "download", "-json", `${module}@${query}`] : ["list", "-m", "-json", `${module}@${query}`];
      const out = await this.#run(args, work, signal);
      const result = JSON.parse(out);
      const error = typeof result.Error === "string" ? result.Error : result.Error?.Err;
      if (error) throw this.#error(error);
      if (!result.Version) throw new DirectFetchError(`go did not resolve ${module}@${query}`, true);
      const versionDir = join6(work, "modcache", "cache", "download", escapePath(module), "@v");
      const info = await readFile3(result.Info ?? join6(versionDir, `${escapeVersion(result.Version)}.info`));
      const mod = await readFile3(result.GoMod ?? join6(versionDir, `${escapeVersion(result.Version)}.mod`));
      return { version: result.Version, info, mod, zipPath: result.Zip ?? null, cleanup };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }
  /** Known versions, retracted ones included (a proxy's list keeps them; the go command hides them). */
  async list(module, signal) {
    const work = await mkdtemp(join6(tmpdir(), "goproxy-action-direct-"));
    try {
      const out = await this.#run(["list", "-m", "-json", "-versions", "-retracted", module], work, signal);
      const result = JSON.parse(out);
      if (result.Error?.Err) throw this.#error(result.Error.Err);
      return result.Versions ?? [];
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  async #run(args, work, signal) {
    const env = {
      ...this.#env,
      GOPROXY: "direct",
      GOSUMDB: "off",
      GOMODCACHE: join6(work, "modcache"),
      GOPATH: join6(work, "gopath"),
      GOFLAGS: "-modcacherw",
      GO111MODULE: "on",
      GOWORK: "off",
      GOTOOLCHAIN: "local",
      GIT_TERMINAL_PROMPT: "0"
    };
    const { execFile } = await import("node:child_process");
    return await new Promise((resolve4, reject) => {
      execFile(
        this.#go,
        args,
        { cwd: work, env, timeout: this.#timeoutMs, maxBuffer: 16 << 20, ...signal ? { signal } : {} },
        (err, stdout, stderr) => {
          if (stdout.trim().startsWith("{")) return resolve4(stdout);
          if (err) return reject(this.#error(stderr || err.message));
          resolve4(stdout);
        }
      );
    });
  }
  #error(text) {
    const message = redactSecrets(text.trim(), this.#secrets).split("\n").slice(-6).join("\n");
    return new DirectFetchError(message, notFoundPattern.test(message));
  }
};

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

// src/upstream/http-upstream.ts
const { createReadStream: createReadStream2 } = require("node:fs");
const { stat: stat4 } = require("node:fs/promises");
const { fileURLToPath } = require("node:url");

// src/upstream/trust-system-certificates.ts
import { createRequire } from "node:module";
function trustSystemCertificates() {
  const tls = createRequire(import.meta.url)("node:tls");
  if (typeof tls.setDefaultCACertificates !== "function") return;
  try {
    const merged = /* @__PURE__ */ new Set([...tls.getCACertificates("default"), ...tls.getCACertificates("system")]);
    tls.setDefaultCACertificates([...merged]);
  } catch {
  }
}

// src/upstream/http-upstream.ts
var defaultHttpUpstreamOptions = {
  timeoutMs: 3e4,
  deadlineMs: 5 * 6e4,
  attempts: 3,
  backoffMs: (attempt) => 150 * 4 ** (attempt - 1),
  maxBackoffMs: 3e3
};
var userAgent = "goproxy-action";
var HttpUpstream = class {
  #client = null;
  #options;
  constructor(options = {}) {
    this.#options = { ...defaultHttpUpstreamOptions, ...options };
  }
  /** undici and the OS certificate store load on the first network fetch: a warm proxy never pays. */
  #getClient() {
    if (!this.#client) trustSystemCertificates();
    this.#client ??= import("./chunks/undici-WDBBBM5L.js").then((loaded) => {
      const { Agent, request } = "Agent" in loaded ? loaded : loaded.default;
      return {
        request,
        // Redirects are followed by #follow, which refuses what the go command refuses.
        dispatcher: new Agent({
          connectTimeout: this.#options.timeoutMs,
          headersTimeout: this.#options.timeoutMs,
          bodyTimeout: this.#options.timeoutMs,
          keepAliveTimeout: 1e4,
          connections: 64
        })
      };
    });
    return this.#client;
  }
  /**
   * GET `<base>/<subpath>`; subpath is already escaped and validated by the caller. `signal`
   * aborts it (shutdown); the fetch deadline aborts it too, even in the middle of the body.
   */
  async get(base, subpath, signal) {
    if (base.startsWith("file:")) return getFile(base, subpath);
    const { url, headers: fromUrl, refusal } = splitUserinfo(`${base}/${subpath}`);
    if (refusal) return { outcome: "error", status: null, message: refusal, source: redactUrlUserinfo(base) };
    const headers = { ...fromUrl, ...this.#options.credentials?.headersFor(url), "user-agent": userAgent };
    const abort = new AbortController();
    const seconds = Math.round(this.#options.deadlineMs / 100) / 10;
    const deadline = setTimeout(
      () => abort.abort(new Error(`no complete answer within the fetch deadline of ${seconds}s`)),
      this.#options.deadlineMs
    );
    deadline.unref();
    const onOuterAbort = () => abort.abort(new Error("the proxy is shutting down"));
    signal?.addEventListener("abort", onOuterAbort, { once: true });
    if (signal?.aborted) onOuterAbort();
    const release = () => {
      clearTimeout(deadline);
      signal?.removeEventListener("abort", onOuterAbort);
    };
    let bodyHolds = false;
    try {
      return await this.#attempts(url, base, headers, abort, () => {
        bodyHolds = true;
        return release;
      });
    } finally {
      if (!bodyHolds) release();
    }
  }
  async #attempts(url, base, headers, abort, handOver) {
    let last = null;
    for (let attempt = 1; attempt <= this.#options.attempts && !abort.signal.aborted; attempt++) {
      let retryAfterMs = 0;
      try {
        const res = await this.#follow(url, headers, abort.signal);
        if (res.statusCode === 200) {
          const length = Number(res.headers["content-length"]);
          res.body.once("close", handOver());
          return {
            outcome: "ok",
            body: res.body,
            size: Number.isFinite(length) ? length : null,
            source: base
          };
        }
        const text = redactSecrets(await shortText(res.body), secretValuesOfHeaders(headers));
        if (abort.signal.aborted) throw abort.signal.reason;
        if (res.statusCode === 404 || res.statusCode === 410) {
          return { outcome: "not-found", status: res.statusCode, message: text, source: base };
        }
        last = {
          outcome: "error",
          status: res.statusCode,
          message: `${url}: ${res.statusCode}${text ? `: ${text}` : ""}`,
          source: base
        };
        if (res.statusCode !== 429 && res.statusCode < 500) return last;
        retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
      } catch (err) {
        if (err instanceof RedirectRefused) {
          return { outcome: "error", status: null, message: `${url}: ${err.message}`, source: base };
        }
        last = {
          outcome: "error",
          status: null,
          message: `${url}: ${abort.signal.aborted ? abort.signal.reason.message : describeNetworkError(err)}`,
          source: base
        };
      }
      if (attempt < this.#options.attempts && !abort.signal.aborted) {
        const wait = Math.min(
          Math.max(this.#options.backoffMs(attempt), retryAfterMs),
          this.#options.maxBackoffMs
        );
        await new Promise((resolve4) => setTimeout(resolve4, wait));
      }
    }
    return last ?? {
      outcome: "error",
      status: null,
      message: `${url}: ${abort.signal.reason?.message ?? "aborted"}`,
      source: base
    };
  }
  /**
   * GET `url`, following redirects as the go command's client does: at most 10, and never from
   * https to anything else (cmd/go/internal/web refuses "redirected from secure URL ... to
   * insecure URL ..."): the credentials, GOAUTH's headers included, would travel in clear text,
   * and the answer could be rewritten on the way. Authorization and cookies are not sent on to
   * another origin.
   */
  async #follow(url, headers, signal) {
    const { request, dispatcher } = await this.#getClient();
    const secure = url.startsWith("https:");
    let target = url;
    let sent = headers;
    for (let hop = 0; ; hop++) {
      const res = await request(target, { method: "GET", dispatcher, headers: sent, signal });
      const location = res.headers.location;
      if (!redirectStatuses.has(res.statusCode) || typeof location !== "string") return res;
      await res.body.dump().catch(() => {
      });
      if (hop >= maxRedirects) throw new RedirectRefused(`stopped after ${maxRedirects} redirects`);
      let next;
      try {
        next = new URL(location, target);
      } catch {
        throw new RedirectRefused(
          `redirected to an invalid URL ${JSON.stringify(redactUrlUserinfo(location))}`
        );
      }
      if (next.protocol !== "https:" && next.protocol !== "http:") {
        throw new RedirectRefused(`redirected to an unsupported URL ${redactUrlUserinfo(next.href)}`);
      }
      if (secure && next.protocol !== "https:") {
        throw new RedirectRefused(
          `redirected from secure URL ${target} to insecure URL ${redactUrlUserinfo(next.href)}`
        );
      }
      next.username = "";
      next.password = "";
      if (next.origin !== new URL(target).origin) {
        sent = Object.fromEntries(
          Object.entries(sent).filter(([name]) => !crossOriginDropped.has(name.toLowerCase()))
        );
      }
      target = next.href;
    }
  }
  async close() {
    if (this.#client) await (await this.#client).dispatcher.close();
  }
};
var maxRedirects = 10;
var redirectStatuses = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
var crossOriginDropped = /* @__PURE__ */ new Set(["authorization", "cookie", "proxy-authorization"]);
var RedirectRefused = class extends Error {
};
function splitUserinfo(raw) {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(raw)) return { url: raw, headers: {} };
  const parsed = new URL(raw);
  if (parsed.protocol !== "https:") {
    return {
      url: raw,
      headers: {},
      refusal: `refusing to pass credentials to insecure URL: ${redactUrlUserinfo(raw)}`
    };
  }
  const decode = (part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const basic2 = `${decode(parsed.username)}:${decode(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.href, headers: { authorization: `Basic ${Buffer.from(basic2).toString("base64")}` } };
}
async function getFile(base, subpath) {
  const path = `${fileURLToPath(base)}/${decodeURIComponent(subpath)}`;
  try {
    const info = await stat4(path);
    if (!info.isFile()) return { outcome: "not-found", status: 404, message: "not found", source: base };
    return { outcome: "ok", body: createReadStream2(path), size: info.size, source: base };
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      return { outcome: "not-found", status: 404, message: "not found", source: base };
    }
    return { outcome: "error", status: 403, message: `${path}: ${err.message}`, source: base };
  }
}
async function shortText(body) {
  const chunks = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      chunks.push(Buffer.from(chunk));
      total += chunk.length;
      if (total > 4096) break;
    }
  } catch {
  }
  body.destroy?.();
  return Buffer.concat(chunks).toString("utf8").slice(0, 600).trim();
}
function parseRetryAfter(value) {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return 0;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds * 1e3;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 0;
}
function describeNetworkError(err) {
  const e = err;
  const code = e.code ?? e.cause?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return "timed out";
  }
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code === "ECONNREFUSED") return "connection refused";
  return e.cause?.message ?? e.message ?? String(err);
}

// src/upstream/upstream-chain.ts
const { createReadStream: createReadStream3 } = require("node:fs");
const { Readable } = require("node:stream");
var UpstreamChain = class {
  #options;
  constructor(options) {
    this.#options = options;
  }
  entriesFor(module) {
    return this.#options.isPrivate(module) ? this.#options.privateEntries ?? [{ kind: "direct", fallThroughOnAnyError: false }] : this.#options.entries;
  }
  /** `signal` aborts the fetch (shutdown); each HTTP fetch also has its own deadline. */
  async fetchModule(request, consume, signal) {
    const subpath = moduleSubpath(request);
    return this.#walk(
      this.entriesFor(request.module),
      subpath,
      consume,
      (entry) => entry.kind === "direct" ? this.#direct(request, signal) : null,
      signal
    );
  }
  /** GET `<entry>/sumdb/<name>/<subpath>` along the main chain's URL entries. */
  async fetchSumdb(name, subpath, consume) {
    const entries = [];
    for (const entry of this.#options.entries) {
      if (entry.kind !== "url") break;
      entries.push(entry);
    }
    return this.#walk(entries, `sumdb/${name}/${subpath}`, consume, () => null);
  }
  async #walk(entries, subpath, consume, directAnswer, signal) {
    const notes = [];
    let sawError = false;
    for (const [index, entry] of entries.entries()) {
      const final = entry.kind === "off" || !entry.fallThroughOnAnyError || !entries.slice(index + 1).some((e) => e.kind !== "off");
      if (entry.kind === "off") {
        notes.push("GOPROXY=off: no further upstream");
        break;
      }
      let answer;
      if (entry.kind === "direct") {
        const direct = directAnswer(entry);
        if (!direct) break;
        answer = await direct;
        if ("outcome" in answer) answer.final = final;
      } else {
        const res = await this.#options.http.get(entry.url, subpath, signal);
        answer = res.outcome === "ok" ? { ...res, final } : {
          ok: false,
          status: res.outcome === "not-found" ? 404 : 502,
          message: res.message || `${res.status}`
        };
        if (res.outcome !== "ok")
          answer = { ...answer, message: `${entry.url}: ${answer.message}` };
      }
      if ("outcome" in answer) {
        const body = answer;
        try {
          const value = await consume(body);
          return { ok: true, value, source: body.source };
        } catch (err) {
          body.body.on("error", () => {
          });
          body.body.destroy();
          answer = { ok: false, status: 502, message: `${body.source}: ${err.message}` };
        } finally {
          await body.direct?.cleanup();
        }
      }
      notes.push(answer.message);
      if (answer.status !== 404) {
        sawError = true;
        if (!entry.fallThroughOnAnyError) break;
      }
    }
    return {
      ok: false,
      status: sawError ? 502 : 404,
      message: notes.length > 0 ? notes.join("; ") : "no upstream configured"
    };
  }
  async #direct(request, signal) {
    const direct = this.#options.direct;
    try {
      if (request.kind === "list") {
        const versions = await direct.list(request.module, signal);
        return bodyOf(Buffer.from(versions.map((v) => `${v}
`).join("")), "direct");
      }
      const query = request.kind === "latest" ? "latest" : request.version;
      const download = await direct.download(request.module, query, request.kind === "zip", signal);
      let body;
      let size = null;
      if (request.kind === "zip") {
        if (!download.zipPath)
          throw new DirectFetchError(`go downloaded no zip for ${request.module}@${query}`, false);
        body = createReadStream3(download.zipPath);
      } else {
        const bytes = request.kind === "mod" ? download.mod : download.info;
        body = Readable.from([bytes]);
        size = bytes.length;
      }
      return { outcome: "ok", body, size, source: "direct", direct: download, final: true };
    } catch (err) {
      const notFound = err instanceof DirectFetchError && err.notFound;
      return { ok: false, status: notFound ? 404 : 502, message: `direct: ${err.message}` };
    }
  }
};
function bodyOf(bytes, source) {
  return { outcome: "ok", body: Readable.from([bytes]), size: bytes.length, source, final: true };
}
function moduleSubpath(request) {
  const base = escapePath(request.module).split("/").map(pathEscape).join("/");
  switch (request.kind) {
    case "list":
      return `${base}/@v/list`;
    case "latest":
      return `${base}/@latest`;
    default:
      return `${base}/@v/${pathEscape(`${escapeVersion(request.version)}.${request.kind}`)}`;
  }
}
function pathEscape(segment) {
  return segment.replace(
    /[^A-Za-z0-9\-_.~!$&+:=@]/gu,
    (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("")
  );
}

// src/upstream/upstream-credentials.ts
const { promisify: promisify2 } = require("node:util");

// src/remote/netrc.ts
const { readFileSync: readFileSync3 } = require("node:fs");
const { homedir } = require("node:os");
const { join: join7 } = require("node:path");
function parseNetrc(text) {
  const entries = [];
  let current = {};
  let inMacro = false;
  for (const line of text.split(/\r?\n/)) {
    if (inMacro) {
      if (line.trim() === "") inMacro = false;
      continue;
    }
    const fields = line.trim().split(/\s+/).filter((f) => f !== "");
    let i = 0;
    for (; i < fields.length - 1; i += 2) {
      const [key2, value] = [fields[i], fields[i + 1]];
      if (key2 === "machine") current = { machine: value };
      else if (key2 === "login") current.login = value;
      else if (key2 === "password") current.password = value;
      else if (key2 === "macdef") inMacro = true;
      if (current.machine && current.login && current.password) {
        entries.push(current);
        current = {};
      }
    }
    if (fields[i] === "default") break;
  }
  return entries;
}
function userNetrcPath(env, home = homedir()) {
  if (env.NETRC) return env.NETRC;
  return join7(home, process.platform === "win32" ? "_netrc" : ".netrc");
}
async function readUserNetrc(path) {
  try {
    return parseNetrc(readFileSync3(path, "utf8"));
  } catch (err) {
    if (err.code === "ENOENT") return [];
    throw new Error(`cannot read the existing netrc file ${path} (${err.message})`);
  }
}

// src/upstream/upstream-credentials.ts
function basic(username, password) {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` };
}
function httpsPrefix(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:") return null;
  return `${parsed.host}${parsed.pathname}`.replace(/\/+$/, "");
}
function longestMatch(list, target) {
  let best = null;
  for (const item of list) {
    if (target !== item.prefix && !target.startsWith(`${item.prefix}/`)) continue;
    if (!best || item.prefix.length > best.prefix.length) best = item;
  }
  return best;
}
function parseGoauthOutput(text, command) {
  const out = [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && lines[i].trim() === "") i++;
    const urls = [];
    while (i < lines.length && lines[i].trim() !== "") urls.push(lines[i++].trim());
    if (urls.length === 0) break;
    i++;
    const headers = {};
    while (i < lines.length && lines[i].trim() !== "") {
      const line = lines[i++];
      const colon = line.indexOf(":");
      if (colon <= 0) throw new Error(`GOAUTH command "${command}" printed a header line without "Name:"`);
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (Object.keys(headers).length === 0)
      throw new Error(`GOAUTH command "${command}" printed URLs with no headers after them`);
    for (const url of urls) {
      const prefix = httpsPrefix(url.includes("://") ? url : `https://${url}`);
      if (prefix === null)
        throw new Error(`GOAUTH command "${command}" printed "${url}", which is not an https URL prefix`);
      out.push({ prefix, headers });
    }
  }
  return out;
}
var UpstreamCredentials = class _UpstreamCredentials {
  #fromGoauth;
  #fromUrls;
  constructor(fromGoauth, fromUrls) {
    this.#fromGoauth = fromGoauth;
    this.#fromUrls = fromUrls;
  }
  /** No credentials at all (file:// and http-only setups, tests). */
  static none() {
    return new _UpstreamCredentials([], []);
  }
  /**
   * Reads GOAUTH (netrc, commands) from `env` and the userinfo of the entries. Throws a
   * one-line error for an unreadable netrc, a failing GOAUTH command or an unsupported form.
   */
  static async load(options) {
    const fromUrls = [];
    for (const entry of options.entries) {
      if (entry.kind !== "url" || !entry.credentials) continue;
      const prefix = httpsPrefix(entry.url);
      if (prefix === null) continue;
      fromUrls.push({ prefix, headers: basic(entry.credentials.username, entry.credentials.password) });
    }
    return new _UpstreamCredentials(await loadGoauth(options.env), fromUrls);
  }
  /** Headers to add to a request for `url`: GOAUTH's first, else the URL's own userinfo. */
  headersFor(url) {
    const target = httpsPrefix(url);
    if (target === null) return {};
    return (longestMatch(this.#fromGoauth, target) ?? longestMatch(this.#fromUrls, target))?.headers ?? {};
  }
};
async function loadGoauth(env) {
  const setting = (env.GOAUTH ?? "").trim() || "netrc";
  const out = [];
  for (const raw of setting.split(";")) {
    const item = raw.trim();
    if (item === "") continue;
    if (item === "off") {
      if (setting.split(";").filter((x) => x.trim() !== "").length > 1)
        throw new Error("GOAUTH=off cannot be combined with other authentication commands");
      return [];
    }
    if (item === "netrc") {
      for (const e of await readUserNetrc(userNetrcPath(env))) {
        out.push({ prefix: e.machine, headers: basic(e.login, e.password) });
      }
      continue;
    }
    const [command, ...args] = item.split(/\s+/);
    if (command === "git") {
      throw new Error(
        'GOAUTH "git <dir>" is not supported by the proxy; give the upstream credentials through NETRC, a GOAUTH command or the upstream URL'
      );
    }
    let stdout;
    try {
      const execFileAsync = promisify2((await import("node:child_process")).execFile);
      ({ stdout } = await execFileAsync(command, args, { env, timeout: 6e4, maxBuffer: 1 << 20 }));
    } catch (err) {
      throw new Error(`GOAUTH command "${item}" failed: ${err.message.split("\n")[0]}`);
    }
    out.push(...parseGoauthOutput(stdout, item));
  }
  return out;
}

// src/lru-map.ts
var LruMap = class {
  #entries = /* @__PURE__ */ new Map();
  #max;
  constructor(max) {
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`LruMap: max must be a positive integer, not ${max}`);
    this.#max = max;
  }
  get size() {
    return this.#entries.size;
  }
  /** The value, marked most recently used. */
  get(key2) {
    const value = this.#entries.get(key2);
    if (value !== void 0) {
      this.#entries.delete(key2);
      this.#entries.set(key2, value);
    }
    return value;
  }
  set(key2, value) {
    this.#entries.delete(key2);
    this.#entries.set(key2, value);
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value);
  }
  delete(key2) {
    return this.#entries.delete(key2);
  }
  clear() {
    this.#entries.clear();
  }
};

// src/proxy/single-flight.ts
var SingleFlight = class {
  #inFlight = /* @__PURE__ */ new Map();
  run(key2, work) {
    const existing = this.#inFlight.get(key2);
    if (existing) return existing;
    const promise = work().finally(() => this.#inFlight.delete(key2));
    this.#inFlight.set(key2, promise);
    return promise;
  }
  /** Resolves when every fetch under way now has settled (graceful shutdown, flush). */
  async settle() {
    while (this.#inFlight.size > 0) {
      await Promise.allSettled([...this.#inFlight.values()]);
    }
  }
  get size() {
    return this.#inFlight.size;
  }
};

// src/proxy/blob-verifier.ts
var integrityFailures = /* @__PURE__ */ new Set(["bad-signature", "not-included", "inconsistent", "mismatch"]);
var defaultMaxCachedLookups = 4096;
var BlobVerifier = class {
  #options;
  #lookups = new SingleFlight();
  #lookupCache;
  constructor(options) {
    this.#options = options;
    this.#lookupCache = new LruMap(options.maxCachedLookups ?? defaultMaxCachedLookups);
  }
  /** What `module@version`'s .mod or .zip must hash to (or why it cannot be checked). */
  async expect(module, version, kind) {
    const what = `${module}@${version}${kind === "mod" ? "/go.mod" : ""}`;
    const settled = (verification) => ({ type: "settled", verification });
    let goSum;
    try {
      goSum = typeof this.#options.goSum === "function" ? await this.#options.goSum() : this.#options.goSum;
    } catch (err) {
      return settled({ status: "mismatch", message: `cannot verify ${what}: ${err.message}` });
    }
    const known = kind === "zip" ? goSum.zipHash(module, version) : goSum.modHash(module, version);
    if (known.length > 0) {
      const files = [...new Set(goSum.lines(module, version, kind === "mod").map((l) => l.file))].join(", ");
      return { type: "hashes", by: "go.sum", hashes: known, what, against: `go.sum (${files})` };
    }
    if (this.#options.isNoSum(module)) return settled({ status: "trusted", by: "first-use" });
    if (this.#options.sumdbName === null) {
      return settled({ status: "unverified", reason: `${what} is not in go.sum and GOSUMDB=off` });
    }
    if (!this.#options.sumdbLookup) {
      return settled({
        status: "unverified",
        reason: `no way to verify ${what} against the checksum database`
      });
    }
    let lines;
    try {
      lines = await this.#lookup(module, version);
    } catch (err) {
      const failure = err.kind;
      if (failure && integrityFailures.has(failure))
        return settled({ status: "mismatch", message: err.message });
      return settled({ status: "unverified", reason: `checksum database: ${err.message}` });
    }
    const want = `${module} ${version}${kind === "mod" ? "/go.mod" : ""} `;
    const expected = lines.filter((l) => l.startsWith(want)).map((l) => l.slice(want.length).trim());
    if (expected.length === 0) {
      return settled({ status: "unverified", reason: `checksum database has no ${what}` });
    }
    return {
      type: "hashes",
      by: "sumdb",
      hashes: expected,
      what,
      against: `checksum database ${this.#options.sumdbName}`
    };
  }
  /** The verdict on a blob that hashed to `hash`. */
  judge(expectation, hash) {
    if (expectation.type === "settled") return expectation.verification;
    if (expectation.hashes.includes(hash)) return { status: "verified", by: expectation.by };
    const advice = expectation.by === "go.sum" ? "Not stored. Check the upstream proxy; if the go.sum line is wrong, remove it and run go mod tidy." : "Not stored: the upstream served altered content.";
    return {
      status: "mismatch",
      message: `checksum mismatch for ${expectation.what}: upstream sent ${hash}, ${expectation.against} has ${expectation.hashes.join(" or ")}. ${advice}`
    };
  }
  async verify(module, version, kind, hash) {
    return this.judge(await this.expect(module, version, kind), hash);
  }
  #lookup(module, version) {
    const key2 = `${module}@${version}`;
    const cached = this.#lookupCache.get(key2);
    if (cached) return Promise.resolve(cached);
    return this.#lookups.run(key2, async () => {
      const lines = await this.#options.sumdbLookup(module, version);
      this.#lookupCache.set(key2, lines);
      return lines;
    });
  }
};
function describeVerification(v) {
  switch (v.status) {
    case "verified":
      return `verified:${v.by}`;
    case "trusted":
      return "trusted:first-use";
    case "unverified":
      return `unverified:${v.reason}`;
    case "mismatch":
      return "mismatch";
  }
}

// src/proxy/module-service.ts
const { setMaxListeners } = require("node:events");

// src/upstream/upstream-response.ts
async function readAll(body, limitBytes) {
  const chunks = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    total += buf.length;
    if (total > limitBytes) {
      body.destroy();
      throw new Error(`upstream answer is larger than ${limitBytes} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

// src/proxy/blob-fetch.ts
const { mkdtemp: mkdtemp2, open: open5, rm: rm2 } = require("node:fs/promises");
const { tmpdir: tmpdir2 } = require("node:os");
const { join: join8 } = require("node:path");

// src/proxy/blob-spool.ts
const { createReadStream: createReadStream4 } = require("node:fs");
const { open: open4 } = require("node:fs/promises");
var BlobSpool = class _BlobSpool {
  #pending;
  #inStore;
  #place;
  /** Why the store did not take this blob, when it did not. */
  storeError = null;
  constructor(pending, inStore, place, error) {
    this.#pending = pending;
    this.#inStore = inStore;
    this.#place = place;
    this.storeError = error;
  }
  static async open(place) {
    if (place.storePath !== null) {
      try {
        return new _BlobSpool(await beginAtomicWrite(place.storePath), true, place, null);
      } catch (err) {
        if (!(err instanceof StoreWriteError)) throw err;
        return new _BlobSpool(await beginAtomicWrite(await place.scratchPath()), false, place, err);
      }
    }
    return new _BlobSpool(await beginAtomicWrite(await place.scratchPath()), false, place, null);
  }
  /** The file holding the bytes so far. */
  get path() {
    return this.#pending.path;
  }
  get size() {
    return this.#pending.size;
  }
  get inStore() {
    return this.#inStore;
  }
  /**
   * A reader of the bytes written so far, for a client served from the growing spool. It
   * keeps its own descriptor, so a commit (rename) or detach does not disturb it; after a
   * spill it moves to the scratch copy, which holds every byte from the start.
   */
  async openReader() {
    let path = this.#pending.path;
    let handle = await open4(path, "r");
    return {
      read: async (buffer, position, length) => {
        if (!handle) throw new Error("spool reader is closed");
        if (this.#pending.path !== path) {
          const moved = await open4(this.#pending.path, "r");
          await handle.close().catch(() => {
          });
          handle = moved;
          path = this.#pending.path;
        }
        const { bytesRead } = await handle.read(buffer, 0, length, position);
        return bytesRead;
      },
      close: async () => {
        const h = handle;
        handle = null;
        await h?.close().catch(() => {
        });
      }
    };
  }
  async write(chunk) {
    const before = this.#pending.size;
    try {
      await this.#pending.write(chunk);
    } catch (err) {
      if (!(err instanceof StoreWriteError) || !this.#inStore) throw err;
      const taken = this.#pending.size;
      await this.#spill(err);
      await this.#pending.write(chunk.subarray(taken - before));
    }
  }
  /** Moves the store temp file's bytes to scratch; later writes go there. */
  async #spill(error) {
    const failed = this.#pending;
    const taken = failed.size;
    const scratch = await beginAtomicWrite(await this.#place.scratchPath());
    try {
      if (taken > 0) {
        for await (const part of createReadStream4(failed.path, { start: 0, end: taken - 1 })) {
          await scratch.write(part);
        }
      }
    } catch (err) {
      await scratch.discard();
      await failed.discard();
      throw err;
    }
    await failed.discard();
    this.#pending = scratch;
    this.#inStore = false;
    this.storeError = error;
  }
  /**
   * fsyncs the store's temp file now (beside the zip check), so the commit after it only
   * renames. A failure means the store does not take this blob: it is then served, not stored.
   */
  async sync() {
    if (!this.#inStore) return;
    try {
      await this.#pending.sync();
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
      this.storeError = err;
      this.#inStore = false;
    }
  }
  /**
   * Puts the blob in the store. Resolves to true when stored; false when the store refused
   * at the last step (the bytes then stay in a detached temp file at `path`).
   */
  async commit() {
    if (!this.#inStore) return false;
    try {
      await this.#pending.commit();
      return true;
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
      this.storeError = err;
      this.#inStore = false;
      await this.#pending.detach();
      return false;
    }
  }
  /** Closes without storing; the temp file stays at the returned path for the caller to serve and remove. */
  async detach() {
    return this.#pending.detach();
  }
  async discard() {
    await this.#pending.discard();
  }
};

// src/proxy/shared-file.ts
var holdMs = 1e3;
var SharedFile = class {
  #handle;
  size;
  #refs = 1;
  constructor(handle, size) {
    this.#handle = handle;
    this.size = size;
    setTimeout(() => void this.#release(), holdMs).unref();
  }
  /** A reference for one answer, or null once the file is closed. */
  acquire() {
    if (this.#refs === 0) return null;
    this.#refs++;
    let released = false;
    return {
      handle: this.#handle,
      size: this.size,
      close: async () => {
        if (released) return;
        released = true;
        await this.#release();
      }
    };
  }
  async #release() {
    this.#refs--;
    if (this.#refs === 0) await this.#handle.close().catch(() => {
    });
  }
};

// src/proxy/spool-stream.ts
var chunkBytes = 256 << 10;
var SpoolProgress = class {
  #available = 0;
  #state = "growing";
  #wake = [];
  get available() {
    return this.#available;
  }
  get state() {
    return this.#state;
  }
  grow(bytes) {
    this.#available = bytes;
    this.#notify();
  }
  verified() {
    this.#state = "verified";
    this.#notify();
  }
  failed() {
    if (this.#state === "growing") this.#state = "failed";
    this.#notify();
  }
  /** Resolves at the next change (take it in the same tick as the check it follows). */
  changed() {
    return new Promise((resolve4) => this.#wake.push(resolve4));
  }
  #notify() {
    const waiting = this.#wake;
    this.#wake = [];
    for (const wake of waiting) wake();
  }
};
async function streamFromSpool(client, reader, progress, size, head) {
  let started = false;
  let sent = 0;
  try {
    for (; ; ) {
      if (progress.state === "failed") {
        if (started) client.abort();
        return started;
      }
      const limit = progress.state === "verified" ? size : Math.min(progress.available, size - 1);
      if (sent >= limit) {
        if (sent === size) {
          await client.end(null);
          return true;
        }
        await progress.changed();
        continue;
      }
      if (!started) {
        const { contentType, source, cache, notStored } = head();
        client.start(size, contentType, source, cache, notStored);
        started = true;
      }
      if (client.gone) return true;
      const chunk = Buffer.allocUnsafe(Math.min(chunkBytes, limit - sent));
      const n = await reader.read(chunk, sent, chunk.length);
      if (n <= 0) throw new Error(`spool shorter than the ${limit} bytes written`);
      await client.write(n === chunk.length ? chunk : chunk.subarray(0, n));
      sent += n;
    }
  } catch {
    if (started) client.abort();
    return started;
  } finally {
    await reader.close();
  }
}

// src/proxy/blob-fetch.ts
var maxZipBytes = 500 << 20;
var maxModBytes = 16 << 20;
var maxSmallAnswerBytes = 8 << 20;
var streamFromBytes = 1 << 20;
var scratchLifetimeMs = 12e4;
var RejectedBlob = class extends Error {
};
var BlobFetch = class {
  #o;
  #flights = new SingleFlight();
  /** Temp files of served-but-not-stored blobs, removed a little later or at close. */
  #scratch = /* @__PURE__ */ new Set();
  #scratchDir = null;
  constructor(options) {
    this.#o = options;
  }
  /**
   * One fetch per blob however many ask at once; only the first asker (`led`) caused it, and
   * only its client is streamed to.
   */
  async fetch(kind, module, version, client) {
    let led = false;
    const blob = await this.#flights.run(`${kind} ${module}@${version}`, () => {
      led = true;
      switch (kind) {
        case "zip":
          return this.#zip(module, version, client);
        case "mod":
          return this.#mod(module, version);
        case "info":
          return this.#info(module, version);
      }
    });
    return { blob, led };
  }
  async settle() {
    await this.#flights.settle();
  }
  async close() {
    await this.settle();
    await Promise.all([...this.#scratch].map((f) => rm2(f, { force: true })));
    if (this.#scratchDir) await rm2(await this.#scratchDir, { recursive: true, force: true }).catch(() => {
    });
  }
  async #zip(module, version, client) {
    const { store, chain, verifier } = this.#o;
    const expecting = verifier.expect(module, version, "zip");
    let streamedTo = null;
    let streamed = null;
    const result = await chain.fetchModule(
      { kind: "zip", module, version },
      async (body) => {
        const expectation = await expecting;
        if (expectation.type === "settled" && expectation.verification.status === "mismatch")
          throw new RejectedBlob(expectation.verification.message);
        const stream = client && body.final && body.size !== null && body.size >= streamFromBytes && body.size <= maxZipBytes ? client : null;
        const spool = await BlobSpool.open({
          storePath: store.filePath(module, version, "zip"),
          scratchPath: () => this.#scratchPath()
        });
        const progress = new SpoolProgress();
        const spoolReader = stream ? await spool.openReader().catch(() => null) : null;
        if (stream && spoolReader) {
          const unverifiable = expectation.type === "settled" && expectation.verification.status === "unverified";
          streamedTo = stream;
          streamed = streamFromSpool(stream, spoolReader, progress, body.size, () => {
            const notStored = unverifiable || !spool.inStore;
            return {
              contentType: "application/zip",
              source: body.source === "direct" ? "direct" : "upstream",
              cache: notStored ? "no-store" : "immutable",
              notStored
            };
          });
        }
        try {
          for await (const chunk of body.body) {
            if (spool.size + chunk.length > maxZipBytes)
              throw new RejectedBlob(`zip is larger than ${maxZipBytes} bytes`);
            await spool.write(chunk);
            progress.grow(spool.size);
          }
          if (body.size !== null && spool.size !== body.size) {
            throw new RejectedBlob(`truncated answer: ${spool.size} of ${body.size} bytes`);
          }
          const [verdict] = await Promise.all([
            this.#judgeZip(spool.path, module, version, expectation),
            spool.sync()
          ]);
          const size = spool.size;
          const handle = await open5(spool.path, "r");
          const reader = new SharedFile(handle, size);
          let stored = false;
          let file;
          if (verdict.status === "unverified" || !spool.inStore) {
            file = await spool.detach();
          } else {
            stored = await spool.commit();
            file = stored ? store.filePath(module, version, "zip") : spool.path;
          }
          progress.verified();
          if (stored) {
            this.#o.onStored?.(size);
            await this.#o.zipHashes?.remember(handle, module, version, verdict.hash).catch(() => {
            });
            await this.#storeSidecars(module, version, body, verdict.hash, verdict.verification);
          } else {
            this.#keepScratch(file);
          }
          const notStored = stored ? void 0 : verdict.status === "unverified" ? "unverified" : "store-failed";
          return {
            type: "ok",
            body: reader,
            source: body.source === "direct" ? "direct" : "upstream",
            upstreamBytes: size,
            verification: describeVerification(verdict.verification),
            ...notStored ? { notStored } : {},
            ...notStored === "store-failed" && spool.storeError ? { storeError: spool.storeError.message } : {},
            streamedTo,
            streamed
          };
        } catch (err) {
          progress.failed();
          await spool.discard().catch(() => {
          });
          throw err;
        }
      },
      this.#o.signal
    );
    if (result.ok) return result.value;
    if (result.status === 404) return { type: "not-found", message: result.message };
    return { type: "failed", message: result.message, streamedTo, streamed };
  }
  async #judgeZip(path, module, version, expectation) {
    const { checkModuleZip } = await import("./chunks/module-zip-NWVM3YA6.js");
    let check;
    try {
      check = await checkModuleZip(path, module, version);
    } catch (err) {
      throw new RejectedBlob(`${module}@${version}.zip is not a valid module zip: ${err.message}`);
    }
    const verification = this.#o.verifier.judge(expectation, check.hash);
    if (verification.status === "mismatch") throw new RejectedBlob(verification.message);
    return { status: verification.status, verification, hash: check.hash };
  }
  /** A direct download brings .info and .mod with the zip: keep them (the .mod verified). */
  async #storeSidecars(module, version, body, zipHash, verification) {
    const { store, verifier } = this.#o;
    try {
      await store.writeFileAtomic(module, version, "ziphash", Buffer.from(zipHash));
      await store.updateMeta(module, version, (meta) => ({
        ...meta ?? {},
        verification: describeVerification(verification)
      }));
      const direct = body.direct;
      if (!direct) return;
      if (!await store.stat(module, version, "mod")) {
        const v = await verifier.verify(module, version, "mod", hashGoMod(direct.mod));
        if (v.status === "verified" || v.status === "trusted")
          await store.writeFileAtomic(module, version, "mod", direct.mod);
      }
      if (!await store.stat(module, version, "info")) {
        await store.writeFileAtomic(module, version, "info", direct.info);
        await store.addVersionToList(module, version);
      }
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
    }
  }
  async #mod(module, version) {
    const { chain, verifier } = this.#o;
    const expecting = verifier.expect(module, version, "mod");
    const result = await chain.fetchModule(
      { kind: "mod", module, version },
      async (body) => {
        const bytes2 = await readAll(body.body, maxModBytes);
        const verification2 = verifier.judge(await expecting, hashGoMod(bytes2));
        if (verification2.status === "mismatch") throw new RejectedBlob(verification2.message);
        return { bytes: bytes2, verification: verification2, source: body.source };
      },
      this.#o.signal
    );
    if (!result.ok) return this.#failure(result);
    const { bytes, verification, source } = result.value;
    const fetched = {
      type: "ok",
      body: bytes,
      source: source === "direct" ? "direct" : "upstream",
      upstreamBytes: bytes.length,
      verification: describeVerification(verification),
      streamedTo: null
    };
    if (verification.status === "unverified") return { ...fetched, notStored: "unverified" };
    const refused = await this.#tryStore(module, version, "mod", bytes);
    return refused ? { ...fetched, notStored: "store-failed", storeError: refused } : fetched;
  }
  async #info(module, version) {
    const result = await this.#o.chain.fetchModule(
      { kind: "info", module, version },
      async (body) => {
        const bytes2 = await readAll(body.body, maxSmallAnswerBytes);
        const answered = parseInfoVersion(bytes2);
        if (answered !== version) {
          throw new RejectedBlob(`upstream returned info for version ${answered} instead of ${version}`);
        }
        return { bytes: bytes2, source: body.source };
      },
      this.#o.signal
    );
    if (!result.ok) return this.#failure(result);
    const { bytes, source } = result.value;
    const fetched = {
      type: "ok",
      body: bytes,
      source: source === "direct" ? "direct" : "upstream",
      upstreamBytes: bytes.length,
      streamedTo: null
    };
    const refused = await this.#tryStore(module, version, "info", bytes);
    if (refused) return { ...fetched, notStored: "store-failed", storeError: refused };
    await this.#o.store.addVersionToList(module, version).catch(() => {
    });
    return fetched;
  }
  #failure(result) {
    return result.status === 404 ? { type: "not-found", message: result.message } : { type: "failed", message: result.message, streamedTo: null };
  }
  /** Resolves to null when stored, else to the store's reason. */
  async #tryStore(module, version, ext, bytes) {
    try {
      await this.#o.store.writeFileAtomic(module, version, ext, bytes);
      this.#o.onStored?.(bytes.length);
      return null;
    } catch (err) {
      if (err instanceof StoreWriteError) return err.message;
      throw err;
    }
  }
  async #scratchPath() {
    this.#scratchDir ??= mkdtemp2(join8(tmpdir2(), "goproxy-action-scratch-"));
    return join8(await this.#scratchDir, "blob.zip");
  }
  #keepScratch(path) {
    this.#scratch.add(path);
    setTimeout(() => {
      this.#scratch.delete(path);
      rm2(path, { force: true }).catch(() => {
      });
    }, scratchLifetimeMs).unref();
  }
};
function parseInfoVersion(bytes) {
  let parsed;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new RejectedBlob("upstream answered with invalid JSON for .info");
  }
  if (typeof parsed.Version !== "string") throw new RejectedBlob("upstream .info has no Version");
  return parsed.Version;
}

// src/proxy/module-service.ts
var metadataConcurrency = 8;
var listMetadataLimit = 64;
var maxJudgedListLines = 1e4;
var maxPrefetchedBytes = 16 << 20;
var textContent = "text/plain; charset=utf-8";
var jsonContent = "application/json";
var ModuleService = class {
  #o;
  #fetch;
  #shutdown = new AbortController();
  /** .mod fetches started with their .info, until the client asks for them. */
  #prefetches = /* @__PURE__ */ new Map();
  /** Bytes of prefetched .mod files held for a client that need never ask for them. */
  #prefetchedBytes = 0;
  constructor(options) {
    this.#o = options;
    setMaxListeners(0, this.#shutdown.signal);
    this.#fetch = new BlobFetch({
      store: options.store,
      chain: options.chain,
      verifier: options.verifier,
      signal: this.#shutdown.signal,
      ...options.onStored ? { onStored: options.onStored } : {},
      ...options.zipHashes ? { zipHashes: options.zipHashes } : {}
    });
  }
  /** `client`: where a cold .zip may be streamed as it arrives (null: answer whole). */
  async handle(request, record, client) {
    const { kind, module, version } = request;
    const policy = this.#o.policy;
    if (policy) {
      const decision = policy.beforeUpstream(module, version, kind);
      if (decision.action === "deny") return this.#denied(decision, record);
    }
    switch (kind) {
      case "zip":
        return this.#zip(module, version, record, client);
      case "mod":
        return this.#immutable("mod", module, version, record);
      case "info":
        return isCanonicalVersion(version) ? this.#immutable("info", module, version, record) : this.#query(module, version, record);
      case "list":
        return this.#list(module, record);
      case "latest":
        return this.#latest(module, record);
    }
  }
  /** Waits for every blob fetch under way (flush). */
  async settle() {
    await this.#fetch.settle();
  }
  /** Lets fetches under way finish for up to `graceMs`, then aborts them, whatever the upstream does. */
  async close(graceMs = 1e4) {
    let timer;
    const grace = new Promise((resolve4) => {
      timer = setTimeout(resolve4, graceMs);
    });
    await Promise.race([this.#fetch.settle(), grace]);
    clearTimeout(timer);
    this.#shutdown.abort();
    await this.#fetch.close();
  }
  #denied(decision, record) {
    record.denial = { rule: decision.rule ?? "policy", reason: decision.reason ?? "" };
    return { type: "denied", text: this.#o.policy.denialText(decision) };
  }
  // ---- immutable blobs ----------------------------------------------------------------------
  async #zip(module, version, record, client) {
    const { store } = this.#o;
    if (this.#o.policy) {
      const decision = await this.#metadataDecision(module, version);
      if (decision.action === "deny") return this.#denied(decision, record);
    }
    for (let attempt = 1; ; attempt++) {
      const stored = await store.openBlob(module, version, "zip");
      if (stored) {
        store.markUsed(module, version);
        record.source = "store";
        return content("application/zip", stored);
      }
      const fetched = await this.#fetch.fetch("zip", module, version, client);
      const { blob } = fetched;
      const streamed = client !== null && blob.type !== "not-found" && blob.streamedTo === client && blob.streamed ? await blob.streamed : false;
      if (blob.type !== "ok" || streamed || Buffer.isBuffer(blob.body)) {
        return this.#answer(fetched, record, streamed, "application/zip", null);
      }
      const opened = blob.body.acquire();
      if (opened) {
        store.markUsed(module, version);
        return this.#answer(fetched, record, false, "application/zip", opened);
      }
      if (attempt >= 3) {
        return {
          type: "upstream-failed",
          message: `${module}@${version}.zip vanished from the store as it was served`
        };
      }
    }
  }
  async #immutable(kind, module, version, record) {
    const { store } = this.#o;
    const contentType = kind === "mod" ? textContent : jsonContent;
    const prefetched = kind === "mod" ? await this.#claimPrefetch(module, version) : null;
    if (prefetched) {
      store.markUsed(module, version);
      return this.#answer(prefetched, record, false, contentType, null);
    }
    const stored = await store.readFile(module, version, kind);
    if (stored) {
      if (kind === "mod") store.markUsed(module, version);
      record.source = "store";
      return content(contentType, stored);
    }
    const fetched = await this.#fetch.fetch(kind, module, version, null);
    if (fetched.blob.type === "ok" && kind === "mod") store.markUsed(module, version);
    if (fetched.blob.type === "ok" && kind === "info" && fetched.led) this.#prefetchMod(module, version);
    return this.#answer(fetched, record, false, contentType, null);
  }
  /**
   * The go command asks for a version's .mod right after its .info: fetch it alongside (and
   * its checksum-database lookup with it), so the cold path costs one upstream round trip
   * less. The client's own .mod request joins this fetch or finds it stored.
   */
  #prefetchMod(module, version) {
    const key2 = `${module}@${version}`;
    if (this.#prefetches.has(key2)) return;
    let held = 0;
    const entry = {
      work: Promise.resolve(null),
      release: () => {
        this.#prefetchedBytes -= held;
        held = 0;
      }
    };
    entry.work = (async () => {
      if (await this.#o.store.stat(module, version, "mod").catch(() => null)) return null;
      const fetched = await this.#fetch.fetch("mod", module, version, null);
      if (!fetched.led || fetched.blob.type !== "ok") return null;
      const size = Buffer.isBuffer(fetched.blob.body) ? fetched.blob.body.length : 0;
      if (this.#prefetches.get(key2) !== entry || this.#prefetchedBytes + size > maxPrefetchedBytes)
        return null;
      this.#prefetchedBytes += size;
      held = size;
      return fetched;
    })().catch(() => null);
    this.#prefetches.set(key2, entry);
    setTimeout(() => {
      if (this.#prefetches.get(key2) !== entry) return;
      this.#prefetches.delete(key2);
      entry.release();
    }, 6e4).unref();
  }
  async #claimPrefetch(module, version) {
    const key2 = `${module}@${version}`;
    const entry = this.#prefetches.get(key2);
    if (!entry) return null;
    this.#prefetches.delete(key2);
    const fetched = await entry.work;
    entry.release();
    return fetched;
  }
  /** The bytes of a stored or fetched .info/.mod, for the pipeline's own use (metadata rules). */
  async #blobBytes(kind, module, version) {
    const stored = await this.#o.store.readFile(module, version, kind);
    if (stored) return stored;
    const { blob } = await this.#fetch.fetch(kind, module, version, null);
    return blob.type === "ok" && Buffer.isBuffer(blob.body) ? blob.body : null;
  }
  #answer(fetched, record, streamed, contentType, opened) {
    const { blob, led } = fetched;
    if (blob.type === "not-found") return { type: "not-found", message: blob.message };
    if (blob.type === "failed") {
      return streamed ? { type: "streamed" } : { type: "upstream-failed", message: blob.message };
    }
    record.source = blob.source;
    if (led) record.upstreamBytes = blob.upstreamBytes;
    if (blob.verification) record.verification = blob.verification;
    if (blob.notStored) record.notStored = blob.notStored;
    if (blob.storeError) record.storeError = blob.storeError;
    if (streamed) return { type: "streamed" };
    const body = opened ?? blob.body;
    if (!Buffer.isBuffer(body) && !("handle" in body))
      throw new Error("a shared file must be acquired first");
    return {
      type: "content",
      contentType,
      body,
      cache: blob.notStored ? "no-store" : "immutable",
      ...blob.notStored ? { notStored: true } : {}
    };
  }
  // ---- metadata rules -----------------------------------------------------------------------
  /** The metadata decision for a .zip: recorded, or made now from inputs fetched once and recorded. */
  async #metadataDecision(module, version) {
    const policy = this.#o.policy;
    const meta = await this.#readMeta(module, version);
    if (meta?.decision && !policy.isStale?.(meta.decision, /* @__PURE__ */ new Date())) return meta.decision;
    const needs = policy.metadataNeeds?.(module) ?? { time: true, retractions: true };
    const [infoTime, latestGoModText] = await Promise.all([
      needs.time ? this.#infoTime(module, version) : null,
      needs.retractions ? this.#latestGoMod(module) : null
    ]);
    const decision = policy.onNewVersion({ module, version, infoTime, latestGoModText, now: /* @__PURE__ */ new Date() });
    const complete = (!needs.time || infoTime !== null) && (!needs.retractions || latestGoModText !== null);
    if (complete && (needs.time || needs.retractions || decision.action === "deny")) {
      await this.#updateMeta(module, version, { decision, decidedAt: /* @__PURE__ */ new Date() });
    }
    return decision;
  }
  /** Decides each version of a list by the rules that block versions (ranges, retracted, min-age). */
  async #blockedVersions(module, versions) {
    const policy = this.#o.policy;
    const blocked = /* @__PURE__ */ new Map();
    const rest = [];
    for (const v of versions) {
      const byRange = policy.beforeUpstream(module, v, "zip");
      if (byRange.action === "deny") blocked.set(v, byRange);
      else rest.push(v);
    }
    const needs = policy.metadataNeeds?.(module) ?? { time: true, retractions: true };
    if (rest.length === 0 || !needs.time && !needs.retractions) return blocked;
    const latestGoModText = needs.retractions ? await this.#latestGoMod(module) : null;
    const now = /* @__PURE__ */ new Date();
    const unknown = [];
    await forEachLimited(rest, metadataConcurrency, async (version) => {
      const meta = await this.#readMeta(module, version);
      let decision = meta?.decision && !policy.isStale?.(meta.decision, now) ? meta.decision : null;
      if (!decision && needs.time) {
        const stored = await this.#o.store.readFile(module, version, "info").catch(() => null);
        if (!stored) {
          unknown.push(version);
          return;
        }
        decision = policy.onNewVersion({
          module,
          version,
          infoTime: infoTimeOf(stored),
          latestGoModText,
          now
        });
      }
      decision ??= policy.onNewVersion({ module, version, infoTime: null, latestGoModText, now });
      if (decision.action === "deny") blocked.set(version, decision);
    });
    const limit = this.#o.listMetadataLimit ?? listMetadataLimit;
    const newestFirst = sortVersions(unknown).reverse();
    for (const version of newestFirst.slice(limit)) {
      blocked.set(version, {
        action: "deny",
        rule: "min-age",
        reason: `its age is unknown: only the newest ${limit} versions of a list are looked up; ask for it by version`
      });
    }
    await forEachLimited(newestFirst.slice(0, limit), metadataConcurrency, async (version) => {
      const infoTime = await this.#infoTime(module, version);
      const decision = policy.onNewVersion({ module, version, infoTime, latestGoModText, now });
      if (decision.action === "deny") blocked.set(version, decision);
    });
    return blocked;
  }
  async #infoTime(module, version) {
    const bytes = await this.#blobBytes("info", module, version);
    return bytes ? infoTimeOf(bytes) : null;
  }
  /** The go.mod of the module's real (unfiltered) latest version: where retractions live. */
  async #latestGoMod(module) {
    const latest = await this.#short("latest", module);
    if (!latest) return null;
    let version;
    try {
      version = parseInfoVersion(latest.bytes);
    } catch {
      return null;
    }
    if (!isCanonicalVersion(version)) return null;
    const mod = await this.#blobBytes("mod", module, version);
    return mod ? mod.toString("utf8") : null;
  }
  async #readMeta(module, version) {
    try {
      return await this.#o.store.readMeta(module, version);
    } catch {
      return null;
    }
  }
  async #updateMeta(module, version, fields) {
    try {
      await this.#o.store.updateMeta(module, version, (current) => ({ ...current ?? {}, ...fields }));
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
    }
  }
  // ---- lists, @latest, queries --------------------------------------------------------------
  async #list(module, record) {
    const answer = await this.#shortAnswer("list", module);
    if ("type" in answer) return answer;
    fill(record, answer);
    let bytes = answer.bytes;
    if (this.#o.policy) {
      const all = bytes.toString("utf8").split("\n");
      const lines = all.length > maxJudgedListLines ? all.slice(0, maxJudgedListLines) : all;
      const versionOf = (l) => l.trim().split(/\s+/)[0] ?? "";
      const versions = lines.map(versionOf).filter(isListableVersion);
      const blocked = await this.#blockedVersions(module, versions);
      const kept = lines.filter((l) => isListableVersion(versionOf(l)) && !blocked.has(versionOf(l)));
      if (lines !== all || kept.length !== lines.filter((l) => l.trim() !== "").length) {
        bytes = Buffer.from(kept.map((l) => `${l}
`).join(""));
      }
    }
    return shortContent(textContent, bytes, answer.stale);
  }
  async #latest(module, record) {
    const answer = await this.#shortAnswer("latest", module);
    if ("type" in answer) return answer;
    fill(record, answer);
    const policy = this.#o.policy;
    const latest = infoVersionOrNull(answer.bytes) ?? "";
    if (!policy || isPseudoVersion(latest)) {
      return shortContent(jsonContent, answer.bytes, answer.stale);
    }
    const canonical = isCanonicalVersion(latest);
    const listed = await this.#short("list", module);
    const candidates = listed ? listed.bytes.toString("utf8").split("\n", maxJudgedListLines).map((l) => l.trim().split(/\s+/)[0] ?? "").filter(isListableVersion) : [];
    if (canonical && !candidates.includes(latest)) candidates.push(latest);
    const blocked = await this.#blockedVersions(module, candidates);
    if (canonical && !blocked.has(latest)) return shortContent(jsonContent, answer.bytes, answer.stale);
    const allowed = sortVersions(candidates.filter((v) => !blocked.has(v)));
    const releases = allowed.filter((v) => !isPrerelease(v));
    const choice = (releases.length > 0 ? releases : allowed).at(-1);
    const info = choice ? await this.#blobBytes("info", module, choice) : null;
    if (!info) {
      const decision = blocked.get(latest);
      if (decision) return this.#denied(decision, record);
      return {
        type: "upstream-failed",
        message: `${module}/@latest named "${latest}", not a canonical version, and no allowed version is listed`
      };
    }
    return shortContent(jsonContent, info, answer.stale);
  }
  /** A branch, tag or commit query: asked upstream; the last answer is the fallback. */
  async #query(module, query, record) {
    const result = await this.#o.chain.fetchModule(
      { kind: "info", module, version: query },
      async (body) => {
        const bytes = await readAll(body.body, maxSmallAnswerBytes);
        const resolved2 = parseInfoVersion(bytes);
        if (!isCanonicalVersion(resolved2))
          throw new RejectedBlob(`upstream resolved ${query} to a non-canonical "${resolved2}"`);
        return { bytes, source: body.source };
      },
      this.#shutdown.signal
    );
    const answer = await this.#freshOrStale(result, `query/${query}`, module);
    if ("type" in answer) return answer;
    fill(record, answer);
    const resolved = infoVersionOrNull(answer.bytes) ?? "";
    if (this.#o.policy && isCanonicalVersion(resolved) && !isPseudoVersion(resolved)) {
      const decision = (await this.#blockedVersions(module, [resolved])).get(resolved);
      if (decision) return this.#denied(decision, record);
    }
    return shortContent(jsonContent, answer.bytes, answer.stale);
  }
  /** A list or @latest for the pipeline's own use: upstream, else stale, else the store's. */
  async #short(kind, module) {
    const answer = await this.#shortAnswer(kind, module);
    return "type" in answer ? null : answer;
  }
  async #shortAnswer(kind, module) {
    const result = await this.#o.chain.fetchModule(
      { kind, module },
      async (body) => {
        const bytes = await readAll(body.body, maxSmallAnswerBytes);
        if (kind === "latest") parseInfoVersion(bytes);
        return { bytes, source: body.source };
      },
      this.#shutdown.signal
    );
    const answer = await this.#freshOrStale(result, kind, module);
    if (!("type" in answer)) return answer;
    return await this.#fromStore(kind, module) ?? answer;
  }
  async #freshOrStale(result, name, module) {
    const { stale } = this.#o;
    if (result.ok) {
      const { bytes, source } = result.value;
      await stale.save(module, name, bytes).catch(() => {
      });
      return {
        bytes,
        source: source === "direct" ? "direct" : "upstream",
        stale: false,
        upstreamBytes: bytes.length
      };
    }
    if (result.status === 502) {
      const saved = await stale.load(module, name);
      if (saved) return { bytes: saved, source: "store", stale: true };
      return { type: "upstream-failed", message: result.message };
    }
    return { type: "not-found", message: result.message };
  }
  /** The list or @latest the store's own files give, as GOPROXY=file://<store> reads them. */
  async #fromStore(kind, module) {
    const versions = await this.#o.store.versionsWithInfo(module).catch(() => []);
    if (kind === "list") {
      const text = formatVersionList(versions);
      return text === "" ? null : { bytes: Buffer.from(text), source: "store", stale: false };
    }
    const listable = versions.filter(isListableVersion);
    const releases = listable.filter((v) => !isPrerelease(v));
    const choice = (releases.length > 0 ? releases : listable).at(-1);
    if (!choice) return null;
    const info = await this.#o.store.readFile(module, choice, "info").catch(() => null);
    return info ? { bytes: info, source: "store", stale: false } : null;
  }
};
function infoTimeOf(bytes) {
  try {
    const time = JSON.parse(bytes.toString("utf8")).Time;
    return time ? new Date(time) : null;
  } catch {
    return null;
  }
}
function infoVersionOrNull(bytes) {
  try {
    return parseInfoVersion(bytes);
  } catch {
    return null;
  }
}
function fill(record, answer) {
  record.source = answer.source;
  if (answer.upstreamBytes !== void 0) record.upstreamBytes = answer.upstreamBytes;
  if (answer.stale) record.stale = true;
}
function content(contentType, body) {
  return { type: "content", contentType, body, cache: "immutable" };
}
function shortContent(contentType, body, stale) {
  return stale ? { type: "content", contentType, body, cache: "no-store", stale: true } : { type: "content", contentType, body, cache: "short-lived" };
}
async function forEachLimited(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// src/net/node-http.ts
import { createRequire as createRequire2 } from "node:module";
var { createServer } = createRequire2(import.meta.url)("node:http");

// src/secure-random.ts
const { closeSync, fstatSync: fstatSync2, openSync, readSync } = require("node:fs");
function secureRandomBytes(size) {
  return (process.platform === "win32" ? null : fromRandomDevice(size)) ?? cryptoRandomBytes(size);
}
function cryptoRandomBytes(size) {
  return process.getBuiltinModule("node:crypto").randomBytes(size);
}
function fromRandomDevice(size) {
  let fd;
  try {
    fd = openSync("/dev/urandom", "r");
  } catch {
    return null;
  }
  try {
    if (!fstatSync2(fd).isCharacterDevice()) return null;
    const bytes = Buffer.alloc(size);
    for (let filled = 0; filled < size; ) {
      const got = readSync(fd, bytes, filled, size - filled, null);
      if (got <= 0) return null;
      filled += got;
    }
    return bytes;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

// src/proxy/audit-log.ts
const { createWriteStream } = require("node:fs");
var AuditLog = class {
  #stream;
  /** Set when the file refused a write: the proxy keeps serving, the log stops. */
  #failed = false;
  constructor(file) {
    this.#stream = createWriteStream(file, { flags: "a", mode: 384 });
    this.#stream.on("error", (err) => {
      if (this.#failed) return;
      this.#failed = true;
      process.stderr.write(
        `goproxy-action: audit log ${file}: ${err.code ?? err.message}; later requests are not logged (the proxy keeps serving); free space or fix the file, then restart
`
      );
    });
  }
  write(entry) {
    if (this.#failed) return;
    this.#stream.write(`${JSON.stringify(entry)}
`);
  }
  close() {
    if (this.#failed || this.#stream.destroyed) return Promise.resolve();
    return new Promise((resolve4) => this.#stream.end(resolve4));
  }
};

// src/proxy/loopback-host.ts
function isLoopbackAddress(address) {
  return address === "localhost" || address === "::1" || /^127\.\d+\.\d+\.\d+$/.test(address);
}
function isLoopbackHostHeader(host) {
  if (host === void 0) return true;
  const name = (host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "")).toLowerCase().replace(/\.$/, "");
  return name === "localhost" || // Names a container runtime resolves to the host itself (Docker Desktop forwards them to
  // its loopback): never a name a web page controls.
  name === "host.docker.internal" || name === "host.containers.internal" || name.endsWith(".localhost") || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(name) || /^\[[0-9a-f:.]+\]$/.test(name);
}

// src/proxy/pipeline-limit.ts
var maxQueuedAnswers = 64;
var queued = /* @__PURE__ */ Symbol("goproxy-action queued answers");
function pipelinedTooDeep(req, res) {
  if (res.socket) return false;
  const socket = req.socket;
  const waiting = (socket[queued] ?? 0) + 1;
  socket[queued] = waiting;
  let counted = true;
  const uncount = () => {
    if (!counted) return;
    counted = false;
    socket[queued] = (socket[queued] ?? 1) - 1;
  };
  res.once("socket", uncount);
  res.once("close", uncount);
  return waiting > maxQueuedAnswers;
}

// src/proxy/reply.ts
var immutableCache = "public, max-age=604800, immutable";
var shortLivedCache = "public, max-age=60";
function textReply(status, message, extra = {}) {
  const lines = redactSecrets(message, []).split("\n").map((l) => l.trim()).filter((l) => l !== "").slice(0, 7);
  let text = lines.join("\n");
  if (Buffer.byteLength(text) > 600) text = `${Buffer.from(text).subarray(0, 597).toString("utf8")}...`;
  return {
    status,
    contentType: "text/plain; charset=utf-8",
    body: Buffer.from(`${text}
`),
    headers: { "cache-control": "no-store" },
    source: "none",
    ...extra
  };
}

// src/sumdb/merkle.ts
var HASH_SIZE = 32;
function recordHash(data) {
  return new Uint8Array(createHash("sha256").update(Buffer.of(0)).update(data).digest());
}
function nodeHash(left, right) {
  return new Uint8Array(createHash("sha256").update(Buffer.of(1)).update(left).update(right).digest());
}
function hashesEqual(a, b) {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}
var ProofError = class extends Error {
  name = "ProofError";
};
function checkSize(n, what) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} ${n} is not a valid tree position`);
}
function splitPoint(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function floorPow2(n) {
  let size = 1;
  let level = 0;
  while (size * 2 <= n) {
    size *= 2;
    level++;
  }
  return { size, level };
}
function rangeHash(lo, hi, read2) {
  const parts = [];
  while (lo < hi) {
    const { size, level } = floorPow2(hi - lo);
    if (lo % size !== 0) throw new Error(`internal error: unaligned subtree [${lo}, ${hi})`);
    parts.push(read2(level, lo / size));
    lo += size;
  }
  let hash = parts.pop();
  if (hash === void 0) throw new Error("internal error: empty subtree");
  for (let part = parts.pop(); part !== void 0; part = parts.pop()) hash = nodeHash(part, hash);
  return hash;
}
function proveRecord(treeSize, index, read2) {
  checkSize(index, "record index");
  return proveNode(treeSize, { level: 0, index }, read2);
}
function proveNode(treeSize, node, read2) {
  checkSize(treeSize, "tree size");
  const span = checkNodeCoord(node);
  const first = node.index * span;
  if (first + span > treeSize) {
    throw new RangeError(`hash ${node.level}/${node.index} is not complete in a tree of ${treeSize} records`);
  }
  const walk = (lo, hi) => {
    if (hi - lo === span) return [];
    const k = splitPoint(hi - lo);
    if (first < lo + k) return [...walk(lo, lo + k), rangeHash(lo + k, hi, read2)];
    const left = rangeHash(lo, lo + k, read2);
    return [...walk(lo + k, hi), left];
  };
  return walk(0, treeSize);
}
function checkNodeCoord(node) {
  if (!Number.isSafeInteger(node.level) || node.level < 0 || node.level > 52) {
    throw new RangeError(`hash level ${node.level} is not a tree level`);
  }
  checkSize(node.index, "hash index");
  return 2 ** node.level;
}
function checkRecord(proof, treeSize, root, index, leaf) {
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new ProofError(`record ${index} cannot be in a tree of ${treeSize} records`);
  }
  if (!nodeProofHolds(proof, treeSize, root, { level: 0, index }, leaf)) {
    throw new ProofError(
      `record ${index} is not in the signed tree of ${treeSize} records (its inclusion proof fails)`
    );
  }
}
function checkNode(proof, treeSize, root, node, hash) {
  const span = checkNodeCoord(node);
  if (node.index * span + span > treeSize) {
    throw new ProofError(`hash ${node.level}/${node.index} cannot be in a tree of ${treeSize} records`);
  }
  if (!nodeProofHolds(proof, treeSize, root, node, hash)) {
    throw new ProofError(
      `hash ${node.level}/${node.index} is not in the signed tree of ${treeSize} records (its inclusion proof fails)`
    );
  }
}
function nodeProofHolds(proof, treeSize, root, node, hash) {
  const span = 2 ** node.level;
  const first = node.index * span;
  const run = (lo, hi, p) => {
    if (hi - lo === span) {
      if (p.length !== 0) throw new ProofError("inclusion proof is longer than the tree is deep");
      return hash;
    }
    const sibling = p.at(-1);
    if (sibling === void 0) throw new ProofError("inclusion proof is too short");
    const rest = p.slice(0, -1);
    const k = splitPoint(hi - lo);
    if (first < lo + k) return nodeHash(run(lo, lo + k, rest), sibling);
    return nodeHash(sibling, run(lo + k, hi, rest));
  };
  return hashesEqual(run(0, treeSize, proof), root);
}
function proveTree(newSize, oldSize, read2) {
  checkSize(newSize, "tree size");
  checkSize(oldSize, "tree size");
  if (oldSize < 1 || oldSize > newSize)
    throw new RangeError(`cannot prove tree ${oldSize} inside tree ${newSize}`);
  const walk = (lo, hi) => {
    if (oldSize === hi) return lo === 0 ? [] : [rangeHash(lo, hi, read2)];
    const k = splitPoint(hi - lo);
    if (oldSize <= lo + k) return [...walk(lo, lo + k), rangeHash(lo + k, hi, read2)];
    const left = rangeHash(lo, lo + k, read2);
    return [...walk(lo + k, hi), left];
  };
  return walk(0, newSize);
}
function checkTree(proof, newSize, newRoot, oldSize, oldRoot) {
  if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > newSize) {
    throw new ProofError(`tree ${oldSize} cannot be a prefix of tree ${newSize}`);
  }
  const run = (lo, hi, p) => {
    if (oldSize === hi) {
      if (lo === 0) {
        if (p.length !== 0) throw new ProofError("consistency proof is too long");
        return [oldRoot, oldRoot];
      }
      if (p.length !== 1) throw new ProofError("consistency proof has the wrong length");
      const only = p[0];
      return [only, only];
    }
    const sibling = p.at(-1);
    if (sibling === void 0) throw new ProofError("consistency proof is too short");
    const rest = p.slice(0, -1);
    const k = splitPoint(hi - lo);
    if (oldSize <= lo + k) {
      const [oldHash3, newHash3] = run(lo, lo + k, rest);
      return [oldHash3, nodeHash(newHash3, sibling)];
    }
    const [oldHash2, newHash2] = run(lo + k, hi, rest);
    return [nodeHash(sibling, oldHash2), nodeHash(sibling, newHash2)];
  };
  const [oldHash, newHash] = run(0, newSize, proof);
  if (!hashesEqual(oldHash, oldRoot) || !hashesEqual(newHash, newRoot)) {
    throw new ProofError(`tree of ${oldSize} records is not a prefix of the tree of ${newSize} records`);
  }
}
function coordsRead(compute) {
  const seen = /* @__PURE__ */ new Set();
  const coords = [];
  const placeholder = new Uint8Array(HASH_SIZE);
  compute((level, index) => {
    const key2 = `${level}/${index}`;
    if (!seen.has(key2)) {
      seen.add(key2);
      coords.push({ level, index });
    }
    return placeholder;
  });
  return coords;
}

// src/sumdb/tile.ts
var TILE_HEIGHT = 8;
var DATA_LEVEL = -1;
function tileIsFull(tile) {
  return tile.width === 2 ** tile.height;
}
function fullTile(tile) {
  return { ...tile, width: 2 ** tile.height };
}
function tilePath(tile) {
  let n = tile.index;
  let digits = String(n % 1e3).padStart(3, "0");
  while (n >= 1e3) {
    n = Math.floor(n / 1e3);
    digits = `x${String(n % 1e3).padStart(3, "0")}/${digits}`;
  }
  const level = tile.level === DATA_LEVEL ? "data" : String(tile.level);
  const partial = tileIsFull(tile) ? "" : `.p/${tile.width}`;
  return `tile/${tile.height}/${level}/${digits}${partial}`;
}
function parseTilePath(path) {
  const match = /^tile\/([0-9]{1,2})\/(data|[0-9]{1,2})\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([0-9]{1,10}))?$/.exec(path);
  if (match === null) return null;
  const [, h, l, digits, w] = match;
  const height = Number(h);
  if (height < 1 || height > 30) return null;
  const index = digits.split("/").reduce((n, group) => n * 1e3 + Number(group.replace("x", "")), 0);
  if (!Number.isSafeInteger(index)) return null;
  const full = 2 ** height;
  const width = w === void 0 ? full : Number(w);
  if (width < 1 || width > full) return null;
  const tile = { height, level: l === "data" ? DATA_LEVEL : Number(l), index, width };
  return tilePath(tile) === path ? tile : null;
}
function storedAtLevel(treeSize, height, level) {
  return Math.floor(treeSize / 2 ** (level * height));
}
function tileForHash(treeSize, coord, height = TILE_HEIGHT) {
  const level = Math.floor(coord.level / height);
  const span = 2 ** (coord.level - level * height);
  const first = coord.index * span;
  const perTile = 2 ** height;
  const index = Math.floor(first / perTile);
  const available = storedAtLevel(treeSize, height, level) - index * perTile;
  if ((coord.index + 1) * 2 ** coord.level > treeSize || available <= 0) {
    throw new RangeError(
      `hash ${coord.level}/${coord.index} is not complete in a tree of ${treeSize} records`
    );
  }
  const width = Math.min(perTile, available);
  return { tile: { height, level, index, width }, offset: first - index * perTile, count: span };
}
function hashFromTileData(data, offset, count) {
  let layer = [];
  for (let i = 0; i < count; i++) {
    const start = (offset + i) * HASH_SIZE;
    layer.push(data.subarray(start, start + HASH_SIZE));
  }
  while (layer.length > 1) {
    const next = [];
    for (let i = 0; i < layer.length; i += 2) next.push(nodeHash(layer[i], layer[i + 1]));
    layer = next;
  }
  return layer[0];
}

// src/sumdb/sumdb-request.ts
var SumdbRequestError = class extends Error {
  name = "SumdbRequestError";
};
var maxPathElementBytes = 255;
function hasOverlongElement(path) {
  return path.split("/").some((element) => Buffer.byteLength(element) > maxPathElementBytes);
}
var databaseNamePattern = /^(?=.{1,253}(?:[:/]|$))[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~-]+)*$/i;
function isDatabaseName(name) {
  return databaseNamePattern.test(name) && !name.split("/").some((element) => element === "." || element === "..") && !hasOverlongElement(name);
}
function parseSumdbRequest(subpath) {
  if (subpath === "supported") return { kind: "supported" };
  if (subpath === "latest") return { kind: "latest" };
  if (subpath.startsWith("lookup/")) return parseLookup(subpath.slice("lookup/".length));
  if (subpath.startsWith("tile/")) {
    const tile = parseTilePath(subpath);
    if (tile === null) {
      throw new SumdbRequestError(
        `"${subpath}" is not a tile path: want tile/<H>/<L>/<K>[.p/<W>] or tile/<H>/data/<K>[.p/<W>], K in 3-digit groups (x001/234)`
      );
    }
    return { kind: "tile", tile };
  }
  throw new SumdbRequestError(
    `"${subpath}" is not a checksum database request: want supported, latest, lookup/<module>@<version> or tile/...`
  );
}
function parseLookup(target) {
  const at = target.lastIndexOf("@");
  if (at <= 0) throw new SumdbRequestError(`lookup "${target}" is not <escaped module>@<escaped version>`);
  const escapedModule = target.slice(0, at);
  const escapedVersion = target.slice(at + 1);
  if (hasOverlongElement(target)) {
    throw new SumdbRequestError(`lookup "${target}" has a path element over ${maxPathElementBytes} bytes`);
  }
  let module;
  let version;
  try {
    module = unescapePath(escapedModule);
    version = unescapeVersion(escapedVersion);
    checkModuleVersion(module, version);
  } catch (error) {
    const why = error instanceof ModulePathError || error instanceof Error ? error.message : String(error);
    throw new SumdbRequestError(`invalid lookup "${target}": ${why}`);
  }
  if (!isCanonicalVersion(version)) {
    throw new SumdbRequestError(`invalid lookup "${target}": ${version} is not a canonical version`);
  }
  if (escapePath(module) !== escapedModule || escapeVersion(version) !== escapedVersion) {
    throw new SumdbRequestError(`invalid lookup "${target}": not the canonical escaping`);
  }
  return { kind: "lookup", module, version };
}
function sumdbRequestPath(request) {
  switch (request.kind) {
    case "supported":
    case "latest":
      return request.kind;
    case "lookup":
      return `lookup/${escapePath(request.module)}@${escapeVersion(request.version)}`;
    case "tile":
      return tilePath(request.tile);
  }
}

// src/proxy/request-path.ts
var BadRequestError = class extends Error {
  name = "BadRequestError";
  status;
  constructor(message, status = 400) {
    super(message);
    this.status = status;
  }
};
var maxPathLength = 2048;
var sumdbEndpoints = /* @__PURE__ */ new Set(["supported", "latest", "lookup", "tile"]);
function parseRequestPath(rawUrl) {
  const rawPath = rawUrl.split("?")[0] ?? "";
  if (rawPath.length > maxPathLength)
    throw new BadRequestError(`request path is longer than ${maxPathLength} bytes`, 414);
  if (!rawPath.startsWith("/")) throw new BadRequestError("request path must start with /");
  if (rawPath === "/" || rawPath === "") return { type: "root" };
  const segments = rawPath.slice(1).split("/").map((raw) => {
    let segment;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new BadRequestError(`"${raw}" is not valid percent-encoding`);
    }
    if (segment.includes("/"))
      throw new BadRequestError("encoded slashes are not valid in a module proxy path");
    return segment;
  });
  const path = `/${segments.join("/")}`;
  if (/[\u0000-\u001f\u007f\\]/.test(path))
    throw new BadRequestError("control characters and backslashes are not valid here");
  if (segments.some((s) => s === ".." || s === "."))
    throw new BadRequestError('"." and ".." are not valid path elements');
  if (segments[0] === "_admin") return { type: "admin", action: segments.slice(1).join("/") };
  if (segments[0] === "sumdb") return parseSumdb(segments);
  return parseModule(path.slice(1));
}
function parseSumdb(segments) {
  let end = 2;
  while (end < segments.length && !sumdbEndpoints.has(segments[end])) end++;
  const name = segments.slice(1, end).join("/");
  if (!isDatabaseName(name)) throw new BadRequestError(`"${name}" is not a checksum database name`);
  try {
    const request = parseSumdbRequest(segments.slice(end).join("/"));
    return { type: "sumdb", name, subpath: sumdbRequestPath(request) };
  } catch (err) {
    if (err instanceof SumdbRequestError)
      throw new BadRequestError(`checksum database ${name}: ${err.message}`);
    throw err;
  }
}
function parseModule(rest) {
  let escaped;
  let kind;
  let escapedVersion = null;
  if (rest.endsWith("/@latest")) {
    escaped = rest.slice(0, -"/@latest".length);
    kind = "latest";
  } else {
    const at = rest.lastIndexOf("/@v/");
    if (at < 0)
      throw new BadRequestError("not a module proxy path: expected <module>/@v/... or <module>/@latest", 404);
    escaped = rest.slice(0, at);
    const file = rest.slice(at + "/@v/".length);
    if (file === "list") {
      kind = "list";
    } else {
      const dot = file.lastIndexOf(".");
      const ext = dot < 0 ? "" : file.slice(dot + 1);
      if (ext !== "info" && ext !== "mod" && ext !== "zip") {
        throw new BadRequestError(
          `"${file}" is not a module proxy file: expected list, <version>.info, .mod or .zip`,
          404
        );
      }
      kind = ext;
      escapedVersion = file.slice(0, dot);
    }
  }
  if (hasOverlongElement(escaped) || Buffer.byteLength(`${escapedVersion ?? ""}.json`) > maxPathElementBytes) {
    throw new BadRequestError(
      `a path element is longer than ${maxPathElementBytes} bytes: no module proxy path is`
    );
  }
  let module;
  try {
    module = unescapePath(escaped);
    checkModulePath(module);
  } catch (err) {
    throw new BadRequestError(`invalid module path "${escaped}": ${messageOf(err)}`);
  }
  let version = null;
  if (escapedVersion !== null) {
    try {
      version = unescapeVersion(escapedVersion);
    } catch (err) {
      throw new BadRequestError(`invalid version "${escapedVersion}": ${messageOf(err)}`);
    }
    if (version === "" || version.includes("/"))
      throw new BadRequestError(`invalid version "${escapedVersion}"`);
    if (kind === "mod" || kind === "zip") {
      if (!isCanonicalVersion(version)) {
        throw new BadRequestError(
          `${module}@${version}: .${kind} is served only for canonical versions (vX.Y.Z)`,
          404
        );
      }
      const split = splitPathVersion(module);
      try {
        checkPathMajor(version, split?.pathMajor ?? "");
      } catch (err) {
        throw new BadRequestError(`${module}@${version}: ${messageOf(err)}`, 404);
      }
    }
  }
  return { type: "module", kind, module, version, escaped };
}
function messageOf(err) {
  if (err instanceof ModulePathError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

// src/proxy/request-record.ts
function newRequestRecord(kind, module, version) {
  return { kind, module, version, source: "none" };
}

// src/proxy/send-file.ts
const { read, readSync: readSync2 } = require("node:fs");
var chunkSize = 256 << 10;
var spareChunks = [];
var maxSpareChunks = 32;
function takeChunk() {
  return spareChunks.pop() ?? Buffer.allocUnsafeSlow(chunkSize);
}
function giveBack(chunk) {
  if (spareChunks.length < maxSpareChunks) spareChunks.push(chunk);
}
function untilTurn(res) {
  if (res.socket || res.destroyed) return null;
  return new Promise((resolve4) => {
    const done = (turn) => () => {
      res.off("socket", onSocket);
      res.off("close", onClose);
      resolve4(turn);
    };
    const onSocket = done(true);
    const onClose = done(false);
    res.once("socket", onSocket);
    res.once("close", onClose);
  });
}
async function sendFile(res, file) {
  const waiting = untilTurn(res);
  if (waiting && !await waiting) throw new Error("client closed the connection");
  const { handle, size } = file;
  if (size > 0 && size <= chunkSize && file.warm) return sendOneChunk(res, handle.fd, size);
  let ended = false;
  let onClose = () => {
  };
  const closed = new Promise((_, reject) => {
    onClose = () => {
      if (!ended) reject(new Error("client closed the connection"));
    };
    res.once("close", onClose);
  });
  closed.catch(() => {
  });
  const chunks = [takeChunk()];
  let reusable = true;
  try {
    const readAt = async (chunk, position2) => {
      const want = Math.min(chunkSize, size - position2);
      const bytesRead = file.warm ? readSync2(handle.fd, chunk, 0, want, position2) : await new Promise(
        (resolve4, reject) => read(handle.fd, chunk, 0, want, position2, (err, n2) => err ? reject(err) : resolve4(n2))
      );
      if (bytesRead !== want) throw new Error(`a stored blob is shorter than ${size} bytes`);
      return bytesRead;
    };
    const write = (chunk, last) => new Promise((resolve4, reject) => {
      const done = (err) => err ? reject(err) : resolve4();
      if (last)
        res.end(chunk, () => {
          ended = true;
          done();
        });
      else res.write(chunk, done);
    });
    if (size === 0) {
      res.end();
      return;
    }
    let position = 0;
    let current = 0;
    let n = await readAt(chunks[0], 0);
    for (; ; ) {
      position += n;
      const last = position >= size;
      reusable = false;
      const writing = write(chunks[current].subarray(0, n), last);
      if (last) {
        await Promise.race([closed, writing]);
        reusable = true;
        return;
      }
      const next = 1 - current;
      chunks[next] ??= takeChunk();
      const [bytes] = await Promise.race([closed, Promise.all([readAt(chunks[next], position), writing])]);
      reusable = true;
      n = bytes;
      current = next;
    }
  } finally {
    res.off("close", onClose);
    if (reusable) for (const chunk of chunks) giveBack(chunk);
  }
}
function sendOneChunk(res, fd, size) {
  const chunk = takeChunk();
  let bytesRead;
  try {
    bytesRead = readSync2(fd, chunk, 0, size, 0);
  } catch (err) {
    giveBack(chunk);
    throw err;
  }
  if (bytesRead !== size) {
    giveBack(chunk);
    throw new Error(`a stored blob is shorter than ${size} bytes`);
  }
  return new Promise((resolve4, reject) => {
    let ended = false;
    const onClose = () => {
      if (!ended) reject(new Error("client closed the connection"));
    };
    res.once("close", onClose);
    res.end(chunk.subarray(0, size), () => {
      ended = true;
      res.off("close", onClose);
      giveBack(chunk);
      resolve4();
    });
  });
}

// src/proxy/served-zip-hash.ts
const { stat: stat5 } = require("node:fs/promises");
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
  /** Hashes being computed, by file identity: a burst of HEADs for one zip hashes it once. */
  #computing = /* @__PURE__ */ new Map();
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
      const key2 = _ServedZipHashes.#key(module, version, before);
      const known = this.#known.get(key2);
      if (known && sameFile(known.file, before)) return known.h1;
      const computingKey = `${key2} ${before.size} ${before.mtimeNs} ${before.ctimeNs}`;
      let computing = this.#computing.get(computingKey);
      if (!computing) {
        computing = this.#compute(body, path, module, version, before).finally(
          () => this.#computing.delete(computingKey)
        );
        this.#computing.set(computingKey, computing);
      }
      return await computing;
    } catch {
      return null;
    }
  }
  async #compute(body, path, module, version, before) {
    try {
      const named = identity(await stat5(path, { bigint: true }));
      if (!sameFile(named, before)) return null;
      const { checkModuleZip } = await import("./chunks/module-zip-NWVM3YA6.js");
      const { hash } = await checkModuleZip(path, module, version);
      this.computed++;
      const after = identity(await body.handle.stat({ bigint: true }));
      const namedAfter = identity(await stat5(path, { bigint: true }));
      if (!sameFile(after, before) || !sameFile(namedAfter, before)) return null;
      this.#set(module, version, before, hash);
      return hash;
    } catch {
      return null;
    }
  }
};

// src/proxy/proxy-server.ts
var maxStoreHits = 4096;
function storeHitKey(rawUrl) {
  const q = rawUrl.indexOf("?");
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  return path.includes("%21") ? path.replaceAll("%21", "!") : path;
}
var ProxyServer = class {
  #parts;
  #server;
  #audit;
  #storeHits = /* @__PURE__ */ new Map();
  token;
  /** `/<client token>/`, or null when any local client may ask. */
  #clientPrefix;
  #url = "";
  /** Listening on a loopback address: requests must name a loopback host (loopback-host.ts). */
  #loopbackOnly = false;
  /** The last Host header found to be a loopback one: a client sends the same on every request. */
  #loopbackHost = "";
  constructor(parts) {
    this.#parts = parts;
    this.token = parts.adminToken || secureRandomBytes(24).toString("hex");
    this.#clientPrefix = parts.clientToken ? Buffer.from(`/${parts.clientToken}/`) : null;
    this.#audit = parts.auditLogFile ? new AuditLog(parts.auditLogFile) : null;
    this.#server = createServer({ keepAliveTimeout: 3e4 }, (req, res) => {
      if (pipelinedTooDeep(req, res)) {
        req.socket.destroy();
        return;
      }
      if (this.#loopbackOnly && !this.#isLoopbackHost(req.headers.host)) {
        const text = `goproxy-action: this proxy listens on a loopback address and answers only requests to a loopback host (not "${req.headers.host}")`;
        writeReply(res, textReply(403, text), req.method === "HEAD").catch(() => {
        });
        return;
      }
      if (this.#clientPrefix && !this.#takeClientPrefix(req)) {
        const text = 'goproxy-action: this proxy answers only its own job: GOPROXY must be the URL with its client path (the "goproxy" of the ready file, or the GOPROXY that start printed)';
        writeReply(res, textReply(403, text), req.method === "HEAD").catch(() => {
        });
        return;
      }
      const hit = this.#storeHits.size > 0 ? this.#storeHits.get(storeHitKey(req.url ?? "")) : void 0;
      const work = hit && (req.method === "GET" || req.method === "HEAD" && req.headers[wantHeader] === void 0) ? this.#storeHit(hit, req, res) : null;
      (work ?? this.#handle(req, res)).catch((err) => {
        if (!res.headersSent) {
          writeReply(
            res,
            textReply(500, `goproxy-action: internal error: ${err.message}`),
            false
          ).catch(() => {
          });
        } else {
          res.destroy();
        }
      });
    });
  }
  #isLoopbackHost(host) {
    if (host === this.#loopbackHost) return true;
    if (!isLoopbackHostHeader(host)) return false;
    this.#loopbackHost = host;
    return true;
  }
  get url() {
    return this.#url;
  }
  /** What GOPROXY names: the URL, under the client path when there is a client token. */
  get goproxyUrl() {
    return this.#clientPrefix ? `${this.#url}${this.#clientPrefix.toString().slice(0, -1)}` : this.#url;
  }
  /**
   * True when the request may be answered: under the client path (then cut from req.url, so
   * everything after sees the path the go command meant), or an admin call (own bearer token).
   * Compared in constant time: the prefix is the secret.
   */
  #takeClientPrefix(req) {
    const prefix = this.#clientPrefix;
    const url = req.url ?? "";
    const given = Buffer.from(url.slice(0, prefix.length));
    const wanted = given.length === prefix.length ? timingSafeEqual(given, prefix) : url.length === prefix.length - 1 && timingSafeEqual(Buffer.from(`${url}/`), prefix);
    if (wanted) {
      req.url = url.length < prefix.length ? "/" : url.slice(prefix.length - 1);
      return true;
    }
    return url === "/_admin" || url.startsWith("/_admin/");
  }
  get adminUrl() {
    return `${this.#url}/_admin`;
  }
  async listen(host, port) {
    await new Promise((resolve4, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => resolve4());
    });
    this.#loopbackOnly = isLoopbackAddress(host);
    const address = this.#server.address();
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.#url = `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : shownHost}:${address.port}`;
    return this.#url;
  }
  /**
   * Stop accepting, let what is in flight finish (blob writes included) for up to `graceMs`,
   * then abort it whatever the upstream does, and close the log.
   */
  async close(graceMs = 1e4) {
    const closed = new Promise((resolve4) => this.#server.close(() => resolve4()));
    const hard = setTimeout(() => this.#server.closeAllConnections(), graceMs + 1e3);
    await this.#parts.modules.close(graceMs);
    this.#server.closeIdleConnections();
    const timer = setTimeout(() => this.#server.closeAllConnections(), 2e3);
    await closed;
    clearTimeout(timer);
    clearTimeout(hard);
    await this.#audit?.close();
    this.#parts.store.closeOpenBlobs();
  }
  /**
   * A repeated .zip hit: the same answer #handle gives (same status, headers, bytes, statistics
   * and audit line), without parsing the URL again or going through the pipeline. Only when
   * the file is still held open and linked; otherwise null and #handle answers (and decides)
   * from scratch, as for any request.
   */
  #storeHit(hit, req, res) {
    const started = performance.now();
    const file = this.#parts.store.openZipIfOpen(hit.path);
    if (!file) return null;
    this.#parts.store.markUsedKey(hit.usedKey);
    return this.#sendStoreHit(hit, file, req.method === "HEAD", res, started);
  }
  async #sendStoreHit(hit, file, headOnly, res, started) {
    try {
      if (hit.headersSize !== file.size) {
        hit.headers = [
          "content-type",
          zipContentType,
          "content-length",
          String(file.size),
          sourceHeader,
          "store",
          "cache-control",
          immutableCache
        ];
        hit.headersSize = file.size;
      }
      res.writeHead(200, hit.headers);
      if (headOnly) res.end();
      else await sendFile(res, file);
    } finally {
      await file.close();
    }
    this.#record(hit.record, 200, headOnly ? 0 : file.size, started);
  }
  /** Remembers a raw URL #handle answered from the store as a .zip (see #storeHit). */
  #rememberStoreHit(rawUrl, module, version) {
    const key2 = storeHitKey(rawUrl);
    if (key2 !== `/${escapePath(module)}/@v/${escapeVersion(version)}.zip`) return;
    if (this.#storeHits.has(key2)) return;
    if (this.#storeHits.size >= maxStoreHits) {
      const oldest = this.#storeHits.keys().next().value;
      if (oldest !== void 0) this.#storeHits.delete(oldest);
    }
    this.#storeHits.set(key2, {
      module,
      version,
      path: this.#parts.store.filePath(module, version, "zip"),
      record: { ...newRequestRecord("zip", module, version), source: "store" },
      usedKey: usedKey(module, version),
      headers: [],
      headersSize: -1
    });
  }
  async #handle(req, res) {
    const started = performance.now();
    let parsed;
    try {
      parsed = parseRequestPath(req.url ?? "/");
    } catch (err) {
      const status = err instanceof BadRequestError ? err.status : 400;
      await writeReply(
        res,
        textReply(status, `goproxy-action: ${err.message}`),
        req.method === "HEAD"
      );
      return;
    }
    if (parsed.type === "admin") {
      await this.#admin(parsed.action, req, res);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      await writeReply(res, textReply(405, "goproxy-action: the module proxy protocol is GET only"), false);
      return;
    }
    if (parsed.type === "root") {
      await writeReply(
        res,
        textReply(200, "goproxy-action module proxy: set GOPROXY to this URL"),
        req.method === "HEAD"
      );
      return;
    }
    let record;
    let reply;
    let bytes;
    if (parsed.type === "sumdb") {
      const answer = await this.#parts.sumdb.handle(parsed.name, parsed.subpath);
      record = {
        ...newRequestRecord("sumdb", null, null),
        source: answer.source,
        ...answer.upstreamBytes !== void 0 ? { upstreamBytes: answer.upstreamBytes } : {}
      };
      reply = answer;
    } else {
      record = newRequestRecord(parsed.kind, parsed.module, parsed.version);
      const client = req.method === "GET" && parsed.kind === "zip" ? clientStream(res, this.#parts.slowClientMs ?? 3e4) : null;
      const answer = await this.#parts.modules.handle(
        { kind: parsed.kind, module: parsed.module, version: parsed.version },
        record,
        client
      );
      reply = answer.type === "streamed" ? null : replyFor(answer, record);
      if (reply === null) {
        bytes = client.sent;
        this.#record(record, client.completed ? 200 : 502, bytes, started);
        return;
      }
      if (req.method === "HEAD" && parsed.kind === "zip") await this.#addZipHash(req, reply, parsed);
    }
    bytes = await writeReply(res, reply, req.method === "HEAD");
    this.#record(record, reply.status, bytes, started);
    if (this.#parts.policyFree && record.kind === "zip" && record.source === "store" && reply.status === 200 && isPlainStoreHit(record)) {
      this.#rememberStoreHit(req.url ?? "", record.module, record.version);
    }
  }
  /**
   * The h1 of the zip a HEAD answer stands for, when the client asks (`X-Goproxy-Action-Want: h1`):
   * it can then check the zip against go.sum without downloading it. Left out when it cannot be
   * said for the very bytes a GET would send (see served-zip-hash.ts).
   */
  async #addZipHash(req, reply, target) {
    const zipHashes = this.#parts.zipHashes;
    const asked = String(req.headers[wantHeader] ?? "").split(",").some((w) => w.trim().toLowerCase() === "h1");
    if (!zipHashes || !asked || reply.status !== 200 || Buffer.isBuffer(reply.body) || !target.version)
      return;
    const path = this.#parts.store.filePath(target.module, target.version, "zip");
    const h1 = await zipHashes.hashOf(reply.body, path, target.module, target.version);
    if (h1) reply.headers = { ...reply.headers, [h1Header]: h1 };
  }
  /** Statistics and the audit log, both from the request's record. */
  #record(record, status, bytes, started) {
    const durationMs = performance.now() - started;
    const { kind, module, version, source } = record;
    const outcome = { kind, module, version, status, source, bytes, durationMs };
    if (record.upstreamBytes !== void 0) outcome.upstreamBytes = record.upstreamBytes;
    if (record.stale) outcome.stale = true;
    if (record.notStored === "unverified") outcome.unverified = true;
    if (record.notStored === "store-failed") outcome.notStored = true;
    if (record.denial) outcome.denial = record.denial;
    this.#parts.stats.record(outcome);
    if (!this.#audit) return;
    const entry = {
      time: (/* @__PURE__ */ new Date()).toISOString(),
      module,
      version,
      kind,
      source,
      status,
      bytes,
      durationMs: Math.round(durationMs * 100) / 100
    };
    if (record.verification) entry.verification = record.verification;
    if (record.notStored) entry.stored = false;
    if (record.storeError) entry.storeError = record.storeError;
    if (record.denial) entry.decision = { action: "deny", ...record.denial };
    this.#audit.write(entry);
  }
  async #admin(action, req, res) {
    if (action === "healthz") {
      await writeReply(res, textReply(200, "ok"), false);
      return;
    }
    if (!this.#authorized(req.headers.authorization)) {
      await writeReply(
        res,
        // Worded without a header-shaped "Authorization: Bearer X", which log redaction masks.
        textReply(
          401,
          "goproxy-action admin: the admin token is missing or wrong; send the ready file's token field as a bearer token in the Authorization header"
        ),
        false
      );
      return;
    }
    const json = (value) => ({
      status: 200,
      contentType: "application/json",
      body: Buffer.from(`${JSON.stringify(value)}
`),
      headers: { "cache-control": "no-store" },
      source: "none"
    });
    const { store, modules, stats } = this.#parts;
    if (action === "stats" && req.method === "GET") {
      const snapshot = stats.snapshot();
      snapshot.store = { ...snapshot.store, ...await store.summary() };
      await writeReply(res, json(snapshot), false);
    } else if (action === "metrics" && req.method === "GET") {
      const snapshot = stats.snapshot();
      snapshot.store = { ...snapshot.store, ...await store.summary() };
      const om = /application\/openmetrics-text/.test(req.headers.accept ?? "");
      const { renderMetrics, openMetricsContentType, prometheusContentType } = await import("./chunks/metrics-text-NBJPIITU.js");
      await writeReply(
        res,
        {
          ...json(null),
          contentType: om ? openMetricsContentType : prometheusContentType,
          body: Buffer.from(renderMetrics(snapshot, om))
        },
        false
      );
    } else if (action === "flush" && req.method === "POST") {
      await modules.settle();
      await writeReply(res, json({ flushed: true }), false);
    } else if (action === "prune" && req.method === "POST") {
      await modules.settle();
      await writeReply(res, json(await store.prune()), false);
    } else if (action === "shutdown" && req.method === "POST") {
      await writeReply(res, json({ shuttingDown: true }), false);
      this.#parts.onShutdownRequest?.();
    } else {
      await writeReply(
        res,
        textReply(404, `goproxy-action admin: unknown action "${req.method} ${action}"`),
        false
      );
    }
  }
  #authorized(header2) {
    const match = /^Bearer (.+)$/.exec(header2 ?? "");
    if (!match) return false;
    const given = Buffer.from(match[1]);
    const want = Buffer.from(this.token);
    return given.length === want.length && timingSafeEqual(given, want);
  }
};
var zipContentType = "application/zip";
function isPlainStoreHit(record) {
  return record.upstreamBytes === void 0 && !record.stale && record.verification === void 0 && record.notStored === void 0 && record.storeError === void 0 && record.denial === void 0;
}
var sourceHeader = "x-goproxy-source";
var cacheControl = {
  immutable: immutableCache,
  "short-lived": shortLivedCache,
  "no-store": "no-store"
};
function replyFor(answer, record) {
  switch (answer.type) {
    case "content": {
      const headers = { "cache-control": cacheControl[answer.cache] };
      if (answer.notStored) headers["x-goproxy-action-stored"] = "false";
      if (answer.stale) headers["x-goproxy-action-stale"] = "true; upstream failed";
      return {
        status: 200,
        contentType: answer.contentType,
        body: answer.body,
        headers,
        source: record.source
      };
    }
    case "denied":
      return textReply(403, answer.text);
    case "not-found":
      return textReply(404, `not found: ${answer.message}`);
    case "upstream-failed":
      return textReply(502, `goproxy-action: upstream failed: ${answer.message}`);
  }
}
function clientStream(res, slowClientMs) {
  let sent = 0;
  let completed = false;
  const gone = () => res.destroyed || res.writableEnded;
  const drained = () => new Promise((resolve4) => {
    const done = () => {
      clearTimeout(timer);
      res.off("drain", done);
      res.off("close", done);
      resolve4();
    };
    const timer = setTimeout(() => {
      res.destroy();
      done();
    }, slowClientMs);
    res.on("drain", done);
    res.on("close", done);
  });
  return {
    get sent() {
      return sent;
    },
    get completed() {
      return completed;
    },
    get gone() {
      return gone();
    },
    start(size, contentType, source, cache, notStored) {
      res.writeHead(200, {
        "content-type": contentType,
        "content-length": String(size),
        "cache-control": cacheControl[cache],
        [sourceHeader]: source,
        ...notStored ? { "x-goproxy-action-stored": "false" } : {}
      });
    },
    async write(chunk) {
      if (gone()) return;
      sent += chunk.length;
      if (!res.write(chunk)) await drained();
    },
    async end(last) {
      if (gone()) return;
      if (last) sent += last.length;
      completed = true;
      res.end(last ?? void 0);
    },
    abort() {
      res.destroy();
    }
  };
}
async function writeReply(res, reply, headOnly) {
  const file = Buffer.isBuffer(reply.body) ? null : reply.body;
  try {
    const size = file ? file.size : reply.body.length;
    res.writeHead(reply.status, {
      "content-type": reply.contentType,
      "content-length": String(size),
      ...reply.status === 200 && reply.source !== "none" ? { [sourceHeader]: reply.source } : {},
      ...reply.headers
    });
    if (headOnly) {
      res.end();
      return 0;
    }
    if (!file) {
      res.end(reply.body);
      return size;
    }
    await sendFile(res, file);
    return size;
  } finally {
    await file?.close().catch(() => {
    });
  }
}

// src/gomod/request-kind.ts
var proxyRequestKinds = [
  "list",
  "info",
  "mod",
  "zip",
  "latest",
  "sumdb"
];

// src/proxy/proxy-stats.ts
var kinds = proxyRequestKinds;
var maxSamples = 4096;
function emptyCounters() {
  return {
    requests: 0,
    hits: 0,
    misses: 0,
    upstreamFetches: 0,
    upstreamBytes: 0,
    servedBytes: 0,
    errors: 0,
    staleServed: 0,
    unverified: 0,
    notStored: 0,
    denied: 0
  };
}
var LatencyReservoir = class {
  #samples = [];
  #seen = 0;
  add(ms) {
    this.#seen++;
    if (this.#samples.length < maxSamples) {
      this.#samples.push(ms);
      return;
    }
    const slot = Math.floor(Math.random() * this.#seen);
    if (slot < maxSamples) this.#samples[slot] = ms;
  }
  percentile(p) {
    if (this.#samples.length === 0) return 0;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return Math.round(sorted[Math.max(0, index)] * 100) / 100;
  }
};
var maxModules = 1e4;
var maxVersionsPerModule = 1e3;
var maxDenials = 1e4;
var otherModules = "(other modules)";
var ProxyStats = class {
  #startedAt = /* @__PURE__ */ new Date();
  #totals = emptyCounters();
  #byKind = new Map(kinds.map((k) => [k, emptyCounters()]));
  #latency = new Map(kinds.map((k) => [k, new LatencyReservoir()]));
  #modules = /* @__PURE__ */ new Map();
  #denials = /* @__PURE__ */ new Map();
  #addedFiles = 0;
  #addedBytes = 0;
  record(outcome) {
    const targets = [this.#totals, this.#byKind.get(outcome.kind)];
    if (outcome.module) {
      let key2 = outcome.module;
      let m = this.#modules.get(key2);
      if (!m && this.#modules.size >= maxModules) {
        key2 = otherModules;
        m = this.#modules.get(key2);
      }
      if (!m) {
        m = { ...emptyCounters(), versions: /* @__PURE__ */ new Set() };
        this.#modules.set(key2, m);
      }
      const keepVersion = key2 !== otherModules && m.versions.size < maxVersionsPerModule;
      if (outcome.version && outcome.status === 200 && keepVersion) m.versions.add(outcome.version);
      targets.push(m);
    }
    for (const c of targets) {
      c.requests++;
      if (outcome.status === 200) {
        c.servedBytes += outcome.bytes;
        if (outcome.source === "store") c.hits++;
        else c.misses++;
      } else if (outcome.status >= 500 || outcome.status >= 400 && outcome.status !== 404 && outcome.status !== 410) {
        c.errors++;
      }
      if (outcome.upstreamBytes !== void 0) {
        c.upstreamFetches++;
        c.upstreamBytes += outcome.upstreamBytes;
      }
      if (outcome.stale) c.staleServed++;
      if (outcome.unverified) c.unverified++;
      if (outcome.notStored) c.notStored++;
      if (outcome.denial) c.denied++;
    }
    this.#latency.get(outcome.kind).add(outcome.durationMs);
    if (outcome.denial && outcome.module) {
      let key2 = `${outcome.module}@${outcome.version ?? ""}#${outcome.denial.rule}`;
      if (!this.#denials.has(key2) && this.#denials.size >= maxDenials) key2 = otherModules;
      const existing = this.#denials.get(key2);
      if (existing) existing.count++;
      else {
        const folded = key2 === otherModules;
        this.#denials.set(key2, {
          module: folded ? otherModules : outcome.module,
          version: folded ? null : outcome.version,
          kind: outcome.kind,
          rule: outcome.denial.rule,
          reason: outcome.denial.reason,
          count: 1
        });
      }
    }
  }
  recordStored(bytes) {
    this.#addedFiles++;
    this.#addedBytes += bytes;
  }
  snapshot() {
    const byKind = {};
    for (const kind of kinds) {
      const latency = this.#latency.get(kind);
      byKind[kind] = {
        ...this.#byKind.get(kind),
        p50Ms: latency.percentile(50),
        p95Ms: latency.percentile(95)
      };
    }
    const modules = [...this.#modules.entries()].map(([path, { versions, ...counters }]) => ({ path, versions: [...versions].sort(), ...counters })).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return {
      startedAt: this.#startedAt.toISOString(),
      uptimeMs: Date.now() - this.#startedAt.getTime(),
      totals: { ...this.#totals },
      byKind,
      modules,
      denials: [...this.#denials.values()],
      store: { addedFiles: this.#addedFiles, addedBytes: this.#addedBytes }
    };
  }
};

// src/proxy/seed-verifier.ts
const { readFile: readFile4 } = require("node:fs/promises");
function goSumSeedVerifier(goSum) {
  return async (module, version, files) => {
    const zipHashes = goSum.zipHash(module, version);
    const modHashes = goSum.modHash(module, version);
    if (zipHashes.length === 0 && modHashes.length === 0) return false;
    if (files.zip) {
      if (zipHashes.length === 0) return false;
      const { checkModuleZip } = await import("./chunks/module-zip-NWVM3YA6.js");
      try {
        if (!zipHashes.includes((await checkModuleZip(files.zip, module, version)).hash)) return false;
      } catch {
        return false;
      }
    }
    if (files.mod) {
      if (modHashes.length === 0) return false;
      if (!modHashes.includes(hashGoMod(await readFile4(files.mod)))) return false;
    }
    return Boolean(files.zip || files.mod);
  };
}

// src/proxy/stale-answers.ts
const { readFile: readFile5 } = require("node:fs/promises");
var maxQueryNameBytes = 200;
var StaleAnswers = class {
  #root;
  constructor(storeRoot) {
    this.#root = storeRoot;
  }
  #path(module, name) {
    let file = name;
    if (name.startsWith("query/")) {
      const query = escapeVersion(name.slice("query/".length));
      file = Buffer.byteLength(query) <= maxQueryNameBytes ? `query-${query}` : `hashed-query-${createHash("sha256").update(query).digest("hex")}`;
    } else if (name !== "list" && name !== "latest") {
      throw new Error(`not a short-lived answer: ${name}`);
    }
    return joinInside(
      this.#root,
      [".goproxy-action", "answers", ...escapePath(module).split("/"), "@", file],
      "answer"
    );
  }
  async save(module, name, bytes) {
    await writeFileAtomic(this.#path(module, name), bytes, { durable: false });
  }
  async load(module, name) {
    try {
      return await readFile5(this.#path(module, name));
    } catch {
      return null;
    }
  }
};

// src/proxy/sumdb-passthrough.ts
const { mkdirSync: mkdirSync2, readFileSync: readFileSync4, rmSync, writeFileSync } = require("node:fs");
const { join: join9 } = require("node:path");

// src/sumdb/record.ts
var MalformedRecordError = class extends Error {
  name = "MalformedRecordError";
};
function isValidRecordText(text) {
  return text.endsWith("\n") && !text.includes("\n\n") && text.isWellFormed() && !/[\x00-\x09\x0b-\x1f]/.test(text);
}
function parseRecord(msg) {
  const idEnd = msg.indexOf("\n");
  const idText = idEnd < 0 ? msg : msg.slice(0, idEnd);
  if (idEnd < 0 || !/^(0|[1-9][0-9]*)$/.test(idText) || !Number.isSafeInteger(Number(idText))) {
    throw new MalformedRecordError(`malformed record: bad record id ${JSON.stringify(idText.slice(0, 40))}`);
  }
  const body = msg.slice(idEnd + 1);
  const end = body.indexOf("\n\n");
  if (end < 0) throw new MalformedRecordError("malformed record: no blank line ends the record");
  const text = body.slice(0, end + 1);
  if (!isValidRecordText(text)) {
    throw new MalformedRecordError("malformed record: the record text holds control characters");
  }
  return { id: Number(idText), text, rest: body.slice(end + 2) };
}

// src/sumdb/tree-note.ts
var header = "go.sum database tree";
var MalformedTreeError = class extends Error {
  name = "MalformedTreeError";
};
function parseTree(text) {
  const lines = text.split("\n");
  if (lines.length < 4 || lines[0] !== header) {
    throw new MalformedTreeError(`malformed tree note: want "${header}", a size and a hash, one a line`);
  }
  const sizeText = lines[1];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new MalformedTreeError(`malformed tree note: bad tree size ${JSON.stringify(sizeText)}`);
  }
  const hash = decodeStrictBase64(lines[2]);
  if (hash === null || hash.length !== HASH_SIZE) {
    throw new MalformedTreeError(`malformed tree note: bad tree hash ${JSON.stringify(lines[2])}`);
  }
  return { size: Number(sizeText), hash };
}

// src/sumdb/tlog.ts
async function readHashesFromTiles(treeSize, coords, readTile, height = TILE_HEIGHT) {
  const located = coords.map((coord) => ({ coord, ...tileForHash(treeSize, coord, height) }));
  const tiles = /* @__PURE__ */ new Map();
  for (const { tile } of located) tiles.set(tilePath(tile), { tile });
  for (const entry of tiles.values()) {
    entry.data = readTile(entry.tile).then((data) => {
      if (data.length !== entry.tile.width * HASH_SIZE) {
        throw new ProofError(
          `tile ${tilePath(entry.tile)} holds ${data.length} bytes, want ${entry.tile.width * HASH_SIZE}`
        );
      }
      return data;
    });
  }
  const settled = await Promise.allSettled([...tiles.values()].map((entry) => entry.data));
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  const hashes = /* @__PURE__ */ new Map();
  for (const { coord, tile, offset, count } of located) {
    const data = await tiles.get(tilePath(tile))?.data;
    hashes.set(`${coord.level}/${coord.index}`, hashFromTileData(data, offset, count));
  }
  return hashes;
}
async function computeFromTiles(treeSize, compute, readTile) {
  const hashes = await readHashesFromTiles(treeSize, coordsRead(compute), readTile);
  return compute((level, index) => {
    const hash = hashes.get(`${level}/${index}`);
    if (hash === void 0) throw new Error(`internal error: hash ${level}/${index} was not fetched`);
    return hash;
  });
}
async function verifyRecordInclusion(tree, id, record, readTile) {
  if (!Number.isSafeInteger(id) || id < 0 || id >= tree.size) {
    throw new ProofError(`record ${id} cannot be in the signed tree of ${tree.size} records`);
  }
  const proof = await computeFromTiles(tree.size, (read2) => proveRecord(tree.size, id, read2), readTile);
  checkRecord(proof, tree.size, tree.hash, id, recordHash(record));
}
async function verifyTreeConsistency(older, newer, readTile) {
  if (older.size > newer.size) {
    throw new RangeError(`tree ${older.size} is not older than tree ${newer.size}`);
  }
  if (older.size === 0) return;
  if (older.size === newer.size) {
    if (!hashesEqual(older.hash, newer.hash)) {
      throw new ProofError(`two different signed trees of ${newer.size} records`);
    }
    return;
  }
  const proof = await computeFromTiles(
    newer.size,
    (read2) => proveTree(newer.size, older.size, read2),
    readTile
  );
  checkTree(proof, newer.size, newer.hash, older.size, older.hash);
}
async function verifyTile(tree, tile, data, readTile) {
  const baseLevel = tile.level === DATA_LEVEL ? 0 : tile.level * tile.height;
  const first = tile.index * 2 ** tile.height;
  const leaves = tile.level === DATA_LEVEL ? dataTileHashes(tile, first, data) : hashTileData(tile, data);
  if ((first + tile.width) * 2 ** baseLevel > tree.size) {
    throw new ProofError(`tile ${tilePath(tile)} reaches beyond the signed tree of ${tree.size} records`);
  }
  const nodes = [];
  let offset = 0;
  for (let bit = tile.height; bit >= 0; bit--) {
    const count = 2 ** bit;
    if ((tile.width & count) === 0) continue;
    nodes.push({
      coord: { level: baseLevel + bit, index: (first + offset) / count },
      hash: hashFromTileData(leaves, offset, count)
    });
    offset += count;
  }
  const compute = (read2) => nodes.map(({ coord }) => proveNode(tree.size, coord, read2));
  const proofs = await computeFromTiles(tree.size, compute, readTile);
  nodes.forEach(({ coord, hash }, i) => {
    checkNode(proofs[i], tree.size, tree.hash, coord, hash);
  });
}
function hashTileData(tile, data) {
  if (data.length !== tile.width * HASH_SIZE) {
    throw new ProofError(`tile ${tilePath(tile)} holds ${data.length} bytes, want ${tile.width * HASH_SIZE}`);
  }
  return data;
}
function dataTileHashes(tile, first, data) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw new MalformedRecordError(`data tile ${tilePath(tile)} is not valid UTF-8`);
  }
  const hashes = new Uint8Array(tile.width * HASH_SIZE);
  for (let i = 0; i < tile.width; i++) {
    const record = parseRecord(text);
    if (record.id !== first + i) {
      throw new MalformedRecordError(
        `data tile ${tilePath(tile)}: record ${record.id} where ${first + i} belongs`
      );
    }
    hashes.set(recordHash(record.text), i * HASH_SIZE);
    text = record.rest;
  }
  if (text !== "")
    throw new MalformedRecordError(`data tile ${tilePath(tile)} holds more than ${tile.width} records`);
  return hashes;
}

// src/sumdb/sumdb-client.ts
var SumdbVerificationError = class extends Error {
  name = "SumdbVerificationError";
  module;
  version;
  kind;
  constructor(database, module, version, kind, reason, subject = "the latest tree") {
    super(
      module === "" ? `checking ${subject} of checksum database ${database}: ${reason}` : `verifying ${module}@${version} against checksum database ${database}: ${reason}`
    );
    this.module = module;
    this.version = version;
    this.kind = kind;
  }
};
var Utf8Error = class extends Error {
  name = "Utf8Error";
};
function decodeUtf8(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Utf8Error("the answer is not valid UTF-8");
  }
}
var MissingTileError = class extends Error {
  name = "MissingTileError";
};
var defaultMaxVerifiedLookups = 4096;
var SumdbClient = class {
  name;
  #key;
  #fetch;
  #maxCachedTiles;
  #latest = null;
  /** Serializes merges of new trees into #latest. */
  #merging = Promise.resolve();
  #tiles = /* @__PURE__ */ new Map();
  #tileFetches = /* @__PURE__ */ new Map();
  #lookups = /* @__PURE__ */ new Map();
  #verified;
  constructor(options) {
    this.#key = parseVerifierKey(options.key);
    if (this.#key.name !== options.name) {
      throw new Error(
        `checksum database ${options.name}: the key given is for ${this.#key.name}; GOSUMDB must name the database its key belongs to`
      );
    }
    this.name = options.name;
    this.#fetch = options.fetch;
    this.#maxCachedTiles = options.maxCachedTiles ?? 2048;
    this.#verified = new LruMap(options.maxVerifiedLookups ?? defaultMaxVerifiedLookups);
    if (options.latest !== void 0) {
      try {
        this.#latest = this.#openTree(options.latest);
      } catch (error) {
        throw new Error(
          `checksum database ${this.name}: the remembered tree head does not verify: ${error.message}`
        );
      }
    }
  }
  /** The newest signed tree this client has verified (size, base64 root hash, the signed note). */
  get latest() {
    const latest = this.#latest;
    if (latest === null) return null;
    return {
      size: latest.tree.size,
      hash: Buffer.from(latest.tree.hash).toString("base64"),
      note: latest.note
    };
  }
  /**
   * The go.sum lines (`<m> <v> h1:...` and `<m> <v>/go.mod h1:...`) the database holds for
   * module@version, after verifying them. Throws SumdbVerificationError when anything fails to
   * verify (kind 'not-found' when the database does not have that version).
   */
  lookup(module, version) {
    return this.lookupAnswer(module, version).then((answer) => [...answer.lines]);
  }
  /** lookup(), with the database's answer itself (what a pass-through may cache and serve). */
  lookupAnswer(module, version) {
    const bare = version.replace(/\/go\.mod$/, "");
    const key2 = `${module}@${bare}`;
    const done = this.#verified.get(key2);
    if (done) return Promise.resolve(done);
    let running = this.#lookups.get(key2);
    if (!running) {
      running = this.#lookupUncached(module, bare).finally(() => this.#lookups.delete(key2));
      this.#lookups.set(key2, running);
    }
    return running;
  }
  /**
   * Fetches one tile exactly as named (no fallback from a partial to the full tile: the
   * caller's client does that) and checks it against the newest verified tree, fetching a
   * newer `latest` when the tile reaches beyond it. null when the database does not serve it.
   */
  async verifiedTile(tile) {
    const path = tilePath(tile);
    const fail = (kind, reason) => new SumdbVerificationError(this.name, "", "", kind, reason, `tile ${path}`);
    const data = await this.#fetchTile(path);
    if (data === null) return null;
    const reach = (tile.index * 2 ** tile.height + tile.width) * 2 ** (tile.level < 0 ? 0 : tile.level * tile.height);
    if (this.#latest === null || this.#latest.tree.size < reach) await this.refreshLatest();
    const latest = this.#latest;
    if (latest === null) throw fail("missing-tile", "no signed tree to check it against");
    const used = /* @__PURE__ */ new Map();
    try {
      await verifyTile(latest.tree, tile, data, this.#tileReader(used));
    } catch (error) {
      if (error instanceof ProofError || error instanceof MalformedRecordError) {
        this.#tiles.delete(path);
        this.#forgetTiles(used);
        throw fail(
          error instanceof ProofError ? "not-included" : "malformed",
          `it does not match the signed tree of ${latest.tree.size} records: ${error.message}`
        );
      }
      if (error instanceof MissingTileError) throw fail("missing-tile", error.message);
      throw error;
    }
    return data;
  }
  /** Fetches `latest`, verifies it and checks it is consistent with what was seen before. */
  async refreshLatest() {
    const body = await this.#get("latest");
    const fail = (kind, reason) => new SumdbVerificationError(this.name, "", "", kind, reason);
    if (body === null) throw fail("not-found", "the database does not serve its latest tree");
    let signed;
    try {
      signed = this.#openTree(body);
    } catch (error) {
      throw this.#classifyParseError(error, fail);
    }
    await this.#merge(signed, fail);
    return {
      size: signed.tree.size,
      hash: Buffer.from(signed.tree.hash).toString("base64"),
      note: signed.note
    };
  }
  async #lookupUncached(module, version) {
    const fail = (kind, reason) => new SumdbVerificationError(this.name, module, version, kind, reason);
    const path = `lookup/${escapePath(module)}@${escapeVersion(version)}`;
    const body = await this.#get(path);
    if (body === null) throw fail("not-found", `the database does not have it (${path}: not found)`);
    let record;
    let signed;
    try {
      record = parseRecord(decodeUtf8(body));
      signed = this.#openTree(record.rest);
    } catch (error) {
      throw this.#classifyParseError(error, fail);
    }
    await this.#merge(signed, fail);
    const used = /* @__PURE__ */ new Map();
    try {
      await verifyRecordInclusion(signed.tree, record.id, record.text, this.#tileReader(used));
    } catch (error) {
      if (error instanceof ProofError) {
        this.#forgetTiles(used);
        throw fail("not-included", `record ${record.id} does not match the signed tree: ${error.message}`);
      }
      if (error instanceof MissingTileError) throw fail("missing-tile", error.message);
      throw error;
    }
    const prefixes = [`${module} ${version} `, `${module} ${version}/go.mod `];
    const lines = record.text.split("\n").filter((line) => prefixes.some((p) => line.startsWith(p)));
    if (lines.length === 0) {
      throw fail("mismatch", `the database answered with record ${record.id}, which holds no lines for it`);
    }
    const verified = { lines, body };
    this.#verified.set(`${module}@${version}`, verified);
    return verified;
  }
  /** Verifies a signed tree note with the database key and parses the tree in it. */
  #openTree(note) {
    const text = typeof note === "string" ? note : decodeUtf8(note);
    const opened = verifyNote(text, this.#key);
    return { tree: parseTree(opened.text), note: text };
  }
  #classifyParseError(error, fail) {
    if (error instanceof NoteError) {
      return fail(error.kind === "malformed" ? "malformed" : "bad-signature", `tree note: ${error.message}`);
    }
    if (error instanceof MalformedRecordError || error instanceof MalformedTreeError || error instanceof Utf8Error)
      return fail("malformed", error.message);
    return error;
  }
  /** Makes `signed` the newest tree if it extends the newest seen; checks an older one is a prefix. */
  #merge(signed, fail) {
    const run = async () => {
      const latest = this.#latest;
      if (latest === null) {
        this.#latest = signed;
        return;
      }
      if (latest.tree.size === signed.tree.size && hashesEqual(latest.tree.hash, signed.tree.hash)) return;
      const [older, newer] = signed.tree.size > latest.tree.size ? [latest, signed] : [signed, latest];
      const used = /* @__PURE__ */ new Map();
      try {
        await verifyTreeConsistency(older.tree, newer.tree, this.#tileReader(used));
      } catch (error) {
        if (error instanceof ProofError) {
          this.#forgetTiles(used);
          throw fail(
            "inconsistent",
            `SECURITY ERROR: the signed tree of ${older.tree.size} records is not a prefix of the signed tree of ${newer.tree.size} records (${error.message}); the database, or something between us and it, rewrote its log`
          );
        }
        if (error instanceof MissingTileError) throw fail("missing-tile", error.message);
        throw error;
      }
      if (newer === signed) this.#latest = signed;
    };
    const result = this.#merging.then(run, run);
    this.#merging = result.catch(() => void 0);
    return result;
  }
  async #get(path) {
    try {
      return await this.#fetch(path);
    } catch (error) {
      throw new Error(`checksum database ${this.name}: fetching ${path}: ${error.message}`, {
        cause: error
      });
    }
  }
  /** A TileReader over the cache and `fetch`, recording what it read into `used`. */
  #tileReader(used) {
    return async (tile) => {
      const data = await this.#readTile(tile);
      used.set(tilePath(tile), data);
      return data;
    };
  }
  async #readTile(tile) {
    const path = tilePath(tile);
    const cached = this.#cachedTile(path);
    if (cached) return cached;
    const full = fullTile(tile);
    const want = tile.width * HASH_SIZE;
    if (!tileIsFull(tile)) {
      const cachedFull = this.#cachedTile(tilePath(full));
      if (cachedFull) return cachedFull.subarray(0, want);
    }
    const data = await this.#fetchTile(path);
    if (data !== null) return data;
    if (!tileIsFull(tile)) {
      const fullData = await this.#fetchTile(tilePath(full));
      if (fullData !== null) {
        if (fullData.length < want) {
          throw new ProofError(
            `tile ${tilePath(full)} holds ${fullData.length} bytes, want ${full.width * HASH_SIZE}`
          );
        }
        return this.#cacheTile(path, fullData.subarray(0, want));
      }
    }
    throw new MissingTileError(
      `the database does not serve tile ${path}${tileIsFull(tile) ? "" : " nor the full tile"}`
    );
  }
  #fetchTile(path) {
    let running = this.#tileFetches.get(path);
    if (!running) {
      running = this.#get(path).then((data) => data === null ? null : this.#cacheTile(path, data)).finally(() => this.#tileFetches.delete(path));
      this.#tileFetches.set(path, running);
    }
    return running;
  }
  #cachedTile(path) {
    const data = this.#tiles.get(path);
    if (data) {
      this.#tiles.delete(path);
      this.#tiles.set(path, data);
    }
    return data;
  }
  /** After a failed proof: a cached tile may have been the bad input, so the next try refetches. */
  #forgetTiles(used) {
    for (const path of used.keys()) this.#tiles.delete(path);
  }
  /**
   * Keeps a fetched tile for other proofs (concurrent ones included). It is not trusted for
   * that: every proof still has to reproduce a signed root, and one that fails drops its tiles.
   */
  #cacheTile(path, data) {
    this.#tiles.set(path, data);
    while (this.#tiles.size > this.#maxCachedTiles) {
      const oldest = this.#tiles.keys().next().value;
      this.#tiles.delete(oldest);
    }
    return data;
  }
};

// src/proxy/sumdb-passthrough.ts
var maxSumdbAnswer = 4 << 20;
var maxTracked = 1e4;
var verifiedMark = ".verified-v1";
var SumdbPassthrough = class _SumdbPassthrough {
  #o;
  #client;
  /** Paths the database answered 410 (rather than 404), to pass the status on as is. */
  #gone = /* @__PURE__ */ new Set();
  /** Paths fetched from upstream and not yet stored: stored once they verify. */
  #fresh = /* @__PURE__ */ new Set();
  constructor(options) {
    this.#o = options;
    const db = options.database;
    this.#client = db?.key != null ? new SumdbClient({ name: db.name, key: db.key, fetch: (p) => this.#read(p) }) : null;
  }
  /** Opens the pass-through; drops a sumdb/ cache written by a version that did not verify. */
  static async open(options) {
    dropUnverifiedCache(options.store.root);
    return new _SumdbPassthrough(options);
  }
  async handle(name, subpath) {
    let request;
    try {
      request = parseSumdbRequest(subpath);
    } catch (error) {
      if (error instanceof SumdbRequestError) return textReply(400, `goproxy-action: ${error.message}`);
      throw error;
    }
    const db = this.#o.database;
    if (db === null || db.name !== name) {
      return textReply(
        404,
        `goproxy-action: checksum database ${name} is not served here (GOSUMDB is ${db?.name ?? "off"})`
      );
    }
    if (this.#client === null) {
      return textReply(
        404,
        `goproxy-action: checksum database ${name} is not served here: its key is unknown, so its answers cannot be verified (set GOSUMDB to <name>+<key>)`
      );
    }
    if (request.kind === "lookup" && this.#o.isNoSum(request.module)) {
      return textReply(
        403,
        `goproxy-action: ${request.module} is private (GOPRIVATE/GONOSUMDB): its path is never sent to a checksum database.`
      );
    }
    const path = sumdbRequestPath(request);
    try {
      switch (request.kind) {
        case "supported": {
          const answer = await this.#upstream("supported");
          if (!answer.ok)
            return textReply(404, `goproxy-action: checksum database ${name} is not served by the upstream`);
          return ok(Buffer.alloc(0), "no-cache");
        }
        case "latest": {
          const latest = await this.#client.refreshLatest();
          return ok(Buffer.from(latest.note), "no-cache");
        }
        case "lookup": {
          const answer = await this.#client.lookupAnswer(request.module, request.version);
          return ok(Buffer.from(answer.body), immutableCache, await this.#keep(path, answer.body));
        }
        case "tile": {
          const data = await this.#client.verifiedTile(request.tile);
          if (data === null) return this.#notFoundReply(name, path);
          return ok(Buffer.from(data), immutableCache, await this.#keep(path, data));
        }
      }
    } catch (error) {
      if (error instanceof SumdbVerificationError && error.kind === "not-found") {
        return this.#notFoundReply(name, path);
      }
      if (error instanceof SumdbVerificationError) {
        return textReply(
          502,
          `goproxy-action: refused an answer of checksum database ${name} (not served, not stored): ${error.message}`
        );
      }
      return textReply(
        502,
        `goproxy-action: checksum database ${name} unreachable: ${error.message}`
      );
    }
  }
  /** Verified go.sum lines of module@version (for checking blobs before they are stored). */
  async lookupLines(module, version) {
    if (this.#client === null) throw new Error("internal error: no checksum database key");
    const answer = await this.#client.lookupAnswer(module, version);
    await this.#keep(sumdbRequestPath({ kind: "lookup", module, version }), answer.body);
    return [...answer.lines];
  }
  /** True when the database's answers can be verified here. */
  get verifies() {
    return this.#client !== null;
  }
  #notFoundReply(name, path) {
    const status = this.#gone.has(path) ? 410 : 404;
    return textReply(status, `goproxy-action: checksum database ${name}: ${path}: not found`);
  }
  /** Stores a verified answer that came from upstream (lookups and tiles never change); true if it did. */
  async #keep(path, bytes) {
    if (!this.#fresh.delete(path)) return false;
    const name = this.#o.database.name;
    await this.#o.store.writeSumdb(name, path, bytes).catch(() => void 0);
    return true;
  }
  /** The verifying client's transport: the store (verified answers only), else upstream. */
  async #read(path) {
    const name = this.#o.database.name;
    if (path !== "latest") {
      const stored = await this.#o.store.readSumdb(name, path).catch(() => null);
      if (stored) return stored;
    }
    const answer = await this.#upstream(path);
    if (answer.ok) {
      if (path !== "latest") track(this.#fresh, path);
      return answer.bytes;
    }
    if (answer.status === 404 || answer.status === 410) {
      if (answer.status === 410) track(this.#gone, path);
      else this.#gone.delete(path);
      return null;
    }
    throw new Error(answer.message);
  }
  /** GET a validated path of the database: at its explicit URL, else along the proxies. */
  async #upstream(path) {
    const db = this.#o.database;
    if (db.url !== null) {
      if (path === "supported") return { ok: true, bytes: Buffer.alloc(0) };
      return this.#get(db.url, path);
    }
    const notes = [];
    let notFound = 0;
    for (const entry of this.#o.entries) {
      if (entry.kind !== "url") break;
      const answer = await this.#get(entry.url, `sumdb/${db.name}/${path}`);
      if (answer.ok) return answer;
      notes.push(answer.message);
      if (answer.status === 404 || answer.status === 410) {
        notFound = notFound || answer.status;
        continue;
      }
      if (!entry.fallThroughOnAnyError) return answer;
    }
    if (notFound) return { ok: false, status: notFound, message: notes.join("; ") };
    return {
      ok: false,
      status: 502,
      message: notes.join("; ") || "no upstream proxy serves checksum databases"
    };
  }
  async #get(base, path) {
    const res = await this.#o.http.get(base, path);
    if (res.outcome === "ok") {
      try {
        return { ok: true, bytes: await readAll(res.body, maxSumdbAnswer) };
      } catch (error) {
        res.body.destroy();
        return { ok: false, status: 502, message: `${base}: ${error.message}` };
      }
    }
    const status = res.outcome === "not-found" ? res.status === 410 ? 410 : 404 : 502;
    return { ok: false, status, message: `${base}: ${res.message || res.status}` };
  }
};
function track(set, path) {
  set.delete(path);
  set.add(path);
  if (set.size > maxTracked) set.delete(set.values().next().value);
}
function ok(body, cacheControl2, fromUpstream = true) {
  return {
    status: 200,
    contentType: "text/plain; charset=utf-8",
    body,
    headers: { "cache-control": cacheControl2 },
    source: fromUpstream ? "upstream" : "store",
    ...fromUpstream ? { upstreamBytes: body.length } : {}
  };
}
function dropUnverifiedCache(storeRoot) {
  const dir = join9(storeRoot, sumdbDirName);
  const mark = join9(dir, verifiedMark);
  let marked = true;
  try {
    readFileSync4(mark);
  } catch {
    marked = false;
  }
  if (marked) return;
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync2(dir, { recursive: true });
    writeFileSync(mark, "answers in this directory were verified before they were stored\n");
  } catch {
  }
}

// src/proxy/create-proxy.ts
async function createProxy(settings, host, port) {
  const env = settings.env ?? process.env;
  const goBinary = settings.goBinary ?? "go";
  const store = await BlobStore.open(settings.storeDir, { sweep: "later" });
  const goSumTexts = await readGoSumFiles(settings.goSumFiles);
  let goSumParse;
  const loadGoSum = () => {
    goSumParse ??= GoSumIndex.parseInSlices(goSumTexts);
    return goSumParse;
  };
  const seeded = settings.seedFrom ? await store.seedFromModCache(settings.seedFrom, goSumSeedVerifier(await loadGoSum())) : null;
  const isPrivate = (m) => matchPatternList(settings.privatePatterns, m, { foldCase: true });
  const isNoSum = (m) => matchPatternList(settings.noSumPatterns, m, { foldCase: true });
  const entries = parseGoproxyList(settings.upstream);
  const privateEntries = settings.privateUpstream ? parseGoproxyList(settings.privateUpstream) : null;
  const credentials = await UpstreamCredentials.load({
    entries: [...entries, ...privateEntries ?? []],
    env
  });
  const http = new HttpUpstream({ ...settings.http, credentials });
  const chain = new UpstreamChain({
    entries,
    ...privateEntries ? { privateEntries } : {},
    isPrivate,
    http,
    direct: new DirectFetcher({
      goBinary,
      env,
      ...settings.http?.deadlineMs ? { timeoutMs: settings.http.deadlineMs } : {}
    })
  });
  const sumdbSetting = parseGosumdb(settings.gosumdb);
  const sumdb = await SumdbPassthrough.open({
    store,
    http,
    entries: parseGoproxyList(settings.upstream),
    database: sumdbSetting.off ? null : {
      name: sumdbSetting.name,
      key: sumdbSetting.key ?? knownSumdbKey(sumdbSetting.name),
      url: sumdbSetting.url?.replace(/\/+$/, "") ?? null
    },
    isNoSum
  });
  const verifier = new BlobVerifier({
    goSum: loadGoSum,
    isNoSum,
    sumdbName: sumdbSetting.off ? null : sumdbSetting.name,
    sumdbLookup: sumdb.verifies ? (module, version) => sumdb.lookupLines(module, version) : null
  });
  const stats = new ProxyStats();
  const zipHashes = new ServedZipHashes();
  const modules = new ModuleService({
    store,
    chain,
    verifier,
    stale: new StaleAnswers(settings.storeDir),
    policy: settings.policy ?? null,
    onStored: (bytes) => stats.recordStored(bytes),
    zipHashes,
    ...settings.listMetadataLimit !== void 0 ? { listMetadataLimit: settings.listMetadataLimit } : {}
  });
  const server = new ProxyServer({
    store,
    modules,
    sumdb,
    stats,
    zipHashes,
    auditLogFile: settings.auditLogFile ?? null,
    adminToken: settings.adminToken ?? null,
    clientToken: settings.clientToken ?? null,
    policyFree: !settings.policy,
    // A streaming client may stay silent as long as an upstream may.
    ...settings.http?.timeoutMs ? { slowClientMs: settings.http.timeoutMs } : {},
    ...settings.onShutdownRequest ? { onShutdownRequest: settings.onShutdownRequest } : {}
  });
  const url = await server.listen(host, port);
  const sweepStore = () => store.removeStaleTempFiles().then(
    () => {
    },
    (err) => {
      process.emitWarning(`goproxy-action: could not remove stale temp files in the store: ${err.message}`);
    }
  );
  if (!settings.deferSweep) void sweepStore();
  return {
    url,
    goproxyUrl: server.goproxyUrl,
    seeded,
    adminUrl: server.adminUrl,
    token: server.token,
    server,
    store,
    stats,
    zipHashes,
    loadGoSum: async () => {
      await loadGoSum();
    },
    sweepStore,
    close: async () => {
      await server.close(settings.shutdownGraceMs);
      await http.close();
    }
  };
}

// src/proxy/user-cache-dir.ts
const { homedir: homedir2 } = require("node:os");
const { join: join10 } = require("node:path");
function userCacheDir(env = process.env, platform = process.platform) {
  if (platform === "win32") return env.LocalAppData ?? join10(homedir2(), "AppData", "Local");
  if (platform === "darwin") return join10(homedir2(), "Library", "Caches");
  return env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join10(homedir2(), ".cache");
}

// src/upstream/upstream-option.ts
function resolveUpstreamOption(options) {
  if (options.upstream !== void 0 && options.upstreamEnv !== void 0) {
    throw new GoproxyListError("give --upstream or --upstream-env, not both");
  }
  let upstream;
  let where;
  if (options.upstreamEnv !== void 0) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.upstreamEnv))
      throw new GoproxyListError(`--upstream-env ${options.upstreamEnv}: not an environment variable name`);
    upstream = (options.env[options.upstreamEnv] ?? "").trim();
    if (upstream === "")
      throw new GoproxyListError(
        `--upstream-env ${options.upstreamEnv}: the variable is unset or empty; export it with the upstream list (GOPROXY syntax)`
      );
    where = `--upstream-env ${options.upstreamEnv}`;
  } else if (options.upstream !== void 0) {
    upstream = options.upstream;
    where = "--upstream";
  } else {
    upstream = options.goproxy ?? "";
    if (upstream === "")
      throw new GoproxyListError(
        "no upstream: go env GOPROXY is empty; pass --upstream LIST or --upstream-env NAME"
      );
    where = "GOPROXY";
  }
  let entries;
  try {
    entries = parseGoproxyList(upstream);
  } catch (err) {
    throw new GoproxyListError(`${where}: ${err.message}`);
  }
  const onCommandLine = where === "--upstream" && entries.some((e) => e.kind === "url" && e.credentials);
  return {
    upstream,
    shown: redactUrlUserinfo(upstream),
    warning: onCommandLine ? "--upstream holds credentials, which any process on this machine can read from the command line; pass the list with --upstream-env NAME instead" : null
  };
}

// src/cli/parse-options.ts
const { parseArgs } = require("node:util");
function describeParseError(command, err) {
  const message = err instanceof Error ? err.message : String(err);
  const code = err.code;
  const seeHelp = `run 'goproxy-action ${command} --help' for its options`;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted) return `unknown option '${quoted}'; ${seeHelp}`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && quoted)
    return `unexpected argument '${quoted}' (options only); ${seeHelp}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const option = /--?[A-Za-z0-9-]+/.exec(message)?.[0] ?? "an option";
    return message.includes("argument missing") ? `option ${option} needs a value; ${seeHelp}` : `option ${option} takes no value; ${seeHelp}`;
  }
  return `${message.split("\n")[0]}; ${seeHelp}`;
}
function parseOptions(command, args, options) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(describeParseError(command, err));
  }
}

// src/cli/serve-options.ts
const { statSync } = require("node:fs");
const { open: open6 } = require("node:fs/promises");
const { dirname: dirname4, resolve: resolve2 } = require("node:path");
var serveOptions = {
  listen: { type: "string" },
  store: { type: "string" },
  upstream: { type: "string" },
  "private-upstream": { type: "string" },
  private: { type: "string", multiple: true },
  gosumdb: { type: "string" },
  policy: { type: "string" },
  "go-sum": { type: "string", multiple: true },
  "ready-file": { type: "string" },
  "seed-from": { type: "string" },
  "audit-log": { type: "string" },
  "admin-token-env": { type: "string" },
  "client-token-env": { type: "string" },
  "upstream-env": { type: "string" },
  "fetch-timeout": { type: "string" },
  "shutdown-grace": { type: "string" },
  help: { type: "boolean", short: "h" }
};
function parseListen(value) {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535)
    throw new UsageError(`--listen ${value}: write HOST:PORT (e.g. 127.0.0.1:0) or :PORT for all interfaces`);
  const host = match[1] === "" ? "0.0.0.0" : match[1].replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  return { host, port, loopback };
}
function checkUpstream(option, value) {
  const problem = goproxySettingError(value);
  if (problem) throw new UsageError(`${option} ${redactUrlUserinfo(value)}: ${redactUrlUserinfo(problem)}`);
}
function checkPrivatePatterns(values) {
  for (const value of values)
    for (const pattern of value.split(",")) {
      if (pattern === "") continue;
      const problem = validatePattern(pattern);
      if (problem) throw new UsageError(`--private: ${problem}`);
    }
}
function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
async function checkFileToCreate(option, file) {
  if (!isDirectory(dirname4(resolve2(file))))
    throw new UsageError(
      `${option} ${file}: the directory ${dirname4(resolve2(file))} does not exist; create it first`
    );
  if (isDirectory(file)) throw new UsageError(`${option} ${file}: is a directory; give a file name`);
}
async function checkAppendable(option, file) {
  await checkFileToCreate(option, file);
  try {
    await (await open6(file, "a", 384)).close();
  } catch (err) {
    throw new UsageError(
      `${option} ${file}: cannot be written (${err.code ?? err})`
    );
  }
}
async function checkDirectory(option, dir, what) {
  if (!isDirectory(dir)) throw new UsageError(`${option} ${dir}: no such directory; give ${what}`);
}
function parseDurationOption(name, value) {
  if (value === void 0) return null;
  const ms = parseGoDuration(value);
  if (ms === null || ms <= 0)
    throw new UsageError(`${name} ${value}: give a positive Go duration such as 30s or 2m`);
  return ms;
}
async function checkServeValues(values, env) {
  const listen = parseListen(values.listen ?? "127.0.0.1:0");
  if (values.upstream !== void 0) checkUpstream("--upstream", values.upstream);
  if (values["private-upstream"] !== void 0)
    checkUpstream("--private-upstream", values["private-upstream"]);
  checkPrivatePatterns(values.private ?? []);
  if (values["seed-from"] !== void 0)
    await checkDirectory("--seed-from", values["seed-from"], "a module cache's download dir");
  if (values["ready-file"] !== void 0) await checkFileToCreate("--ready-file", values["ready-file"]);
  if (values["audit-log"] !== void 0) await checkAppendable("--audit-log", values["audit-log"]);
  let adminToken = null;
  if (values["admin-token-env"]) {
    adminToken = env[values["admin-token-env"]] ?? "";
    if (adminToken.length < 16)
      throw new UsageError(
        `--admin-token-env ${values["admin-token-env"]}: the variable must hold a token of at least 16 characters`
      );
  }
  let clientToken = null;
  if (values["client-token-env"]) {
    clientToken = env[values["client-token-env"]] ?? "";
    if (clientToken.length < 16 || !/^[A-Za-z0-9_-]+$/.test(clientToken))
      throw new UsageError(
        `--client-token-env ${values["client-token-env"]}: the variable must hold a token of at least 16 letters, digits, '-' or '_' (e.g. from openssl rand -hex 24)`
      );
  }
  const fetchTimeoutMs = parseDurationOption("--fetch-timeout", values["fetch-timeout"]);
  const shutdownGraceMs = parseDurationOption("--shutdown-grace", values["shutdown-grace"]);
  return { listen, adminToken, clientToken, fetchTimeoutMs, shutdownGraceMs };
}

// src/cli/serve-command.ts
var help = `usage: goproxy-action serve [options]

Runs a Go module proxy that serves from a verified local blob store and fetches what it
lacks from the upstream. Point the go command at the URL it prints.

options:
  --listen HOST:PORT       address to listen on (default 127.0.0.1:0: a free loopback port;
                           :PORT listens on all interfaces, reachable by other machines)
  --store DIR              blob store, in the module cache's download layout
                           (default <user cache dir>/goproxy-action/store)
  --upstream LIST          upstream in GOPROXY syntax (default: go env GOPROXY). An https
                           URL may hold credentials (https://user:token@host), sent as Basic
                           auth; otherwise NETRC and GOAUTH supply them, as for the go command
  --upstream-env NAME      read the upstream list from environment variable NAME instead, to
                           keep credentials off the command line (and out of ps)
  --private-upstream LIST  upstream for private modules (default: direct)
  --private PATTERNS       more private module patterns (GOPRIVATE syntax); repeatable.
                           Also private: go env GONOPROXY (default GOPRIVATE) for routing,
                           go env GONOSUMDB (default GOPRIVATE) for the checksum database
  --gosumdb VALUE          checksum database (default: go env GOSUMDB)
  --policy FILE            module policy (default: .goproxy.yml in the current directory, if any)
  --go-sum FILE            go.sum to verify against; repeatable (default: every go.sum below
                           the current directory, outside vendor, testdata, . and _ dirs)
  --seed-from DIR          copy verified versions from a module cache's download dir
                           (e.g. $(go env GOMODCACHE)/cache/download) into the store first
  --ready-file FILE        when ready, write {"url","pid","adminUrl","token","goproxy"} there
                           (mode 0600); goproxy is the URL for GOPROXY
  --audit-log FILE         append one JSON line per request
  --admin-token-env NAME   take the admin token from this environment variable
  --client-token-env NAME  answer module requests only under /<token>/, the token taken from
                           this variable (16+ of A-Z a-z 0-9 - _): GOPROXY is then
                           http://HOST:PORT/<token>; other local users cannot use the proxy
  --fetch-timeout DURATION longest one upstream fetch may take, body included, in Go's
                           duration syntax (default 5m); a slower answer fails (or moves on
                           along a \`|\` list)
  --shutdown-grace DURATION on SIGTERM, how long fetches under way may finish before they are
                           aborted (default 10s)
  -h, --help               show this help

environment:
  GOPROXY_ACTION_GO_SETTINGS  GOPROXY, GOSUMDB, GOPRIVATE, GONOPROXY and GONOSUMDB as a JSON
                           object, as go env -json prints them: when set, serve takes them
                           from it and does not run go env (the action and \`start\` pass what
                           they read, so the daemon is ready sooner)`;
var serveCommand = {
  async run(args) {
    const values = parseOptions("serve", args, serveOptions);
    if (values.help) {
      process.stdout.write(`${help}
`);
      return 0;
    }
    const { listen, adminToken, clientToken, fetchTimeoutMs, shutdownGraceMs } = await checkServeValues(
      values,
      process.env
    );
    const goSumSearch = (values["go-sum"] ?? []).length === 0 ? findModuleFiles(process.cwd(), ["go.sum"]) : null;
    goSumSearch?.catch(() => {
    });
    const policyLoad = loadPolicy({
      workspace: process.cwd(),
      ...values.policy ? { explicitPath: values.policy } : {}
    });
    policyLoad.catch(() => {
    });
    let passed;
    try {
      passed = passedGoSettings(process.env);
    } catch (err) {
      throw new UsageError(err.message);
    }
    const goEnv = passed ?? await readGoEnv(GO_SETTING_NAMES, { whenGoMissing: "environment" });
    if (values.gosumdb !== void 0) goEnv.GOSUMDB = values.gosumdb;
    let upstreamOption;
    try {
      upstreamOption = resolveUpstreamOption({
        upstream: values.upstream,
        upstreamEnv: values["upstream-env"],
        env: process.env,
        goproxy: goEnv.GOPROXY
      });
    } catch (err) {
      throw new UsageError(err.message);
    }
    const { upstream } = upstreamOption;
    if (values.upstream === void 0) {
      const problem = goproxySettingError(upstream);
      const where = values["upstream-env"] ? `$${values["upstream-env"]}` : "go env GOPROXY";
      if (problem)
        throw new UsageError(`${where} is ${redactUrlUserinfo(problem)}; fix it or pass --upstream LIST`);
    }
    if (upstreamOption.warning) process.stderr.write(`goproxy-action: warning: ${upstreamOption.warning}
`);
    const loaded = await policyLoad;
    if (loaded.message) process.stderr.write(`goproxy-action: ${loaded.message}
`);
    const sources = {
      goEnv,
      inputPrivate: values.private ?? [],
      policyPrivate: loaded.policy?.private ?? []
    };
    const job = jobPatterns(sources);
    const privatePatterns = job.patterns.noProxy;
    const policy = loaded.policy ? new ProxyPolicy(loaded.policy, { extraPrivatePatterns: privatePatterns }) : null;
    const privateUpstream = values["private-upstream"] ?? loaded.policy?.privateUpstream ?? null;
    const storeDir = resolve3(values.store ?? join11(userCacheDir(), "goproxy-action", "store"));
    const goSumFiles = (values["go-sum"] ?? []).map((f) => resolve3(f));
    if (goSumSearch) goSumFiles.push(...await goSumSearch);
    let stopping = null;
    const proxy = await createProxy(
      {
        storeDir,
        upstream,
        privateUpstream,
        policy,
        privatePatterns,
        noSumPatterns: job.patterns.noSumDb,
        gosumdb: job.gosumdb,
        goSumFiles,
        seedFrom: values["seed-from"] ? resolve3(values["seed-from"]) : null,
        auditLogFile: values["audit-log"] ? resolve3(values["audit-log"]) : null,
        adminToken,
        clientToken,
        ...fetchTimeoutMs !== null ? { http: { deadlineMs: fetchTimeoutMs } } : {},
        ...shutdownGraceMs !== null ? { shutdownGraceMs } : {},
        deferSweep: true,
        onShutdownRequest: () => {
          stop();
        }
      },
      listen.host,
      listen.port
    );
    const stop = () => {
      stopping ??= proxy.close().then(() => {
        process.stderr.write("goproxy-action: stopped\n");
        process.exit(0);
      });
      return stopping;
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    const port = new URL(proxy.url).port;
    const boundTo = listen.host.includes(":") ? `[${listen.host}]:${port}` : `${listen.host}:${port}`;
    if (!listen.loopback) {
      process.stderr.write(
        `goproxy-action: WARNING: listening on ${boundTo}${listen.host === "0.0.0.0" ? " (all interfaces)" : ""}: anyone who can reach this machine can use this proxy without authentication. Listen on 127.0.0.1 unless that is intended.
`
      );
    }
    const shownGoproxy = clientToken ? `${proxy.url}/<$${values["client-token-env"]}>` : proxy.url;
    const exported = jobGoEnv(sources, { kind: "proxy", proxyUrl: shownGoproxy });
    process.stdout.write(
      [
        `goproxy-action: serving Go modules at ${proxy.url}`,
        `  listen:   ${boundTo}${listen.loopback ? "" : " (reachable from other machines)"}`,
        `  store:    ${storeDir}`,
        `  upstream: ${upstreamOption.shown}${privatePatterns.length ? `  (private: ${privatePatterns.join(",")} via ${redactUrlUserinfo(privateUpstream ?? "direct")})` : ""}`,
        `  policy:   ${loaded.source ?? "none"}`,
        `  go.sum:   ${goSumFiles.length} file(s)`,
        ...proxy.seeded ? [`  seeded:   ${proxy.seeded.copied} version(s) from ${values["seed-from"]}`] : [],
        "point the go command at it:",
        ...renderEnvLines(exported, "shell").trimEnd().split("\n").map((line) => `  ${line}`),
        ""
      ].join("\n")
    );
    if (values["ready-file"]) {
      const ready = {
        url: proxy.url,
        pid: process.pid,
        adminUrl: proxy.adminUrl,
        token: proxy.token,
        goproxy: proxy.goproxyUrl
      };
      try {
        const readyTemp = `${values["ready-file"]}.tmp-${process.pid}-${secureRandomBytes(4).toString("hex")}`;
        writeFileSync2(readyTemp, `${JSON.stringify(ready)}
`, { mode: 384, flag: "wx" });
        try {
          renameSync(readyTemp, values["ready-file"]);
        } catch (err) {
          rmSync2(readyTemp, { force: true });
          throw err;
        }
      } catch (err) {
        await proxy.close();
        throw err;
      }
    }
    proxy.loadGoSum().catch((err) => {
      process.stderr.write(
        `goproxy-action: ${err.message}. Every module not already in the store is refused until the go.sum is fixed and serve restarted.
`
      );
    }).then(() => proxy.sweepStore());
    await new Promise(() => {
    });
    return 0;
  }
};

// src/cli/serve-main.ts
function runServe(args) {
  return runCommand("serve", async () => serveCommand, args);
}
export {
  runServe,
  serveCommand
};

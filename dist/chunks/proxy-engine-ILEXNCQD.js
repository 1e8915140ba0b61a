import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  DATA_LEVEL,
  HASH_SIZE,
  NoteError,
  ProofError,
  StoreWriteError,
  SumdbRequestError,
  TILE_HEIGHT,
  beginAtomicWrite,
  checkNode,
  checkRecord,
  checkTree,
  coordsRead,
  decodeStrictBase64,
  formatVersionList,
  fullTile,
  hashFromTileData,
  hashesEqual,
  immutableCache,
  isListableVersion,
  joinInside,
  parseSumdbRequest,
  parseVerifierKey,
  proveNode,
  proveRecord,
  proveTree,
  recordHash,
  redactSecrets,
  redactUrlUserinfo,
  secretValuesFrom,
  secretValuesOfHeaders,
  sumdbDirName,
  sumdbRequestPath,
  textReply,
  tileForHash,
  tileIsFull,
  tilePath,
  verifyNote,
  writeFileAtomic
} from "./chunk-PVQ3JSCM.js";
import {
  versionSatisfies
} from "./chunk-RMEDF6QX.js";
import {
  firstMatchingPattern,
  matchPatternList
} from "./chunk-VO74TVMO.js";
import {
  ModulePathError,
  checkPathMajor,
  escapePath,
  escapeVersion,
  goQuote,
  goQuoteRune,
  hashGoMod,
  isValidModulePath,
  splitPathVersion
} from "./chunk-47GWIEYF.js";
import {
  canonicalVersion,
  compareVersions,
  isCanonicalVersion,
  isPrerelease,
  isPseudoVersion,
  isValidVersion,
  mkdtemp,
  open,
  readFile,
  rm,
  sortVersions,
  stat
} from "./chunk-S5FAF34R.js";
import {
  createHash
} from "./chunk-HGDB5JG2.js";
import "./chunk-BZZXECNI.js";

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
function retractionLookup(retract) {
  const points = [];
  const placeOf = /* @__PURE__ */ new Map();
  for (const end of [...new Set(retract.flatMap((r) => [r.low, r.high]))].sort(compareVersions)) {
    if (points.length === 0 || compareVersions(points.at(-1), end) !== 0) points.push(end);
    placeOf.set(end, points.length - 1);
  }
  const covered = new Uint8Array(2 * points.length + 1);
  const firstNamed = new Int32Array(2 * points.length + 1).fill(-1);
  const startingAt = points.map(() => []);
  const low = (i) => placeOf.get(retract[i].low);
  const high = (i) => placeOf.get(retract[i].high);
  retract.forEach((_, i) => {
    if (low(i) <= high(i)) startingAt[low(i)]?.push(i);
  });
  const named = [];
  const push = (i) => {
    let at = named.push(i) - 1;
    while (at > 0 && named[at - 1 >> 1] > i) {
      named[at] = named[at - 1 >> 1];
      at = at - 1 >> 1;
    }
    named[at] = i;
  };
  const pop = () => {
    const last = named.pop();
    if (named.length === 0) return;
    let at = 0;
    for (; ; ) {
      let child = 2 * at + 1;
      if (child >= named.length) break;
      if (child + 1 < named.length && named[child + 1] < named[child]) child++;
      if (named[child] >= last) break;
      named[at] = named[child];
      at = child;
    }
    named[at] = last;
  };
  let active = 0;
  const endingAfter = new Int32Array(points.length);
  for (let p = 0; p < points.length; p++) {
    for (const i of startingAt[p]) {
      active++;
      endingAfter[high(i)]++;
      if (retract[i].rationale !== "") push(i);
    }
    while (named.length > 0 && high(named[0]) < p) pop();
    covered[2 * p + 1] = active > 0 ? 1 : 0;
    firstNamed[2 * p + 1] = named[0] ?? -1;
    active -= endingAfter[p];
    while (named.length > 0 && high(named[0]) <= p) pop();
    covered[2 * p + 2] = active > 0 ? 1 : 0;
    firstNamed[2 * p + 2] = named[0] ?? -1;
  }
  return (version) => {
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = lo + hi >> 1;
      if (compareVersions(points[mid], version) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const p = lo - 1;
    const piece = p < 0 ? 0 : compareVersions(points[p], version) === 0 ? 2 * p + 1 : 2 * p + 2;
    const first = firstNamed[piece];
    return {
      retracted: covered[piece] === 1,
      rationale: first < 0 ? "" : retract[first].rationale
    };
  };
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
  /**
   * The retractions of the last latest go.mod read: a list is judged version by version
   * against one go.mod (up to 10,000 versions, a go.mod of up to 16 MiB), which was parsed
   * and scanned again for each of them.
   */
  #lastGoMod = null;
  /** go.mod files parsed for their retractions (for tests). */
  goModsParsed = 0;
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
    const lookup = input.latestGoModText === null ? null : this.#retractions(input.module, input.latestGoModText);
    const found = lookup?.(input.version);
    if (found?.retracted) retracted = { rationale: shortMessage(found.rationale, "") };
    const decision = decideMetadata(this.policy, {
      module: input.module,
      version: input.version,
      time: input.infoTime,
      retracted,
      now: input.now
    });
    return { ...decision, policyFingerprint: this.fingerprint };
  }
  #retractions(module, text) {
    const last = this.#lastGoMod;
    if (last && last.module === module && last.text === text) return last.lookup;
    this.goModsParsed++;
    let lookup = null;
    try {
      lookup = retractionLookup(parseGoMod(text, `${module}/go.mod`, { lax: true }).retract);
    } catch (err) {
      if (!(err instanceof GoModError)) throw err;
    }
    this.#lastGoMod = { module, text, lookup };
    return lookup;
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

// src/upstream/direct-fetcher.ts
const { tmpdir } = require("node:os");
const { join } = require("node:path");
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
    const work = await mkdtemp(join(tmpdir(), "goproxy-action-direct-"));
    const cleanup = () => rm(work, { recursive: true, force: true });
    try {
      const args = withZip ? ["mod", "download", "-json", `${module}@${query}`] : ["list", "-m", "-json", `${module}@${query}`];
      const out = await this.#run(args, work, signal);
      const result = JSON.parse(out);
      const error = typeof result.Error === "string" ? result.Error : result.Error?.Err;
      if (error) throw this.#error(error);
      if (!result.Version) throw new DirectFetchError(`go did not resolve ${module}@${query}`, true);
      const versionDir = join(work, "modcache", "cache", "download", escapePath(module), "@v");
      const info = await readFile(result.Info ?? join(versionDir, `${escapeVersion(result.Version)}.info`));
      const mod = await readFile(result.GoMod ?? join(versionDir, `${escapeVersion(result.Version)}.mod`));
      return { version: result.Version, info, mod, zipPath: result.Zip ?? null, cleanup };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }
  /** Known versions, retracted ones included (a proxy's list keeps them; the go command hides them). */
  async list(module, signal) {
    const work = await mkdtemp(join(tmpdir(), "goproxy-action-direct-"));
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
      GOMODCACHE: join(work, "modcache"),
      GOPATH: join(work, "gopath"),
      GOFLAGS: "-modcacherw",
      GO111MODULE: "on",
      GOWORK: "off",
      GOTOOLCHAIN: "local",
      GIT_TERMINAL_PROMPT: "0"
    };
    const { execFile } = await import("node:child_process");
    return await new Promise((resolve, reject) => {
      execFile(
        this.#go,
        args,
        { cwd: work, env, timeout: this.#timeoutMs, maxBuffer: 16 << 20, ...signal ? { signal } : {} },
        (err, stdout, stderr) => {
          if (stdout.trim().startsWith("{")) return resolve(stdout);
          if (err) return reject(this.#error(stderr || err.message));
          resolve(stdout);
        }
      );
    });
  }
  #error(text) {
    const message = redactSecrets(text.trim(), this.#secrets).split("\n").slice(-6).join("\n");
    return new DirectFetchError(message, notFoundPattern.test(message));
  }
};

// src/upstream/http-upstream.ts
const { createReadStream } = require("node:fs");
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
    this.#client ??= import("./undici-WDBBBM5L.js").then((loaded) => {
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
        const text = redactSecrets(await shortText(res.body), secretValuesOfHeaders(headers)).slice(0, 600).trim();
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
        await new Promise((resolve) => setTimeout(resolve, wait));
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
  const basic = `${decode(parsed.username)}:${decode(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.href, headers: { authorization: `Basic ${Buffer.from(basic).toString("base64")}` } };
}
async function getFile(base, subpath) {
  const path = `${fileURLToPath(base)}/${decodeURIComponent(subpath)}`;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { outcome: "not-found", status: 404, message: "not found", source: base };
    return { outcome: "ok", body: createReadStream(path), size: info.size, source: base };
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
  return Buffer.concat(chunks).toString("utf8");
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
const { createReadStream: createReadStream2 } = require("node:fs");
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
        body = createReadStream2(download.zipPath);
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
  get(key) {
    const value = this.#entries.get(key);
    if (value !== void 0) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }
  set(key, value) {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value);
  }
  delete(key) {
    return this.#entries.delete(key);
  }
  clear() {
    this.#entries.clear();
  }
};

// src/proxy/single-flight.ts
var SingleFlight = class {
  #inFlight = /* @__PURE__ */ new Map();
  run(key, work) {
    const existing = this.#inFlight.get(key);
    if (existing) return existing;
    const promise = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
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
    const key = `${module}@${version}`;
    const cached = this.#lookupCache.get(key);
    if (cached) return Promise.resolve(cached);
    return this.#lookups.run(key, async () => {
      const lines = await this.#options.sumdbLookup(module, version);
      this.#lookupCache.set(key, lines);
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
const { tmpdir: tmpdir2 } = require("node:os");
const { join: join2 } = require("node:path");

// src/proxy/blob-spool.ts
const { createReadStream: createReadStream3 } = require("node:fs");
var BlobSpool = class _BlobSpool {
  #pending;
  #inStore;
  #place;
  /** Why the store did not take this blob, when it did not. */
  storeError = null;
  /** A second descriptor of the store temp file for early write-back (flushEarly), and its fdatasync under way. */
  #flusher = null;
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
    let handle = await open(path, "r");
    return {
      read: async (buffer, position, length) => {
        if (!handle) throw new Error("spool reader is closed");
        if (this.#pending.path !== path) {
          const moved = await open(this.#pending.path, "r");
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
        for await (const part of createReadStream3(failed.path, { start: 0, end: taken - 1 })) {
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
   * Starts writing back the bytes so far: an fdatasync on a second descriptor, so writes go on
   * meanwhile. The fsync before the commit then has only the last bytes left, and a large zip's
   * last byte (held until it is committed) does not wait for all of its write-back. Skipped
   * while the previous one runs; a failure is left to the real fsync to report.
   */
  flushEarly() {
    if (!this.#inStore) return;
    this.#flusher ??= { handle: open(this.#pending.path, "r").catch(() => null), running: null };
    const flusher = this.#flusher;
    if (flusher.running) return;
    flusher.running = flusher.handle.then((h) => h?.datasync()).catch(() => {
    }).finally(() => {
      flusher.running = null;
    });
  }
  async #closeFlusher() {
    const flusher = this.#flusher;
    if (!flusher) return;
    this.#flusher = null;
    await flusher.running;
    await (await flusher.handle)?.close().catch(() => {
    });
  }
  /**
   * fsyncs the store's temp file now (beside the zip check), so the commit after it only
   * renames. A failure means the store does not take this blob: it is then served, not stored.
   */
  async sync() {
    await this.#closeFlusher();
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
   * Puts the blob in the store (`durable: false`: renamed without an fsync, for a caller that
   * has it fsynced later, see deferred-sync.ts). Resolves to true when stored; false when the store refused
   * at the last step (the bytes then stay in a detached temp file at `path`).
   */
  async commit(options) {
    await this.#closeFlusher();
    if (!this.#inStore) return false;
    try {
      await this.#pending.commit(options);
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
    await this.#closeFlusher();
    return this.#pending.detach();
  }
  async discard() {
    await this.#closeFlusher();
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
var recentBytes = 512 << 10;
var SpoolProgress = class {
  #available = 0;
  #state = "growing";
  #wake = [];
  /** The last chunks written, in order, ending at #available; #recentFrom is where the first starts. */
  #recent = [];
  #recentFrom = 0;
  #recentSize = 0;
  get available() {
    return this.#available;
  }
  get state() {
    return this.#state;
  }
  /**
   * The spool now holds `bytes`; `written`, if given, are the last of them (the chunk just
   * written, not to be changed afterwards): kept for a client that takes them soon.
   */
  grow(bytes, written) {
    if (written && written.length > 0 && bytes - written.length === this.#available) {
      this.#recent.push(written);
      this.#recentSize += written.length;
      while (this.#recentSize - this.#recent[0].length >= recentBytes) {
        const dropped = this.#recent.shift();
        this.#recentSize -= dropped.length;
        this.#recentFrom += dropped.length;
      }
    } else {
      this.#recent = [];
      this.#recentSize = 0;
      this.#recentFrom = bytes;
    }
    this.#available = bytes;
    this.#notify();
  }
  /** The bytes from `position` on (up to `limit`) if they are still in memory, else null. */
  recent(position, limit) {
    if (position < this.#recentFrom || position >= limit) return null;
    let start = this.#recentFrom;
    for (const chunk of this.#recent) {
      const end = start + chunk.length;
      if (position < end) return chunk.subarray(position - start, Math.min(end, limit) - start);
      start = end;
    }
    return null;
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
    return new Promise((resolve) => this.#wake.push(resolve));
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
      const kept = progress.recent(sent, limit);
      if (kept) {
        await client.write(kept);
        sent += kept.length;
        continue;
      }
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
var flushEvery = 4 << 20;
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
    await Promise.all([...this.#scratch].map((f) => rm(f, { force: true })));
    if (this.#scratchDir) await rm(await this.#scratchDir, { recursive: true, force: true }).catch(() => {
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
        const { ZipStreamDigests } = await import("./zip-stream-digests-I3YUA5BW.js");
        const digests = new ZipStreamDigests();
        let flushedAt = 0;
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
        const unsynced = spool.inStore ? await store.holdUnsynced(module, version, "zip").catch(() => null) : null;
        try {
          for await (const chunk of body.body) {
            if (spool.size + chunk.length > maxZipBytes)
              throw new RejectedBlob(`zip is larger than ${maxZipBytes} bytes`);
            await spool.write(chunk);
            progress.grow(spool.size, chunk);
            if (spool.size - flushedAt >= flushEvery) {
              spool.flushEarly();
              flushedAt = spool.size;
            }
            await digests.push(chunk);
          }
          if (body.size !== null && spool.size !== body.size) {
            throw new RejectedBlob(`truncated answer: ${spool.size} of ${body.size} bytes`);
          }
          const opening = open(spool.path, "r");
          opening.catch(() => {
          });
          let verdict;
          try {
            [verdict] = await Promise.all([
              this.#judgeZip(spool.path, module, version, expectation, digests),
              unsynced ? void 0 : spool.sync()
            ]);
          } catch (err) {
            await opening.then((h) => h.close()).catch(() => {
            });
            throw err;
          }
          const size = spool.size;
          const handle = await opening;
          const reader = new SharedFile(handle, size);
          let stored = false;
          let file;
          if (verdict.status === "unverified" || !spool.inStore) {
            file = await spool.detach();
          } else {
            stored = await spool.commit(unsynced ? { durable: false } : void 0);
            file = stored ? store.filePath(module, version, "zip") : spool.path;
          }
          unsynced?.(stored ? file : null);
          if (stored) {
            this.#o.onStored?.(size);
            await Promise.all([
              // The hash just computed, bound to the stored file as it is now (after the rename).
              this.#o.zipHashes?.remember(handle, module, version, verdict.hash).catch(() => {
              }),
              this.#storeZipRecords(module, version, verdict.hash, verdict.verification)
            ]);
          } else {
            this.#keepScratch(file);
          }
          progress.verified();
          if (stored) await this.#storeDirectExtras(module, version, body);
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
        } finally {
          digests.close();
          unsynced?.(null);
        }
      },
      this.#o.signal
    );
    if (result.ok) return result.value;
    if (result.status === 404) return { type: "not-found", message: result.message };
    return { type: "failed", message: result.message, streamedTo, streamed };
  }
  async #judgeZip(path, module, version, expectation, digests) {
    const { checkModuleZip } = await import("./module-zip-XW5XVI4G.js");
    let check;
    try {
      check = await checkModuleZip(path, module, version, { streamed: digests.digests });
    } catch (err) {
      throw new RejectedBlob(`${module}@${version}.zip is not a valid module zip: ${err.message}`);
    }
    const verification = this.#o.verifier.judge(expectation, check.hash);
    if (verification.status === "mismatch") throw new RejectedBlob(verification.message);
    return { status: verification.status, verification, hash: check.hash };
  }
  /** The stored zip's .ziphash and how it was verified (meta record). */
  async #storeZipRecords(module, version, zipHash, verification) {
    const { store } = this.#o;
    const tolerated = (err) => {
      if (!(err instanceof StoreWriteError)) throw err;
    };
    await Promise.all([
      store.writeFileAtomic(module, version, "ziphash", Buffer.from(zipHash)).catch(tolerated),
      // How the blob was verified, next to any recorded policy decision.
      store.updateMeta(module, version, (meta) => ({
        ...meta ?? {},
        verification: describeVerification(verification)
      })).catch(tolerated)
    ]);
  }
  /** A direct download brings .info and .mod with the zip: keep them (the .mod verified). */
  async #storeDirectExtras(module, version, body) {
    const { store, verifier } = this.#o;
    try {
      const direct = body.direct;
      if (!direct) return;
      if (!await store.stat(module, version, "mod")) {
        const v = await verifier.verify(module, version, "mod", hashGoMod(direct.mod));
        if (v.status === "verified" || v.status === "trusted")
          await store.writeFileDeferred(module, version, "mod", direct.mod);
      }
      if (!await store.stat(module, version, "info")) {
        await store.writeFileDeferred(module, version, "info", direct.info);
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
      await this.#o.store.writeFileDeferred(module, version, ext, bytes);
      this.#o.onStored?.(bytes.length);
      return null;
    } catch (err) {
      if (err instanceof StoreWriteError) return err.message;
      throw err;
    }
  }
  async #scratchPath() {
    this.#scratchDir ??= mkdtemp(join2(tmpdir2(), "goproxy-action-scratch-"));
    return join2(await this.#scratchDir, "blob.zip");
  }
  #keepScratch(path) {
    this.#scratch.add(path);
    setTimeout(() => {
      this.#scratch.delete(path);
      rm(path, { force: true }).catch(() => {
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

// src/proxy/zip-prefetch.ts
var maxQueued = 4096;
var ZipPrefetch = class {
  #o;
  /** Waiting to start, oldest first, with the time each was queued. */
  #queue = /* @__PURE__ */ new Map();
  /** Started and not yet asked for: under way, or done and stored. */
  #started = /* @__PURE__ */ new Map();
  #running = /* @__PURE__ */ new Set();
  #closed = false;
  constructor(options) {
    this.#o = options;
  }
  /** A client asked for this version's .info: its .zip may follow. */
  offer(module, version) {
    const key = `${module}@${version}`;
    if (this.#closed || this.#queue.has(key) || this.#started.has(key)) return;
    if (this.#queue.size >= maxQueued) return;
    this.#queue.set(key, { module, version, at: Date.now() });
    this.#pump();
  }
  /**
   * A client asks for this zip: null when no prefetch of it was started (one still queued is
   * dropped: the client fetches it now, itself), else the prefetch's result once it is done
   * (null when it stored nothing). Synchronous when there is none: a warm hit pays no await.
   */
  claim(module, version) {
    if (this.#queue.size === 0 && this.#started.size === 0) return null;
    const key = `${module}@${version}`;
    if (this.#queue.delete(key)) return null;
    const entry = this.#started.get(key);
    if (!entry) return null;
    this.#forget(key, entry);
    return entry.work.then((result) => {
      if (result !== null) this.#o.onPrefetched?.("asked");
      return result;
    });
  }
  /** Waits for the prefetches under way. */
  async settle() {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
  /** Starts no more; waits for those under way. */
  async close() {
    this.#closed = true;
    this.#queue.clear();
    for (const [key, entry] of this.#started) this.#forget(key, entry);
    await this.settle();
  }
  #forget(key, entry) {
    if (this.#started.get(key) !== entry) return;
    this.#started.delete(key);
    clearTimeout(entry.timer);
    this.#pump();
  }
  #pump() {
    const { concurrency, ahead, ttlMs } = this.#o;
    while (!this.#closed && this.#running.size < concurrency && this.#started.size < ahead) {
      const next = this.#queue.entries().next();
      if (next.done) return;
      const [key, { module, version, at }] = next.value;
      this.#queue.delete(key);
      if (Date.now() - at > ttlMs) continue;
      const work = this.#o.fetch(module, version).catch(() => null);
      const entry = {
        work,
        // Never asked: forgotten, so it holds no place in `ahead` for good (the zip stays stored).
        timer: setTimeout(() => this.#forget(key, entry), ttlMs).unref()
      };
      this.#started.set(key, entry);
      this.#running.add(work);
      void work.then((result) => {
        this.#running.delete(work);
        if (result === null) this.#forget(key, entry);
        else this.#o.onPrefetched?.("stored");
        this.#pump();
      });
    }
  }
};

// src/proxy/module-service.ts
var metadataConcurrency = 8;
var listMetadataLimit = 64;
var maxJudgedListLines = 1e4;
var zipPrefetchDefaults = { concurrency: 4, ahead: 32 };
var zipPrefetchTtlMs = 3e5;
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
  #zipPrefetch;
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
    const prefetch = options.zipPrefetch === void 0 ? zipPrefetchDefaults : options.zipPrefetch;
    this.#zipPrefetch = prefetch ? new ZipPrefetch({
      ...prefetch,
      ttlMs: zipPrefetchTtlMs,
      fetch: (module, version) => this.#prefetchZip(module, version),
      ...options.onPrefetched ? { onPrefetched: options.onPrefetched } : {}
    }) : null;
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
    await this.#zipPrefetch?.settle();
    await this.#fetch.settle();
  }
  /** Lets fetches under way finish for up to `graceMs`, then aborts them, whatever the upstream does. */
  async close(graceMs = 1e4) {
    let timer;
    const grace = new Promise((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all([this.#zipPrefetch?.close(), this.#fetch.settle()]), grace]);
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
    const claimed = this.#zipPrefetch?.claim(module, version);
    let prefetched = claimed ? await claimed : null;
    for (let attempt = 1; ; attempt++) {
      const stored = await store.openBlob(module, version, "zip");
      if (stored) {
        store.markUsed(module, version);
        if (prefetched) return this.#answer(prefetched, record, false, "application/zip", stored);
        record.source = "store";
        return content("application/zip", stored);
      }
      prefetched = null;
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
    if (fetched.blob.type === "ok" && kind === "info") {
      if (fetched.led) this.#prefetchMod(module, version);
      this.#offerZip(module, version);
    }
    return this.#answer(fetched, record, false, contentType, null);
  }
  /**
   * The go command asks for a version's .mod right after its .info: fetch it alongside (and
   * its checksum-database lookup with it), so the cold path costs one upstream round trip
   * less. The client's own .mod request joins this fetch or finds it stored.
   */
  #prefetchMod(module, version) {
    const key = `${module}@${version}`;
    if (this.#prefetches.has(key)) return;
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
      if (this.#prefetches.get(key) !== entry || this.#prefetchedBytes + size > maxPrefetchedBytes)
        return null;
      this.#prefetchedBytes += size;
      held = size;
      return fetched;
    })().catch(() => null);
    this.#prefetches.set(key, entry);
    setTimeout(() => {
      if (this.#prefetches.get(key) !== entry) return;
      this.#prefetches.delete(key);
      entry.release();
    }, 6e4).unref();
  }
  /**
   * Queues the zip of an .info the upstream answered. Not for a module the policy refuses by
   * path or version, nor one the chain fetches with the go command itself (`direct`, the
   * private modules' default: a VCS download per zip); the metadata rules are applied when it
   * starts (#prefetchZip).
   */
  #offerZip(module, version) {
    if (!this.#zipPrefetch) return;
    if (this.#o.chain.entriesFor(module)[0]?.kind !== "url") return;
    if (this.#o.policy?.beforeUpstream(module, version, "zip").action === "deny") return;
    this.#zipPrefetch.offer(module, version);
  }
  /**
   * One prefetch: the metadata rules a client's .zip request applies before it fetches (the
   * path and range rules were applied when it was offered; the policy is fixed for the
   * process), then the same fetch (one flight per blob: verified and committed as any). Always
   * answered whole, never streamed: the chain is walked as for a client, `|` fallbacks
   * included. The result is kept only when this prefetch fetched the zip and stored it;
   * otherwise the client fetches.
   */
  async #prefetchZip(module, version) {
    if (this.#o.policy && (await this.#metadataDecision(module, version)).action === "deny") return null;
    if (await this.#o.store.stat(module, version, "zip").catch(() => null)) return null;
    const fetched = await this.#fetch.fetch("zip", module, version, null);
    if (!fetched.led || fetched.blob.type !== "ok" || fetched.blob.notStored) return null;
    return fetched;
  }
  async #claimPrefetch(module, version) {
    const key = `${module}@${version}`;
    const entry = this.#prefetches.get(key);
    if (!entry) return null;
    this.#prefetches.delete(key);
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

// src/proxy/stale-answers.ts
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
      return await readFile(this.#path(module, name));
    } catch {
      return null;
    }
  }
};

// src/proxy/sumdb-passthrough.ts
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { join: join3 } = require("node:path");

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
  const proof = await computeFromTiles(tree.size, (read) => proveRecord(tree.size, id, read), readTile);
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
    (read) => proveTree(newer.size, older.size, read),
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
  const compute = (read) => nodes.map(({ coord }) => proveNode(tree.size, coord, read));
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
    const key = `${module}@${bare}`;
    const done = this.#verified.get(key);
    if (done) return Promise.resolve(done);
    let running = this.#lookups.get(key);
    if (!running) {
      running = this.#lookupUncached(module, bare).finally(() => this.#lookups.delete(key));
      this.#lookups.set(key, running);
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
function ok(body, cacheControl, fromUpstream = true) {
  return {
    status: 200,
    contentType: "text/plain; charset=utf-8",
    body,
    headers: { "cache-control": cacheControl },
    source: fromUpstream ? "upstream" : "store",
    ...fromUpstream ? { upstreamBytes: body.length } : {}
  };
}
function dropUnverifiedCache(storeRoot) {
  const dir = join3(storeRoot, sumdbDirName);
  const mark = join3(dir, verifiedMark);
  let marked = true;
  try {
    readFileSync(mark);
  } catch {
    marked = false;
  }
  if (marked) return;
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(mark, "answers in this directory were verified before they were stored\n");
  } catch {
  }
}

// src/proxy/proxy-engine.ts
async function buildProxyEngine(settings) {
  const { store, isNoSum } = settings;
  const http = new HttpUpstream({ ...settings.http, credentials: settings.credentials });
  const chain = new UpstreamChain({
    entries: settings.entries,
    ...settings.privateEntries ? { privateEntries: settings.privateEntries } : {},
    isPrivate: settings.isPrivate,
    http,
    direct: new DirectFetcher({
      goBinary: settings.goBinary,
      env: settings.env,
      ...settings.http?.deadlineMs ? { timeoutMs: settings.http.deadlineMs } : {}
    })
  });
  const sumdb = await SumdbPassthrough.open({
    store,
    http,
    entries: settings.entries,
    database: settings.database,
    isNoSum
  });
  const verifier = new BlobVerifier({
    goSum: settings.goSum,
    isNoSum,
    sumdbName: settings.database?.name ?? null,
    sumdbLookup: sumdb.verifies ? (module, version) => sumdb.lookupLines(module, version) : null
  });
  const modules = new ModuleService({
    store,
    chain,
    verifier,
    stale: new StaleAnswers(settings.storeDir),
    policy: settings.policy,
    onStored: settings.onStored,
    zipHashes: settings.zipHashes,
    ...settings.listMetadataLimit !== void 0 ? { listMetadataLimit: settings.listMetadataLimit } : {},
    ...settings.zipPrefetch !== void 0 ? { zipPrefetch: settings.zipPrefetch } : {},
    ...settings.onPrefetched ? { onPrefetched: settings.onPrefetched } : {}
  });
  return { modules, sumdb, http };
}
export {
  ProxyPolicy,
  buildProxyEngine
};

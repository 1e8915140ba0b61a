import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  ModulePathError,
  checkPathMajor,
  goQuote,
  goQuoteRune,
  randomBytes,
  splitPathVersion
} from "./chunk-HEGZARSW.js";
import {
  canonicalVersion,
  chmod,
  compareVersions,
  writeFile
} from "./chunk-TPCHYJEY.js";

// src/daemon/client-token.ts
var CLIENT_TOKEN_ENV = "GOPROXY_ACTION_CLIENT_TOKEN";
var CLIENT_TOKEN_SHOWN = "<client token>";
function newClientToken() {
  return randomBytes(24).toString("base64url");
}
function hideClientPath(url) {
  return url.replace(/^(https?:\/\/[^/]+)\/[A-Za-z0-9_-]{32}\/?$/, `$1/${CLIENT_TOKEN_SHOWN}`);
}
function hideClientToken(text, token) {
  return token ? text.replaceAll(token, CLIENT_TOKEN_SHOWN) : text;
}

// src/upstream/redact-secrets.ts
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
    if (!missing && typeof err.stderr === "string") {
      const said = redactUrlUserinfo(err.stderr).trim().split("\n").slice(0, 3).join("; ");
      throw new Error(
        `'${goBinary} env' failed${said ? `: ${said}` : ` (${err.message.split("\n")[0]})`}; fix the setting it names (the job's environment or the go env file, GOENV)`
      );
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

// src/remote/netrc.ts
const { readFileSync } = require("node:fs");
const { homedir } = require("node:os");
const { join } = require("node:path");
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
      const [key, value] = [fields[i], fields[i + 1]];
      if (key === "machine") current = { machine: value };
      else if (key === "login") current.login = value;
      else if (key === "password") current.password = value;
      else if (key === "macdef") inMacro = true;
      if (current.machine && current.login && current.password) {
        entries.push(current);
        current = {};
      }
    }
    if (fields[i] === "default") break;
  }
  return entries;
}
function checkToken(what, value) {
  if (value === "" || /\s/.test(value)) {
    throw new Error(
      `the ${what} ${value === "" ? "is empty" : "contains white space"}, which a netrc file cannot hold; the go command would never send it`
    );
  }
}
function mergeNetrc(existing, ours) {
  checkToken("proxy host", ours.machine);
  checkToken("proxy username", ours.login);
  checkToken("proxy password or token", ours.password);
  const kept = existing.filter((e) => e.machine !== ours.machine);
  return [ours, ...kept].map((e) => `machine ${e.machine} login ${e.login} password ${e.password}
`).join("");
}
function userNetrcPath(env, home = homedir()) {
  if (env.NETRC) return env.NETRC;
  return join(home, process.platform === "win32" ? "_netrc" : ".netrc");
}
async function readUserNetrc(path) {
  try {
    return parseNetrc(readFileSync(path, "utf8"));
  } catch (err) {
    if (err.code === "ENOENT") return [];
    throw new Error(`cannot read the existing netrc file ${path} (${err.message})`);
  }
}
function netrcMachineFor(proxyUrl) {
  return new URL(proxyUrl).host;
}
async function writeNetrcFile(options) {
  const text = mergeNetrc(options.existing, options.ours);
  const file = join(options.dir, ".netrc");
  await writeFile(file, text, { mode: 384 });
  await chmod(file, 384);
  return file;
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
function parseGoWork(text, file) {
  const stmts = parseOrThrow(file, text);
  const out = { go: null, toolchain: null, use: [], replace: [], godebug: [] };
  const problems = [];
  const add = (_block, line, verb, args) => {
    const lineNo = line.start.line;
    switch (verb) {
      case "go":
        if (out.go !== null) throw new DirectiveError("repeated go statement");
        out.go = parseGoVersion(args, false);
        return;
      case "toolchain":
        if (out.toolchain !== null) throw new DirectiveError("repeated toolchain statement");
        out.toolchain = parseToolchain(args);
        return;
      case "godebug":
        out.godebug.push({ ...parseGodebug(args), line: lineNo });
        return;
      case "use":
        out.use.push({ dir: singlePath(args, `usage: ${verb} local/dir`), line: lineNo });
        return;
      case "replace":
        out.replace.push(parseReplace(verb, args, lineNo));
        return;
      default:
        throw new DirectiveError(`unknown directive: ${verb}`);
    }
  };
  runDirectives(file, stmts, problems, true, ["godebug", "use", "replace"], add);
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

export {
  CLIENT_TOKEN_ENV,
  CLIENT_TOKEN_SHOWN,
  newClientToken,
  hideClientPath,
  hideClientToken,
  redactUrlUserinfo,
  redactSecrets,
  readGoEnv,
  GoModError,
  parseGoMod,
  parseGoWork,
  isRetracted,
  retractionRationales,
  userNetrcPath,
  readUserNetrc,
  netrcMachineFor,
  writeNetrcFile
};

// go.mod and go.work files, parsed the way golang.org/x/mod/modfile does (Parse, ParseLax,
// ParseWork with no version fixer): the same lexer, the same attachment of comments to
// directives (deprecation notices and retraction rationales live in comments), the same
// directive rules and error wording, with file:line positions.

import { goQuote, goQuoteRune } from './go-quote.ts';
import { checkPathMajor, ModulePathError, splitPathVersion } from './module-path.ts';
import { canonicalVersion, compareVersions } from './version.ts';

export interface ModVersion {
  path: string;
  /** '' when absent (a replace of every version, or a directory replacement). */
  version: string;
}

export interface GoModRequire {
  path: string;
  version: string;
  indirect: boolean;
  line: number;
}

export interface GoModReplace {
  old: ModVersion;
  new: ModVersion;
  line: number;
}

export interface GoModRetract {
  low: string;
  high: string;
  /** The comments before or on the retract line ('' if none: "retracted by module author"). */
  rationale: string;
  line: number;
}

export interface GoModFile {
  module: { path: string; line: number } | null;
  go: string | null;
  toolchain: string | null;
  /** The text after "Deprecated:" in the module directive's comments; null if not deprecated. */
  deprecated: string | null;
  require: GoModRequire[];
  exclude: { path: string; version: string; line: number }[];
  replace: GoModReplace[];
  retract: GoModRetract[];
  tool: { path: string; line: number }[];
  ignore: { path: string; line: number }[];
  godebug: { key: string; value: string; line: number }[];
}

export interface GoWorkFile {
  go: string | null;
  toolchain: string | null;
  use: { dir: string; line: number }[];
  replace: GoModReplace[];
  godebug: { key: string; value: string; line: number }[];
}

export interface GoModProblem {
  file: string;
  line: number;
  /** 1-based column in runes, as Go counts it. */
  column: number;
  message: string;
}

/** A go.mod/go.work the go command would refuse. The message lists "file:line: problem" lines. */
export class GoModError extends Error {
  readonly problems: GoModProblem[];
  constructor(problems: GoModProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'GoModError';
    this.problems = problems;
  }
}

function formatProblem(p: GoModProblem): string {
  const pos =
    p.column > 1 ? `${p.file}:${p.line}:${p.column}: ` : p.line > 0 ? `${p.file}:${p.line}: ` : `${p.file}: `;
  return pos + p.message;
}

// ---- lexer and syntax tree (modfile/read.go) ----

interface Position {
  line: number;
  lineRune: number;
  /** Offset in UTF-16 units: only compared, never mixed with Go's byte offsets. */
  offset: number;
}

interface Comment {
  start: Position;
  token: string;
  suffix: boolean;
}

interface Comments {
  before: Comment[];
  suffix: Comment[];
}

interface LineExpr extends Comments {
  kind: 'line';
  start: Position;
  end: Position;
  token: string[];
}

interface ParenExpr extends Comments {
  kind: 'paren';
  pos: Position;
}

interface BlockExpr extends Comments {
  kind: 'block';
  start: Position;
  token: string[];
  lparen: ParenExpr;
  lines: LineExpr[];
  rparen: ParenExpr;
}

interface CommentBlockExpr extends Comments {
  kind: 'comments';
  start: Position;
}

type Stmt = LineExpr | BlockExpr | CommentBlockExpr;

const EOF = 'EOF';
const EOLCOMMENT = 'EOLCOMMENT';
const IDENT = 'IDENT';
const STRING = 'STRING';
const COMMENT = 'COMMENT';
type TokenKind = typeof EOF | typeof EOLCOMMENT | typeof IDENT | typeof STRING | typeof COMMENT | string;

interface Token {
  kind: TokenKind;
  pos: Position;
  endPos: Position;
  text: string;
}

function isEOL(k: TokenKind): boolean {
  return k === EOF || k === EOLCOMMENT || k === '\n';
}

/** Thrown inside the lexer/parser to stop at the first syntax error, as modfile does. */
class SyntaxStop {
  readonly problem: GoModProblem;
  constructor(problem: GoModProblem) {
    this.problem = problem;
  }
}

// unicode.IsPrint minus the ASCII space, and not unicode.IsSpace.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isIdent(c: string): boolean {
  switch (c) {
    case ' ':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case ',':
    case '':
      return false;
    default:
      return printable.test(c);
  }
}

class Lexer {
  readonly file: string;
  readonly text: string;
  /** Index into `text` of the next unread character. */
  i = 0;
  pos: Position = { line: 1, lineRune: 1, offset: 0 };
  token: Token;
  comments: Comment[] = [];
  #tokenStart = 0;

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.token = { kind: EOF, pos: this.pos, endPos: this.pos, text: '' };
    this.readToken();
  }

  fail(message: string): never {
    throw new SyntaxStop({ file: this.file, line: this.pos.line, column: this.pos.lineRune, message });
  }

  eof(): boolean {
    return this.i >= this.text.length;
  }

  peekRune(): string {
    if (this.eof()) return '';
    return String.fromCodePoint(this.text.codePointAt(this.i) as number);
  }

  readRune(): string {
    const c = this.peekRune();
    this.i += c.length;
    if (c === '\n') this.pos = { line: this.pos.line + 1, lineRune: 1, offset: this.i };
    else this.pos = { line: this.pos.line, lineRune: this.pos.lineRune + 1, offset: this.i };
    return c;
  }

  startToken(): void {
    this.#tokenStart = this.i;
    this.token = { kind: EOF, pos: this.pos, endPos: this.pos, text: '' };
  }

  endToken(kind: TokenKind): void {
    let text = this.text.slice(this.#tokenStart, this.i);
    if (kind === COMMENT || kind === EOLCOMMENT) {
      if (text.endsWith('\r\n')) text = text.slice(0, -2);
      else if (text.endsWith('\n')) text = text.slice(0, -1);
    }
    this.token = { kind, pos: this.token.pos, endPos: this.pos, text };
  }

  peek(): TokenKind {
    return this.token.kind;
  }

  lex(): Token {
    const tok = this.token;
    this.readToken();
    return tok;
  }

  readToken(): void {
    while (!this.eof()) {
      const c = this.peekRune();
      if (c === ' ' || c === '\t' || c === '\r') {
        this.readRune();
        continue;
      }
      if (this.text.startsWith('//', this.i)) {
        this.startToken();
        const lineStart = this.text.lastIndexOf('\n', this.i - 1) + 1;
        const suffix = this.text.slice(lineStart, this.i).trim() !== '';
        this.readRune();
        this.readRune();
        while (!this.eof() && this.readRune() !== '\n') {}
        if (!suffix) {
          this.endToken(COMMENT);
          return;
        }
        this.endToken(EOLCOMMENT);
        this.comments.push({ start: this.token.pos, token: this.token.text, suffix });
        return;
      }
      if (this.text.startsWith('/*', this.i))
        this.fail('mod files must use // comments (not /* */ comments)');
      break;
    }
    this.startToken();
    if (this.eof()) {
      this.endToken(EOF);
      return;
    }
    const c = this.peekRune();
    if ('\n()[]{},'.includes(c)) {
      this.readRune();
      this.endToken(c);
      return;
    }
    if (c === '"' || c === '`') {
      this.readRune();
      for (;;) {
        if (this.eof()) {
          this.pos = this.token.pos;
          this.fail('unexpected EOF in string');
        }
        if (this.peekRune() === '\n') this.fail('unexpected newline in string');
        const r = this.readRune();
        if (r === c) break;
        if (r === '\\' && c !== '`') {
          if (this.eof()) {
            this.pos = this.token.pos;
            this.fail('unexpected EOF in string');
          }
          this.readRune();
        }
      }
      this.endToken(STRING);
      return;
    }
    if (!isIdent(c)) this.fail(`unexpected input character ${goQuoteRune(c)}`);
    while (isIdent(this.peekRune())) {
      if (this.text.startsWith('//', this.i)) break;
      if (this.text.startsWith('/*', this.i))
        this.fail('mod files must use // comments (not /* */ comments)');
      this.readRune();
    }
    this.endToken(IDENT);
  }
}

function emptyComments(): Comments {
  return { before: [], suffix: [] };
}

function parseSyntax(lx: Lexer): Stmt[] {
  const stmts: Stmt[] = [];
  let cb: CommentBlockExpr | null = null;
  for (;;) {
    const k = lx.peek();
    if (k === '\n') {
      lx.lex();
      if (cb) {
        stmts.push(cb);
        cb = null;
      }
    } else if (k === COMMENT) {
      const tok = lx.lex();
      cb ??= { kind: 'comments', start: tok.pos, ...emptyComments() };
      cb.before.push({ start: tok.pos, token: tok.text, suffix: false });
    } else if (k === EOF) {
      if (cb) stmts.push(cb);
      return stmts;
    } else {
      parseStmt(lx, stmts);
      if (cb) {
        (stmts[stmts.length - 1] as Stmt).before = cb.before;
        cb = null;
      }
    }
  }
}

function parseStmt(lx: Lexer, stmts: Stmt[]): void {
  const first = lx.lex();
  const start = first.pos;
  let end = first.endPos;
  const tokens = [first.text];
  for (;;) {
    const tok = lx.lex();
    if (isEOL(tok.kind)) {
      stmts.push({ kind: 'line', start, end, token: tokens, ...emptyComments() });
      return;
    }
    if (tok.kind === '(') {
      const next = lx.peek();
      if (isEOL(next)) {
        stmts.push(parseLineBlock(lx, start, tokens, tok));
        return;
      }
      if (next === ')') {
        const rparen = lx.lex();
        if (isEOL(lx.peek())) {
          lx.lex();
          stmts.push({
            kind: 'block',
            start,
            token: tokens,
            lparen: { kind: 'paren', pos: tok.pos, ...emptyComments() },
            lines: [],
            rparen: { kind: 'paren', pos: rparen.pos, ...emptyComments() },
            ...emptyComments(),
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

function parseLineBlock(lx: Lexer, start: Position, token: string[], lparen: Token): BlockExpr {
  const block: BlockExpr = {
    kind: 'block',
    start,
    token,
    lparen: { kind: 'paren', pos: lparen.pos, ...emptyComments() },
    lines: [],
    rparen: { kind: 'paren', pos: lparen.pos, ...emptyComments() },
    ...emptyComments(),
  };
  let comments: Comment[] = [];
  const blank = (c: Comment | undefined) => c !== undefined && c.token === '' && c.start.offset === -1;
  for (;;) {
    const k = lx.peek();
    if (k === EOLCOMMENT) {
      lx.lex();
    } else if (k === '\n') {
      lx.lex();
      // A blank line separates comment paragraphs: remember it as an empty comment.
      if (
        (comments.length === 0 && block.lines.length > 0) ||
        (comments.length > 0 && !blank(comments.at(-1)))
      ) {
        comments.push({ start: { line: 0, lineRune: 0, offset: -1 }, token: '', suffix: false });
      }
    } else if (k === COMMENT) {
      const tok = lx.lex();
      comments.push({ start: tok.pos, token: tok.text, suffix: false });
    } else if (k === EOF) {
      lx.fail(`syntax error (unterminated block started at ${lx.file}:${start.line}:${start.lineRune})`);
    } else if (k === ')') {
      const rparen = lx.lex();
      if (comments.length === 1 && blank(comments[0])) comments = [];
      block.rparen = { kind: 'paren', pos: rparen.pos, before: comments, suffix: [] };
      if (!isEOL(lx.peek())) lx.fail('syntax error (expected newline after closing paren)');
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

function parseLine(lx: Lexer): LineExpr {
  const first = lx.lex();
  if (isEOL(first.kind)) lx.fail('internal parse error: parseLine at end of line');
  const start = first.pos;
  let end = first.endPos;
  const tokens = [first.text];
  for (;;) {
    const tok = lx.lex();
    if (isEOL(tok.kind)) return { kind: 'line', start, end, token: tokens, ...emptyComments() };
    tokens.push(tok.text);
    end = tok.endPos;
  }
}

function plus(p: Position, s: string): Position {
  return { line: p.line, lineRune: p.lineRune + s.length, offset: p.offset + s.length };
}

/** assignComments: end-of-line comments go to the innermost expression ending on that line before them. */
function assignSuffixComments(stmts: Stmt[], all: Comment[]): void {
  const post: { span: [Position, Position]; com: Comments }[] = [];
  for (const s of stmts) {
    if (s.kind === 'block') {
      post.push({ span: [s.lparen.pos, plus(s.lparen.pos, ')')], com: s.lparen });
      for (const l of s.lines) post.push({ span: [l.start, l.end], com: l });
      post.push({ span: [s.rparen.pos, plus(s.rparen.pos, ')')], com: s.rparen });
      post.push({ span: [s.start, plus(s.rparen.pos, ')')], com: s });
    } else if (s.kind === 'line') {
      post.push({ span: [s.start, s.end], com: s });
    } else {
      post.push({ span: [s.start, s.start], com: s });
    }
  }
  const suffix = all.filter((c) => c.suffix);
  for (let i = post.length - 1; i >= 0; i--) {
    const { span, com } = post[i] as (typeof post)[number];
    if (span[0].line !== span[1].line) continue;
    while (suffix.length > 0 && span[1].offset <= (suffix.at(-1) as Comment).start.offset) {
      com.suffix.push(suffix.pop() as Comment);
    }
  }
  for (const p of post) p.com.suffix.reverse();
}

function parseFileSyntax(file: string, text: string): Stmt[] {
  const lx = new Lexer(file, text);
  const stmts = parseSyntax(lx);
  assignSuffixComments(stmts, lx.comments);
  return stmts;
}

// ---- directives (modfile/rule.go, work.go) ----

/** strconv.Unquote for a double-quoted Go string literal; throws with Go's "invalid syntax". */
export function goUnquote(s: string): string {
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) throw new Error('invalid syntax');
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; ) {
    const c = body[i] as string;
    if (c === '"' || c === '\n') throw new Error('invalid syntax');
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      '"': '"',
    };
    if (e !== undefined && e in simple) {
      out += simple[e];
      i += 2;
      continue;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) throw new Error('invalid syntax');
      const value = Number.parseInt(hex, 16);
      if (e === 'x') {
        // A \x byte: only meaningful as a whole UTF-8 sequence; ASCII is all go.mod needs.
        if (value >= 0x80) throw new Error('invalid syntax: non-ASCII \\x escape is not supported');
        out += String.fromCharCode(value);
      } else {
        if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) throw new Error('invalid syntax');
        out += String.fromCodePoint(value);
      }
      i += 2 + hexLen;
      continue;
    }
    if (e !== undefined && e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
      const value = Number.parseInt(oct, 8);
      if (value >= 0x80) throw new Error('invalid syntax: non-ASCII octal escape is not supported');
      out += String.fromCharCode(value);
      i += 4;
      continue;
    }
    throw new Error('invalid syntax');
  }
  return out;
}

/** parseString: unquotes a "quoted" token; an unquoted token may not contain quotes. */
function parseString(t: string): string {
  if (t.startsWith('"')) return goUnquote(t);
  if (/["'`]/.test(t)) throw new Error('unquoted string cannot contain quote');
  return t;
}

const goVersionRE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
const laxGoVersionRE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/s;
const toolchainRE = /^default$|^go1($|\.)/;
const deprecatedRE = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/;

/** A directive's problem, with the module path and verb Go prefixes to it when it has them. */
class DirectiveError extends Error {
  readonly verb: string;
  readonly modPath: string;
  constructor(message: string, verb = '', modPath = '') {
    super(message);
    this.verb = verb;
    this.modPath = modPath;
  }
  text(): string {
    if (this.modPath) return `${this.verb} ${this.modPath}: ${this.message}`;
    if (this.verb) return `${this.verb}: ${this.message}`;
    return this.message;
  }
}

/** parseVersion with no fixer: the version must have a canonical form, which replaces it. */
function parseVersion(verb: string, path: string, token: string, canonicalize: boolean): string {
  let t: string;
  try {
    t = parseString(token);
  } catch (err) {
    throw new DirectiveError(`version ${goQuote(token)} invalid: ${(err as Error).message}`, verb, path);
  }
  if (!canonicalize) return t;
  const cv = canonicalVersion(t);
  if (cv === '')
    throw new DirectiveError(`version ${goQuote(t)} invalid: must be of the form v1.2.3`, verb, path);
  return cv;
}

function checkMajor(verb: string, path: string, version: string, pathMajor: string): void {
  try {
    checkPathMajor(version, pathMajor);
  } catch (err) {
    if (err instanceof ModulePathError) throw new DirectiveError(err.message, verb, path);
    throw err;
  }
}

function modulePathMajor(path: string): string {
  const split = splitPathVersion(path);
  if (!split) throw new DirectiveError('invalid module path');
  return split.pathMajor;
}

/** Comments before or on a directive's line (or its block's), "//" and spaces trimmed, one per line. */
function directiveComment(block: BlockExpr | null, line: LineExpr): string {
  let com: Comments = line;
  if (block && line.before.length === 0 && line.suffix.length === 0) com = block;
  const lines: string[] = [];
  for (const c of [...com.before, ...com.suffix]) {
    if (!c.token.startsWith('//')) continue; // blank line
    lines.push(c.token.slice(2).trim());
  }
  return lines.join('\n');
}

function isIndirect(line: LineExpr): boolean {
  const first = line.suffix[0];
  if (!first) return false;
  const f = first.token.replace(/^\/\//, '').trim().split(/\s+/).filter(Boolean);
  return (f.length === 1 && f[0] === 'indirect') || (f.length > 1 && f[0] === 'indirect;');
}

/** modfile.IsDirectoryPath: a replacement that names a local directory. */
export function isDirectoryPath(ns: string): boolean {
  return (
    ns === '.' ||
    ns.startsWith('./') ||
    ns.startsWith('.\\') ||
    ns === '..' ||
    ns.startsWith('../') ||
    ns.startsWith('..\\') ||
    ns.startsWith('/') ||
    ns.startsWith('\\') ||
    (ns.length >= 2 && /^[A-Za-z]:/.test(ns))
  );
}

function invalidQuoted(err: unknown): DirectiveError {
  return new DirectiveError(`invalid quoted string: ${(err as Error).message}`);
}

function parseReplace(verb: string, args: string[], line: number): GoModReplace {
  const arrow = args.length >= 2 && args[1] === '=>' ? 1 : 2;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args[arrow] !== '=>') {
    throw new DirectiveError(
      `usage: ${verb} module/path [v1.2.3] => other/module v1.4\n\t or ${verb} module/path [v1.2.3] => ../local/directory`,
    );
  }
  let s: string;
  try {
    s = parseString(args[0] as string);
  } catch (err) {
    throw invalidQuoted(err);
  }
  let pathMajor: string;
  try {
    pathMajor = modulePathMajor(s);
  } catch (err) {
    throw new DirectiveError((err as Error).message, verb, s);
  }
  let v = '';
  if (arrow === 2) {
    v = parseVersion(verb, s, args[1] as string, true);
    checkMajor(verb, s, v, pathMajor);
  }
  let ns: string;
  try {
    ns = parseString(args[arrow + 1] as string);
  } catch (err) {
    throw invalidQuoted(err);
  }
  let nv = '';
  if (args.length === arrow + 2) {
    if (!isDirectoryPath(ns)) {
      if (ns.includes('@')) {
        throw new DirectiveError("replacement module must match format 'path version', not 'path@version'");
      }
      throw new DirectiveError(
        'replacement module without version must be directory path (rooted or starting with . or ..)',
      );
    }
    if (ns.includes('\\'))
      throw new DirectiveError('replacement directory appears to be Windows path (on a non-windows system)');
  }
  if (args.length === arrow + 3) {
    nv = parseVersion(verb, ns, args[arrow + 2] as string, true);
    if (isDirectoryPath(ns))
      throw new DirectiveError(`replacement module directory path ${goQuote(ns)} cannot have version`);
  }
  return { old: { path: s, version: v }, new: { path: ns, version: nv }, line };
}

/** parseVersionInterval for retract: "v1.0.0" or "[v1.0.0, v1.2.0]"; versions kept as written. */
function parseRetractInterval(args: string[]): { low: string; high: string; rest: string[] } {
  let toks = args;
  if (toks.length === 0 || toks[0] === '(') throw new DirectiveError("expected '[' or version");
  if (toks[0] !== '[') {
    const v = parseVersion('retract', '', toks[0] as string, false);
    return { low: v, high: v, rest: toks.slice(1) };
  }
  toks = toks.slice(1);
  if (toks.length === 0) throw new DirectiveError("expected version after '['");
  const low = parseVersion('retract', '', toks[0] as string, false);
  toks = toks.slice(1);
  if (toks.length === 0 || toks[0] !== ',') throw new DirectiveError("expected ',' after version");
  toks = toks.slice(1);
  if (toks.length === 0) throw new DirectiveError("expected version after ','");
  const high = parseVersion('retract', '', toks[0] as string, false);
  toks = toks.slice(1);
  if (toks.length === 0 || toks[0] !== ']') throw new DirectiveError("expected ']' after version");
  return { low, high, rest: toks.slice(1) };
}

function parseGodebug(args: string[]): { key: string; value: string } {
  const arg = args[0];
  if (args.length !== 1 || arg === undefined || /["`',]/.test(arg) || !arg.includes('=')) {
    throw new DirectiveError('usage: godebug key=value');
  }
  const eq = arg.indexOf('=');
  return { key: arg.slice(0, eq), value: arg.slice(eq + 1) };
}

function parseGoVersion(args: string[], lax: boolean): string {
  if (args.length !== 1) throw new DirectiveError('go directive expects exactly one argument');
  const v = args[0] as string;
  if (goVersionRE.test(v)) return v;
  const m = lax ? laxGoVersionRE.exec(v) : null;
  if (m) return m[1] as string;
  throw new DirectiveError(`invalid go version '${v}': must match format 1.23.0`);
}

function parseToolchain(args: string[]): string {
  if (args.length !== 1) throw new DirectiveError('toolchain directive expects exactly one argument');
  if (!toolchainRE.test(args[0] as string)) {
    throw new DirectiveError(`invalid toolchain version '${args[0]}': must match format go1.23.0 or default`);
  }
  return args[0] as string;
}

function singlePath(args: string[], usage: string): string {
  if (args.length !== 1) throw new DirectiveError(usage);
  try {
    return parseString(args[0] as string);
  } catch (err) {
    throw invalidQuoted(err);
  }
}

export interface ParseGoModOptions {
  /**
   * modfile.ParseLax: how the go command reads dependencies' go.mod files. Only module, go,
   * require, retract and ignore count; other directives and malformed retractions are ignored.
   */
  lax?: boolean;
}

/**
 * modfile.Parse (or ParseLax with `lax`): throws GoModError listing each problem as
 * "file:line: ..." exactly as the go command words it. Versions in require/exclude/replace
 * are canonicalized ("v1.2" -> "v1.2.0"); retract versions are kept as written.
 */
export function parseGoMod(text: string, file: string, options: ParseGoModOptions = {}): GoModFile {
  const strict = !options.lax;
  const stmts = parseOrThrow(file, text);
  const out: GoModFile = {
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
    godebug: [],
  };
  const problems: GoModProblem[] = [];
  let sawModule = false;

  const add = (block: BlockExpr | null, line: LineExpr, verb: string, args: string[]) => {
    if (!strict && !['go', 'module', 'retract', 'require', 'ignore'].includes(verb)) return;
    const lineNo = line.start.line;
    switch (verb) {
      case 'go':
        if (out.go !== null) throw new DirectiveError('repeated go statement');
        out.go = parseGoVersion(args, !strict);
        return;
      case 'toolchain':
        if (out.toolchain !== null) throw new DirectiveError('repeated toolchain statement');
        out.toolchain = parseToolchain(args);
        return;
      case 'module': {
        if (sawModule) throw new DirectiveError('repeated module statement');
        sawModule = true;
        const m = deprecatedRE.exec(directiveComment(block, line));
        out.deprecated = m && m[1] !== '' ? (m[1] as string) : null;
        out.module = { path: '', line: lineNo };
        if (args.length !== 1) throw new DirectiveError('usage: module module/path');
        try {
          out.module.path = parseString(args[0] as string);
        } catch (err) {
          throw invalidQuoted(err);
        }
        return;
      }
      case 'godebug':
        out.godebug.push({ ...parseGodebug(args), line: lineNo });
        return;
      case 'require':
      case 'exclude': {
        if (args.length !== 2) throw new DirectiveError(`usage: ${verb} module/path v1.2.3`);
        let s: string;
        try {
          s = parseString(args[0] as string);
        } catch (err) {
          throw invalidQuoted(err);
        }
        const v = parseVersion(verb, s, args[1] as string, true);
        const pathMajor = modulePathMajor(s);
        checkMajor(verb, s, v, pathMajor);
        if (verb === 'require')
          out.require.push({ path: s, version: v, indirect: isIndirect(line), line: lineNo });
        else out.exclude.push({ path: s, version: v, line: lineNo });
        return;
      }
      case 'replace':
        out.replace.push(parseReplace(verb, args, lineNo));
        return;
      case 'retract': {
        const rationale = directiveComment(block, line);
        let interval: ReturnType<typeof parseRetractInterval>;
        try {
          interval = parseRetractInterval(args);
        } catch (err) {
          if (strict) throw err;
          return;
        }
        if (interval.rest.length > 0 && strict) {
          throw new DirectiveError(`unexpected token after version: ${goQuote(interval.rest[0] as string)}`);
        }
        out.retract.push({ low: interval.low, high: interval.high, rationale, line: lineNo });
        return;
      }
      case 'tool':
        out.tool.push({
          path: singlePath(args, 'tool directive expects exactly one argument'),
          line: lineNo,
        });
        return;
      case 'ignore':
        out.ignore.push({
          path: singlePath(args, 'ignore directive expects exactly one argument'),
          line: lineNo,
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
    ['module', 'godebug', 'require', 'exclude', 'replace', 'retract', 'tool', 'ignore'],
    add,
  );
  if (problems.length > 0) throw new GoModError(problems);
  return out;
}

/** modfile.ParseWork: a go.work file (go, toolchain, godebug, use, replace). */
export function parseGoWork(text: string, file: string): GoWorkFile {
  const stmts = parseOrThrow(file, text);
  const out: GoWorkFile = { go: null, toolchain: null, use: [], replace: [], godebug: [] };
  const problems: GoModProblem[] = [];
  const add = (_block: BlockExpr | null, line: LineExpr, verb: string, args: string[]) => {
    const lineNo = line.start.line;
    switch (verb) {
      case 'go':
        if (out.go !== null) throw new DirectiveError('repeated go statement');
        out.go = parseGoVersion(args, false);
        return;
      case 'toolchain':
        if (out.toolchain !== null) throw new DirectiveError('repeated toolchain statement');
        out.toolchain = parseToolchain(args);
        return;
      case 'godebug':
        out.godebug.push({ ...parseGodebug(args), line: lineNo });
        return;
      case 'use':
        out.use.push({ dir: singlePath(args, `usage: ${verb} local/dir`), line: lineNo });
        return;
      case 'replace':
        out.replace.push(parseReplace(verb, args, lineNo));
        return;
      default:
        throw new DirectiveError(`unknown directive: ${verb}`);
    }
  };
  runDirectives(file, stmts, problems, true, ['godebug', 'use', 'replace'], add);
  if (problems.length > 0) throw new GoModError(problems);
  return out;
}

function parseOrThrow(file: string, text: string): Stmt[] {
  try {
    return parseFileSyntax(file, text);
  } catch (err) {
    if (err instanceof SyntaxStop) throw new GoModError([err.problem]);
    throw err;
  }
}

function runDirectives(
  file: string,
  stmts: Stmt[],
  problems: GoModProblem[],
  strict: boolean,
  blockVerbs: string[],
  add: (block: BlockExpr | null, line: LineExpr, verb: string, args: string[]) => void,
): void {
  const apply = (block: BlockExpr | null, line: LineExpr, verb: string, args: string[]) => {
    try {
      add(block, line, verb, args);
    } catch (err) {
      if (!(err instanceof DirectiveError)) throw err;
      problems.push({ file, line: line.start.line, column: line.start.lineRune, message: err.text() });
    }
  };
  for (const s of stmts) {
    if (s.kind === 'line') {
      apply(null, s, s.token[0] as string, s.token.slice(1));
    } else if (s.kind === 'block') {
      if (s.token.length > 1 || !blockVerbs.includes(s.token[0] as string)) {
        if (strict) {
          problems.push({
            file,
            line: s.start.line,
            column: s.start.lineRune,
            message: `unknown block type: ${s.token.join(' ')}`,
          });
        }
        continue;
      }
      for (const l of s.lines) apply(s, l, s.token[0] as string, l.token);
    }
  }
}

/** True when `version` falls in one of the retract intervals (inclusive, Go semver order). */
export function isRetracted(
  version: string,
  retract: readonly Pick<GoModRetract, 'low' | 'high'>[],
): boolean {
  return retract.some((r) => compareVersions(r.low, version) <= 0 && compareVersions(version, r.high) <= 0);
}

/** The rationales of every retraction covering `version` (empty ones left out), like the go command collects them. */
export function retractionRationales(version: string, retract: readonly GoModRetract[]): string[] {
  return retract
    .filter((r) => compareVersions(r.low, version) <= 0 && compareVersions(version, r.high) <= 0)
    .map((r) => r.rationale)
    .filter((r) => r !== '');
}

/** What one go.mod's retractions say of a version: isRetracted and the first of retractionRationales ('' if none). */
export type RetractionLookup = (version: string) => { retracted: boolean; rationale: string };

/**
 * isRetracted and retractionRationales(...)[0] for many versions against one go.mod: built
 * once (a sweep over the intervals' ends in version order), then a binary search per version.
 * A list judged under a policy asks about every listed version (up to 10,000), and a go.mod
 * of 16 MiB holds about a million intervals: scanning them all per version blocked the proxy
 * for minutes.
 */
export function retractionLookup(retract: readonly GoModRetract[]): RetractionLookup {
  // The distinct ends in version order; strings that compare equal share one place.
  const points: string[] = [];
  const placeOf = new Map<string, number>();
  for (const end of [...new Set(retract.flatMap((r) => [r.low, r.high]))].sort(compareVersions)) {
    if (points.length === 0 || compareVersions(points.at(-1) as string, end) !== 0) points.push(end);
    placeOf.set(end, points.length - 1);
  }
  // Pieces of the version line: 0 below every end, 2i+1 at end i, 2i+2 between ends i and i+1.
  const covered = new Uint8Array(2 * points.length + 1);
  const firstNamed = new Int32Array(2 * points.length + 1).fill(-1);
  const startingAt: number[][] = points.map(() => []);
  const low = (i: number) => placeOf.get((retract[i] as GoModRetract).low) as number;
  const high = (i: number) => placeOf.get((retract[i] as GoModRetract).high) as number;
  retract.forEach((_, i) => {
    if (low(i) <= high(i)) startingAt[low(i)]?.push(i); // low > high covers nothing
  });
  // Intervals begun and not known to have ended; the earliest in file order on top (a binary
  // heap of indexes), each popped once the sweep is past its high end.
  const named: number[] = [];
  const push = (i: number) => {
    let at = named.push(i) - 1;
    while (at > 0 && (named[(at - 1) >> 1] as number) > i) {
      named[at] = named[(at - 1) >> 1] as number;
      at = (at - 1) >> 1;
    }
    named[at] = i;
  };
  const pop = () => {
    const last = named.pop() as number;
    if (named.length === 0) return;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= named.length) break;
      if (child + 1 < named.length && (named[child + 1] as number) < (named[child] as number)) child++;
      if ((named[child] as number) >= last) break;
      named[at] = named[child] as number;
      at = child;
    }
    named[at] = last;
  };
  let active = 0;
  const endingAfter = new Int32Array(points.length);
  for (let p = 0; p < points.length; p++) {
    for (const i of startingAt[p] as number[]) {
      active++;
      (endingAfter[high(i)] as number)++;
      if ((retract[i] as GoModRetract).rationale !== '') push(i);
    }
    while (named.length > 0 && high(named[0] as number) < p) pop();
    covered[2 * p + 1] = active > 0 ? 1 : 0;
    firstNamed[2 * p + 1] = named[0] ?? -1;
    active -= endingAfter[p] as number;
    while (named.length > 0 && high(named[0] as number) <= p) pop();
    covered[2 * p + 2] = active > 0 ? 1 : 0;
    firstNamed[2 * p + 2] = named[0] ?? -1;
  }
  return (version) => {
    // The last end at or below the version.
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareVersions(points[mid] as string, version) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const p = lo - 1;
    const piece = p < 0 ? 0 : compareVersions(points[p] as string, version) === 0 ? 2 * p + 1 : 2 * p + 2;
    const first = firstNamed[piece] as number;
    return {
      retracted: covered[piece] === 1,
      rationale: first < 0 ? '' : (retract[first] as GoModRetract).rationale,
    };
  };
}

/**
 * modload.ShortMessage: the first line of a rationale or deprecation notice, safe for a
 * terminal; `emptyDefault` when empty ("retracted by module author").
 */
export function shortMessage(message: string, emptyDefault: string): string {
  const nl = message.indexOf('\n');
  const first = (nl >= 0 ? message.slice(0, nl) : message).trim();
  if (first === '') return emptyDefault;
  if (Buffer.byteLength(first, 'utf8') > 500) return '(message omitted: too long)';
  if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\s]*$/u.test(first))
    return '(message omitted: contains non-printable characters)';
  return first;
}

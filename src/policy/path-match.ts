// Go's path.Match, byte for byte: GOPRIVATE-style patterns are only as safe as their matcher
// agreeing with the go command's, so this follows Go's algorithm (chunks split at `*`,
// character classes with ranges, negation and escapes, `?` and `*` never crossing `/`, and the
// same cases reported as ErrBadPattern). It works on UTF-8 bytes, as Go does on its strings.

export type PathMatchResult = { matched: boolean; badPattern: boolean };

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const QUESTION = 0x3f;
const RUNE_ERROR = 0xfffd;

const encoder = new TextEncoder();

/** utf8.DecodeRune: the rune at `at` and its width; (RuneError, 1) for invalid bytes, (RuneError, 0) at the end. */
function decodeRune(b: Uint8Array, at: number): [number, number] {
  const n = b.length - at;
  if (n <= 0) return [RUNE_ERROR, 0];
  const c0 = b[at]!;
  if (c0 < 0x80) return [c0, 1];
  const cont = (i: number): number => {
    const c = b[at + i];
    return c !== undefined && c >= 0x80 && c <= 0xbf ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? [RUNE_ERROR, 1] : [((c0 & 0x1f) << 6) | c1, 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return [RUNE_ERROR, 1];
    const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
    // Overlong forms and UTF-16 surrogates are invalid in Go's decoder.
    if (r < 0x800 || (r >= 0xd800 && r <= 0xdfff)) return [RUNE_ERROR, 1];
    return [r, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return [RUNE_ERROR, 1];
    const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    if (r < 0x10000 || r > 0x10ffff) return [RUNE_ERROR, 1];
    return [r, 4];
  }
  return [RUNE_ERROR, 1];
}

type Chunk = { star: boolean; start: number; end: number };

/** scanChunk: leading stars, then the chunk up to the next `*` outside a character class. */
function scanChunk(p: Uint8Array, from: number): Chunk {
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

const BAD = Symbol('bad pattern');
type Esc = { rune: number; next: number } | typeof BAD;

/** getEsc: one possibly escaped rune of a character class; a class must not end right after it. */
function getEsc(p: Uint8Array, at: number, end: number): Esc {
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

/** matchChunk: the rest of `s` after the chunk, null when it does not match, BAD for a bad pattern. */
function matchChunk(
  p: Uint8Array,
  start: number,
  end: number,
  s: Uint8Array,
  from: number,
): number | null | typeof BAD {
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
      for (;;) {
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

function indexOfSlash(s: Uint8Array, from: number): number {
  for (let i = from; i < s.length; i++) if (s[i] === SLASH) return i;
  return -1;
}

/** path.Match(pattern, name) from Go's standard library. */
export function pathMatch(pattern: string, name: string): PathMatchResult {
  const p = encoder.encode(pattern);
  const s = encoder.encode(name);
  let pi = 0;
  let si = 0;
  const yes: PathMatchResult = { matched: true, badPattern: false };
  const no: PathMatchResult = { matched: false, badPattern: false };
  const bad: PathMatchResult = { matched: false, badPattern: true };
  chunks: while (pi < p.length) {
    const chunk = scanChunk(p, pi);
    pi = chunk.end;
    if (chunk.star && chunk.start === chunk.end) {
      // A trailing star matches the rest of the name unless it holds a slash.
      return indexOfSlash(s, si) < 0 ? yes : no;
    }
    const t = matchChunk(p, chunk.start, chunk.end, s, si);
    if (typeof t === 'number' && (t === s.length || pi < p.length)) {
      si = t;
      continue;
    }
    if (t === BAD) return bad;
    if (chunk.star) {
      // Let the star swallow more of the name, never a slash.
      for (let i = si; i < s.length && s[i] !== SLASH; i++) {
        const t2 = matchChunk(p, chunk.start, chunk.end, s, i + 1);
        if (typeof t2 === 'number') {
          if (pi >= p.length && t2 < s.length) continue;
          si = t2;
          continue chunks;
        }
        if (t2 === BAD) return bad;
      }
    }
    // Go reports a syntax error in the rest of the pattern before answering false.
    while (pi < p.length) {
      const rest = scanChunk(p, pi);
      pi = rest.end;
      if (matchChunk(p, rest.start, rest.end, new Uint8Array(0), 0) === BAD) return bad;
    }
    return no;
  }
  return si === s.length ? yes : no;
}

/** True when Go's path.Match would report ErrBadPattern for this pattern on some name. */
export function isBadGlob(pattern: string): boolean {
  const p = encoder.encode(pattern);
  let pi = 0;
  while (pi < p.length) {
    const chunk = scanChunk(p, pi);
    pi = chunk.end;
    if (matchChunk(p, chunk.start, chunk.end, new Uint8Array(0), 0) === BAD) return true;
  }
  return false;
}

// Go's strconv.Quote / QuoteRune (what %q prints), so our error messages quote input exactly
// as the go command's do.

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isGoPrint(c: string): boolean {
  return c === ' ' || printable.test(c);
}

function escapeChar(c: string, quote: string): string {
  if (c === quote || c === '\\') return `\\${c}`;
  if (isGoPrint(c)) return c;
  const named: Record<string, string> = {
    '\x07': '\\a',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\v': '\\v',
  };
  if (named[c]) return named[c];
  const cp = c.codePointAt(0) as number;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd'; // a lone surrogate is invalid UTF-8 to Go
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** strconv.Quote: "..." with Go escapes (printable Unicode kept as is). */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) out += escapeChar(c, '"');
  return `${out}"`;
}

/** strconv.QuoteRune: 'x'. */
export function goQuoteRune(c: string): string {
  return `'${escapeChar(c, "'")}'`;
}

// Go's time.ParseDuration syntax (`72h`, `1h30m`, `1.5h`, `0`), so the policy's min-age reads
// like every other duration a Go team writes. Returns milliseconds.

const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const termPattern = /^([0-9]*(?:\.[0-9]*)?)([^0-9.]+)/;

/** Milliseconds of a Go duration, or null when Go's time.ParseDuration would reject it. */
export function parseGoDuration(text: string): number | null {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return null;
  let total = 0;
  while (s !== '') {
    const m = termPattern.exec(s);
    if (!m) return null;
    const number = m[1]!;
    const unit = m[2]!;
    // Go needs at least one digit on either side of the dot.
    if (number === '' || number === '.') return null;
    const scale = unitMs[unit];
    if (scale === undefined) return null;
    total += Number(number) * scale;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** A whole number of milliseconds as a duration parseGoDuration reads back: 20m, 90s, 1500ms. */
export function formatGoDuration(ms: number): string {
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms !== 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/policy/go-duration.ts
var unitMs = {
  ns: 1e-6,
  us: 1e-3,
  \u00B5s: 1e-3,
  // U+00B5 micro sign
  \u03BCs: 1e-3,
  // U+03BC Greek mu
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 36e5
};
var termPattern = /^([0-9]*(?:\.[0-9]*)?)([^0-9.]+)/;
function parseGoDuration(text) {
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return null;
  let total = 0;
  while (s !== "") {
    const m = termPattern.exec(s);
    if (!m) return null;
    const number = m[1];
    const unit = m[2];
    if (number === "" || number === ".") return null;
    const scale = unitMs[unit];
    if (scale === void 0) return null;
    total += Number(number) * scale;
    s = s.slice(m[0].length);
  }
  return sign * total;
}
function formatGoDuration(ms) {
  if (ms !== 0 && ms % 6e4 === 0) return `${ms / 6e4}m`;
  if (ms !== 0 && ms % 1e3 === 0) return `${ms / 1e3}s`;
  return `${ms}ms`;
}

export {
  parseGoDuration,
  formatGoDuration
};

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  __require
} from "./chunk-UOOPJVRV.js";

// lazy-fs-promises:node:fs/promises
var builtin;
var load = () => builtin ??= __require("node:fs/promises");
var copyFile = (...args) => load().copyFile(...args);
var glob = (...args) => load().glob(...args);
var open = (...args) => load().open(...args);
var rename = (...args) => load().rename(...args);
var rm = (...args) => load().rm(...args);
var rmdir = (...args) => load().rmdir(...args);
var mkdir = (...args) => load().mkdir(...args);
var readdir = (...args) => load().readdir(...args);
var lstat = (...args) => load().lstat(...args);
var stat = (...args) => load().stat(...args);
var link = (...args) => load().link(...args);
var unlink = (...args) => load().unlink(...args);
var chmod = (...args) => load().chmod(...args);
var utimes = (...args) => load().utimes(...args);
var realpath = (...args) => load().realpath(...args);
var mkdtemp = (...args) => load().mkdtemp(...args);
var writeFile = (...args) => load().writeFile(...args);
var readFile = (...args) => load().readFile(...args);

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
  copyFile,
  glob,
  open,
  rename,
  rm,
  rmdir,
  mkdir,
  readdir,
  lstat,
  stat,
  link,
  unlink,
  chmod,
  utimes,
  realpath,
  mkdtemp,
  writeFile,
  readFile,
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
  pseudoVersionTime
};

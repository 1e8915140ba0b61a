import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  __require
} from "./chunk-UOOPJVRV.js";

// lazy-fs-promises:node:fs/promises
var builtin;
var load = () => builtin ??= __require("node:fs/promises");
var access = (...args) => load().access(...args);
var cp = (...args) => load().cp(...args);
var glob = (...args) => load().glob(...args);
var open = (...args) => load().open(...args);
var rename = (...args) => load().rename(...args);
var rm = (...args) => load().rm(...args);
var mkdir = (...args) => load().mkdir(...args);
var readdir = (...args) => load().readdir(...args);
var lstat = (...args) => load().lstat(...args);
var stat = (...args) => load().stat(...args);
var unlink = (...args) => load().unlink(...args);
var chmod = (...args) => load().chmod(...args);
var utimes = (...args) => load().utimes(...args);
var mkdtemp = (...args) => load().mkdtemp(...args);
var writeFile = (...args) => load().writeFile(...args);
var appendFile = (...args) => load().appendFile(...args);
var readFile = (...args) => load().readFile(...args);

export {
  access,
  cp,
  glob,
  open,
  rename,
  rm,
  mkdir,
  readdir,
  lstat,
  stat,
  unlink,
  chmod,
  utimes,
  mkdtemp,
  writeFile,
  appendFile,
  readFile
};

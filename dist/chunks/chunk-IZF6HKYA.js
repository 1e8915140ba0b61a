import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  __require
} from "./chunk-UOOPJVRV.js";

// lazy-crypto:node:crypto
var builtin;
var load = () => builtin ??= __require("node:crypto");
var createHash = (...args) => load().createHash(...args);
var randomBytes = (...args) => load().randomBytes(...args);
var hash = (...args) => load().hash(...args);

export {
  createHash,
  randomBytes,
  hash
};

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  __require
} from "./chunk-BZZXECNI.js";

// lazy-crypto:node:crypto
var builtin;
var load = () => builtin ??= __require("node:crypto");
var createHash = (...args) => load().createHash(...args);
var createPublicKey = (...args) => load().createPublicKey(...args);
var randomBytes = (...args) => load().randomBytes(...args);
var verify = (...args) => load().verify(...args);
var hash = (...args) => load().hash(...args);

export {
  createHash,
  createPublicKey,
  randomBytes,
  verify,
  hash
};

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  randomBytes
} from "./chunk-IZF6HKYA.js";

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

export {
  CLIENT_TOKEN_ENV,
  CLIENT_TOKEN_SHOWN,
  newClientToken,
  hideClientPath,
  hideClientToken
};

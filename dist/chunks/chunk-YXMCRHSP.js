import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  redactUrlUserinfo
} from "./chunk-M7AEWHDY.js";

// src/upstream/goproxy-list.ts
var GoproxyListError = class extends Error {
  name = "GoproxyListError";
};
function parseGoproxyList(value) {
  const entries = [];
  let rest = value.trim();
  if (rest === "")
    throw new GoproxyListError('GOPROXY list is empty: give at least one proxy URL, "direct" or "off"');
  while (rest !== "") {
    const match = /[,|]/.exec(rest);
    const raw = (match ? rest.slice(0, match.index) : rest).trim();
    const separator = match?.[0];
    rest = match ? rest.slice(match.index + 1) : "";
    if (raw === "") continue;
    const fallThroughOnAnyError = separator === "|";
    if (raw === "direct") {
      entries.push({ kind: "direct", fallThroughOnAnyError });
    } else if (raw === "off") {
      entries.push({ kind: "off" });
    } else if (raw === "noproxy") {
      entries.push({ kind: "direct", fallThroughOnAnyError });
    } else {
      entries.push({ kind: "url", ...normalizeProxyUrl(raw), fallThroughOnAnyError });
    }
  }
  if (entries.length === 0) {
    throw new GoproxyListError(
      `GOPROXY list "${redactUrlUserinfo(value)}" has no entries: give a proxy URL, "direct" or "off"`
    );
  }
  return entries;
}
function normalizeProxyUrl(raw) {
  const shown = redactUrlUserinfo(raw);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" is not a valid URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:" && url.protocol !== "file:") {
    throw new GoproxyListError(
      `GOPROXY entry "${shown}" uses the scheme ${url.protocol.slice(0, -1)}: only https, http and file are supported`
    );
  }
  if (url.username === "" && url.password === "") return { url: withScheme.replace(/\/+$/, "") };
  if (url.protocol !== "https:") {
    throw new GoproxyListError(
      `refusing to pass credentials to insecure URL: ${redactUrlUserinfo(withScheme)}; use https, or drop the credentials from the URL`
    );
  }
  let credentials;
  try {
    credentials = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password)
    };
  } catch {
    throw new GoproxyListError(`GOPROXY entry "${shown}" has badly percent-encoded credentials`);
  }
  url.username = "";
  url.password = "";
  return { url: url.href.replace(/\/+$/, ""), credentials };
}

export {
  GoproxyListError,
  parseGoproxyList
};

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  validatePattern
} from "./chunk-XBICIGSA.js";

// src/policy/goproxy-setting.ts
function goproxySettingError(value) {
  let rest = value;
  let entries = 0;
  while (rest !== "") {
    const at = rest.search(/[,|]/);
    const raw = (at >= 0 ? rest.slice(0, at) : rest).trim();
    rest = at >= 0 ? rest.slice(at + 1) : "";
    if (raw === "") continue;
    entries++;
    if (raw === "off" || raw === "direct") return null;
    let url = raw;
    if (/[.:/]/.test(url) && !url.includes(":/") && !url.startsWith("/")) url = `https://${url}`;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    if (scheme === void 0)
      return `'${raw}': invalid proxy URL missing scheme (write a URL such as https://${raw.replace(/^\/+/, "")}, or direct or off)`;
    if (scheme !== "https" && scheme !== "http" && scheme !== "file")
      return `'${raw}': invalid proxy URL scheme (must be https, http, file)`;
    if (!URL.canParse(url)) return `'${raw}': not a valid URL`;
  }
  if (entries === 0) return "the list is empty: give a proxy URL, direct or off";
  return null;
}

// src/github/inputs.ts
var InputError = class extends Error {
  name = "InputError";
};
function inputReaderFromEnv(env) {
  return (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
function readBoolean(read, name, fallback) {
  const raw = read(name);
  if (raw === "") return fallback;
  if (["true", "True", "TRUE"].includes(raw)) return true;
  if (["false", "False", "FALSE"].includes(raw)) return false;
  throw new InputError(`input '${name}' must be true or false, not '${raw}'`);
}
function readChoice(read, name, choices, fallback) {
  const raw = read(name);
  if (raw === "") return fallback;
  if (choices.includes(raw)) return raw;
  throw new InputError(`input '${name}' must be one of ${choices.join(", ")}, not '${raw}'`);
}
function splitList(raw) {
  return raw.split(/[\n,]/).map((item) => item.trim()).filter((item) => item !== "" && !item.startsWith("#"));
}
function checkGoproxyList(name, value) {
  if (value === "") return;
  const problem = goproxySettingError(value);
  if (problem) throw new InputError(`input '${name}': ${problem}`);
}
function checkProxyUrl(inputs) {
  let url;
  try {
    url = new URL(inputs.proxyUrl);
  } catch {
    throw new InputError(
      `input 'proxy-url' is not a URL ('${inputs.proxyUrl}'); write it in full, e.g. https://goproxy.example.com`
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(`input 'proxy-url' must start with https:// (or http:// without credentials)`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new InputError(
      `input 'proxy-url' must not carry credentials in the URL (they would end up in GOPROXY, visible to every step); pass them as proxy-username/proxy-password or proxy-token`
    );
  }
  if (/[,|\s]/.test(inputs.proxyUrl)) {
    throw new InputError(
      `input 'proxy-url' must be one URL; put further GOPROXY entries in 'fallback' (e.g. fallback: direct)`
    );
  }
  const hasCredentials = inputs.proxyUsername !== "" || inputs.proxyPassword !== "" || inputs.proxyToken !== "";
  if (url.protocol === "http:" && hasCredentials) {
    throw new InputError(
      `input 'proxy-url' uses http:// but credentials were given: the go command never sends credentials over plain http, so the proxy would refuse every request. Use the proxy's https:// URL`
    );
  }
}
function readInputs(read) {
  const inputs = {
    mode: readChoice(read, "mode", ["ephemeral", "remote"], "ephemeral"),
    upstream: read("upstream"),
    fallback: read("fallback"),
    proxyUrl: read("proxy-url"),
    proxyUsername: read("proxy-username"),
    proxyPassword: read("proxy-password"),
    proxyToken: read("proxy-token"),
    proxyAuth: readChoice(read, "proxy-auth", ["netrc", "bearer"], "netrc"),
    privatePatterns: splitList(read("private")),
    token: read("token"),
    cache: readBoolean(read, "cache", true),
    cacheKeyFiles: splitList(read("cache-key-files")),
    cachePrune: readBoolean(read, "cache-prune", true),
    buildCache: readBoolean(read, "build-cache", true),
    moduleTree: readBoolean(read, "module-tree", true),
    policyFile: read("policy-file"),
    clientToken: readBoolean(read, "client-token", true)
  };
  if (inputs.cacheKeyFiles.length === 0) inputs.cacheKeyFiles = ["**/go.sum"];
  for (const pattern of inputs.privatePatterns) {
    const problem = validatePattern(pattern);
    if (problem) throw new InputError(`input 'private': ${problem}`);
  }
  checkGoproxyList("upstream", inputs.upstream);
  checkGoproxyList("fallback", inputs.fallback);
  if (inputs.mode === "remote") {
    if (inputs.proxyUrl === "")
      throw new InputError(
        `mode 'remote' needs input 'proxy-url' (the remote module proxy, e.g. https://goproxy.example.com)`
      );
    if (inputs.upstream !== "")
      throw new InputError(
        `input 'upstream' is for mode 'ephemeral' (the in-job proxy's source); with mode 'remote' use 'fallback'`
      );
    checkProxyUrl(inputs);
    if (inputs.proxyToken !== "" && inputs.proxyPassword !== "")
      throw new InputError(
        `give either 'proxy-token' or 'proxy-password', not both (proxy-username may go with either)`
      );
    if (inputs.proxyPassword !== "" && inputs.proxyUsername === "")
      throw new InputError(`input 'proxy-password' needs 'proxy-username' too`);
    if (inputs.proxyAuth === "bearer" && inputs.proxyToken === "")
      throw new InputError(`'proxy-auth: bearer' sends 'proxy-token' as a bearer header; give 'proxy-token'`);
  } else {
    for (const name of ["proxy-url", "proxy-username", "proxy-password", "proxy-token"]) {
      if (read(name) !== "")
        throw new InputError(
          `input '${name}' is only used with 'mode: remote'; remove it or set mode: remote`
        );
    }
  }
  return inputs;
}

// src/policy/client-env.ts
function privatePatternsFrom(...sources) {
  const seen = /* @__PURE__ */ new Set();
  const merged = [];
  for (const source of sources) {
    if (source === void 0) continue;
    const entries = typeof source === "string" ? source.split(",") : source.flatMap((s) => s.split(","));
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === "" || entry === "none" || entry === "off" || seen.has(entry)) continue;
      seen.add(entry);
      merged.push(entry);
    }
  }
  return merged;
}

export {
  InputError,
  inputReaderFromEnv,
  readInputs,
  privatePatternsFrom
};

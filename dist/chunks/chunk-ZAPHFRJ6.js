import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

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
function checkProxyUrl(proxyUrl) {
  let url;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new Error(`proxy URL '${proxyUrl}' is not a URL; write it as http://127.0.0.1:PORT`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`proxy URL '${proxyUrl}' must use http or https; write it as http://127.0.0.1:PORT`);
  }
  if (/[,|\s]/.test(proxyUrl)) {
    throw new Error(
      `proxy URL '${proxyUrl}' contains ',', '|' or a space, which GOPROXY reads as list separators; pass one URL`
    );
  }
}
function onlyDirectOrOff(list) {
  return list.split(/[,|]/).map((e) => e.trim()).filter((e) => e !== "").every((e) => e === "direct" || e === "off");
}
function clientEnvForProxy(options) {
  checkProxyUrl(options.proxyUrl);
  const fallback = options.fallback?.trim() ?? "";
  const privateList = privatePatternsFrom(options.privatePatterns).join(",");
  const goproxy = fallback === "" ? options.proxyUrl : `${options.proxyUrl}|${fallback}`;
  const privateThroughOurProxy = fallback === "" || onlyDirectOrOff(fallback);
  let gonoproxy = "";
  if (privateList !== "") gonoproxy = privateThroughOurProxy ? "none" : privateList;
  return {
    GOPROXY: goproxy,
    GONOPROXY: gonoproxy,
    GOPRIVATE: privateList,
    GONOSUMDB: privateList,
    GOSUMDB: options.gosumdb
  };
}
function clientEnvForRemote(options) {
  const goproxy = options.goproxy.trim();
  if (goproxy === "")
    throw new Error("the remote GOPROXY list is empty; give the proxy URL, e.g. https://goproxy.example.com");
  const privateList = privatePatternsFrom(options.privatePatterns).join(",");
  let gonoproxy = "";
  if (privateList !== "") gonoproxy = options.privateThroughProxy ? "none" : privateList;
  return {
    GOPROXY: goproxy,
    GONOPROXY: gonoproxy,
    GOPRIVATE: privateList,
    GONOSUMDB: privateList,
    GOSUMDB: options.gosumdb
  };
}

export {
  privatePatternsFrom,
  clientEnvForProxy,
  clientEnvForRemote
};

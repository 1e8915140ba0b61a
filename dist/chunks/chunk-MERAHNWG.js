import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  privatePatternsFrom
} from "./chunk-XN7JYT6V.js";

// src/policy/job-go-env.ts
var GO_SETTING_NAMES = ["GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB"];
function jobPatterns(sources) {
  const env = sources.goEnv;
  const ours = privatePatternsFrom([...sources.inputPrivate ?? []], [...sources.policyPrivate ?? []]);
  const goprivate = env.GOPRIVATE ?? "";
  const gonoproxy = env.GONOPROXY || goprivate;
  const gonosumdb = env.GONOSUMDB || goprivate;
  return {
    patterns: {
      private: privatePatternsFrom(ours, goprivate),
      noProxy: privatePatternsFrom(ours, gonoproxy),
      noSumDb: privatePatternsFrom(ours, gonosumdb)
    },
    gosumdb: env.GOSUMDB ?? "",
    goproxy: (env.GOPROXY ?? "").trim()
  };
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
function jobGoEnv(sources, target) {
  const job = jobPatterns(sources);
  const { private: priv, noProxy, noSumDb } = job.patterns;
  let goproxy;
  let noProxyThere;
  if (target.kind === "proxy") {
    checkProxyUrl(target.proxyUrl);
    const fallback = target.fallback?.trim() ?? "";
    goproxy = fallback === "" ? target.proxyUrl : `${target.proxyUrl}|${fallback}`;
    noProxyThere = fallback === "" || onlyDirectOrOff(fallback);
  } else {
    goproxy = target.goproxy.trim();
    if (goproxy === "")
      throw new Error("the GOPROXY list is empty; give the proxy URL, e.g. https://goproxy.example.com");
    noProxyThere = target.privateThroughProxy === true;
  }
  let gonoproxy = "";
  if (noProxyThere) {
    if (priv.length > 0 || noProxy.length > 0) gonoproxy = "none";
  } else if (noProxy.length > 0) {
    gonoproxy = noProxy.join(",");
  } else if (priv.length > 0) {
    gonoproxy = "none";
  }
  return {
    GOPROXY: goproxy,
    GONOPROXY: gonoproxy,
    GOPRIVATE: priv.join(","),
    GONOSUMDB: noSumDb.join(","),
    GOSUMDB: job.gosumdb
  };
}

export {
  GO_SETTING_NAMES,
  jobPatterns,
  jobGoEnv
};

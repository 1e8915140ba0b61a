import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import "./chunk-BZZXECNI.js";

// src/proxy/metrics-text.ts
var counterHelp = {
  requests: ["requests", "Requests answered, by request kind."],
  hits: ["store_hits", "Answers served from the blob store."],
  misses: ["store_misses", "Answers not served from the blob store."],
  upstreamFetches: ["upstream_fetches", "Fetches from the upstream chain."],
  upstreamBytes: ["upstream_bytes", "Bytes fetched from the upstream chain."],
  servedBytes: ["served_bytes", "Bytes served to clients."],
  errors: ["errors", "Answers that were errors (5xx, and 4xx other than 404/410)."],
  staleServed: ["stale_served", "Stored list/latest answers served because the upstream failed."],
  unverified: ["unverified", "Blobs served but not stored: they could not be verified."],
  notStored: ["not_stored", "Blobs served but not stored: the write failed."],
  denied: ["denied", "Requests denied by the policy."]
};
var prometheusContentType = "text/plain; version=0.0.4; charset=utf-8";
var openMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
function label(value) {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}
function renderMetrics(stats, openMetrics) {
  const out = [];
  const counter = (family, help, samples) => {
    const name = `goproxy_${family}`;
    out.push(`# HELP ${openMetrics ? name : `${name}_total`} ${help}`);
    out.push(`# TYPE ${openMetrics ? name : `${name}_total`} counter`);
    for (const [labels, value] of samples) out.push(`${name}_total${labels} ${value}`);
  };
  const gauge = (family, help, samples) => {
    const name = `goproxy_${family}`;
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) out.push(`${name}${labels} ${value}`);
  };
  const kinds = Object.entries(stats.byKind);
  for (const key of Object.keys(counterHelp)) {
    const [family, help] = counterHelp[key];
    counter(
      family,
      help,
      kinds.map(([kind, c]) => [`{kind="${label(kind)}"}`, c[key]])
    );
  }
  gauge(
    "request_latency_milliseconds",
    "Request latency percentiles over recent requests, by request kind.",
    kinds.flatMap(([kind, c]) => [
      [`{kind="${label(kind)}",quantile="0.5"}`, c.p50Ms],
      [`{kind="${label(kind)}",quantile="0.95"}`, c.p95Ms]
    ])
  );
  counter("store_added_files", "Blobs written to the store by this process.", [["", stats.store.addedFiles]]);
  counter("store_added_bytes", "Bytes written to the store by this process.", [["", stats.store.addedBytes]]);
  if (stats.store.files !== void 0)
    gauge("store_files", "Files in the blob store.", [["", stats.store.files]]);
  if (stats.store.bytes !== void 0)
    gauge("store_bytes", "Bytes in the blob store.", [["", stats.store.bytes]]);
  if (stats.prefetch) {
    counter("prefetched_zips", "Zips fetched and stored before a client asked for them.", [
      ["", stats.prefetch.zips]
    ]);
    counter("prefetched_zips_asked", "Prefetched zips a client then asked for.", [
      ["", stats.prefetch.asked]
    ]);
  }
  gauge("modules_seen", "Distinct module paths requested.", [["", stats.modules.length]]);
  gauge("uptime_seconds", "Seconds since the proxy started.", [["", Math.round(stats.uptimeMs / 1e3)]]);
  if (openMetrics) out.push("# EOF");
  return `${out.join("\n")}
`;
}
export {
  openMetricsContentType,
  prometheusContentType,
  renderMetrics
};

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

export {
  privatePatternsFrom
};

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/net/load-undici.ts
var loading = null;
function loadUndici() {
  loading ??= import("./undici-LCMKDQIV.js").then(
    // In the bundle a CommonJS package imported on demand may come as { default: exports }.
    (loaded) => "request" in loaded ? loaded : loaded.default
  );
  return loading;
}

export {
  loadUndici
};

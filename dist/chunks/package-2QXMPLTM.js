import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import "./chunk-UOOPJVRV.js";

// package.json
var package_default = {
  name: "goproxy-action",
  version: "0.1.0",
  description: "Go module proxy, blob cache and module policy for GitHub Actions and GitLab CI",
  license: "MIT",
  type: "module",
  engines: {
    node: ">=22.19.0"
  },
  bin: {
    "goproxy-action": "dist/cli.js"
  },
  files: [
    "dist",
    "action.yml",
    "prewarm",
    "health",
    "templates",
    "schema"
  ],
  scripts: {
    build: "node scripts/build.ts",
    typecheck: "tsc --noEmit -p .",
    lint: "biome check .",
    format: "biome format --write .",
    "test:unit": "node --test --test-concurrency=4 'test/unit/**/*.test.ts'",
    "test:e2e": "node --test --test-concurrency=2 'test/e2e/**/*.test.ts'",
    test: "npm run lint && npm run typecheck && npm run test:unit && npm run test:e2e"
  },
  devDependencies: {
    "@actions/cache": "^6.3.0",
    "@actions/core": "^3.0.1",
    "@actions/exec": "^3.0.0",
    "@azure/storage-blob": "^12.31.0",
    "@biomejs/biome": "^2.6.8",
    "@gitbeaker/rest": "^43.8.0",
    "@types/node": "^24.19.2",
    "@types/yauzl": "^3.4.0",
    "@types/yazl": "^3.3.1",
    ajv: "^8.20.0",
    azurite: "3.36.0",
    esbuild: "^0.28.2",
    "fast-check": "^4.10.2",
    "fast-xml-parser": "^5.12.1",
    "gitlab-ci-local": "^4.75.1",
    "parse-prometheus-text-format": "^1.1.1",
    typescript: "^7.0.2",
    undici: "^8.12.4",
    verdaccio: "^6.10.4",
    yaml: "^2.9.1",
    yauzl: "^3.4.0",
    yazl: "^3.3.1"
  }
};
export {
  package_default as default
};

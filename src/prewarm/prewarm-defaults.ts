// Defaults every prewarm surface (CLI, action, GitLab component) shares, with why.
export const prewarmDefaults = {
  /**
   * Requests at once. The work is waiting on the proxy's own fetches (a cold Athens or goproxy
   * answers a miss only after fetching the whole module upstream), not CPU: measured in
   * bench/prewarm-peers.ts (bench/README.md).
   */
  concurrency: 16,
  /**
   * To the headers, and the longest silence in a body. A cold proxy's first answer for a module
   * waits for its whole upstream fetch: over a minute for a large module on a loaded peer
   * (google.golang.org/api, 37 MB, took 88 s on Athens in the benchmark), and retrying then only
   * asks for the same fetch again (goproxy/goproxy even starts a second one).
   */
  timeoutMs: 300_000,
} as const;

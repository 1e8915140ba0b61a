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
  /**
   * The longest one attempt may take from start to the body's last byte. The per-read timeout
   * alone lets a proxy that sends one byte just inside it hold a request for hours. 20 minutes
   * leave the headers their 5 minutes and a module zip of the go command's 500 MB limit
   * 15 minutes (about 0.6 MB/s).
   */
  requestDeadlineMs: 1_200_000,
} as const;

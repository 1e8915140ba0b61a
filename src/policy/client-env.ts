// The go command's environment that routes a job through our proxy (or a remote one) without
// leaking private module paths. Every value is explained where it is set: the go command's
// defaults (GONOPROXY and GONOSUMDB fall back to GOPRIVATE) are easy to get subtly wrong.

/** Splits GOPRIVATE-style lists and merges them: deduplicated, first occurrence kept in place. */
export function privatePatternsFrom(...sources: (string | string[] | undefined)[]): string[] {
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const source of sources) {
    if (source === undefined) continue;
    const entries = typeof source === 'string' ? source.split(',') : source.flatMap((s) => s.split(','));
    for (const raw of entries) {
      const entry = raw.trim();
      // `none` and `off` are Go's conventional "matches nothing" values (GONOPROXY=none), not patterns.
      if (entry === '' || entry === 'none' || entry === 'off' || seen.has(entry)) continue;
      seen.add(entry);
      merged.push(entry);
    }
  }
  return merged;
}

export type ClientEnvForProxyOptions = {
  /** Our proxy's base URL, e.g. http://127.0.0.1:43121 */
  proxyUrl: string;
  /** A GOPROXY list tried after our proxy. Pass none while a policy is active. */
  fallback?: string;
  privatePatterns: string[];
  /** The GOSUMDB setting in force (`go env GOSUMDB`, or the user's own). */
  gosumdb: string;
};

export type ClientEnvForRemoteOptions = {
  /** The remote GOPROXY list, used as given. */
  goproxy: string;
  privatePatterns: string[];
  gosumdb: string;
  /**
   * True when the remote proxy is the organisation's own and serves private modules itself.
   * Default false: private modules are then fetched direct by the go command, with the job's
   * credentials, and never reach the remote proxy.
   */
  privateThroughProxy?: boolean;
};

function checkProxyUrl(proxyUrl: string): void {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new Error(`proxy URL '${proxyUrl}' is not a URL; write it as http://127.0.0.1:PORT`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`proxy URL '${proxyUrl}' must use http or https; write it as http://127.0.0.1:PORT`);
  }
  if (/[,|\s]/.test(proxyUrl)) {
    throw new Error(
      `proxy URL '${proxyUrl}' contains ',', '|' or a space, which GOPROXY reads as list separators; pass one URL`,
    );
  }
}

/** True when a GOPROXY list sends nothing to another server: only `direct` and `off` entries. */
function onlyDirectOrOff(list: string): boolean {
  return list
    .split(/[,|]/)
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .every((e) => e === 'direct' || e === 'off');
}

/**
 * The environment for a job whose go command talks to our proxy.
 *
 * - GOPROXY: our proxy, then the fallback only when one is given. The fallback is joined with
 *   `|` so that a proxy that died mid-job does not fail the build; that is why the caller must
 *   pass no fallback while a policy is active (with `|` the go command routes around a 403).
 * - GONOPROXY: `none` (a pattern matching nothing) when private modules go through our proxy,
 *   which fetches them direct with the job's credentials and records them like any other
 *   module. If a fallback that reaches another server is given, private modules must not be
 *   sent to the proxy list at all (a failing proxy would hand their paths to the fallback), so
 *   GONOPROXY is the private patterns and the go command fetches them direct itself.
 * - GOPRIVATE: the private patterns, so that tools reading it (and GONOSUMDB's default) agree.
 * - GONOSUMDB: the private patterns, set explicitly because GONOPROXY=none must not change it:
 *   a private path looked up in the checksum database is leaked.
 * - GOSUMDB: the setting in force, passed on unchanged; our proxy answers `/sumdb/` itself.
 */
export function clientEnvForProxy(options: ClientEnvForProxyOptions): Record<string, string> {
  checkProxyUrl(options.proxyUrl);
  const fallback = options.fallback?.trim() ?? '';
  const privateList = privatePatternsFrom(options.privatePatterns).join(',');
  const goproxy = fallback === '' ? options.proxyUrl : `${options.proxyUrl}|${fallback}`;
  const privateThroughOurProxy = fallback === '' || onlyDirectOrOff(fallback);
  let gonoproxy = '';
  if (privateList !== '') gonoproxy = privateThroughOurProxy ? 'none' : privateList;
  return {
    GOPROXY: goproxy,
    GONOPROXY: gonoproxy,
    GOPRIVATE: privateList,
    GONOSUMDB: privateList,
    GOSUMDB: options.gosumdb,
  };
}

/**
 * The environment for a job using a remote proxy. There is no proxy of ours in the path, so the
 * environment is all the protection private modules get:
 * - GOPROXY: the remote list as given.
 * - GONOPROXY: the private patterns (fetched direct with the job's credentials, never sent to the
 *   remote proxy), or `none` when the remote proxy is declared to serve private modules itself.
 * - GOPRIVATE / GONOSUMDB: the private patterns, so their paths never reach a checksum database.
 * - GOSUMDB: the setting in force.
 */
export function clientEnvForRemote(options: ClientEnvForRemoteOptions): Record<string, string> {
  const goproxy = options.goproxy.trim();
  if (goproxy === '')
    throw new Error('the remote GOPROXY list is empty; give the proxy URL, e.g. https://goproxy.example.com');
  const privateList = privatePatternsFrom(options.privatePatterns).join(',');
  let gonoproxy = '';
  if (privateList !== '') gonoproxy = options.privateThroughProxy ? 'none' : privateList;
  return {
    GOPROXY: goproxy,
    GONOPROXY: gonoproxy,
    GOPRIVATE: privateList,
    GONOSUMDB: privateList,
    GOSUMDB: options.gosumdb,
  };
}

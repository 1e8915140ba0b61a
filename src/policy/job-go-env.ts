// The job's Go environment, computed once for every surface (serve, start, env, the GitHub
// action in both modes, the GitLab components). It follows the go command exactly:
// - GONOPROXY (default GOPRIVATE) names the modules fetched direct, never from a proxy list;
// - GONOSUMDB (default GOPRIVATE) names the modules never looked up in a checksum database;
// - "default" means: used when the variable is empty (cmd/go's EnvOr), so GONOPROXY=none
//   is how a user sends GOPRIVATE modules through their own proxy.
// The inputs' private patterns (--private, the action's or component's `private`) and the
// policy's join all three sets: they are private in every sense.
import { privatePatternsFrom } from './client-env.ts';

/** The go command's settings in force: `go env` (or the process environment without Go). */
export type GoSettings = {
  GOPROXY?: string | undefined;
  GOSUMDB?: string | undefined;
  GOPRIVATE?: string | undefined;
  GONOPROXY?: string | undefined;
  GONOSUMDB?: string | undefined;
};

export const GO_SETTING_NAMES = ['GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB'] as const;
export type GoSettingName = (typeof GO_SETTING_NAMES)[number];

export type JobGoEnvSources = {
  goEnv: GoSettings;
  /** Private patterns the user gave this tool (flags, inputs). */
  inputPrivate?: readonly string[];
  /** The policy's private patterns. */
  policyPrivate?: readonly string[];
};

/** Where the job's go command is sent. */
export type JobTarget =
  /** Our proxy (in-job daemon, `serve`, the GitLab service), optionally with a fallback list. */
  | { kind: 'proxy'; proxyUrl: string; fallback?: string }
  /**
   * A GOPROXY list used as given (a remote proxy, or the current GOPROXY). With
   * privateThroughProxy the list's first proxy serves private modules itself.
   */
  | { kind: 'list'; goproxy: string; privateThroughProxy?: boolean };

export type JobPatterns = {
  /** GOPRIVATE for the job. */
  private: string[];
  /** Fetched direct (or from the private upstream), never from a public upstream: GONOPROXY's set. */
  noProxy: string[];
  /** Never looked up in a checksum database: GONOSUMDB's set. */
  noSumDb: string[];
};

export type JobGoEnv = {
  patterns: JobPatterns;
  /** The GOSUMDB setting in force, unchanged. */
  gosumdb: string;
  /** The GOPROXY list in force before we change it (what `serve` fetches from by default). */
  goproxy: string;
};

/** The pattern sets and settings of the job, from the environment, the inputs and the policy. */
export function jobPatterns(sources: JobGoEnvSources): JobGoEnv {
  const env = sources.goEnv;
  const ours = privatePatternsFrom([...(sources.inputPrivate ?? [])], [...(sources.policyPrivate ?? [])]);
  const goprivate = env.GOPRIVATE ?? '';
  // cmd/go: an empty GONOPROXY / GONOSUMDB takes GOPRIVATE's value.
  const gonoproxy = env.GONOPROXY || goprivate;
  const gonosumdb = env.GONOSUMDB || goprivate;
  return {
    patterns: {
      private: privatePatternsFrom(ours, goprivate),
      noProxy: privatePatternsFrom(ours, gonoproxy),
      noSumDb: privatePatternsFrom(ours, gonosumdb),
    },
    gosumdb: env.GOSUMDB ?? '',
    goproxy: (env.GOPROXY ?? '').trim(),
  };
}

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
 * The variables to export for the job's go command (GOPROXY, GONOPROXY, GOPRIVATE, GONOSUMDB,
 * GOSUMDB), in that order.
 *
 * - Our proxy: GOPROXY is it, then the fallback joined with `|` (a proxy that died mid-job does
 *   not fail the build; callers refuse a fallback while a policy is active, as `|` routes
 *   around a 403). Our proxy routes the GONOPROXY set itself (direct, with the job's
 *   credentials, recorded and policed like any module), so GONOPROXY is `none` whenever
 *   GOPRIVATE would otherwise make the go command bypass it. A fallback that reaches another
 *   server would get private paths when our proxy fails, so then GONOPROXY is the set and the
 *   go command fetches those direct itself.
 * - A list: GOPROXY as given; GONOPROXY the set (never sent to that list), or `none` when its
 *   proxy serves private modules itself.
 * - GOPRIVATE and GONOSUMDB: the sets, always explicit, so that GONOPROXY=none never changes
 *   what is kept from the checksum database.
 * - GOSUMDB: the setting in force (our proxy answers `/sumdb/` itself).
 */
export function jobGoEnv(sources: JobGoEnvSources, target: JobTarget): Record<string, string> {
  const job = jobPatterns(sources);
  const { private: priv, noProxy, noSumDb } = job.patterns;
  let goproxy: string;
  let noProxyThere: boolean;
  if (target.kind === 'proxy') {
    checkProxyUrl(target.proxyUrl);
    const fallback = target.fallback?.trim() ?? '';
    goproxy = fallback === '' ? target.proxyUrl : `${target.proxyUrl}|${fallback}`;
    noProxyThere = fallback === '' || onlyDirectOrOff(fallback);
  } else {
    goproxy = target.goproxy.trim();
    if (goproxy === '')
      throw new Error('the GOPROXY list is empty; give the proxy URL, e.g. https://goproxy.example.com');
    noProxyThere = target.privateThroughProxy === true;
  }
  let gonoproxy = '';
  if (noProxyThere) {
    if (priv.length > 0 || noProxy.length > 0) gonoproxy = 'none';
  } else if (noProxy.length > 0) {
    gonoproxy = noProxy.join(',');
  } else if (priv.length > 0) {
    gonoproxy = 'none';
  }
  return {
    GOPROXY: goproxy,
    GONOPROXY: gonoproxy,
    GOPRIVATE: priv.join(','),
    GONOSUMDB: noSumDb.join(','),
    GOSUMDB: job.gosumdb,
  };
}

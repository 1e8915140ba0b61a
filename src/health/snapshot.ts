// The module health snapshot: what `goproxy-action health` writes as JSON (schema in
// schema/health-snapshot.schema.json) and every renderer, the diff and fail-on read. Versioned:
// a reader refuses a schemaVersion it does not know instead of misreading it.

export const snapshotSchemaVersion = 1;

/** One fetch through the proxy: what the go command would have seen. */
export type FetchResult = {
  /** HTTP status; 0 when no answer came (timeout, connection error). */
  status: number;
  ms: number;
  bytes: number;
  error?: string;
  /** HEAD: only asked whether it answers (and its size, in `bytes`); nothing was transferred. */
  method?: 'HEAD';
};

export type ChecksumState = 'match' | 'mismatch' | 'missing' | 'unchecked';

/**
 * Who computed `verified.zipHash`: `download`, this snapshot (it downloaded the zip and hashed
 * it); `proxy`, the in-job proxy, for the bytes its answer carries, sent with a HEAD answer
 * (docs/health.md); null, nobody (no zip, or not a valid module zip).
 */
export type ZipHashedBy = 'download' | 'proxy' | null;

export type Vulnerability = {
  id: string;
  aliases: string[];
  summary: string;
  /** Versions that fix it, in the module's version order (without them: no fix yet). */
  fixed: string[];
  /** The entry's own severity label (e.g. HIGH) when it carries one; many Go entries carry none. */
  severity: string | null;
  /** The affected ranges as written: "introduced..fixed" in Go versions ("" = open end). */
  ranges: { introduced: string; fixed: string }[];
};

export type ModuleHealth = {
  path: string;
  version: string;
  /** Not required directly by any go.mod of the workspace. */
  indirect: boolean;
  /** Where the workspace requires it (the go.mod line annotations point at); null when no go.mod names it. */
  location: { file: string; line: number } | null;
  /** A replace directive in force (`=> path version` or a directory); probes then go to the replacement. */
  replace: { path: string; version: string } | null;
  resolvable: {
    ok: boolean;
    info: FetchResult;
    mod: FetchResult;
    zip: FetchResult;
    /** Where the proxy served it from: its storage, its upstream, or a direct VCS fetch; unknown when the proxy does not say. */
    source: 'store' | 'upstream' | 'direct' | 'unknown';
  };
  verified: {
    zip: ChecksumState;
    mod: ChecksumState;
    zipHash: string | null;
    /** Who hashed the zip: `zip` is `match` only when someone hashed the bytes served. */
    zipHashedBy: ZipHashedBy;
    modHash: string | null;
    /** The go.sum lines a build of this module would need that no go.sum holds. */
    missingLines: string[];
  };
  current: {
    /** What `go list -m -u` offers as the update (null: none newer that is allowed). */
    update: string | null;
    /** The newest version in Go's order: the update, else the used version. */
    latest: string;
    /** How far the used version is behind latest. */
    behind: 'none' | 'patch' | 'minor' | 'major';
    /** Listed, non-retracted versions between the used one (exclusive) and latest (inclusive). */
    versionsBehind: number;
    /** A newer major version's module path (/vN) that exists on the proxy, with its latest version. */
    newerMajor: { path: string; version: string } | null;
    usedTime: string | null;
    latestTime: string | null;
    usedAgeDays: number | null;
    latestAgeDays: number | null;
  };
  /** The latest version's go.mod `// Deprecated:` message, as `go list -m -u` reports it. */
  deprecated: string | null;
  /** The rationales when the latest go.mod retracts this version, as `go list -m -retracted` reports them. */
  retracted: string[] | null;
  policy: {
    action: 'allow' | 'warn' | 'deny';
    rule: string | null;
    reason: string | null;
    private: boolean;
    /** Covered by GONOSUMDB (or GOPRIVATE): the checksum database is not consulted for it. */
    noSumDb: boolean;
  };
  /** null: no vulnerability database was given. */
  vulnerabilities: Vulnerability[] | null;
  /** Problems met while probing (a timeout, an unreadable answer): reported, never fatal. */
  errors: string[];
};

export type LatencySummary = { requests: number; errors: number; p50Ms: number; p95Ms: number };

export type ProxyHealth = {
  url: string;
  /** admin: the in-job proxy's own statistics; probes: measured by this snapshot's requests. */
  statsSource: 'admin' | 'probes';
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  /** Share of answers served from the proxy's storage; null when the proxy does not say. */
  cacheHitRatio: number | null;
  bytes: number;
  byKind: Record<string, LatencySummary>;
  /** Per module path. */
  modules: ({ path: string } & LatencySummary & { hits: number; misses: number })[];
};

export type HealthSnapshot = {
  schemaVersion: typeof snapshotSchemaVersion;
  generatedAt: string;
  workspace: {
    dir: string;
    /** go-list: `go list -m -json all`; go-mod: read from go.mod/go.sum (no go command, or it failed). */
    buildListSource: 'go-list' | 'go-mod';
    /** Why the go.mod reading was used, when it was. */
    buildListNote: string | null;
    goModFiles: string[];
    goWorkFiles: string[];
    goSumFiles: string[];
    mainModules: string[];
  };
  proxy: ProxyHealth;
  vulnDb: { url: string; modified: string | null } | null;
  policySource: string | null;
  modules: ModuleHealth[];
  summary: {
    modules: number;
    unresolvable: number;
    checksumMismatch: number;
    missingSums: number;
    outdated: number;
    deprecated: number;
    retracted: number;
    denied: number;
    warned: number;
    vulnerable: number;
    errors: number;
  };
};

export function summarize(modules: readonly ModuleHealth[]): HealthSnapshot['summary'] {
  return {
    modules: modules.length,
    unresolvable: modules.filter((m) => !m.resolvable.ok).length,
    checksumMismatch: modules.filter((m) => m.verified.zip === 'mismatch' || m.verified.mod === 'mismatch')
      .length,
    missingSums: modules.filter((m) => m.verified.missingLines.length > 0).length,
    outdated: modules.filter((m) => m.current.update !== null).length,
    deprecated: modules.filter((m) => m.deprecated !== null).length,
    retracted: modules.filter((m) => m.retracted !== null).length,
    denied: modules.filter((m) => m.policy.action === 'deny').length,
    warned: modules.filter((m) => m.policy.action === 'warn').length,
    vulnerable: modules.filter((m) => (m.vulnerabilities?.length ?? 0) > 0).length,
    errors: modules.filter((m) => m.errors.length > 0).length,
  };
}

/** Reads a snapshot written by this or an older compatible version; throws a one-line reason otherwise. */
export function parseSnapshot(text: string, source: string): HealthSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not a JSON health snapshot (${(err as Error).message})`);
  }
  const v = value as Partial<HealthSnapshot> | null;
  if (!v || typeof v !== 'object' || !Array.isArray(v.modules)) {
    throw new Error(`${source}: not a health snapshot (no "modules" array)`);
  }
  if (v.schemaVersion !== snapshotSchemaVersion) {
    throw new Error(
      `${source}: health snapshot schemaVersion ${String(v.schemaVersion)} is not ${snapshotSchemaVersion}; take a new baseline`,
    );
  }
  return v as HealthSnapshot;
}

// Counters the action's summary, the GitLab job log and the health snapshot read from the
// admin endpoint: per request kind and per module, with latency percentiles.

import { type ProxyRequestKind, proxyRequestKinds } from '../gomod/request-kind.ts';

export type RequestKind = ProxyRequestKind;

export type Counters = {
  requests: number;
  hits: number;
  misses: number;
  upstreamFetches: number;
  upstreamBytes: number;
  servedBytes: number;
  errors: number;
  /** Served a stored list/@latest/query answer because the upstream failed. */
  staleServed: number;
  /** Served but not stored: could not be verified against go.sum or the checksum database. */
  unverified: number;
  /** Served but not stored: the disk was full or the write failed. */
  notStored: number;
  denied: number;
};

export type RequestOutcome = {
  kind: RequestKind;
  module: string | null;
  version: string | null;
  status: number;
  source: 'store' | 'upstream' | 'direct' | 'none';
  bytes: number;
  durationMs: number;
  upstreamBytes?: number;
  stale?: boolean;
  unverified?: boolean;
  notStored?: boolean;
  denial?: { rule: string; reason: string };
};

const kinds = proxyRequestKinds;
const maxSamples = 4096;

function emptyCounters(): Counters {
  return {
    requests: 0,
    hits: 0,
    misses: 0,
    upstreamFetches: 0,
    upstreamBytes: 0,
    servedBytes: 0,
    errors: 0,
    staleServed: 0,
    unverified: 0,
    notStored: 0,
    denied: 0,
  };
}

/** Latency samples: a bounded reservoir, so a long-lived proxy's memory stays flat. */
class LatencyReservoir {
  readonly #samples: number[] = [];
  #seen = 0;

  add(ms: number): void {
    this.#seen++;
    if (this.#samples.length < maxSamples) {
      this.#samples.push(ms);
      return;
    }
    const slot = Math.floor(Math.random() * this.#seen);
    if (slot < maxSamples) this.#samples[slot] = ms;
  }

  percentile(p: number): number {
    if (this.#samples.length === 0) return 0;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
    return Math.round(sorted[Math.max(0, index)]! * 100) / 100;
  }
}

export type ModuleStats = Counters & { path: string; versions: string[] };

export type StatsSnapshot = {
  startedAt: string;
  uptimeMs: number;
  totals: Counters;
  byKind: Record<RequestKind, Counters & { p50Ms: number; p95Ms: number }>;
  modules: ModuleStats[];
  denials: {
    module: string;
    version: string | null;
    kind: RequestKind;
    rule: string;
    reason: string;
    count: number;
  }[];
  store: { addedFiles: number; addedBytes: number; files?: number; bytes?: number; versions?: number };
  /**
   * Zips fetched and stored before a client asked (zip-prefetch.ts), and how many of those a
   * client then asked for. Not requests: the client's own .zip request is counted as one.
   * (Absent from a proxy older than this field.)
   */
  prefetch?: { zips: number; asked: number };
};

/**
 * Bounds on what one long-lived proxy remembers per module: any client can name any number of
 * valid module paths (each 404 included), so past these the rest share one bucket.
 */
const maxModules = 10_000;
const maxVersionsPerModule = 1_000;
const maxDenials = 10_000;
export const otherModules = '(other modules)';

export class ProxyStats {
  readonly #startedAt = new Date();
  readonly #totals = emptyCounters();
  readonly #byKind = new Map<RequestKind, Counters>(kinds.map((k) => [k, emptyCounters()]));
  readonly #latency = new Map<RequestKind, LatencyReservoir>(kinds.map((k) => [k, new LatencyReservoir()]));
  readonly #modules = new Map<string, Counters & { versions: Set<string> }>();
  readonly #denials = new Map<string, StatsSnapshot['denials'][number]>();
  #addedFiles = 0;
  #addedBytes = 0;
  readonly #prefetch = { zips: 0, asked: 0 };

  record(outcome: RequestOutcome): void {
    const targets: Counters[] = [this.#totals, this.#byKind.get(outcome.kind)!];
    if (outcome.module) {
      let key = outcome.module;
      let m = this.#modules.get(key);
      if (!m && this.#modules.size >= maxModules) {
        key = otherModules;
        m = this.#modules.get(key);
      }
      if (!m) {
        m = { ...emptyCounters(), versions: new Set() };
        this.#modules.set(key, m);
      }
      const keepVersion = key !== otherModules && m.versions.size < maxVersionsPerModule;
      if (outcome.version && outcome.status === 200 && keepVersion) m.versions.add(outcome.version);
      targets.push(m);
    }
    for (const c of targets) {
      c.requests++;
      if (outcome.status === 200) {
        c.servedBytes += outcome.bytes;
        if (outcome.source === 'store') c.hits++;
        else c.misses++;
      } else if (
        outcome.status >= 500 ||
        (outcome.status >= 400 && outcome.status !== 404 && outcome.status !== 410)
      ) {
        c.errors++;
      }
      if (outcome.upstreamBytes !== undefined) {
        c.upstreamFetches++;
        c.upstreamBytes += outcome.upstreamBytes;
      }
      if (outcome.stale) c.staleServed++;
      if (outcome.unverified) c.unverified++;
      if (outcome.notStored) c.notStored++;
      if (outcome.denial) c.denied++;
    }
    this.#latency.get(outcome.kind)!.add(outcome.durationMs);
    if (outcome.denial && outcome.module) {
      let key = `${outcome.module}@${outcome.version ?? ''}#${outcome.denial.rule}`;
      if (!this.#denials.has(key) && this.#denials.size >= maxDenials) key = otherModules;
      const existing = this.#denials.get(key);
      if (existing) existing.count++;
      else {
        const folded = key === otherModules;
        this.#denials.set(key, {
          module: folded ? otherModules : outcome.module,
          version: folded ? null : outcome.version,
          kind: outcome.kind,
          rule: outcome.denial.rule,
          reason: outcome.denial.reason,
          count: 1,
        });
      }
    }
  }

  recordStored(bytes: number): void {
    this.#addedFiles++;
    this.#addedBytes += bytes;
  }

  recordPrefetched(event: 'stored' | 'asked'): void {
    if (event === 'stored') this.#prefetch.zips++;
    else this.#prefetch.asked++;
  }

  snapshot(): StatsSnapshot {
    const byKind = {} as StatsSnapshot['byKind'];
    for (const kind of kinds) {
      const latency = this.#latency.get(kind)!;
      byKind[kind] = {
        ...this.#byKind.get(kind)!,
        p50Ms: latency.percentile(50),
        p95Ms: latency.percentile(95),
      };
    }
    const modules = [...this.#modules.entries()]
      .map(([path, { versions, ...counters }]) => ({ path, versions: [...versions].sort(), ...counters }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      startedAt: this.#startedAt.toISOString(),
      uptimeMs: Date.now() - this.#startedAt.getTime(),
      totals: { ...this.#totals },
      byKind,
      modules,
      denials: [...this.#denials.values()],
      store: { addedFiles: this.#addedFiles, addedBytes: this.#addedBytes },
      prefetch: { ...this.#prefetch },
    };
  }
}

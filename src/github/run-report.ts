// What one job's use of the action did, gathered by the post step and rendered as the job
// summary (summary.ts) and log lines.
import type { ProxyStats, PruneResult } from '../daemon/admin-client.ts';
import type { BuildCacheReport } from './build-cache-step.ts';
import type { ModTreeReport } from './mod-tree-step.ts';

export type RestoreKind = 'exact' | 'partial' | 'none';

export type SaveOutcome =
  | 'saved'
  | 'exact-hit' // the key was restored exactly: nothing new to keep
  | 'nothing-new' // the store gained no blobs
  | 'not-restored' // the store was skipped (module tree exact): what it gained is a subset, never saved
  | 'already-saved' // another job saved this key first
  | 'read-only' // ACTIONS_CACHE_MODE forbids writes
  | 'disabled' // cache: false, or no cache service
  | 'failed';

export type CacheReport = {
  enabled: boolean;
  key: string;
  restore: RestoreKind;
  matchedKey?: string;
  /** Not restored: the module tree restored exactly (ActionState cache.storeSkipped). */
  storeSkipped?: boolean;
  restoreMs?: number;
  restoredBlobs?: number;
  restoredBytes?: number;
  addedBlobs?: number;
  addedBytes?: number;
  save: SaveOutcome;
  saveMs?: number;
  savedBlobs?: number;
  savedBytes?: number;
  savedKey?: string;
  /** A new base entry, or a delta layer on the restored chain. */
  savedAs?: 'base' | 'layer';
};

export type RunReport = {
  mode: 'ephemeral' | 'remote';
  proxyUrl: string;
  cache?: CacheReport;
  stats?: ProxyStats;
  pruned?: PruneResult;
  pruneMs?: number;
  buildCache?: BuildCacheReport;
  modTree?: ModTreeReport;
  /** Problems worth a person's attention; each also becomes an annotation. */
  problems: string[];
};

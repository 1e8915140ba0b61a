// What main hands to post (through GITHUB_STATE, as one JSON value).
import type { RestoredChain } from '../cachelayers/save-plan.ts';
import type { BuildCacheState } from './build-cache-step.ts';
import type { ModTreeState } from './mod-tree-step.ts';
import type { RestoreKind } from './run-report.ts';

export const STATE_NAME = 'goproxy-action';

export type ActionState = {
  mode: 'ephemeral' | 'remote';
  proxyUrl: string;
  /** Our private directory under RUNNER_TEMP: ready file (token), log, audit log, listings. */
  stateDir: string;
  storeDir?: string;
  pid?: number;
  prune: boolean;
  cache?: {
    enabled: boolean;
    writable: boolean;
    key: string;
    restore: RestoreKind;
    matchedKey?: string;
    /** The layered chain restored (store-layers.ts). */
    chain?: RestoredChain;
    restoreMs: number;
    restoredBlobs: number;
    restoredBytes: number;
    /** File holding the blobs present after restore (path -> size). */
    listingFile: string;
    /**
     * The store was not restored because the module tree restored exactly (the go command asks
     * the proxy for nothing the tree holds): the store starts empty and post never saves it.
     */
    storeSkipped?: boolean;
  };
  credentialsDir?: string;
  /** The Go build cache (build-cache: true). */
  buildCache?: BuildCacheState;
  /** The extracted module tree carried in GOMODCACHE (mod-tree-step.ts). */
  modTree?: ModTreeState;
  /** When main's cache restores began and ended (ms since the epoch): superseded-entries.ts. */
  restoreStartedAt?: number;
  restoreDoneAt?: number;
};

export function parseActionState(text: string): ActionState | undefined {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as ActionState;
  } catch {
    return undefined;
  }
}

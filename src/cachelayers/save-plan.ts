// Whether and how a run saves a layered cache: nothing, a delta layer on the restored chain,
// or a new compacted base. Pure: figures in, decision out.
import { MAX_LAYERS } from './layer-keys.ts';

export type RestoredChain = {
  baseId: string;
  /** Layers restored, the base included (1 = base only). */
  count: number;
  /** False when a layer of the chain was missing (evicted): appending would leave a hole. */
  complete: boolean;
};

export type SavePlanInput = {
  chain?: RestoredChain;
  addedFiles: number;
  addedBytes: number;
  /** Bytes restored that this run did not use (dead weight a compaction drops). */
  unusedBytes: number;
  restoredBytes: number;
  /** A run that added less than this saves nothing (the next run redoes that little work). */
  minAddedBytes: number;
  /** Delta layers allowed on a base before compaction; MAX_LAYERS unless the chain says. */
  maxLayers?: number;
};

export type SavePlan =
  | { kind: 'base'; reason: 'cold' | 'layers-full' | 'chain-broken' | 'mostly-unused' }
  | { kind: 'layer'; layer: number }
  | { kind: 'skip'; reason: 'nothing-new' | 'below-threshold' };

export function planSave(input: SavePlanInput): SavePlan {
  if (input.addedFiles === 0) return { kind: 'skip', reason: 'nothing-new' };
  if (!input.chain) return { kind: 'base', reason: 'cold' };
  if (input.addedBytes < input.minAddedBytes) return { kind: 'skip', reason: 'below-threshold' };
  if (!input.chain.complete) return { kind: 'base', reason: 'chain-broken' };
  if (input.chain.count > (input.maxLayers ?? MAX_LAYERS)) return { kind: 'base', reason: 'layers-full' };
  // More than half of what every later run downloads is unused: a pruned base is smaller.
  if (input.restoredBytes > 0 && input.unusedBytes * 2 > input.restoredBytes)
    return { kind: 'base', reason: 'mostly-unused' };
  return { kind: 'layer', layer: input.chain.count };
}

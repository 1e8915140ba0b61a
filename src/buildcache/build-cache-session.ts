// The build cache across one CI job without layered entries (GitLab's cache: one entry per key,
// overwritten on every save): `begin` ages the restored entries and records them, `end` removes
// what the job did not use, so the entry GitLab saves holds what this job used plus what it added
// (and the action entries pointing at those outputs).
import { readFile, writeFile } from 'node:fs/promises';
import { AGE_BACK_MS, ageEntries, buildCacheUsage, listBuildCache, pruneToUsed } from './build-cache-dir.ts';

type SessionFile = { usedSinceMs: number; restored: string[] };

export type SessionBegin = { entries: number; bytes: number };

export async function beginBuildCacheSession(dir: string, sessionFile: string): Promise<SessionBegin> {
  const listing = await listBuildCache(dir);
  const now = Date.now();
  await ageEntries(dir, listing, new Date(now - AGE_BACK_MS));
  const session: SessionFile = { usedSinceMs: now - 1000, restored: [...listing.keys()] };
  await writeFile(sessionFile, JSON.stringify(session), { mode: 0o600 });
  let bytes = 0;
  for (const entry of listing.values()) bytes += entry.bytes;
  return { entries: listing.size, bytes };
}

export type SessionEnd = {
  used: number;
  added: number;
  addedBytes: number;
  pruned: number;
  prunedBytes: number;
  /** Unused action entries kept because their output is kept (build-cache-dir.ts keepPartnerEntries). */
  partners: number;
};

export async function endBuildCacheSession(
  dir: string,
  sessionFile: string,
  prune: boolean,
): Promise<SessionEnd> {
  let session: SessionFile;
  try {
    session = JSON.parse(await readFile(sessionFile, 'utf8')) as SessionFile;
  } catch (err) {
    throw new Error(
      `no build cache session at ${sessionFile} (${(err as Error).message}); the job's 'ci start' records it`,
    );
  }
  const usage = buildCacheUsage(new Set(session.restored), await listBuildCache(dir), session.usedSinceMs);
  if (!prune)
    return {
      used: usage.used.length,
      added: usage.added.length,
      addedBytes: usage.addedBytes,
      pruned: 0,
      prunedBytes: 0,
      partners: 0,
    };
  const kept = await pruneToUsed(dir, usage);
  return {
    used: usage.used.length,
    added: usage.added.length,
    addedBytes: usage.addedBytes,
    pruned: kept.unused.length,
    prunedBytes: kept.unusedBytes,
    partners: kept.partners.length,
  };
}

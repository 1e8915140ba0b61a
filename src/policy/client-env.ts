// GOPRIVATE-style pattern lists merged; the job's environment itself is computed in
// job-go-env.ts.

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

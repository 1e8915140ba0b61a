// What a prewarm asks a proxy for: module versions (each with what the go command would fetch
// for it and the go.sum hashes known for it) and queries still to resolve through the proxy.
// Sources add to one plan; the plan deduplicates and orders, so a run is deterministic.
import { compareGoStrings, compareVersions } from '../gomod/version.ts';

/** 'full': .info, .mod and .zip (a module whose packages are built); 'mod': the .mod alone (a go.sum `/go.mod`-only line). */
export type WarmWant = 'full' | 'mod';

export type WarmItem = {
  module: string;
  version: string;
  want: WarmWant;
  /** Distinct go.sum hashes of the zip / the go.mod, as the sources recorded them. */
  zipHashes: string[];
  modHashes: string[];
  /** Where the item came from (file:line, list file, tag, GitLab project), first few kept. */
  sources: string[];
};

export type WarmQuery = { module: string; query: string; source: string };

const maxSourcesKept = 3;

export class WarmPlan {
  readonly #items = new Map<string, WarmItem>();
  readonly #queries = new Map<string, WarmQuery>();

  add(entry: {
    module: string;
    version: string;
    want: WarmWant;
    source: string;
    zipHash?: string;
    modHash?: string;
  }): void {
    const key = `${entry.module}@${entry.version}`;
    let item = this.#items.get(key);
    if (!item) {
      item = {
        module: entry.module,
        version: entry.version,
        want: entry.want,
        zipHashes: [],
        modHashes: [],
        sources: [],
      };
      this.#items.set(key, item);
    }
    // A module built anywhere needs its zip everywhere: 'full' wins over 'mod'.
    if (entry.want === 'full') item.want = 'full';
    if (entry.zipHash && !item.zipHashes.includes(entry.zipHash)) item.zipHashes.push(entry.zipHash);
    if (entry.modHash && !item.modHashes.includes(entry.modHash)) item.modHashes.push(entry.modHash);
    if (item.sources.length < maxSourcesKept && !item.sources.includes(entry.source))
      item.sources.push(entry.source);
  }

  addQuery(query: WarmQuery): void {
    const key = `${query.module}@${query.query}`;
    if (!this.#queries.has(key)) this.#queries.set(key, query);
  }

  /** Module versions by path (Go byte order), then semantic version. */
  items(): WarmItem[] {
    return [...this.#items.values()].sort(compareItems);
  }

  queries(): WarmQuery[] {
    return [...this.#queries.values()].sort(
      (a, b) => compareGoStrings(a.module, b.module) || compareGoStrings(a.query, b.query),
    );
  }

  get size(): number {
    return this.#items.size;
  }
}

export function compareItems(
  a: { module: string; version: string },
  b: { module: string; version: string },
): number {
  return (
    compareGoStrings(a.module, b.module) ||
    compareVersions(a.version, b.version) ||
    compareGoStrings(a.version, b.version)
  );
}

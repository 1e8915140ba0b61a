// Warms the checksum-database answers the go command asks a proxy for (`/sumdb/<name>/...`):
// one lookup per public module version, and the hash tiles the lookup's inclusion proof reads
// in the tree the lookup was signed in. Only FULL tiles are fetched: they never change, while
// `latest` and partial tiles go stale as the log grows. Each lookup's go.sum lines are compared
// with the go.sum hashes known, so a proxy passing on a different answer is caught here too.
import type { Readable } from 'node:stream';
import { eachLimited } from '../each-limited.ts';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import {
  coordsRead,
  parseRecord,
  parseTree,
  proveRecord,
  type Tile,
  tileForHash,
  tileIsFull,
  tilePath,
} from '../sumdb/tlog.ts';
import { BodyCheckError, type ProxyAnswer, type ProxyClient, ProxyRequestError } from './proxy-client.ts';
import type { Slots } from './slots.ts';
import type { WarmItem } from './warm-plan.ts';

export type SumdbLookupResult = {
  module: string;
  version: string;
  status: 'warmed' | 'failed';
  reason?: string;
  mismatch?: boolean;
};

export type SumdbWarmReport = {
  name: string;
  /** False when the proxy does not pass this database through (`/supported` not 200). */
  supported: boolean;
  lookups: SumdbLookupResult[];
  tiles: { path: string; status: 'warmed' | 'failed'; reason?: string }[];
  bytes: number;
};

async function readText(
  body: AsyncIterable<unknown>,
  limit: number,
): Promise<{ text: string; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    const buffer = Buffer.from(chunk as Uint8Array);
    bytes += buffer.length;
    if (bytes > limit) throw new BodyCheckError(`the answer is larger than ${limit} bytes`);
    chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes };
}

/** The full tiles an inclusion proof of record `id` in a tree of `size` records reads. */
export function fullTilesForRecord(size: number, id: number): Tile[] {
  const coords = coordsRead((read) => proveRecord(size, id, read));
  const tiles = new Map<string, Tile>();
  for (const coord of coords) {
    const { tile } = tileForHash(size, coord);
    if (tileIsFull(tile)) tiles.set(tilePath(tile), tile);
  }
  return [...tiles.values()];
}

/** Checks the record's lines against the go.sum hashes known for the item; a message when they differ. */
function recordMismatch(item: WarmItem, text: string): string | null {
  for (const line of text.split('\n')) {
    const [module, version, hash] = line.split(' ');
    if (module !== item.module || !version || !hash) continue;
    const known = version.endsWith('/go.mod') ? item.modHashes : item.zipHashes;
    if (known.length > 0 && !known.includes(hash)) {
      return `CHECKSUM MISMATCH: the checksum database (through the proxy) says ${module} ${version} ${hash}, go.sum has ${known.join(' or ')}`;
    }
  }
  return null;
}

export async function warmSumdb(options: {
  client: ProxyClient;
  name: string;
  items: readonly WarmItem[];
  concurrency: number;
  /**
   * Request lanes shared with the module requests (each lookup and tile takes one, at this rank),
   * so warming both at once keeps the run's requests within its concurrency.
   */
  lanes?: { slots: Slots; rank: number; signal?: AbortSignal };
}): Promise<SumdbWarmReport> {
  const { name } = options;
  const lanes = options.lanes;
  const client = {
    async get<T>(
      path: string,
      consume: (body: Readable) => Promise<T>,
    ): Promise<{ value: T; answer: ProxyAnswer }> {
      if (!lanes) return options.client.get(path, consume);
      const release = await lanes.slots.acquire(lanes.signal, () => lanes.rank);
      try {
        return await options.client.get(path, consume);
      } finally {
        release();
      }
    },
  };
  const root = `/sumdb/${name}`;
  const report: SumdbWarmReport = { name, supported: false, lookups: [], tiles: [], bytes: 0 };
  try {
    // The protocol's answer is empty: a body that goes on is read only so far, then refused.
    await client.get(`${root}/supported`, (body) => readText(body, 4096));
    report.supported = true;
  } catch (error) {
    if (error instanceof ProxyRequestError || error instanceof BodyCheckError) return report;
    throw error;
  }
  const tiles = new Map<string, Tile>();
  await eachLimited(options.items, options.concurrency, async (item) => {
    const path = `${root}/lookup/${escapePath(item.module)}@${escapeVersion(item.version)}`;
    try {
      const { value } = await client.get(path, (body) => readText(body, 64 * 1024));
      report.bytes += value.bytes;
      const record = parseRecord(value.text);
      const noteText = record.rest.split('\n\n')[0] ?? '';
      const tree = parseTree(`${noteText}\n`);
      const mismatch = recordMismatch(item, record.text);
      if (mismatch) {
        report.lookups.push({
          module: item.module,
          version: item.version,
          status: 'failed',
          reason: mismatch,
          mismatch: true,
        });
      } else {
        report.lookups.push({ module: item.module, version: item.version, status: 'warmed' });
      }
      if (record.id < tree.size)
        for (const tile of fullTilesForRecord(tree.size, record.id)) tiles.set(tilePath(tile), tile);
    } catch (error) {
      // A failed request, a malformed answer (record, tree note): reported; an abort ends the run.
      if (!(error instanceof Error) || error.name === 'AbortError') throw error;
      report.lookups.push({
        module: item.module,
        version: item.version,
        status: 'failed',
        reason: error.message,
      });
    }
  });
  const ordered = [...tiles.keys()].sort();
  await eachLimited(ordered, options.concurrency, async (tile) => {
    try {
      const { value } = await client.get(`${root}/${tile}`, (body) => readText(body, 1 << 20));
      report.bytes += value.bytes;
      report.tiles.push({ path: tile, status: 'warmed' });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      report.tiles.push({ path: tile, status: 'failed', reason: (error as Error).message });
    }
  });
  report.lookups.sort((a, b) =>
    a.module === b.module ? (a.version < b.version ? -1 : 1) : a.module < b.module ? -1 : 1,
  );
  report.tiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return report;
}

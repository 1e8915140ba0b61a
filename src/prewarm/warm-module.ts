// Warms one module version: asks the proxy what the go command would ask (.info, .mod, .zip; or
// the .mod alone for a go.sum `/go.mod`-only line), reads every answer to its end (a proxy that
// fetches on demand may only keep a blob once a client read it whole), and checks each against
// what is known: .info names the version, .mod and .zip match the go.sum hashes. A zip is
// streamed to a scratch file, hashed there and deleted: never held in memory. The request lane
// is given back as soon as the zip is on disk: its check (inflate and hash, CPU) runs in a slot
// of its own, so the proxy keeps getting requests while zips are checked.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashGoMod } from '../gomod/dirhash.ts';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { checkModuleZip, ModuleZipError, maxGoMod, maxZipFile } from '../gomod/module-zip.ts';
import { BodyCheckError, type ProxyAnswer, type ProxyClient, ProxyRequestError } from './proxy-client.ts';
import type { Slots } from './slots.ts';
import type { WarmItem } from './warm-plan.ts';

export type BlobKind = 'info' | 'mod' | 'zip';

/** Where the proxy says an answer came from (`X-Goproxy-Source`), when it says so. */
export type AnswerSource = 'store' | 'upstream' | 'direct';

export type BlobResult = {
  kind: BlobKind;
  bytes: number;
  firstByteMs: number;
  ms: number;
  attempts: number;
  source?: AnswerSource;
  /** True when the answer was checked against a go.sum hash (and matched). */
  verified: boolean;
};

export type ModuleOutcome = (
  | { status: 'warmed' | 'already-warm'; evidence: 'header' | 'latency'; blobs: BlobResult[] }
  | { status: 'failed'; reason: string; mismatch: boolean; blobs: BlobResult[] }
) & {
  /** performance.now() when the module got its lane: its time excludes the wait for one. */
  startedAt: number;
};

export type WarmModuleOptions = {
  client: ProxyClient;
  scratchDir: string;
  /** Without a source header: answers all faster than this count as already warm. */
  warmLatencyMs: number;
  /** Request lanes: one held for the module's requests, given back before its zip is checked. */
  lanes: Slots;
  /** Zips on disk not yet checked: bounds the scratch space (taken before a zip is downloaded). */
  pendingZips: Slots;
  /** Zip checks at once (CPU-bound). */
  checks: Slots;
  /** This module's rank for a request lane (lower first; see Slots). */
  laneRank?: () => number;
  /** Told the zip's size once it is read, before the lane is given back (a scheduling hint). */
  onZipRead?: (bytes: number) => void;
  signal?: AbortSignal;
};

const maxInfo = 64 * 1024;

export function blobPath(module: string, version: string, kind: BlobKind): string {
  return `/${escapePath(module)}/@v/${escapeVersion(version)}.${kind}`;
}

let scratchCounter = 0;

export async function warmModule(item: WarmItem, options: WarmModuleOptions): Promise<ModuleOutcome> {
  const kinds: BlobKind[] = item.want === 'full' ? ['info', 'mod', 'zip'] : ['mod'];
  const blobs: BlobResult[] = [];
  let zipFile: string | null = null;
  let releaseScratch: (() => void) | null = null;
  const releaseLane = await options.lanes.acquire(options.signal, options.laneRank);
  const startedAt = performance.now();
  try {
    for (const kind of kinds) {
      if (kind === 'zip' && item.zipHashes.length > 0) {
        releaseScratch = await options.pendingZips.acquire(options.signal);
        zipFile = join(options.scratchDir, `zip-${process.pid}-${++scratchCounter}`);
      }
      const started = performance.now();
      try {
        const { value, answer } = await options.client.get(
          blobPath(item.module, item.version, kind),
          (body) => consume(kind, body, item, zipFile),
        );
        const source = sourceOf(answer);
        blobs.push({
          kind,
          bytes: value.bytes,
          firstByteMs: Math.round(answer.firstByteMs),
          ms: Math.round(performance.now() - started),
          attempts: answer.attempts,
          ...(source ? { source } : {}),
          verified: value.verified,
        });
        if (kind === 'zip') options.onZipRead?.(value.bytes);
      } catch (error) {
        if (error instanceof BodyCheckError)
          return { status: 'failed', reason: `${kind}: ${error.message}`, mismatch: true, blobs, startedAt };
        if (error instanceof ProxyRequestError)
          return { status: 'failed', reason: `${kind}: ${error.message}`, mismatch: false, blobs, startedAt };
        throw error;
      }
    }
    releaseLane();
    if (zipFile !== null) {
      const file = zipFile;
      try {
        await options.checks.run(() => checkZip(file, item), options.signal);
      } catch (error) {
        if (error instanceof BodyCheckError)
          return { status: 'failed', reason: `zip: ${error.message}`, mismatch: true, blobs, startedAt };
        throw error;
      }
      const zip = blobs.find((b) => b.kind === 'zip');
      if (zip) zip.verified = true;
    }
  } finally {
    releaseLane();
    if (zipFile !== null) await rm(zipFile, { force: true });
    releaseScratch?.();
  }
  const sources = blobs.map((b) => b.source);
  if (sources.every((s) => s !== undefined)) {
    return {
      status: sources.every((s) => s === 'store') ? 'already-warm' : 'warmed',
      evidence: 'header',
      blobs,
      startedAt,
    };
  }
  const slowest = Math.max(...blobs.map((b) => b.firstByteMs));
  return {
    status: slowest <= options.warmLatencyMs ? 'already-warm' : 'warmed',
    evidence: 'latency',
    blobs,
    startedAt,
  };
}

function sourceOf(answer: ProxyAnswer): AnswerSource | undefined {
  const value = answer.headers['x-goproxy-source']?.trim().toLowerCase();
  return value === 'store' || value === 'upstream' || value === 'direct' ? value : undefined;
}

async function consume(
  kind: BlobKind,
  body: Readable,
  item: WarmItem,
  zipFile: string | null,
): Promise<{ bytes: number; verified: boolean }> {
  if (kind === 'zip') return { bytes: await readZip(body, zipFile), verified: false };
  const limit = kind === 'info' ? maxInfo : maxGoMod;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += (chunk as Buffer).length;
    if (bytes > limit) throw new BodyCheckError(`the answer is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const data = Buffer.concat(chunks);
  if (kind === 'info') {
    let version: unknown;
    try {
      version = (JSON.parse(data.toString('utf8')) as { Version?: unknown }).Version;
    } catch {
      throw new BodyCheckError('the answer is not JSON module info');
    }
    if (version !== item.version) {
      throw new BodyCheckError(`the info names version ${JSON.stringify(version)}, not ${item.version}`);
    }
    return { bytes, verified: false };
  }
  if (item.modHashes.length === 0) return { bytes, verified: false };
  const hash = hashGoMod(data);
  if (!item.modHashes.includes(hash)) {
    throw new BodyCheckError(
      `CHECKSUM MISMATCH: the proxy serves a go.mod with ${hash}, go.sum has ${item.modHashes.join(' or ')}`,
    );
  }
  return { bytes, verified: true };
}

/**
 * Reads a zip answer to its end: into `file` (a retry overwrites it) when there is a go.sum hash
 * to check it against, else only counted. Returns its size.
 */
async function readZip(body: Readable, file: string | null): Promise<number> {
  let bytes = 0;
  if (file === null) {
    for await (const chunk of body) {
      bytes += (chunk as Buffer).length;
      if (bytes > maxZipFile) throw new BodyCheckError(`the zip is larger than ${maxZipFile} bytes`);
    }
    return bytes;
  }
  await pipeline(
    body,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        bytes += chunk.length;
        if (bytes > maxZipFile) throw new BodyCheckError(`the zip is larger than ${maxZipFile} bytes`);
        yield chunk;
      }
    },
    createWriteStream(file, { mode: 0o600 }),
  );
  return bytes;
}

/** Checks a downloaded zip: a valid module zip (the go command's rules) with a go.sum hash. */
async function checkZip(file: string, item: WarmItem): Promise<void> {
  let hash: string;
  try {
    ({ hash } = await checkModuleZip(file, item.module, item.version));
  } catch (error) {
    if (error instanceof ModuleZipError)
      throw new BodyCheckError(
        `the zip is not a valid module zip: ${error.message.split('\n').slice(1, 3).join('; ')}`,
      );
    throw error;
  }
  if (!item.zipHashes.includes(hash)) {
    throw new BodyCheckError(
      `CHECKSUM MISMATCH: the proxy serves a zip with ${hash}, go.sum has ${item.zipHashes.join(' or ')}`,
    );
  }
}

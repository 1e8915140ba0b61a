// Warms one module version: asks the proxy what the go command would ask (.info, .mod, .zip; or
// the .mod alone for a go.sum `/go.mod`-only line), reads every answer to its end (a proxy that
// fetches on demand may only keep a blob once a client read it whole), and checks each against
// what is known: .info names the version, .mod and .zip match the go.sum hashes. A zip is
// streamed to a scratch file, hashed there and deleted: never held in memory.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashGoMod } from '../gomod/dirhash.ts';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { checkModuleZip, ModuleZipError, maxGoMod, maxZipFile } from '../gomod/module-zip.ts';
import { BodyCheckError, type ProxyAnswer, type ProxyClient, ProxyRequestError } from './proxy-client.ts';
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

export type ModuleOutcome =
  | { status: 'warmed' | 'already-warm'; evidence: 'header' | 'latency'; blobs: BlobResult[] }
  | { status: 'failed'; reason: string; mismatch: boolean; blobs: BlobResult[] };

export type WarmModuleOptions = {
  client: ProxyClient;
  scratchDir: string;
  /** Without a source header: answers all faster than this count as already warm. */
  warmLatencyMs: number;
};

const maxInfo = 64 * 1024;

export function blobPath(module: string, version: string, kind: BlobKind): string {
  return `/${escapePath(module)}/@v/${escapeVersion(version)}.${kind}`;
}

let scratchCounter = 0;

export async function warmModule(item: WarmItem, options: WarmModuleOptions): Promise<ModuleOutcome> {
  const kinds: BlobKind[] = item.want === 'full' ? ['info', 'mod', 'zip'] : ['mod'];
  const blobs: BlobResult[] = [];
  for (const kind of kinds) {
    const started = performance.now();
    try {
      const { value, answer } = await options.client.get(
        blobPath(item.module, item.version, kind),
        (body, answer) => consume(kind, body, answer, item, options),
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
    } catch (error) {
      if (error instanceof BodyCheckError)
        return { status: 'failed', reason: `${kind}: ${error.message}`, mismatch: true, blobs };
      if (error instanceof ProxyRequestError)
        return { status: 'failed', reason: `${kind}: ${error.message}`, mismatch: false, blobs };
      throw error;
    }
  }
  const sources = blobs.map((b) => b.source);
  if (sources.every((s) => s !== undefined)) {
    return {
      status: sources.every((s) => s === 'store') ? 'already-warm' : 'warmed',
      evidence: 'header',
      blobs,
    };
  }
  const slowest = Math.max(...blobs.map((b) => b.firstByteMs));
  return { status: slowest <= options.warmLatencyMs ? 'already-warm' : 'warmed', evidence: 'latency', blobs };
}

function sourceOf(answer: ProxyAnswer): AnswerSource | undefined {
  const value = answer.headers['x-goproxy-source']?.trim().toLowerCase();
  return value === 'store' || value === 'upstream' || value === 'direct' ? value : undefined;
}

async function consume(
  kind: BlobKind,
  body: Readable,
  _answer: ProxyAnswer,
  item: WarmItem,
  options: WarmModuleOptions,
): Promise<{ bytes: number; verified: boolean }> {
  if (kind === 'zip') return await consumeZip(body, item, options.scratchDir);
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

async function consumeZip(
  body: Readable,
  item: WarmItem,
  scratchDir: string,
): Promise<{ bytes: number; verified: boolean }> {
  if (item.zipHashes.length === 0) {
    // Nothing to check it against: read it to the end, count, keep nothing.
    let bytes = 0;
    for await (const chunk of body) {
      bytes += (chunk as Buffer).length;
      if (bytes > maxZipFile) throw new BodyCheckError(`the zip is larger than ${maxZipFile} bytes`);
    }
    return { bytes, verified: false };
  }
  const file = join(scratchDir, `zip-${process.pid}-${++scratchCounter}`);
  try {
    let bytes = 0;
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
    return { bytes, verified: true };
  } finally {
    await rm(file, { force: true });
  }
}

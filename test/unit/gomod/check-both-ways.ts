// Checks a module zip twice: as a whole file (checkModuleZip alone) and as the proxy checks a
// download (its bytes pushed through ZipStreamDigests in uneven chunks first, then
// checkModuleZip with those digests). The two must agree exactly (hash, sizes, or every problem
// reported); the streamed outcome is returned or thrown, so a test written against the plain
// checker runs against the streaming one unchanged.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { checkModuleZip, type ModuleZipCheck } from '../../../src/gomod/module-zip.ts';
import { ZipStreamDigests } from '../../../src/gomod/zip-stream-digests.ts';

/** Chunk sizes cycled through, so headers, data and descriptors straddle chunk boundaries. */
const chunkSizes = [1, 7, 29, 4096, 3, 65536, 17, 1 << 20];

export async function streamDigests(bytes: Buffer, offset = 0): Promise<ZipStreamDigests> {
  const digests = new ZipStreamDigests();
  for (let at = 0, i = offset; at < bytes.length; i++) {
    const n = chunkSizes[i % chunkSizes.length]!;
    await digests.push(bytes.subarray(at, at + n));
    at += n;
  }
  return digests;
}

type Outcome = { ok: ModuleZipCheck } | { error: Error };

async function outcome(run: () => Promise<ModuleZipCheck>): Promise<Outcome> {
  try {
    return { ok: await run() };
  } catch (err) {
    return { error: err as Error };
  }
}

export async function checkBothWays(file: string, module: string, version: string): Promise<ModuleZipCheck> {
  const plain = await outcome(() => checkModuleZip(file, module, version));
  const bytes = await readFile(file).catch(() => null);
  // An unreadable file has nothing to stream: the plain outcome is the only one.
  if (!bytes) return unwrap(plain);
  const results = [];
  for (const offset of [0, 3]) {
    const digests = await streamDigests(bytes, offset);
    results.push(await outcome(() => checkModuleZip(file, module, version, { streamed: digests.digests })));
  }
  for (const streamed of results) {
    if ('ok' in plain) {
      assert.ok(
        'ok' in streamed,
        `streamed check refused what the plain check accepts: ${errorOf(streamed)}`,
      );
      const { streamedEntries: _a, ...a } = plain.ok;
      const { streamedEntries: _b, ...b } = streamed.ok;
      assert.deepEqual(b, a, 'streamed and plain checks agree');
    } else {
      assert.ok('error' in streamed, 'streamed check accepted what the plain check refuses');
      assert.equal(streamed.error.constructor, plain.error.constructor);
      assert.equal(streamed.error.message, plain.error.message);
      assert.deepEqual(
        (streamed.error as { problems?: unknown }).problems,
        (plain.error as { problems?: unknown }).problems,
      );
    }
  }
  return unwrap(results[0]!);
}

function errorOf(o: Outcome): string {
  return 'error' in o ? o.error.message : 'ok';
}

function unwrap(o: Outcome): ModuleZipCheck {
  if ('error' in o) throw o.error;
  return o.ok;
}

// Child process for the disk-full test, run inside a private mount namespace on a 256 KiB
// tmpfs at argv[2]: it tries writes that cannot fit and reports what it observed as JSON.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobStore, StoreWriteError } from '../../../src/store/blob-store.ts';

const root = process.argv[2];
if (!root) throw new Error('usage: disk-full-child.ts <store root on a small filesystem>');

function describe(err: unknown) {
  return {
    isStoreWriteError: err instanceof StoreWriteError,
    code: (err as { code?: string }).code ?? null,
    message: (err as Error).message,
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const store = await BlobStore.open(root);
const big = Buffer.alloc(1024 * 1024, 0x41);
const result: Record<string, unknown> = {};

// 1. One-shot atomic write of a blob larger than the filesystem.
try {
  await store.writeFileAtomic('example.com/full', 'v1.0.0', 'zip', big);
  result.atomic = { ok: true };
} catch (err) {
  result.atomic = describe(err);
}

// 2. Streaming write (the proxy's path): chunks until the disk says no, then discard.
const pending = await store.beginWrite('example.com/full', 'v1.1.0', 'zip');
try {
  for (let offset = 0; offset < big.byteLength; offset += 64 * 1024) {
    await pending.write(big.subarray(offset, offset + 64 * 1024));
  }
  await pending.commit();
  result.streamed = { ok: true };
} catch (err) {
  result.streamed = describe(err);
  await pending.discard();
}

result.filesAfterFailures = await filesUnder(root);
result.statAfterFailures = [
  await store.stat('example.com/full', 'v1.0.0', 'zip'),
  await store.stat('example.com/full', 'v1.1.0', 'zip'),
];

// 3. The failures left no debris behind, so a blob that fits is stored fine.
const small = Buffer.from('module example.com/full\n');
await store.writeFileAtomic('example.com/full', 'v1.2.0', 'mod', small);
result.smallReadBack = (await store.readFile('example.com/full', 'v1.2.0', 'mod'))?.toString('utf8') ?? null;
result.filesAtEnd = await filesUnder(root);

process.stdout.write(`${JSON.stringify(result)}\n`);

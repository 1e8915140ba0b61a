// Child process for the disk-full test, run inside a private mount namespace on a 256 KiB
// tmpfs at argv[2]: it tries writes that cannot fit, then remounts the filesystem read-only,
// and reports what it observed as JSON.
import { execFile } from 'node:child_process';
import { readdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
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

// 4. The same filesystem made read-only (a store on a read-only cache mount): a left-over temp
// file cannot be removed, yet the store opens and serves, and writes fail as EROFS.
const leftover = await store.beginWrite('example.com/full', 'v1.3.0', 'zip');
await leftover.write(Buffer.from('left by a writer that died'));
await leftover.detach();
const leftoverDead = join(dirname(leftover.path), '.tmp-4194999-deadbeef');
await rename(leftover.path, leftoverDead); // as if its writer's pid were gone
await promisify(execFile)('mount', ['-o', 'remount,ro', root]);
const readOnly = await BlobStore.open(root);
result.readOnlyRead =
  (await readOnly.readFile('example.com/full', 'v1.2.0', 'mod'))?.toString('utf8') ?? null;
try {
  await readOnly.writeFileAtomic('example.com/full', 'v1.4.0', 'mod', small);
  result.readOnlyWrite = { ok: true };
} catch (err) {
  result.readOnlyWrite = describe(err);
}
result.filesReadOnly = await filesUnder(root);

process.stdout.write(`${JSON.stringify(result)}\n`);

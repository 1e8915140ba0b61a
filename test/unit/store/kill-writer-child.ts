// Child process for the SIGKILL test: starts streaming a large blob into the store, reports
// the temp file once a good part is on disk, and keeps writing until the parent kills it.
import { BlobStore } from '../../../src/store/blob-store.ts';

const root = process.argv[2];
if (!root) throw new Error('usage: kill-writer-child.ts <store root>');
const store = await BlobStore.open(root);
const pending = await store.beginWrite('example.com/big', 'v1.0.0', 'zip');
const chunk = Buffer.alloc(256 * 1024, 0x5a);
const reportAfter = 2 * 1024 * 1024;
// Bounded, so a parent that fails to kill us cannot fill the disk; then we just wait.
const maxBytes = 256 * 1024 * 1024;
let written = 0;
while (written < maxBytes) {
  await pending.write(chunk);
  written += chunk.byteLength;
  if (written === reportAfter)
    process.stdout.write(`${JSON.stringify({ tempPath: pending.path, written })}\n`);
}
setInterval(() => undefined, 1000);

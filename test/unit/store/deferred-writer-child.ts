// Child process for the deferred-sync kill test: writes .info/.mod files the deferred way
// (renamed now, fsynced later), reports, and waits for the parent's SIGKILL.
import { BlobStore } from '../../../src/store/blob-store.ts';

const root = process.argv[2];
if (!root) throw new Error('usage: deferred-writer-child.ts <store root>');
const store = await BlobStore.open(root);
for (let i = 0; i < 20; i++) {
  const version = `v1.0.${i}`;
  await store.writeFileDeferred(
    'example.com/deferred',
    version,
    'info',
    Buffer.from(`{"Version":"${version}"}\n`),
  );
  await store.writeFileDeferred(
    'example.com/deferred',
    version,
    'mod',
    Buffer.from('module example.com/deferred\n'),
  );
  await store.addVersionToList('example.com/deferred', version);
}
process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
setInterval(() => undefined, 1000);

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { SpoolReader } from '../../../src/proxy/blob-spool.ts';
import type { ClientStream } from '../../../src/proxy/module-answer.ts';
import { SpoolProgress, streamFromSpool } from '../../../src/proxy/spool-stream.ts';

/** A spool in memory whose reads are counted. */
function memorySpool(): { bytes: Buffer[]; reads: number; reader: SpoolReader } {
  const spool = { bytes: [] as Buffer[], reads: 0, reader: null as unknown as SpoolReader };
  spool.reader = {
    async read(buffer, position, length) {
      spool.reads++;
      const all = Buffer.concat(spool.bytes);
      return all.copy(buffer, 0, position, Math.min(all.length, position + length));
    },
    async close() {},
  };
  return spool;
}

function memoryClient(): ClientStream & { got: Buffer[]; ended: boolean; aborted: boolean } {
  const client = {
    got: [] as Buffer[],
    ended: false,
    aborted: false,
    sent: 0,
    gone: false,
    start() {},
    async write(chunk: Buffer) {
      client.got.push(Buffer.from(chunk));
      client.sent += chunk.length;
      // The socket takes its time: the fetch may write more meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
    },
    async end(last: Buffer | null) {
      if (last) client.got.push(last);
      client.ended = true;
    },
    abort() {
      client.aborted = true;
    },
  };
  return client as unknown as ClientStream & { got: Buffer[]; ended: boolean; aborted: boolean };
}

const head = () => ({
  contentType: 'application/zip',
  source: 'upstream' as const,
  cache: 'immutable' as const,
  notStored: false,
});

test('recent gives the last bytes written, up to the limit, and forgets what lies past its bound', () => {
  const progress = new SpoolProgress();
  const chunks = Array.from({ length: 12 }, () => randomBytes(64 << 10));
  let size = 0;
  for (const chunk of chunks) {
    size += chunk.length;
    progress.grow(size, chunk);
  }
  const all = Buffer.concat(chunks);
  // The last chunk, cut at the limit (the held-back last byte).
  assert.deepEqual(progress.recent(size - 100, size - 1), all.subarray(size - 100, size - 1));
  // Within a chunk: up to that chunk's end only.
  const at = size - (3 << 16) + 5;
  assert.deepEqual(progress.recent(at, size), all.subarray(at, size - (2 << 16)));
  // Past the limit, or before what is kept (512 KiB): not from memory.
  assert.equal(progress.recent(size - 1, size - 1), null);
  assert.equal(progress.recent(0, size), null);
  assert.equal(progress.recent(size - (9 << 16), size), null);
  // Bytes that came without their chunk: nothing before them is kept either.
  progress.grow(size + 10);
  assert.equal(progress.recent(size - 100, size + 10), null);
});

test('a client that keeps up is streamed from memory, one further behind from the spool, and gets every byte', async () => {
  for (const slowFirst of [false, true]) {
    const spool = memorySpool();
    const progress = new SpoolProgress();
    const client = memoryClient();
    const chunks = Array.from({ length: 40 }, (_, i) => randomBytes(40_000 + i));
    const size = chunks.reduce((n, c) => n + c.length, 0);
    let written = 0;
    // A client that joins late must read what memory no longer holds from the spool.
    const write = (chunk: Buffer) => {
      spool.bytes.push(chunk);
      written += chunk.length;
      progress.grow(written, chunk);
    };
    if (slowFirst) for (const chunk of chunks.slice(0, 30)) write(chunk);
    const streamed = streamFromSpool(client, spool.reader, progress, size, head);
    for (const chunk of chunks.slice(slowFirst ? 30 : 0)) {
      write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    progress.verified();
    assert.equal(await streamed, true);
    assert.equal(client.ended, true);
    assert.deepEqual(Buffer.concat(client.got), Buffer.concat(chunks));
    if (slowFirst) assert.ok(spool.reads > 0, 'the bytes memory dropped were read from the spool');
    else assert.equal(spool.reads, 0, 'a client that kept up read nothing back');
  }
});

test('the last byte stays back until verified, and a failure aborts the answer', async () => {
  const spool = memorySpool();
  const progress = new SpoolProgress();
  const client = memoryClient();
  const chunk = randomBytes(100_000);
  spool.bytes.push(chunk);
  const streamed = streamFromSpool(client, spool.reader, progress, chunk.length, head);
  progress.grow(chunk.length, chunk);
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(Buffer.concat(client.got).length, chunk.length - 1);
  progress.failed();
  assert.equal(await streamed, true);
  assert.equal(client.aborted, true);
  assert.equal(client.ended, false);
});

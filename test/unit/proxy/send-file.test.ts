import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sendFile } from '../../../src/proxy/send-file.ts';

const chunk = 512 << 10;

async function serveOnce(file: string, size: number) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(size) });
    sendFile(res, file, size).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

function download(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve(Buffer.concat(parts)));
      res.on('error', reject);
    }).on('error', reject);
  });
}

test('sendFile: every size around the chunk boundaries arrives byte for byte, concurrently', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'send-file-'));
  try {
    const sizes = [0, 1, chunk - 1, chunk, chunk + 1, 2 * chunk, 3 * chunk + 5];
    for (const size of sizes) {
      const bytes = randomBytes(size);
      const file = join(dir, `f-${size}`);
      await writeFile(file, bytes);
      const { server, url } = await serveOnce(file, size);
      try {
        // Concurrent answers share the buffer pool: none may see another's bytes.
        const got = await Promise.all(Array.from({ length: 6 }, () => download(url)));
        for (const body of got) assert.ok(body.equals(bytes), `size ${size}: body differs`);
      } finally {
        server.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sendFile: a file shorter than announced fails instead of sending a short body as complete', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'send-file-'));
  try {
    const file = join(dir, 'short');
    await writeFile(file, randomBytes(chunk + 10));
    let failure: Error | null = null;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(2 * chunk) });
      sendFile(res, file, 2 * chunk).catch((err: Error) => {
        failure = err;
        res.destroy();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await assert.rejects(download(url));
    server.close();
    assert.match(String(failure), /shorter than/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sendFile: a client that disconnects mid-body ends the send (no hang) and later sends still work', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'send-file-'));
  try {
    const size = 40 * chunk;
    const bytes = randomBytes(size);
    const file = join(dir, 'big');
    await writeFile(file, bytes);
    const settled: Array<Promise<unknown>> = [];
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(size) });
      settled.push(sendFile(res, file, size).catch((err: Error) => err));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => {
      const req = get(url, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
    });
    const outcome = await settled[0];
    assert.ok(outcome instanceof Error, 'the interrupted send reports the closed connection');
    const again = await download(url);
    assert.ok(again.equals(bytes));
    server.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('OpenBlobCache: hits reuse one descriptor; eviction closes only idle ones; clear forgets all', async () => {
  const { OpenBlobCache } = await import('../../../src/proxy/open-blob-cache.ts');
  const { fstatSync } = await import('node:fs');
  const dir = await mkdtemp(join(tmpdir(), 'blob-cache-'));
  try {
    const files = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const f = join(dir, `b${i}.zip`);
        await writeFile(f, randomBytes(10 + i));
        return f;
      }),
    );
    const cache = new OpenBlobCache(2);
    const a1 = await cache.acquire(files[0]!);
    const a2 = await cache.acquire(files[0]!);
    assert.equal(a1.fd, a2.fd, 'a hit reuses the open descriptor');
    assert.equal(a1.size, 10);
    a2.release();
    // Two more files push the first out while a1 still reads it: it must stay open for a1.
    const b = await cache.acquire(files[1]!);
    const c = await cache.acquire(files[2]!);
    assert.equal(fstatSync(a1.fd).size, 10, 'an evicted descriptor in use stays open');
    a1.release();
    assert.throws(() => fstatSync(a1.fd), /EBADF/, 'closed once its last user released it');
    b.release();
    c.release();
    cache.clear();
    assert.throws(() => fstatSync(b.fd), /EBADF/);
    assert.throws(() => fstatSync(c.fd), /EBADF/);
    const again = await cache.acquire(files[1]!);
    assert.equal(again.size, 11);
    again.release();
    cache.clear();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

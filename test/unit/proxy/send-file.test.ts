import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, get } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sendChunkSize, sendFile } from '../../../src/proxy/send-file.ts';
import { openOrNull } from '../../../src/store/blob-store.ts';

/** Opens `file` for one answer and closes it after, as the proxy does with an uncached blob. */
async function sendPath(res: import('node:http').ServerResponse, file: string): Promise<void> {
  const opened = await openOrNull(file);
  if (!opened) throw new Error(`${file} is missing`);
  try {
    await sendFile(res, opened);
  } finally {
    await opened.close();
  }
}

const chunk = 512 << 10;

/** The most a TCP connection's two kernel buffers (receive, send) can hold between them. */
async function socketBufferMax(): Promise<number> {
  const max = async (name: string) =>
    Number(
      (await readFile(`/proc/sys/net/ipv4/${name}`, 'utf8').catch(() => '0 0 67108864'))
        .trim()
        .split(/\s+/)[2],
    );
  return (await max('tcp_rmem')) + (await max('tcp_wmem'));
}

async function serveOnce(file: string, size: number) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(size) });
    sendPath(res, file).catch(() => res.destroy());
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
      // The file is opened with its real size, then announced (and sent) as longer: it shrank.
      openOrNull(file)
        .then(async (opened) => {
          try {
            await sendFile(res, { ...opened!, size: 2 * chunk });
          } finally {
            await opened!.close();
          }
        })
        .catch((err: Error) => {
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
      settled.push(sendPath(res, file).catch((err: Error) => err));
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

test('sendFile: a client that stops reading is dropped after the stall limit; one that reads gets every byte', {
  timeout: 60_000,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'send-file-'));
  try {
    // More than the socket buffers can hold (the kernel grows a receive buffer up to tcp_rmem's
    // maximum: 32 MiB on the test machine), so a client that reads nothing stalls the send.
    const size = (await socketBufferMax()) + 16 * chunk;
    const bytes = randomBytes(size);
    const file = join(dir, 'big');
    await writeFile(file, bytes);
    const stallMs = 300;
    const settled: Array<Promise<unknown>> = [];
    let firstArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      firstArrived = resolve;
    });
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(size) });
      firstArrived();
      settled.push(
        openOrNull(file).then(async (opened) => {
          try {
            return await sendFile(res, opened!, stallMs).catch((err: Error) => err);
          } finally {
            await opened!.close();
          }
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    // A raw client that sends its request and never reads: the server must end the connection.
    const stalled = connect(port, '127.0.0.1');
    stalled.pause();
    stalled.on('error', () => {});
    stalled.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await arrived;
    const outcome = await settled[0];
    assert.ok(outcome instanceof Error, 'the stalled send fails instead of waiting forever');
    // Dropped with the write pending: the write's own error or the close, whichever Node reports first.
    assert.match((outcome as Error).message, /client closed the connection|ECANCELED/);
    stalled.destroy();
    // The same limit never cuts a client that reads: the whole body arrives.
    const again = await download(`http://127.0.0.1:${port}/`);
    assert.ok(again.equals(bytes));
    assert.equal(await settled[1], undefined, 'the complete send succeeds');
    server.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sendFile: a warm file of at most one chunk (one read, one end) arrives byte for byte, concurrently; a shrunk one fails', async () => {
  // send-file.ts's chunk: a warm file up to that size takes the one-chunk path.
  const oneChunk = sendChunkSize;
  const dir = await mkdtemp(join(tmpdir(), 'send-file-'));
  try {
    for (const size of [1, 1000, oneChunk - 1, oneChunk]) {
      const bytes = randomBytes(size);
      const file = join(dir, `w-${size}`);
      await writeFile(file, bytes);
      // Opened once and shared warm, as the store's open-file cache hands out a repeated hit.
      const opened = await openOrNull(file);
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-length': String(size) });
        sendFile(res, { ...opened!, warm: true }).catch(() => res.destroy());
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      try {
        const got = await Promise.all(Array.from({ length: 6 }, () => download(url)));
        for (const body of got) assert.ok(body.equals(bytes), `size ${size}: body differs`);
      } finally {
        server.close();
        await opened!.close();
      }
    }
    const file = join(dir, 'w-short');
    await writeFile(file, randomBytes(100));
    const opened = await openOrNull(file);
    let failure: Error | null = null;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '200' });
      sendFile(res, { ...opened!, size: 200, warm: true }).catch((err: Error) => {
        failure = err;
        res.destroy();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await assert.rejects(download(url));
    } finally {
      server.close();
      await opened!.close();
    }
    assert.match(String(failure), /shorter than 200 bytes/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

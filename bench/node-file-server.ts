// Baseline for the throughput benchmark, run by hand: a bare Node HTTP file server with the
// same read-and-write loop as the proxy (src/proxy/send-file.ts) and no proxy logic (no path
// grammar, policy, statistics or audit log): the floor for any Node server serving the store.
//   node bench/node-file-server.ts ROOT READY_FILE [THREADS]
// THREADS > 1: as many JS threads serve, the main one and worker_threads listening on the same
// port with SO_REUSEPORT (the kernel spreads connections over them): what a second thread buys
// any Node server on this machine, before any proxy logic or forwarding.
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { sendFile } from '../src/proxy/send-file.ts';
import { openOrNull } from '../src/store/blob-store.ts';
import { OpenBlobCache } from '../src/store/open-blob-cache.ts';

const [root, readyFile, threadsArg = '1'] = isMainThread
  ? process.argv.slice(2)
  : (workerData as { args: string[] }).args;
if (!root || !readyFile) throw new Error('usage: node bench/node-file-server.ts ROOT READY_FILE [THREADS]');
const threads = Number(threadsArg);
if (!Number.isInteger(threads) || threads < 1 || threads > 8) throw new Error('THREADS: give 1 to 8');

const blobs = new OpenBlobCache();
const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  const file = join(root, normalize(decodeURIComponent(req.url ?? '/')));
  if (!file.startsWith(root)) {
    res.writeHead(400).end();
    return;
  }
  blobs
    .acquire(file, openOrNull)
    .then(async (opened) => {
      if (!opened) {
        res.writeHead(404).end();
        return;
      }
      try {
        res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(opened.size) });
        await sendFile(res, opened);
      } finally {
        await opened.close();
      }
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(404).end();
      else res.destroy();
    });
});
const port = isMainThread ? 0 : (workerData as { port: number }).port;
server.listen({ port, host: '127.0.0.1', reusePort: threads > 1 }, () => {
  if (!isMainThread) {
    (workerData as { listening: Int32Array }).listening[0] = 1;
    return;
  }
  const { port } = server.address() as AddressInfo;
  const started = Array.from({ length: threads - 1 }, () => {
    const listening = new Int32Array(new SharedArrayBuffer(4));
    new Worker(new URL(import.meta.url), {
      workerData: { args: [root, readyFile, threadsArg], port, listening },
    });
    return listening;
  });
  // Ready once every thread listens.
  const ready = () => {
    if (started.some((l) => Atomics.load(l, 0) === 0)) {
      setTimeout(ready, 10);
      return;
    }
    writeFile(readyFile, `http://127.0.0.1:${port}\n`).catch((err) => {
      console.error(err);
      process.exit(1);
    });
  };
  ready();
});
if (isMainThread) process.on('SIGTERM', () => server.close(() => process.exit(0)));

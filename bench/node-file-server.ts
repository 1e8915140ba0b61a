// Baseline for the throughput benchmark, run by hand: a bare Node HTTP file server with the
// same read-and-write loop as the proxy (src/proxy/send-file.ts) and no proxy logic (no path
// grammar, policy, statistics or audit log): the floor for any Node server serving the store.
//   node bench/node-file-server.ts ROOT READY_FILE
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { sendFile } from '../src/proxy/send-file.ts';
import { openOrNull } from '../src/store/blob-store.ts';
import { OpenBlobCache } from '../src/store/open-blob-cache.ts';

const [root, readyFile] = process.argv.slice(2);
if (!root || !readyFile) throw new Error('usage: node bench/node-file-server.ts ROOT READY_FILE');

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
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  writeFile(readyFile, `http://127.0.0.1:${port}\n`).catch((err) => {
    console.error(err);
    process.exit(1);
  });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// Child process for the bounded-memory zip test: checks one module zip while an HTTP server in
// the same process answers a client that keeps asking, then reports as JSON how many answers
// arrived before the check finished and the process's peak RSS.

import { createReadStream } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { checkModuleZip } from '../../../src/gomod/module-zip.ts';
import { ZipStreamDigests } from '../../../src/gomod/zip-stream-digests.ts';

const [file, module, version] = process.argv.slice(2);
if (!file || !module || !version) throw new Error('usage: zip-memory-child.ts <zip> <module> <version>');

const server = createServer((_req, res) => res.end('pong'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const agent = new Agent({ keepAlive: true });
const ping = () =>
  new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });

let checking = true;
let answeredDuringCheck = 0;
const client = (async () => {
  while (checking) {
    await ping();
    if (checking) answeredDuringCheck++;
  }
})();
const rssBeforeCheck = process.memoryUsage().rss;
let outcome: { hash: string; uncompressedSize: number } | { error: string };
try {
  // As the proxy checks a download: its bytes pass through the streaming digests first.
  const digests = new ZipStreamDigests();
  for await (const chunk of createReadStream(file, { highWaterMark: 64 << 10 }))
    await digests.push(chunk as Buffer);
  const check = await checkModuleZip(file, module, version, { streamed: digests.digests });
  outcome = { hash: check.hash, uncompressedSize: check.uncompressedSize };
} catch (err) {
  outcome = { error: (err as Error).message };
}
checking = false;
await client;
agent.destroy();
server.close();
process.stdout.write(
  `${JSON.stringify({ ...outcome, answeredDuringCheck, rssBeforeCheck, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);

// Hostile clients of the HTTP server itself (not of the module protocol): what one client can
// make the proxy hold in memory must stay bounded, or one local process kills the proxy, and
// with it every build of the job.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { request } from 'undici';
import { makeTempDir } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const zipBytes = 4 << 20;
const zipPath = '/example.com/big/@v/v1.0.0.zip';
let proxy: Awaited<ReturnType<typeof startTestProxy>>;
let port = 0;
const sockets: Socket[] = [];

before(async () => {
  // A large stored zip (a store hit is served as stored: no upstream is needed).
  const storeDir = join(makeTempDir('client-abuse'), 'store');
  mkdirSync(join(storeDir, 'example.com', 'big', '@v'), { recursive: true });
  writeFileSync(join(storeDir, zipPath), randomBytes(zipBytes));
  proxy = await startTestProxy({ upstream: 'off', storeDir });
  port = Number(new URL(proxy.url).port);
});

after(async () => {
  for (const s of sockets) s.destroy();
  await proxy?.close();
});

/** A client that writes `count` GETs of `path` in one go and reads nothing until told to. */
function pipeline(count: number, path: string): { socket: Socket; closed: Promise<number> } {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = 0;
  socket.on('data', (d: Buffer) => {
    received += d.length;
  });
  socket.on('error', () => {});
  socket.write(`GET ${path} HTTP/1.1\r\nHost: proxy\r\n\r\n`.repeat(count));
  socket.pause();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, closed };
}

async function servesAnotherClient(): Promise<void> {
  const res = await request(`${proxy.url}${zipPath}`);
  assert.equal(res.statusCode, 200);
  assert.equal((await res.body.arrayBuffer()).byteLength, zipBytes);
}

test('pipelined requests for a large stored zip: the answers queued behind the first hold no chunk of it in memory', async () => {
  const baseline = process.memoryUsage().arrayBuffers;
  // 40 clients, each 50 requests deep (within what any client may pipeline), none reading.
  const clients = Array.from({ length: 40 }, () => pipeline(50, zipPath));
  let peak = 0;
  // Queued answers that read their first chunks ahead would hold 2000 x 512 KiB (1 GiB) here.
  for (let i = 0; i < 60; i++) {
    await sleep(50);
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
    if (peak > 256 << 20) break;
  }
  assert.ok(peak < 256 << 20, `the proxy held ${Math.round(peak / 2 ** 20)} MiB for 2000 queued answers`);
  for (const c of clients) c.socket.destroy();
  await Promise.all(clients.map((c) => c.closed));
  await servesAnotherClient();
});

test('a client pipelining far more requests than any Go client does is disconnected; the others are served', async () => {
  // The go command never pipelines; 1000 requests deep in one write is an attack on memory
  // (each request queued costs the proxy kilobytes; the client, 60 bytes).
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    text += d;
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  // Half-closed after the requests: a server that answers them all then closes too.
  socket.end('GET /example.com/none/@v/v1.0.0.info HTTP/1.1\r\nHost: proxy\r\n\r\n'.repeat(1000));
  await closed;
  const answers = text.split('HTTP/1.1 ').length - 1;
  assert.ok(answers < 1000, `all ${answers} pipelined requests were answered: the client was not cut off`);
  await servesAnotherClient();
});

test('.info requests whose .mod is never asked for: the .mod fetched alongside each is not held in memory for a minute', async () => {
  // An upstream whose go.mod files are large (8 MiB: within what a .mod may be).
  const modBytes = 8 << 20;
  let modsServed = 0;
  const upstream = createHttpServer((req, res) => {
    const version = /@v\/(v[0-9.]+)\.(info|mod)$/.exec(req.url ?? '');
    if (!version) {
      res.writeHead(404);
      return res.end('not found');
    }
    if (version[2] === 'info') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ Version: version[1], Time: '2024-01-02T03:04:05Z' }));
    }
    const mod = Buffer.alloc(modBytes, 0x20);
    mod.write('module example.com/heavy\n//');
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(modBytes) });
    res.end(mod, () => modsServed++);
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  const heavy = await startTestProxy({
    upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
  });
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const baseline = process.memoryUsage().arrayBuffers;
    const count = 40;
    for (let i = 0; i < count; i++) {
      const res = await request(`${heavy.url}/example.com/heavy/@v/v1.0.${i}.info`);
      assert.equal(res.statusCode, 200);
      await res.body.dump();
    }
    // Every .mod fetched alongside has arrived (and been judged) by now.
    while (modsServed < count) await sleep(20);
    await sleep(200);
    gc();
    const held = process.memoryUsage().arrayBuffers - baseline;
    assert.ok(
      held < 64 << 20,
      `the proxy holds ${Math.round(held / 2 ** 20)} MiB of .mod files nobody asked for`,
    );
  } finally {
    await heavy.close();
    upstream.close();
    upstream.closeAllConnections();
  }
});

test('a proxy on a loopback address answers only requests addressed to a loopback host: a DNS-rebound name (a web page in a browser on the runner) is refused', async () => {
  // A page that rebinds its own name to 127.0.0.1 reaches the proxy with its name as Host:
  // it could read the store (private modules) and have the proxy fetch with its credentials.
  const rebound = await request(`${proxy.url}${zipPath}`, {
    headers: { host: `rebind.attacker.example:${port}` },
  });
  const text = await rebound.body.text();
  assert.equal(rebound.statusCode, 403, `a rebound request was answered ${rebound.statusCode}`);
  assert.match(text, /loopback/);
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
    const res = await request(`${proxy.url}${zipPath}`, { headers: { host } });
    assert.equal(res.statusCode, 200, `Host: ${host}`);
    await res.body.dump();
  }
});

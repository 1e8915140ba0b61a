// prewarm against a hostile proxy: every byte it sends is bounded by what prewarm reads. An
// error answer or a `supported` answer with a body that never ends, a .info far larger than any
// module info, a redirect to file://: each is reported and the run ends, having read only a
// little. The server stops a body itself after `cap` bytes, so even a client that reads
// everything ends; what is asserted is how much each answer had sent when the client let go.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../support/go-env.ts';
import { prewarmEnv, runPrewarmCli } from '../support/prewarm-cli.ts';

const cap = 64 << 20;
const chunk = Buffer.alloc(64 << 10, 'x');

test('prewarm: endless error and sumdb bodies, a huge .info and a file:// redirect are read only a little, and the run ends', async (t) => {
  const sent = new Map<string, number>();
  const endless = (res: ServerResponse, path: string, status: number) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    let bytes = 0;
    const more = (): void => {
      while (bytes < cap) {
        bytes += chunk.length;
        sent.set(path, bytes);
        if (!res.write(chunk)) {
          res.once('drain', more);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => sent.set(path, bytes));
    more();
  };
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path.endsWith('/supported')) return endless(res, path, 200);
    if (path.startsWith('/example.com/err/')) return endless(res, path, 500);
    if (path.startsWith('/example.com/big/') && path.endsWith('.info')) return endless(res, path, 200);
    if (path.startsWith('/example.com/redirect/')) {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      return res.end();
    }
    res.writeHead(404);
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.on('connection', (socket) => t.after(() => socket.destroy()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const dir = makeTempDir('prewarm-hostile');
  const h = `h1:${'A'.repeat(43)}=`;
  await writeFile(
    join(dir, 'go.sum'),
    ['err', 'big', 'redirect']
      .map((m) => `example.com/${m} v1.0.0 ${h}\nexample.com/${m} v1.0.0/go.mod ${h}\n`)
      .join(''),
  );
  const run = await runPrewarmCli(
    ['--proxy', url, '--files', 'go.sum', '--attempts', '1', '--sumdb', '--allow-failures'],
    { cwd: dir, env: prewarmEnv({ GOSUMDB: 'sum.example.test' }) },
  );
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const failed = run.report?.modules.filter((m) => m.status === 'failed').map((m) => m.module) ?? [];
  assert.deepEqual(failed.sort(), ['example.com/big', 'example.com/err', 'example.com/redirect']);
  const reason = (m: string) => run.report?.modules.find((x) => x.module === m)?.reason ?? '';
  assert.match(reason('example.com/redirect'), /HTTP 302/);
  assert.match(reason('example.com/big'), /larger than/);
  assert.match(reason('example.com/err'), /HTTP 500: x{10}/);
  // Socket buffers hold some bytes the client never read; far below the cap all the same.
  for (const [path, bytes] of sent)
    assert.ok(bytes < 16 << 20, `${path}: ${bytes} bytes sent before prewarm let go`);
  assert.ok(
    [...sent.keys()].some((p) => p.endsWith('/supported')),
    [...sent.keys()].join('\n'),
  );
  assert.ok([...sent.keys()].some((p) => p.startsWith('/example.com/err/')));
});

test('prewarm: a proxy that drips one byte at a time inside the read timeout is cut off at the request deadline', async (t) => {
  // Every answer: headers at once, then one byte every 50 ms (well inside the 30 s read
  // timeout) of a body announced as 1 MiB, which would take about 15 hours to arrive.
  const dripping = new Set<string>();
  const asked: string[] = [];
  const closed = new Set<string>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    if (!path.startsWith('/example.com/drip/')) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    dripping.add(path);
    asked.push(path);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(1 << 20) });
    const timer = setInterval(() => res.write('x'), 50);
    res.on('close', () => {
      clearInterval(timer);
      closed.add(path);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.on('connection', (socket) => t.after(() => socket.destroy()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const dir = makeTempDir('prewarm-drip');
  const h = `h1:${'A'.repeat(43)}=`;
  await writeFile(join(dir, 'go.sum'), `example.com/drip v1.0.0 ${h}\nexample.com/drip v1.0.0/go.mod ${h}\n`);
  const run = await runPrewarmCli(
    [
      '--proxy',
      url,
      '--files',
      'go.sum',
      '--timeout',
      '30s',
      '--request-deadline',
      '1s',
      '--attempts',
      '3',
      '--allow-failures',
    ],
    { cwd: dir, env: prewarmEnv() },
  );
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const drip = run.report?.modules.find((m) => m.module === 'example.com/drip');
  assert.equal(drip?.status, 'failed', JSON.stringify(run.report?.modules));
  assert.match(
    drip?.reason ?? '',
    /\/example\.com\/drip\/@v\/v1\.0\.0\.\w+: no complete answer within the request deadline of 1s \(--request-deadline\)/,
  );
  // Cut off, not retried: one attempt per path, and the client closed each connection.
  assert.ok(dripping.size > 0);
  assert.equal(asked.length, dripping.size, `each path asked once: ${asked.join(', ')}`);
  assert.deepEqual([...closed].sort(), [...dripping].sort(), 'every dripping answer was abandoned');
});

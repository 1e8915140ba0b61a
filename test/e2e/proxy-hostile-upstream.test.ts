// Upstream answers built to make the proxy work (not to fool it): what one answer can cost the
// proxy stays bounded, however the upstream words it.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import { maxJudgedListLines } from '../../src/proxy/module-service.ts';
import { startTestProxy } from '../support/test-proxy.ts';

let upstream: Server;
let upstreamUrl = '';
const listed = 200_000;

before(async () => {
  // A list of 200,000 versions (2 MB: well within what a list answer may be).
  const list = Buffer.from(
    Array.from({ length: listed }, (_, i) => `v0.${Math.floor(i / 1000)}.${i % 1000}\n`).join(''),
  );
  upstream = createServer((req, res) => {
    const url = req.url ?? '';
    if (url.endsWith('/@v/list')) return res.end(list);
    const info = /@v\/(v[0-9.]+)\.info$/.exec(url);
    if (info) return res.end(JSON.stringify({ Version: info[1], Time: '2020-01-02T03:04:05Z' }));
    if (url.endsWith('/@latest'))
      return res.end(JSON.stringify({ Version: 'v0.199.999', Time: '2020-01-02T03:04:05Z' }));
    res.writeHead(404);
    res.end('not found');
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

after(() => {
  upstream?.close();
  upstream?.closeAllConnections();
});

test('a list of hundreds of thousands of versions under a policy: the proxy judges a bounded number of them, not one store lookup per line', async () => {
  const policy = new ProxyPolicy(parsePolicyText('rules:\n  min-age: 72h\n', 'policy.yml'));
  const proxy = await startTestProxy({ upstream: upstreamUrl, policy });
  // Each version judged costs store lookups (a recorded decision, a stored .info) and CPU on
  // the event loop every other request waits for: count the lookups.
  let lookups = 0;
  const store = proxy.store as unknown as { readMeta: (...a: unknown[]) => Promise<unknown> };
  const readMeta = store.readMeta.bind(proxy.store);
  store.readMeta = (...args: unknown[]) => {
    lookups++;
    return readMeta(...args);
  };
  try {
    for (const path of ['/example.com/endless/@v/list', '/example.com/endless/@latest']) {
      lookups = 0;
      const res = await request(`${proxy.url}${path}`);
      const text = await res.body.text();
      assert.equal(res.statusCode, 200, text);
      // (@latest judges the version the upstream names too.)
      assert.ok(
        lookups <= maxJudgedListLines + 1,
        `${path}: ${lookups} store lookups for one answer (at most ${maxJudgedListLines + 1} expected)`,
      );
      if (path.endsWith('list')) assert.ok(text.trim().split('\n').length <= maxJudgedListLines);
    }
  } finally {
    await proxy.close();
  }
});

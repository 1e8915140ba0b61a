// The remote-proxy probe against real HTTP servers on loopback: a module proxy passes, anything
// else fails early with a message that says what is wrong.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { authorizationFor, probeRemoteProxy } from '../../../src/remote/probe-remote-proxy.ts';

let server: Server;
let base = '';
const seen: { url: string; auth?: string }[] = [];

before(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    const url = req.url ?? '';
    if (url.startsWith('/proxy/example.com/!upper/@v/v1.0.0.info')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}');
    }
    if (url.startsWith('/proxy/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    if (url.startsWith('/locked/')) {
      res.writeHead(
        req.headers.authorization === `Basic ${Buffer.from('ci:good').toString('base64')}` ? 404 : 401,
      );
      return res.end();
    }
    if (url.startsWith('/login/')) {
      res.writeHead(302, { location: '/sso' });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Welcome</body></html>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

after(() => new Promise<void>((done) => server.close(() => done())));

test('probe: a module proxy serving a module of the project passes, asked with the case-encoded path', async () => {
  const result = await probeRemoteProxy({
    proxyUrl: `${base}/proxy/`,
    module: { path: 'example.com/Upper', version: 'v1.0.0' },
  });
  assert.equal(result.status, 200);
  assert.match(result.detail, /serves example.com\/Upper@v1.0.0/);
  assert.equal(seen.at(-1)?.url, '/proxy/example.com/!upper/@v/v1.0.0.info');
});

test('probe: a 404 for an absent module is what a module proxy says', async () => {
  const result = await probeRemoteProxy({ proxyUrl: `${base}/proxy` });
  assert.equal(result.status, 404);
});

test('probe: a web page, a login redirect, refused or missing credentials, no server: clear errors', async () => {
  await assert.rejects(
    probeRemoteProxy({ proxyUrl: `${base}/site` }),
    /does not answer like a module proxy: HTTP 200 \(text\/html\)/,
  );
  await assert.rejects(probeRemoteProxy({ proxyUrl: `${base}/login` }), /redirected .* to \/sso.*login page/);
  await assert.rejects(probeRemoteProxy({ proxyUrl: `${base}/locked` }), /wants credentials \(HTTP 401/);
  await assert.rejects(
    probeRemoteProxy({
      proxyUrl: `${base}/locked`,
      authorization: authorizationFor({ username: 'ci', password: 'bad' }),
    }),
    (err: Error) => {
      assert.match(err.message, /refused the credentials given/);
      assert.doesNotMatch(err.message, /bad/);
      return true;
    },
  );
  const ok = await probeRemoteProxy({
    proxyUrl: `${base}/locked`,
    authorization: authorizationFor({ username: 'ci', password: 'good' }),
  });
  assert.equal(ok.status, 404);
  await assert.rejects(
    probeRemoteProxy({ proxyUrl: 'http://127.0.0.1:1', timeoutMs: 2000 }),
    /did not answer/,
  );
});

test('authorization: Basic from a netrc-style login/password or token, Bearer when asked', () => {
  assert.equal(authorizationFor({}), undefined);
  assert.equal(authorizationFor({ token: 't' }), `Basic ${Buffer.from('token:t').toString('base64')}`);
  assert.equal(
    authorizationFor({ username: 'u', token: 't' }),
    `Basic ${Buffer.from('u:t').toString('base64')}`,
  );
  assert.equal(authorizationFor({ token: 't', bearer: true }), 'Bearer t');
});

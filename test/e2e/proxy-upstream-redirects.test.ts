// Redirects from an https upstream are followed as the go command follows them: to https only.
// The go command refuses a redirect from a secure URL to an insecure one ("redirected from
// secure URL ... to insecure URL ..."): following it would send the upstream's credentials
// (GOAUTH headers) in clear text and take a module from a connection anyone on the path may
// rewrite (a private module is trusted on first use: nothing else would catch it).
import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tls from 'node:tls';
import { request } from 'undici';
import { makeTempDir } from '../support/go-env.ts';
import { makeLoopbackCertificate } from '../support/loopback-certificate.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const token = 'tok-R3directS3cret77';
const info = (version: string) => JSON.stringify({ Version: version, Time: '2024-01-02T03:04:05Z' });

let secure: Server;
let plain: Server;
let secureUrl = '';
let plainUrl = '';
const plainSeen: { url: string; headers: IncomingMessage['headers'] }[] = [];
const secureSeen: { url: string; headers: IncomingMessage['headers'] }[] = [];
let root = '';

const portOf = (server: Server) => (server.address() as AddressInfo).port;

before(async () => {
  root = makeTempDir('upstream-redirects');
  const { key, cert } = await makeLoopbackCertificate(root);
  // This process trusts the test's certificate (the proxy runs in it).
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), await readFile(cert, 'utf8')]);
  plain = createHttpServer((req, res) => {
    plainSeen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(info('v1.0.0'));
  });
  await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done));
  plainUrl = `http://127.0.0.1:${portOf(plain)}`;
  secure = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
    secureSeen.push({ url: req.url ?? '', headers: req.headers });
    const url = req.url ?? '';
    if (url.startsWith('/example.com/downgraded/')) {
      res.writeHead(302, { location: `${plainUrl}${url}` });
      return res.end();
    }
    if (url.startsWith('/example.com/echoing/')) {
      // An upstream that repeats the credentials it was sent in its error text.
      res.writeHead(403, { 'content-type': 'text/plain' });
      return res.end(
        `forbidden: token ${String(req.headers['x-api-token'])} may not read ${url} (authorization ${String(req.headers.authorization)})`,
      );
    }
    if (url.startsWith('/example.com/moved/')) {
      res.writeHead(302, { location: `/elsewhere${url}` });
      return res.end();
    }
    if (url.startsWith('/elsewhere/example.com/moved/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(info('v1.0.0'));
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }) as unknown as Server;
  await new Promise<void>((done) => secure.listen(0, '127.0.0.1', done));
  secureUrl = `https://127.0.0.1:${portOf(secure)}`;
});

after(async () => {
  for (const server of [secure, plain]) {
    server?.close();
    server?.closeAllConnections();
  }
});

/** A GOAUTH command that gives the https upstream a token header, as a private registry wants. */
async function goauthCommand(): Promise<string> {
  const script = join(root, 'goauth.sh');
  await writeFile(script, `#!/bin/sh\nprintf '%s\\n\\nX-Api-Token: %s\\n\\n' '${secureUrl}' '${token}'\n`);
  await chmod(script, 0o755);
  return script;
}

test('an https upstream redirecting to plain http: refused as the go command refuses it; the token never travels in clear', async () => {
  const proxy = await startTestProxy({
    upstream: secureUrl,
    env: { PATH: process.env.PATH ?? '', HOME: makeTempDir('home'), GOAUTH: await goauthCommand() },
  });
  try {
    // A redirect within https still works, with the token where it belongs.
    const moved = await request(`${proxy.url}/example.com/moved/@v/v1.0.0.info`);
    assert.equal(moved.statusCode, 200, await moved.body.text());
    assert.ok(secureSeen.some((r) => r.url.startsWith('/elsewhere/') && r.headers['x-api-token'] === token));

    const res = await request(`${proxy.url}/example.com/downgraded/@v/v1.0.0.info`);
    const text = await res.body.text();
    assert.equal(res.statusCode, 502, text);
    assert.match(text, /insecure URL/);
    assert.doesNotMatch(text, new RegExp(token));
    assert.deepEqual(
      plainSeen.map((r) => r.url),
      [],
      'the plain-http host was asked (with the GOAUTH token in clear text)',
    );
    const stored = await request(`${proxy.url}/example.com/downgraded/@v/v1.0.0.info`);
    assert.equal(stored.statusCode, 502, 'nothing from the plain-http host was stored');
    await stored.body.dump();
  } finally {
    await proxy.close();
  }
});

test('an upstream that repeats the credentials it was sent in its error text: the client never sees them', async () => {
  const proxy = await startTestProxy({
    upstream: secureUrl,
    env: { PATH: process.env.PATH ?? '', HOME: makeTempDir('home'), GOAUTH: await goauthCommand() },
  });
  try {
    const res = await request(`${proxy.url}/example.com/echoing/@v/v1.0.0.info`);
    const text = await res.body.text();
    assert.equal(res.statusCode, 502, text);
    assert.match(text, /forbidden: token/, 'the upstream text is still shown');
    assert.doesNotMatch(text, new RegExp(token), 'the GOAUTH token reached the client');
  } finally {
    await proxy.close();
  }
  // The same with the credentials in the upstream's URL (sent as Basic auth).
  const password = 'pw-Basic5ecretX';
  const basic = await startTestProxy({
    upstream: `https://ci:${password}@${secureUrl.slice('https://'.length)}`,
  });
  try {
    const res = await request(`${basic.url}/example.com/echoing/@v/v1.0.0.info`);
    const text = await res.body.text();
    assert.equal(res.statusCode, 502, text);
    const encoded = Buffer.from(`ci:${password}`).toString('base64');
    assert.doesNotMatch(
      text,
      new RegExp(`${password}|${encoded}`),
      'the Basic credentials reached the client',
    );
  } finally {
    await basic.close();
  }
});

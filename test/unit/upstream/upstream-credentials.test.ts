// Credentials for upstreams as the go command handles them, and their redaction.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { GoproxyListError, parseGoproxyList } from '../../../src/upstream/goproxy-list.ts';
import { redactSecrets, redactUrlUserinfo } from '../../../src/upstream/redact-secrets.ts';
import { parseGoauthOutput, UpstreamCredentials } from '../../../src/upstream/upstream-credentials.ts';
import { resolveUpstreamOption } from '../../../src/upstream/upstream-option.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upstream-credentials-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

test('userinfo is redacted as the go command redacts it; a lone username (a token) whole', () => {
  assert.equal(redactUrlUserinfo('https://ci:s3cret@host.example/p'), 'https://ci:xxxxx@host.example/p');
  assert.equal(redactUrlUserinfo('https://tok3n@host.example'), 'https://xxxxx@host.example');
  assert.equal(
    redactUrlUserinfo('a https://u:p%40ss@h.example|http://x:y@z.example,direct'),
    'a https://u:xxxxx@h.example|http://x:xxxxx@z.example,direct',
  );
  assert.equal(
    redactUrlUserinfo('mail me@host.example at https://h.example/a@b'),
    'mail me@host.example at https://h.example/a@b',
  );
  assert.equal(
    redactSecrets('get https://ci:s3cret@h.example/x: 500', []),
    'get https://ci:xxxxx@h.example/x: 500',
  );
});

test('parseGoproxyList takes the userinfo out of https URLs and refuses it over http', () => {
  const [entry, second] = parseGoproxyList('https://ci:p%40ss@proxy.example/base/|https://tok@other.example');
  assert.deepEqual(entry, {
    kind: 'url',
    url: 'https://proxy.example/base',
    credentials: { username: 'ci', password: 'p@ss' },
    fallThroughOnAnyError: true,
  });
  assert.deepEqual(second, {
    kind: 'url',
    url: 'https://other.example',
    credentials: { username: 'tok', password: '' },
    fallThroughOnAnyError: false,
  });
  for (const bad of ['http://ci:s3cret@proxy.example', 'http://ci:s3cret@127.0.0.1:8080/base']) {
    assert.throws(
      () => parseGoproxyList(`${bad},direct`),
      (err: unknown) =>
        err instanceof GoproxyListError &&
        /^refusing to pass credentials to insecure URL: http:\/\/ci:xxxxx@/.test(err.message) &&
        !err.message.includes('s3cret'),
    );
  }
  assert.throws(
    () => parseGoproxyList('ftp://ci:s3cret@x.example'),
    (err: unknown) => !(err as Error).message.includes('s3cret'),
  );
  assert.deepEqual(parseGoproxyList('https://proxy.example/'), [
    { kind: 'url', url: 'https://proxy.example', fallThroughOnAnyError: false },
  ]);
});

test('GOAUTH command output: URL lines, a blank line, header lines; https prefixes only', () => {
  const parsed = parseGoauthOutput(
    'https://a.example/x\nb.example\n\nAuthorization: Bearer t1\nX-Extra: 1\n\nhttps://c.example\n\nAuthorization: Basic zz\n',
    'cmd',
  );
  assert.deepEqual(parsed, [
    { prefix: 'a.example/x', headers: { authorization: 'Bearer t1', 'x-extra': '1' } },
    { prefix: 'b.example', headers: { authorization: 'Bearer t1', 'x-extra': '1' } },
    { prefix: 'c.example', headers: { authorization: 'Basic zz' } },
  ]);
  assert.throws(
    () => parseGoauthOutput('http://a.example\n\nAuthorization: x\n', 'cmd'),
    /not an https URL prefix/,
  );
  assert.throws(() => parseGoauthOutput('https://a.example\n\n', 'cmd'), /no headers/);
});

test('credentials: GOAUTH (netrc, commands) by longest prefix first, then URL userinfo; never over http', async () => {
  const netrc = join(dir, 'netrc');
  await writeFile(
    netrc,
    'machine netrc.example login n password np\nmachine both.example login n2 password np2\n',
  );
  const script = join(dir, 'auth.sh');
  await writeFile(
    script,
    "#!/bin/sh\nprintf 'https://cmd.example/private\\n\\nAuthorization: Bearer b1\\n\\n'\n",
  );
  await chmod(script, 0o755);
  const entries = parseGoproxyList(
    'https://u:up@url.example,https://v:vp@both.example|https://plain.example,http://insecure.example',
  );
  const creds = await UpstreamCredentials.load({ entries, env: { NETRC: netrc, GOAUTH: `netrc;${script}` } });
  assert.deepEqual(creds.headersFor('https://url.example/m/@v/list'), { authorization: basic('u', 'up') });
  assert.deepEqual(creds.headersFor('https://both.example/m/@v/list'), { authorization: basic('n2', 'np2') });
  assert.deepEqual(creds.headersFor('https://netrc.example/x'), { authorization: basic('n', 'np') });
  assert.deepEqual(creds.headersFor('https://cmd.example/private/m/@v/list'), { authorization: 'Bearer b1' });
  assert.deepEqual(
    creds.headersFor('https://cmd.example/privateer/m'),
    {},
    'prefixes match whole path elements',
  );
  assert.deepEqual(
    creds.headersFor('https://netrc.example:8443/x'),
    {},
    'a netrc machine without port does not match another port',
  );
  assert.deepEqual(creds.headersFor('http://netrc.example/x'), {}, 'never over plain http');
  assert.deepEqual(creds.headersFor('https://plain.example/x'), {});

  const off = await UpstreamCredentials.load({ entries, env: { NETRC: netrc, GOAUTH: 'off' } });
  assert.deepEqual(off.headersFor('https://netrc.example/x'), {}, 'GOAUTH=off: no netrc');
  assert.deepEqual(
    off.headersFor('https://url.example/x'),
    { authorization: basic('u', 'up') },
    'URL userinfo still sent',
  );
  await assert.rejects(
    UpstreamCredentials.load({ entries, env: { GOAUTH: `${join(dir, 'missing')}` } }),
    /GOAUTH command .* failed/,
  );
  await assert.rejects(UpstreamCredentials.load({ entries, env: { GOAUTH: 'git /tmp' } }), /not supported/);
});

test('serve upstream option: --upstream-env reads the list from the environment; warnings and errors redacted', () => {
  const env = { PRIV: 'https://ci:s3cret@p.example', EMPTY: '' };
  const fromEnv = resolveUpstreamOption({ upstreamEnv: 'PRIV', env });
  assert.deepEqual(fromEnv, { upstream: env.PRIV, shown: 'https://ci:xxxxx@p.example', warning: null });
  const fromArgs = resolveUpstreamOption({ upstream: env.PRIV, env });
  assert.match(fromArgs.warning ?? '', /--upstream-env/);
  assert.equal(
    resolveUpstreamOption({ env, goproxy: 'https://g.example,direct' }).upstream,
    'https://g.example,direct',
  );
  assert.throws(() => resolveUpstreamOption({ upstream: 'x', upstreamEnv: 'PRIV', env }), /not both/);
  assert.throws(() => resolveUpstreamOption({ upstreamEnv: 'EMPTY', env }), /unset or empty/);
  assert.throws(() => resolveUpstreamOption({ env }), /no upstream/);
  assert.throws(
    () => resolveUpstreamOption({ upstreamEnv: 'U', env: { U: 'http://ci:s3cret@p.example' } }),
    (err: unknown) =>
      /^--upstream-env U: refusing to pass credentials/.test((err as Error).message) &&
      !(err as Error).message.includes('s3cret'),
  );
});

test('the HTTP client never sends URL userinfo over plain http, and names the URL redacted', async () => {
  const { HttpUpstream } = await import('../../../src/upstream/http-upstream.ts');
  const http = new HttpUpstream({ attempts: 1 });
  try {
    const res = await http.get('http://ci:s3cret@127.0.0.1:9', 'example.com/m/@v/list');
    assert.equal(res.outcome, 'error');
    assert.equal(
      res.outcome === 'error' && res.message,
      'refusing to pass credentials to insecure URL: http://ci:xxxxx@127.0.0.1:9/example.com/m/@v/list',
    );
  } finally {
    await http.close();
  }
});

test('error text sent to clients names no store temp file', () => {
  assert.equal(
    redactSecrets(
      "EACCES: permission denied, open '/tmp/x y/store/example.com/m/@v/.tmp-1234-0a1b2c3d4e5f6a7b'",
      [],
    ),
    "EACCES: permission denied, open '<temp file>'",
  );
  assert.equal(
    redactSecrets('cannot store C:\\store\\m\\@v\\.tmp-99-abcdef: disk full', []),
    'cannot store <temp file>: disk full',
  );
  assert.equal(
    redactSecrets('file:///tmp/upstream/m/@v/list: not found', []),
    'file:///tmp/upstream/m/@v/list: not found',
  );
});

test('an upstream error text is redacted before it is cut short: no part of a credential survives the cut', async () => {
  const { createServer } = await import('node:http');
  const { HttpUpstream } = await import('../../../src/upstream/http-upstream.ts');
  const token = `tok-${'Zq8s3cretK9f1'.repeat(5)}`;
  // The upstream repeats the credential it was sent across the place where the text is cut.
  const server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`${'x'.repeat(560)} unknown token ${token} for this module`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  // Headers as GOAUTH gives them (sent over https only; here the test's own plain http).
  const credentials = {
    headersFor: () => ({ authorization: `Bearer ${token}` }),
  } as unknown as UpstreamCredentials;
  const http = new HttpUpstream({ attempts: 1, credentials });
  try {
    const res = await http.get(`http://127.0.0.1:${port}`, 'example.com/m/@v/list');
    assert.equal(res.outcome, 'not-found');
    const message = res.outcome === 'not-found' ? res.message : '';
    assert.match(message, /^x{560} unknown token/);
    assert.ok(
      !message.includes(token.slice(0, 8)),
      `a part of the token is in ${JSON.stringify(message.slice(560))}`,
    );
  } finally {
    await http.close();
    server.close();
  }
});

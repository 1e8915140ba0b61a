// The 403 body of a denial must reach the user whole: the go command shows at most 8 lines /
// 648 bytes of a text/plain error body and stops at the first blank line. A stand-in server
// answers every request with ProxyPolicy.denialText; the real go command prints it.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { parsePolicyText } from '../../src/policy/policy-file.ts';
import { ProxyPolicy } from '../../src/policy/proxy-policy.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';

test('the go command prints every line of a denial', async () => {
  const policy = parsePolicyText(
    `deny:\n  - module: example.com/lib\n    versions: "< v1.4.2"\n    reason: "CVE-2026-1234: remote code execution in the parser, upgrade to v1.4.2 or later"\n`,
    '.goproxy.yml',
  );
  const pp = new ProxyPolicy(policy);
  const decision = pp.beforeUpstream('example.com/lib', 'v1.3.0', 'zip');
  assert.equal(decision.action, 'deny');
  const body = pp.denialText(decision);
  const server = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const dir = makeTempDir('denial');
    const env = goEnv({ goproxy: `http://127.0.0.1:${port}`, gosumdb: 'off' });
    const result = await runGo(['mod', 'download', 'example.com/lib@v1.3.0'], dir, env);
    assert.notEqual(result.code, 0);
    const printed = result.stdout + result.stderr;
    assert.match(printed, /403 Forbidden/);
    for (const line of body.trimEnd().split('\n')) {
      assert.ok(printed.includes(line), `the go command printed:\n${printed}\nbut not the line:\n${line}`);
    }
  } finally {
    server.close();
  }
});

// How the snapshot verifies zips: through the in-job proxy it does not download them (a HEAD
// answer carries the h1 our serve computed for the bytes it serves), through any other proxy it
// downloads and hashes them; and a stored zip altered on disk afterwards is reported as what it
// now is (a mismatch), never as the verified blob it once was.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import yazl from 'yazl';
import { CLIENT_TOKEN_SHOWN, newClientToken } from '../../src/daemon/client-token.ts';
import { checkModuleZip } from '../../src/gomod/module-zip.ts';
import { renderMarkdown } from '../../src/health/render-markdown.ts';
import { readHealthInputs, runHealth } from '../../src/health/run-health.ts';
import type { HealthSnapshot, ModuleHealth } from '../../src/health/snapshot.ts';
import { h1Header, wantHeader } from '../../src/proxy/served-zip-hash.ts';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { goEnv, makeTempDir } from '../support/go-env.ts';
import { createHealthWorld, type HealthWorld, healthRoles as r } from '../support/health-fixtures.ts';
import { startTestProxy } from '../support/test-proxy.ts';

const run = promisify(execFile);

let world: HealthWorld;
let upstream: FixtureProxy;

async function snapshot(
  extra: Partial<Parameters<typeof readHealthInputs>[0]>,
  goproxy: string,
): Promise<HealthSnapshot> {
  const inputs = await readHealthInputs({
    dir: world.program,
    failOn: '',
    concurrency: 4,
    timeoutMs: 10_000,
    useGo: true,
    newerMajors: false,
    env: goEnv({ goproxy }),
    ...extra,
  });
  return (await runHealth(inputs, { baseline: null, outputs: {} })).snapshot;
}

function byPath(s: HealthSnapshot, path: string): ModuleHealth {
  const m = s.modules.find((x) => x.path === path);
  assert.ok(m, `${path} is in the snapshot`);
  return m;
}

function sumLine(path: string, version: string): string {
  const line = world.goSum.split('\n').find((l) => l.startsWith(`${path} ${version} `));
  assert.ok(line, `go.sum has ${path} ${version}`);
  return line.split(' ')[2] as string;
}

/** A valid module zip of module@version with uncompressed entries. */
async function zipWith(module: string, version: string, text: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of [
    ['go.mod', `module ${module}\n\ngo 1.21\n`],
    ['evil.go', text],
  ] as const) {
    zip.addBuffer(Buffer.from(content), `${module}@${version}/${name}`, {
      mtime: new Date('2024-01-01T00:00:00Z'),
      compress: false,
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Another valid zip of module@version, exactly `size` bytes long (its Go file padded with a comment). */
async function zipOfSize(module: string, version: string, tag: string, size: number): Promise<Buffer> {
  const code = (pad: number) => `package minor\n\n//${'x'.repeat(pad)}\nconst Evil = "${tag}"\n`;
  const pad = size - (await zipWith(module, version, code(0))).length;
  assert.ok(pad >= 0, `a ${size}-byte zip can hold the altered file`);
  const zip = await zipWith(module, version, code(pad));
  assert.equal(zip.length, size);
  return zip;
}

before(async () => {
  world = await createHealthWorld();
  upstream = await startFixtureProxy({ dir: world.dir });
});

after(async () => {
  await upstream?.close();
  await world?.remove();
});

describe('zips through the in-job proxy', () => {
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;
  let readyFile: string;
  before(async () => {
    // The workspace's go.sum: the proxy verifies and stores what matches it.
    proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [join(world.program, 'go.sum')] });
    readyFile = join(makeTempDir('ready'), 'proxy-ready.json');
    await writeFile(
      readyFile,
      JSON.stringify({ url: proxy.url, pid: process.pid, adminUrl: proxy.adminUrl, token: proxy.token }),
    );
  });
  after(async () => {
    await proxy?.close();
  });

  test('our serve answers HEAD of a .zip with its size and, when asked, the h1 of the bytes it serves', async () => {
    const path = `${r.patch.path}/@v/${r.patch.used}.zip`;
    const got = await fetch(`${proxy.url}/${path}`);
    const body = Buffer.from(await got.arrayBuffer());
    assert.equal(got.status, 200);
    assert.equal(got.headers.get(h1Header), null, 'a GET carries no h1');
    const plain = await fetch(`${proxy.url}/${path}`, { method: 'HEAD' });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('content-length'), String(body.length));
    assert.equal((await plain.arrayBuffer()).byteLength, 0);
    assert.equal(plain.headers.get(h1Header), null, 'only when asked');
    const asked = await fetch(`${proxy.url}/${path}`, { method: 'HEAD', headers: { [wantHeader]: 'h1' } });
    assert.equal(asked.status, 200);
    assert.equal(asked.headers.get('x-goproxy-source'), 'store');
    assert.equal(asked.headers.get(h1Header), sumLine(r.patch.path, r.patch.used));
    // Remembered from when the proxy verified and stored it: nothing hashed again for the answer.
    assert.equal(proxy.zipHashes.computed, 0);
    const missing = await fetch(`${proxy.url}/${r.missing.path}/@v/v1.0.0.zip`, {
      method: 'HEAD',
      headers: { [wantHeader]: 'h1' },
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get(h1Header), null);
  });

  test('the snapshot takes each zip h1 from the HEAD answer, checks it against go.sum, and downloads none', async () => {
    const zipBytesBefore = proxy.stats.snapshot().byKind.zip.servedBytes;
    const s = await snapshot({ readyFile }, proxy.url);
    let checked = 0;
    for (const m of s.modules) {
      if (m.path === r.missing.path || m.path === r.tampered.path) continue;
      assert.equal(m.verified.zipHashedBy, 'proxy', m.path);
      assert.equal(m.resolvable.zip.method, 'HEAD', m.path);
      assert.equal(m.resolvable.zip.status, 200, m.path);
      assert.equal(m.verified.zip, 'match', m.path);
      assert.equal(m.verified.zipHash, sumLine(m.path, m.version), m.path);
      const stored = await stat(proxy.store.filePath(m.path, m.version, 'zip'));
      assert.equal(m.resolvable.zip.bytes, stored.size, `${m.path}: the size from Content-Length`);
      assert.equal(m.resolvable.ok, true, m.path);
      checked++;
    }
    assert.ok(checked >= 10, `${checked} modules checked`);
    assert.equal(proxy.stats.snapshot().byKind.zip.servedBytes, zipBytesBefore, 'no zip bytes were sent');
    // The proxy refused the zip that does not match go.sum: nobody hashed what was served, so
    // nothing claims a match (it is downloaded, refused again, and reported).
    const tampered = byPath(s, r.tampered.path);
    assert.notEqual(tampered.verified.zip, 'match');
    assert.equal(tampered.verified.zipHashedBy, null);
    assert.equal(tampered.verified.zipHash, null);
    assert.equal(tampered.resolvable.ok, false);
    assert.match(tampered.errors.join('\n'), /^\.zip: HTTP 502.*checksum mismatch/m);
    // The report says who hashed the zips, and calls no unhashed zip ok.
    const md = renderMarkdown(s, null);
    assert.ok(
      md.includes(`Zips hashed for the go.sum check: ${checked} by the in-job proxy`),
      md.split('\n').find((l) => l.startsWith('Zips hashed')),
    );
    const row = md.split('\n').find((l) => l.includes(`\`${r.tampered.path}\``));
    assert.match(row ?? '', /\| zip unchecked, go\.mod match \|$/);
  });

  test('a stored zip altered on disk is reported as the mismatch it now is, even with its mtime put back', async () => {
    const module = r.minor.path;
    const version = r.minor.used;
    const file = proxy.store.filePath(module, version, 'zip');
    const before = await snapshot({ readyFile }, proxy.url);
    assert.equal(byPath(before, module).verified.zip, 'match');

    // Rewritten in place, same size (same inode: the proxy keeps stored zips open between answers).
    const size = (await stat(file)).size;
    const evilA = await zipOfSize(module, version, 'A', size);
    const evilB = await zipOfSize(module, version, 'B', size);
    const inode = (await stat(file)).ino;
    await writeFile(file, evilA);
    assert.equal((await stat(file)).ino, inode);
    const hashA = (await checkModuleZip(file, module, version)).hash;
    const computedBefore = proxy.zipHashes.computed;
    const afterA = byPath(await snapshot({ readyFile }, proxy.url), module);
    assert.equal(afterA.verified.zipHashedBy, 'proxy');
    assert.equal(afterA.verified.zipHash, hashA);
    assert.equal(afterA.verified.zip, 'mismatch');
    assert.equal(afterA.resolvable.zip.bytes, size);
    assert.equal(proxy.zipHashes.computed, computedBefore + 1, 'hashed anew, not remembered');

    // Same size, same inode, mtime set back to the nanosecond: the change time still tells it apart.
    const times = await stat(file, { bigint: true });
    await writeFile(file, evilB);
    const ns = times.mtimeNs % 1_000_000_000n;
    const at = `@${times.mtimeNs / 1_000_000_000n}.${String(ns).padStart(9, '0')}`;
    await run('touch', ['-m', '-d', at, file]);
    const now = await stat(file, { bigint: true });
    assert.equal(now.mtimeNs, times.mtimeNs, 'mtime put back exactly');
    assert.equal(now.size, times.size);
    const hashB = (await checkModuleZip(file, module, version)).hash;
    assert.notEqual(hashB, hashA);
    const afterB = byPath(await snapshot({ readyFile }, proxy.url), module);
    assert.equal(afterB.verified.zipHash, hashB);
    assert.equal(afterB.verified.zip, 'mismatch');
    // What a GET serves is what the snapshot reported.
    const served = Buffer.from(await (await fetch(`${proxy.url}/${module}/@v/${version}.zip`)).arrayBuffer());
    assert.deepEqual(served, evilB);

    // A zip altered into something that is no module zip: no h1, downloaded, reported, never a match.
    await writeFile(file, Buffer.from('not a zip at all'));
    const broken = byPath(await snapshot({ readyFile }, proxy.url), module);
    assert.equal(broken.verified.zip, 'unchecked');
    assert.equal(broken.verified.zipHashedBy, null);
    assert.equal(broken.resolvable.ok, false);
    assert.match(broken.errors.join('\n'), /^\.zip: /m);
  });
});

test('through another proxy (no ready file) every zip is downloaded and hashed here', async () => {
  // Our own serve, but given as --proxy: its word on hashes is not taken without the ready file.
  const proxy = await startTestProxy({ upstream: upstream.url, goSumFiles: [join(world.program, 'go.sum')] });
  try {
    const s = await snapshot({ proxy: proxy.url }, proxy.url);
    const patchy = byPath(s, r.patch.path);
    assert.equal(patchy.verified.zipHashedBy, 'download');
    assert.equal(patchy.resolvable.zip.method, undefined);
    assert.equal(patchy.verified.zip, 'match');
    assert.ok(patchy.resolvable.zip.bytes > 0);
    assert.ok(proxy.stats.snapshot().byKind.zip.servedBytes > 0, 'zips were sent');
    for (const m of s.modules) assert.notEqual(m.verified.zipHashedBy, 'proxy', m.path);
  } finally {
    await proxy.close();
  }
});

test('an in-job proxy with a client token, found through its ready file: reached under its client path, named without it', async () => {
  const clientToken = newClientToken();
  const proxy = await startTestProxy({
    upstream: upstream.url,
    goSumFiles: [join(world.program, 'go.sum')],
    clientToken,
  });
  try {
    const readyFile = join(makeTempDir('ready'), 'proxy-ready.json');
    await writeFile(
      readyFile,
      JSON.stringify({
        url: proxy.url,
        goproxy: proxy.goproxyUrl,
        pid: process.pid,
        adminUrl: proxy.adminUrl,
        token: proxy.token,
      }),
    );
    assert.equal(proxy.goproxyUrl, `${proxy.url}/${clientToken}`);
    // The job's GOPROXY is something else: the ready file's client URL is what is used.
    const s = await snapshot({ readyFile }, 'off');
    assert.equal(s.proxy.url, `${proxy.url}/${CLIENT_TOKEN_SHOWN}`);
    assert.equal(JSON.stringify(s).includes(clientToken), false, 'the snapshot never holds the token');
    // Its word on zip hashes is taken (the ready file's proxy), and the modules resolved through it.
    assert.equal(byPath(s, r.patch.path).verified.zipHashedBy, 'proxy');
    assert.equal(byPath(s, r.patch.path).verified.zip, 'match');
  } finally {
    await proxy.close();
  }
});

// Module zips whose entries carry unusual Unix modes (a symlink, a fifo): x/mod's CheckZip
// accepts them and the go command extracts each as a regular file, so the proxy must serve
// them too, and the go command's module cache through the proxy must equal file://'s.
import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { hashGoMod } from '../../src/gomod/dirhash.ts';
import { checkModuleZip } from '../../src/gomod/module-zip.ts';
import { goEnv, makeTempDir, runGo } from '../support/go-env.ts';
import { diffDigests, modCacheDigest } from '../support/mod-cache-compare.ts';
import { startTestProxy } from '../support/test-proxy.ts';
import { makeZip } from '../unit/gomod/zip-fixture.ts';

test('a module whose zip has symlink and fifo entries downloads through the proxy exactly as from file://', async () => {
  const root = makeTempDir('zip-modes');
  const upstreamDir = join(root, 'upstream');
  const module = 'example.com/links';
  const version = 'v1.0.0';
  const prefix = `${module}@${version}/`;
  const goMod = `module ${module}\n\ngo 1.21\n`;
  const versionDir = join(upstreamDir, module, '@v');
  await mkdir(versionDir, { recursive: true });
  await writeFile(
    join(versionDir, `${version}.zip`),
    await makeZip([
      { name: `${prefix}go.mod`, data: goMod },
      { name: `${prefix}links.go`, data: 'package links\n' },
      { name: `${prefix}data/link`, data: '../links.go', mode: 0o120777 },
      { name: `${prefix}data/pipe`, data: 'not a pipe', mode: 0o010644 },
    ]),
  );
  await writeFile(join(versionDir, `${version}.mod`), goMod);
  await writeFile(
    join(versionDir, `${version}.info`),
    `{"Version":"${version}","Time":"2024-01-02T03:04:05Z"}`,
  );
  await writeFile(join(versionDir, 'list'), `${version}\n`);

  // A go.sum holding the module's hashes, so the proxy verifies the zip and stores it.
  const zipHash = (await checkModuleZip(join(versionDir, `${version}.zip`), module, version)).hash;
  const goSum = join(root, 'go.sum');
  await writeFile(
    goSum,
    `${module} ${version} ${zipHash}\n${module} ${version}/go.mod ${hashGoMod(Buffer.from(goMod))}\n`,
  );
  const proxy = await startTestProxy({ upstream: pathToFileURL(upstreamDir).href, goSumFiles: [goSum] });
  try {
    const viaProxy = join(root, 'modcache-proxy');
    const viaFile = join(root, 'modcache-file');
    for (const [goproxy, gomodcache] of [
      [proxy.url, viaProxy],
      [pathToFileURL(upstreamDir).href, viaFile],
    ] as const) {
      const env = goEnv({ goproxy, gomodcache });
      const download = await runGo(['mod', 'download', '-json', `${module}@${version}`], root, env);
      assert.equal(download.code, 0, `GOPROXY=${goproxy}: ${download.stdout}${download.stderr}`);
      await rm(env.HOME!, { recursive: true, force: true });
    }
    assert.deepEqual(diffDigests(await modCacheDigest(viaProxy), await modCacheDigest(viaFile)), []);
    const extracted = join(viaProxy, `${module}@${version}`, 'data');
    assert.ok(
      (await lstat(join(extracted, 'link'))).isFile(),
      'the symlink entry is extracted as a regular file',
    );
    assert.equal(await readFile(join(extracted, 'link'), 'utf8'), '../links.go');
    assert.ok(
      (await lstat(join(extracted, 'pipe'))).isFile(),
      'the fifo entry is extracted as a regular file',
    );
    assert.ok(await proxy.store.stat(module, version, 'zip'), 'the zip, verified against go.sum, is stored');
  } finally {
    await proxy.close();
    await rm(root, { recursive: true, force: true });
  }
});

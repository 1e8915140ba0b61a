// go.sum as the real go command writes it: `go mod tidy` of a module requiring fixture modules
// served through GOPROXY=file://. Every line must parse, and the index must hold exactly the
// hashes our own dirhash/module-zip code computes for those fixtures.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hashGoMod } from '../../../src/gomod/dirhash.ts';
import { GoSumIndex, parseGoSum } from '../../../src/gomod/go-sum.ts';
import { checkModuleZip } from '../../../src/gomod/module-zip.ts';
import { goEnv, runGo } from '../../support/go-env.ts';
import { type ProxyModule, writeProxyModule } from './zip-fixture.ts';

test('go.sum written by go mod tidy parses, and its hashes equal ours', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gosum-go-'));
  const proxy = join(root, 'proxy');
  const work = join(root, 'work');
  const modules: ProxyModule[] = [
    {
      path: 'example.com/dep',
      version: 'v1.4.0',
      files: { 'dep.go': 'package dep\n\nimport _ "example.com/leaf"\n\nconst X = 1\n' },
      goMod: 'module example.com/dep\n\ngo 1.21\n\nrequire example.com/leaf v0.2.0\n',
    },
    {
      path: 'example.com/leaf',
      version: 'v0.2.0',
      files: { 'leaf.go': 'package leaf\n' },
      goMod: 'module example.com/leaf\n\ngo 1.21\n',
    },
    {
      path: 'github.com/Upper/Dep',
      version: 'v2.1.0+incompatible',
      files: { 'd.go': 'package dep\n\nconst Y = 2\n' },
      goMod: null,
    },
  ];
  try {
    const expected = new Map<string, { zip: string; mod: string }>();
    for (const m of modules) {
      const written = await writeProxyModule(proxy, m);
      expected.set(`${m.path}@${m.version}`, {
        zip: (await checkModuleZip(written.zip, m.path, m.version)).hash,
        mod: hashGoMod(await readFile(written.mod)),
      });
    }
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    await writeFile(
      join(work, 'go.mod'),
      'module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/dep v1.4.0\n\tgithub.com/Upper/Dep v2.1.0+incompatible\n)\n',
    );
    await writeFile(
      join(work, 'main.go'),
      'package main\n\nimport (\n\t"example.com/dep"\n\tdep2 "github.com/Upper/Dep"\n)\n\nfunc main() { println(dep.X, dep2.Y) }\n',
    );
    const env = goEnv({ goproxy: `file://${proxy}`, gosumdb: 'off' });
    const tidy = await runGo(['mod', 'tidy'], work, env);
    assert.equal(tidy.code, 0, tidy.stderr);
    const text = await readFile(join(work, 'go.sum'), 'utf8');
    const lines = parseGoSum(text, 'go.sum');
    assert.equal(lines.length, text.trim().split('\n').length, 'every line parsed');
    const index = await GoSumIndex.load([join(work, 'go.sum')]);
    for (const [key, want] of expected) {
      const at = key.lastIndexOf('@');
      const [path, version] = [key.slice(0, at), key.slice(at + 1)];
      assert.deepEqual(index.modHash(path, version), [want.mod], `${key} go.mod hash`);
      assert.deepEqual(index.zipHash(path, version), [want.zip], `${key} zip hash`);
    }
    await rm(env.GOMODCACHE as string, { recursive: true, force: true });
    await rm(env.HOME as string, { recursive: true, force: true });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

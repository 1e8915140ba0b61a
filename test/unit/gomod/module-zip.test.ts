import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hash1, hashGoMod } from '../../../src/gomod/dirhash.ts';
import { cleanPath, ModuleZipError } from '../../../src/gomod/module-zip.ts';
import { checkBothWays as checkModuleZip } from './check-both-ways.ts';
import { type FixtureEntry, makeZip, patchEntry } from './zip-fixture.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modzip-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function zipFile(entries: readonly FixtureEntry[], patch?: (b: Buffer) => Buffer): Promise<string> {
  let bytes = await makeZip(entries);
  if (patch) bytes = patch(bytes);
  const file = join(dir, `z${counter++}.zip`);
  await writeFile(file, bytes);
  return file;
}

const m = 'example.com/m';
const v = 'v1.0.0';
const p = `${m}@${v}/`;

test('hash1 and hashGoMod follow dirhash (known vector: empty go.mod)', () => {
  // cmd/go's emptyGoModHash constant is the hash of a 0-byte go.mod.
  assert.equal(hashGoMod(new Uint8Array()), 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=');
  const a = { name: 'b', sha256Hex: '00' };
  const b = { name: 'a', sha256Hex: '11' };
  assert.equal(hash1([a, b]), hash1([b, a]));
  assert.throws(() => hash1([{ name: 'x\ny', sha256Hex: '00' }]), /newline/);
});

test('a valid zip: hash independent of order and compression, go.mod seen', async () => {
  const entries = [
    { name: `${p}go.mod`, data: 'module example.com/m\n' },
    { name: `${p}a.go`, data: 'package m\n' },
    { name: `${p}sub/`, dir: true },
  ];
  const one = await checkModuleZip(await zipFile(entries), m, v);
  const two = await checkModuleZip(
    await zipFile([...entries].reverse().map((e) => ({ ...e, compress: false }))),
    m,
    v,
  );
  assert.equal(one.hash, two.hash);
  assert.match(one.hash, /^h1:[A-Za-z0-9+/]{43}=$/);
  assert.ok(one.hasGoMod);
  assert.equal(one.uncompressedSize, 31);
  const noMod = await checkModuleZip(await zipFile([{ name: `${p}a.go`, data: 'package m\n' }]), m, v);
  assert.ok(!noMod.hasGoMod);
  assert.notEqual(noMod.hash, one.hash);
});

async function rejects(
  entries: FixtureEntry[],
  rule: RegExp,
  patch?: (b: Buffer) => Buffer,
  mod = m,
  ver = v,
) {
  const file = await zipFile(entries, patch);
  await assert.rejects(checkModuleZip(file, mod, ver), (e: unknown) => {
    assert.ok(e instanceof ModuleZipError, String(e));
    assert.ok(
      e.problems.some((pr) => rule.test(`${pr.entry}: ${pr.rule}`)),
      `${e.message} does not match ${rule}`,
    );
    return true;
  });
}

test('each zip rule is enforced with the entry and rule named', async () => {
  await rejects(
    [{ name: 'other@v1.0.0/a.go', data: 'x' }],
    /other@v1\.0\.0\/a\.go: path does not have prefix/,
  );
  await rejects(
    [
      { name: `${p}A.go`, data: 'x' },
      { name: `${p}a.go`, data: 'y' },
    ],
    /case-insensitive file name collision: "A\.go" and "a\.go"/,
  );
  await rejects(
    [{ name: `${p}sub/go.mod`, data: 'module x' }],
    /sub\/go\.mod: go\.mod file not in module root/,
  );
  await rejects([{ name: `${p}GO.MOD`, data: 'module x' }], /go\.mod files must have lowercase names/);
  await rejects(
    [{ name: `${p}nul.txt`, data: 'x' }],
    /"nul" disallowed as path element component on Windows/,
  );
  await rejects([{ name: `${p}a:b`, data: 'x' }], /invalid char ':'/);
  await rejects([{ name: `${p}a/./b`, data: 'x' }], /file path is not clean/);
  await rejects(
    [{ name: `${p}XX/a`, data: 'x' }],
    /\.\.\/a: malformed file path "\.\.\/a": invalid path element "\.\."/,
    (b) => patchEntry(b, `${p}XX/a`, { newName: `${p}../a` }),
  );
  await rejects(
    [{ name: `${p}a.go`, data: 'hello' }],
    /a\.go: uncompressed size differs from the declared size 3/,
    (b) => patchEntry(b, `${p}a.go`, { declaredSize: 3 }),
  );
  await rejects([{ name: `${p}go.mod`, data: 'x' }], /go\.mod file too large/, (b) =>
    patchEntry(b, `${p}go.mod`, { declaredSize: 16 * 1024 * 1024 + 1 }),
  );
  await rejects(
    [{ name: `${p}a.go`, data: 'x' }],
    /total uncompressed size of module contents too large/,
    (b) => patchEntry(b, `${p}a.go`, { declaredSize: 500 * 1024 * 1024 + 1 }),
  );
  await rejects(
    [{ name: `example.com/m/v2@v2.0.0/a`, data: 'x' }],
    /should be v0 or v1, not v2/,
    undefined,
    m,
    'v2.0.0',
  );
  await rejects([{ name: `${m}@v1.0/a`, data: 'x' }], /not canonical/, undefined, m, 'v1.0');
});

test('a file that is not a zip is refused clearly', async () => {
  const file = join(dir, 'junk.zip');
  await writeFile(file, 'not a zip at all');
  await assert.rejects(checkModuleZip(file, m, v), /not a readable zip archive/);
});

test('cleanPath matches Go path.Clean', () => {
  const cases: [string, string][] = [
    ['a/b', 'a/b'],
    ['a//b', 'a/b'],
    ['a/./b', 'a/b'],
    ['a/../b', 'b'],
    ['../a', '../a'],
    ['/../a', '/a'],
    ['a/', 'a'],
    ['', '.'],
    ['/', '/'],
    ['a/b/../../..', '..'],
  ];
  for (const [input, want] of cases) assert.equal(cleanPath(input), want, input);
});

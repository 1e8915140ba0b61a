// Differential tests for module zips: our hash and verdict against x/mod's dirhash.HashZip and
// zip.CheckZip on zips made with yazl (valid ones, each rule broken, random ones), and against
// what the real go command records (`go mod download -json` through GOPROXY=file://).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { hashGoMod } from '../../../src/gomod/dirhash.ts';
import { ModuleZipError } from '../../../src/gomod/module-zip.ts';
import { goEnv, runGo } from '../../support/go-env.ts';
import { type GoOracle, startGoOracle } from '../../support/go-oracle.ts';
import { checkBothWays as checkModuleZip } from './check-both-ways.ts';
import { type FixtureEntry, makeZip, type ProxyModule, patchEntry, writeProxyModule } from './zip-fixture.ts';

let oracle: GoOracle;
let dir = '';
before(async () => {
  oracle = await startGoOracle();
  dir = await mkdtemp(join(tmpdir(), 'modzip-oracle-'));
});
after(async () => {
  oracle?.close();
  await rm(dir, { recursive: true, force: true });
});

const seed = Number(process.env.GOMOD_ORACLE_SEED ?? Date.now() % 2 ** 31);
let counter = 0;

interface Case {
  label: string;
  module: string;
  version: string;
  entries: FixtureEntry[];
  patch?: (zip: Buffer) => Buffer;
}

/** What the go command decides: CheckZip (Unzip runs it) and HashZip (reads every entry). */
async function goVerdict(file: string, module: string, version: string) {
  const [check, hash] = await Promise.all([
    oracle.call('checkZip', { file, module, version }),
    oracle.call('hashZip', { file }),
  ]);
  return { check, hash };
}

async function compareCase(c: Case) {
  let bytes = await makeZip(c.entries);
  if (c.patch) bytes = c.patch(bytes);
  const file = join(dir, `case-${counter++}.zip`);
  await writeFile(file, bytes);
  const go = await goVerdict(file, c.module, c.version);
  let ours: { hash: string } | null = null;
  let error: ModuleZipError | null = null;
  try {
    ours = await checkModuleZip(file, c.module, c.version);
  } catch (err) {
    if (!(err instanceof ModuleZipError)) throw err;
    error = err;
  }
  const ctx = `${c.label} (seed ${seed})`;
  const goAccepts = go.check.error === null && go.hash.error === null;
  assert.equal(
    ours !== null,
    goAccepts,
    `${ctx}: ours ${error?.message ?? 'ok'}; go ${go.check.error ?? go.hash.error ?? 'ok'}`,
  );
  if (ours) assert.equal(ours.hash, go.hash.value, `${ctx}: hash`);
  if (error && go.check.error !== null && go.check.invalid.length > 0) {
    // Same entries flagged, with x/mod's own wording.
    const goProblems = go.check.invalid
      .map((p: { path: string; error: string }) => `${p.path}: ${p.error}`)
      .sort();
    const ourProblems = error.problems.map((p) => `${p.entry}: ${p.rule}`).sort();
    assert.deepEqual(ourProblems, goProblems, ctx);
  } else if (error && go.check.error !== null) {
    // A whole-archive problem (size, module/version): same message.
    assert.deepEqual(
      error.problems.map((p) => p.rule),
      [go.check.error],
      ctx,
    );
  }
  return { ours, error, go };
}

const m = 'example.com/m';
const v = 'v1.0.0';
const p = `${m}@${v}/`;
const goMod = { name: `${p}go.mod`, data: 'module example.com/m\n\ngo 1.21\n' };

// Incompressible bytes (a fixed xorshift sequence), so the compressed entry stays over 1 MiB.
const noise = Buffer.alloc(2.5 * 1024 * 1024);
for (let i = 0, x = 2463534242; i < noise.length; i++) {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  noise[i] = x & 0xff;
}

const cases: Case[] = [
  {
    label: 'valid with go.mod',
    module: m,
    version: v,
    entries: [goMod, { name: `${p}m.go`, data: 'package m\n' }],
  },
  {
    label: 'valid, no go.mod, directories',
    module: m,
    version: v,
    entries: [
      { name: `${p}`, dir: true },
      { name: `${p}a/`, dir: true },
      { name: `${p}a/b.go`, data: 'package a\n' },
    ],
  },
  { label: 'empty zip', module: m, version: v, entries: [] },
  {
    label: 'upper-case path',
    module: 'github.com/Azure/Go',
    version: 'v0.1.0',
    entries: [{ name: 'github.com/Azure/Go@v0.1.0/x.go', data: 'package x' }],
  },
  {
    label: '+incompatible',
    module: 'example.com/inc',
    version: 'v2.0.1+incompatible',
    entries: [{ name: 'example.com/inc@v2.0.1+incompatible/x.go', data: 'x' }],
  },
  {
    label: 'major suffix',
    module: 'example.com/m/v3',
    version: 'v3.1.0',
    entries: [{ name: 'example.com/m/v3@v3.1.0/go.mod', data: 'module example.com/m/v3\n' }],
  },
  {
    label: 'pseudo-version',
    module: m,
    version: 'v0.0.0-20200101000000-abcdefabcdef',
    entries: [{ name: `${m}@v0.0.0-20200101000000-abcdefabcdef/a.go`, data: 'a' }],
  },
  {
    label: 'unicode and allowed punctuation',
    module: m,
    version: v,
    entries: [{ name: `${p}dir é/Ünïcödé #1 (x) [y] {z} $%&+,=@^_~!.txt`, data: 'u' }],
  },
  {
    label: 'big-ish file',
    module: m,
    version: v,
    entries: [{ name: `${p}big.bin`, data: Buffer.alloc(3 * 1024 * 1024, 7) }],
  },
  // Over 1 MiB compressed: read as a stream rather than in one piece.
  {
    label: 'large incompressible entry',
    module: m,
    version: v,
    entries: [{ name: `${p}rand.bin`, data: noise }],
  },
  {
    label: 'large entry, declared size too small',
    module: m,
    version: v,
    entries: [{ name: `${p}rand.bin`, data: noise }],
    patch: (b) => patchEntry(b, `${p}rand.bin`, { declaredSize: noise.length - 1 }),
  },
  {
    label: 'large stored entry, declared size too large',
    module: m,
    version: v,
    entries: [{ name: `${p}rand.bin`, data: noise, compress: false }],
    patch: (b) => patchEntry(b, `${p}rand.bin`, { declaredSize: noise.length + 1 }),
  },
  {
    label: 'byte order mark before the prefix',
    module: m,
    version: v,
    entries: [{ name: `\ufeff${p}a.go`, data: 'x' }],
  },
  {
    label: 'wrong prefix',
    module: m,
    version: v,
    entries: [{ name: 'example.com/other@v1.0.0/a.go', data: 'x' }],
  },
  { label: 'no prefix at all', module: m, version: v, entries: [{ name: 'a.go', data: 'x' }] },
  {
    label: 'case collision',
    module: m,
    version: v,
    entries: [
      { name: `${p}A.go`, data: 'x' },
      { name: `${p}a.go`, data: 'y' },
    ],
  },
  {
    label: 'directory case collision',
    module: m,
    version: v,
    entries: [
      { name: `${p}Dir/a.go`, data: 'x' },
      { name: `${p}dir/b.go`, data: 'y' },
    ],
  },
  {
    label: 'kelvin sign folds to k',
    module: m,
    version: v,
    entries: [
      { name: `${p}\u212a.go`, data: 'x' },
      { name: `${p}k.go`, data: 'y' },
    ],
  },
  {
    label: 'sharp s does not fold to ss',
    module: m,
    version: v,
    entries: [
      { name: `${p}ß.go`, data: 'x' },
      { name: `${p}ss.go`, data: 'y' },
    ],
  },
  {
    label: 'duplicate file',
    module: m,
    version: v,
    entries: [
      { name: `${p}a.go`, data: 'x' },
      { name: `${p}a.go`, data: 'x' },
    ],
  },
  {
    label: 'file and directory',
    module: m,
    version: v,
    entries: [
      { name: `${p}a`, data: 'x' },
      { name: `${p}a/b`, data: 'y' },
    ],
  },
  { label: 'nested go.mod', module: m, version: v, entries: [{ name: `${p}sub/go.mod`, data: 'module x' }] },
  { label: 'GO.MOD', module: m, version: v, entries: [{ name: `${p}GO.MOD`, data: 'module x' }] },
  { label: 'windows name', module: m, version: v, entries: [{ name: `${p}dir/COM1.go`, data: 'x' }] },
  {
    label: 'bad char',
    module: m,
    version: v,
    entries: [
      { name: `${p}a:b.go`, data: 'x' },
      { name: `${p}a"b`, data: 'x' },
      { name: `${p}a\\b`, data: 'x' },
    ],
  },
  { label: 'trailing dot', module: m, version: v, entries: [{ name: `${p}a.`, data: 'x' }] },
  {
    label: 'not clean',
    module: m,
    version: v,
    entries: [
      { name: `${p}a/./b`, data: 'x' },
      { name: `${p}a//c`, data: 'y' },
    ],
  },
  {
    label: 'dot dot',
    module: m,
    version: v,
    entries: [{ name: `${p}QQ/a`, data: 'x' }],
    patch: (b) => patchEntry(b, `${p}QQ/a`, { newName: `${p}../a` }),
  },
  {
    label: 'absolute',
    module: m,
    version: v,
    entries: [{ name: `Xexample.com/m@v1.0.0/a`, data: 'x' }],
    patch: (b) => patchEntry(b, 'Xexample.com/m@v1.0.0/a', { newName: '/example.com/m@v1.0.0/a' }),
  },
  {
    label: 'declared size too small',
    module: m,
    version: v,
    entries: [{ name: `${p}a.go`, data: 'hello world' }],
    patch: (b) => patchEntry(b, `${p}a.go`, { declaredSize: 4 }),
  },
  {
    label: 'declared size too large',
    module: m,
    version: v,
    entries: [{ name: `${p}a.go`, data: 'hello world' }],
    patch: (b) => patchEntry(b, `${p}a.go`, { declaredSize: 40 }),
  },
  {
    label: 'stored, declared size too small',
    module: m,
    version: v,
    entries: [{ name: `${p}a.go`, data: 'hello world', compress: false }],
    patch: (b) => patchEntry(b, `${p}a.go`, { declaredSize: 4 }),
  },
  {
    label: 'go.mod over 16 MiB (declared)',
    module: m,
    version: v,
    entries: [{ name: `${p}go.mod`, data: 'x' }],
    patch: (b) => patchEntry(b, `${p}go.mod`, { declaredSize: 16 * 1024 * 1024 + 1 }),
  },
  {
    label: 'LICENSE over 16 MiB (declared)',
    module: m,
    version: v,
    entries: [{ name: `${p}LICENSE`, data: 'x' }],
    patch: (b) => patchEntry(b, `${p}LICENSE`, { declaredSize: 16 * 1024 * 1024 + 1 }),
  },
  {
    label: 'total over 500 MiB (declared)',
    module: m,
    version: v,
    entries: [
      { name: `${p}a`, data: 'x' },
      { name: `${p}b`, data: 'y' },
    ],
    patch: (b) =>
      patchEntry(patchEntry(b, `${p}a`, { declaredSize: 300 * 1024 * 1024 }), `${p}b`, {
        declaredSize: 300 * 1024 * 1024,
      }),
  },
  {
    label: 'non-canonical version',
    module: m,
    version: 'v1.0',
    entries: [{ name: `${m}@v1.0/a`, data: 'x' }],
  },
  { label: 'major mismatch', module: m, version: 'v2.0.0', entries: [{ name: `${m}@v2.0.0/a`, data: 'x' }] },
  {
    label: 'bad module path',
    module: 'example/m',
    version: v,
    entries: [{ name: 'example/m@v1.0.0/a', data: 'x' }],
  },
];

test('hand-made zips: verdict, offending entries and hash equal x/mod', async () => {
  for (const c of cases) await compareCase(c);
});

test('entries with a symlink or another non-regular Unix mode: verdict and hash equal x/mod (accepted)', async () => {
  // CheckZip ignores the mode; the go command's Unzip writes every entry as a regular file.
  const modes = {
    symlink: 0o120777,
    fifo: 0o010644,
    socket: 0o140755,
    chardev: 0o020644,
    blockdev: 0o060644,
  };
  for (const [kind, mode] of Object.entries(modes)) {
    const { ours, go } = await compareCase({
      label: `${kind} entry`,
      module: m,
      version: v,
      entries: [
        goMod,
        { name: `${p}${kind}`, data: '../../outside', mode },
        { name: `${p}a.go`, data: 'package m\n' },
      ],
    });
    assert.equal(go.check.error, null, `x/mod CheckZip accepts a ${kind} entry`);
    assert.ok(ours, `we accept a ${kind} entry`);
  }
});

test('corrupted data (CRC mismatch) is refused like archive/zip refuses it', async () => {
  const zip = await makeZip([{ name: `${p}a.go`, data: 'hello world', compress: false }]);
  const at = zip.indexOf(Buffer.from('hello world'));
  zip[at] = 'j'.charCodeAt(0);
  const file = join(dir, 'crc.zip');
  await writeFile(file, zip);
  const go = await goVerdict(file, m, v);
  assert.match(go.hash.error, /checksum/);
  await assert.rejects(checkModuleZip(file, m, v), /a\.go: checksum error/);
});

test('random zips: verdict and hash equal x/mod', async () => {
  const names = [
    'a.go',
    'A.go',
    'b/c.go',
    'B/c.go',
    'go.mod',
    'sub/go.mod',
    'Go.mod',
    'con',
    'x.',
    '.x',
    'd/',
    'd/e',
    'é',
    'a b',
    'q~1',
    'vendor/x.go',
  ];
  const entry = fc.record({
    prefix: fc.constantFrom(p, p, p, p, 'example.com/m@v1.0.1/', ''),
    name: fc.constantFrom(...names),
    data: fc.string({ maxLength: 40 }),
    compress: fc.boolean(),
    descriptor: fc.boolean(),
  });
  const zips = fc.sample(fc.array(entry, { maxLength: 6 }), { numRuns: 150, seed });
  let valid = 0;
  for (const [i, list] of zips.entries()) {
    const entries = list.map((e) =>
      e.name.endsWith('/')
        ? { name: e.prefix + e.name, dir: true }
        : { name: e.prefix + e.name, data: e.data, compress: e.compress, descriptor: e.descriptor },
    );
    const { ours } = await compareCase({
      label: `random zip ${i}: ${JSON.stringify(entries.map((e) => e.name))}`,
      module: m,
      version: v,
      entries,
    });
    if (ours) valid++;
  }
  assert.ok(valid > 10 && valid < 140, `both verdicts exercised (${valid} valid of 150)`);
});

test('the go command records the same hashes: go mod download -json through GOPROXY=file://', async () => {
  const proxy = join(dir, 'proxy');
  const modules: ProxyModule[] = [
    {
      path: 'example.com/plain',
      version: 'v1.2.3',
      files: { 'plain.go': 'package plain\n' },
      goMod: 'module example.com/plain\n\ngo 1.21\n',
    },
    {
      path: 'github.com/Upper/Case',
      version: 'v0.1.0',
      files: { 'case.go': 'package upper\n', 'Sub/Dir/x.txt': 'x' },
      goMod: 'module github.com/Upper/Case\n',
    },
    {
      path: 'example.com/inc',
      version: 'v3.0.0+incompatible',
      files: { 'inc.go': 'package inc\n' },
      goMod: null,
    },
    {
      path: 'example.com/major/v2',
      version: 'v2.0.1',
      files: { 'm.go': 'package major\n' },
      goMod: 'module example.com/major/v2\n',
    },
    {
      path: 'example.com/pseudo',
      version: 'v0.0.0-20240102030405-abcdefabcdef',
      files: { 'p.go': 'package pseudo\n' },
      goMod: 'module example.com/pseudo\n',
    },
    {
      path: 'example.com/pre',
      version: 'v1.0.0-RC.1',
      files: { 'p.go': 'package pre\n', LICENSE: 'MIT\n' },
      goMod: 'module example.com/pre\n',
    },
  ];
  const expected = new Map<string, { sum: string; goModSum: string }>();
  for (const mod of modules) {
    const written = await writeProxyModule(proxy, mod);
    const checked = await checkModuleZip(written.zip, mod.path, mod.version);
    assert.equal(checked.hasGoMod, mod.goMod !== null);
    expected.set(`${mod.path}@${mod.version}`, {
      sum: checked.hash,
      goModSum: hashGoMod(await readFile(written.mod)),
    });
  }
  const work = await mkdtemp(join(tmpdir(), 'modzip-download-'));
  try {
    const env = goEnv({ goproxy: `file://${proxy}`, gosumdb: 'off' });
    const result = await runGo(
      ['mod', 'download', '-json', ...modules.map((mod) => `${mod.path}@${mod.version}`)],
      work,
      env,
    );
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const reports = result.stdout
      .trim()
      .split(/\n(?=\{)/)
      .map(
        (s) =>
          JSON.parse(s) as { Path: string; Version: string; Sum: string; GoModSum: string; Error?: string },
      );
    assert.equal(reports.length, modules.length);
    for (const r of reports) {
      assert.equal(r.Error, undefined);
      assert.deepEqual(
        { sum: r.Sum, goModSum: r.GoModSum },
        expected.get(`${r.Path}@${r.Version}`),
        `${r.Path}@${r.Version}`,
      );
    }
    await rm(env.GOMODCACHE as string, { recursive: true, force: true });
    await rm(env.HOME as string, { recursive: true, force: true });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

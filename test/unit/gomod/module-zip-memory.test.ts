// A module zip may be small and inflate to hundreds of MB (legal up to 500 MiB). Checking it
// must take bounded memory and leave the event loop serving: run the check in a child process
// and look at its peak RSS and at how many HTTP answers its own server gave meanwhile.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import yazl from 'yazl';
import { type GoOracle, startGoOracle } from '../../support/go-oracle.ts';

const execFileAsync = promisify(execFile);
const here = import.meta.dirname;
const m = 'example.com/bomb';
const v = 'v1.0.0';
const p = `${m}@${v}/`;

let dir = '';
let oracle: GoOracle;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modzip-memory-'));
  oracle = await startGoOracle();
});
after(async () => {
  oracle?.close();
  await rm(dir, { recursive: true, force: true });
});

function* zeros(total: number): Generator<Buffer> {
  const chunk = Buffer.alloc(1 << 20);
  for (let left = total; left > 0; left -= chunk.length)
    yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}

/** A zip of a few hundred KB whose entries inflate to `sizes` bytes of zeros each. */
async function writeZeroZip(file: string, sizes: number[]): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2020, 0, 1));
  zip.addBuffer(Buffer.from(`module ${m}\n`), `${p}go.mod`, { mtime });
  for (const [i, size] of sizes.entries()) {
    zip.addReadStream(Readable.from(zeros(size)), `${p}zeros${i}.bin`, { mtime, size, compress: true });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}

async function checkInChild(file: string) {
  const { stdout } = await execFileAsync(process.execPath, [join(here, 'zip-memory-child.ts'), file, m, v], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as {
    hash?: string;
    error?: string;
    uncompressedSize?: number;
    answeredDuringCheck: number;
    rssBeforeCheck: number;
    maxRssBytes: number;
  };
}

const MiB = 1024 * 1024;

test('a small zip inflating to 400 MiB verifies with bounded memory while the event loop keeps answering', async () => {
  const file = join(dir, 'zeros.zip');
  await writeZeroZip(file, [300 * MiB, 100 * MiB]);
  assert.ok((await stat(file)).size < 2 * MiB, 'the archive itself is small');
  const result = await checkInChild(file);
  const go = await oracle.call('hashZip', { file });
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.hash, go.value, 'same hash as x/mod dirhash.HashZip');
  assert.equal(result.uncompressedSize, 400 * MiB + `module ${m}\n`.length);
  assert.ok(
    result.maxRssBytes < 150 * MiB,
    `peak RSS ${Math.round(result.maxRssBytes / MiB)} MiB must stay under 150 MiB`,
  );
  assert.ok(
    result.maxRssBytes - result.rssBeforeCheck < 64 * MiB,
    `the check added ${Math.round((result.maxRssBytes - result.rssBeforeCheck) / MiB)} MiB of RSS (limit 64 MiB)`,
  );
  assert.ok(
    result.answeredDuringCheck >= 20,
    `the server answered only ${result.answeredDuringCheck} requests while the zip was checked`,
  );
});

test('a zip of 450 entries of 1 MiB (each inflated from a few KB) lets the server answer while it is checked', async () => {
  // Every read is then served from cached windows: without explicit yields the whole check
  // would run as microtasks and the server would answer nothing until it ends.
  const file = join(dir, 'many.zip');
  await writeZeroZip(
    file,
    Array.from({ length: 450 }, () => MiB),
  );
  const result = await checkInChild(file);
  const go = await oracle.call('hashZip', { file });
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.hash, go.value, 'same hash as x/mod dirhash.HashZip');
  assert.ok(
    result.answeredDuringCheck >= 20,
    `the server answered only ${result.answeredDuringCheck} requests while the zip was checked`,
  );
  assert.ok(
    result.maxRssBytes - result.rssBeforeCheck < 96 * MiB,
    `the check added ${Math.round((result.maxRssBytes - result.rssBeforeCheck) / MiB)} MiB of RSS (limit 96 MiB)`,
  );
});

test('an entry that inflates past its declared size is refused without inflating it all', async () => {
  const file = join(dir, 'liar.zip');
  await writeZeroZip(file, [200 * MiB]);
  // Declare 1 KiB for a 200 MiB entry: the check must stop at the declared size.
  const { patchEntry } = await import('./zip-fixture.ts');
  const { readFile, writeFile } = await import('node:fs/promises');
  await writeFile(file, patchEntry(await readFile(file), `${p}zeros0.bin`, { declaredSize: 1024 }));
  const result = await checkInChild(file);
  assert.match(result.error ?? '', /zeros0\.bin: uncompressed size differs from the declared size 1024/);
  assert.ok(result.maxRssBytes < 150 * MiB, `peak RSS ${Math.round(result.maxRssBytes / MiB)} MiB`);
});

// The streaming half of the zip check: entries hashed as a download arrives
// (src/gomod/zip-stream-digests.ts), used by checkModuleZip only where the central directory
// agrees. Every test checks the zip both ways (check-both-ways.ts: the outcome must be
// identical) and how many entries were taken from the stream.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkModuleZip, ModuleZipError } from '../../../src/gomod/module-zip.ts';
import { ZipStreamDigests } from '../../../src/gomod/zip-stream-digests.ts';
import { checkBothWays, streamDigests } from './check-both-ways.ts';
import { type FixtureEntry, makeZip } from './zip-fixture.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zipstream-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const m = 'example.com/m';
const v = 'v1.0.0';
const p = `${m}@${v}/`;
let counter = 0;

const text = (n: number) => Array.from({ length: n }, (_, i) => `line ${i} of a source file\n`).join('');

/** Deflated and stored, with data descriptors (as the go command writes module zips). */
const described: FixtureEntry[] = [
  { name: `${p}go.mod`, data: 'module example.com/m\n', descriptor: true },
  { name: `${p}a.go`, data: text(200), descriptor: true },
  { name: `${p}b.go`, data: 'package m\n', descriptor: true, compress: false },
  { name: `${p}sub/`, dir: true },
  { name: `${p}sub/c.go`, data: text(3000), descriptor: true },
  { name: `${p}empty.txt`, data: '', descriptor: true },
];

/** Writes the zip, checks it both ways, and says how many entries came from the stream. */
async function check(bytes: Buffer): Promise<{ hash: string; streamedEntries: number } | ModuleZipError> {
  const file = join(dir, `z${counter++}.zip`);
  await writeFile(file, bytes);
  try {
    const { hash, streamedEntries } = await checkBothWays(file, m, v);
    // With every byte pushed in one piece: same digests as in small pieces.
    const whole = await streamDigests(bytes, 7);
    const again = await checkModuleZip(file, m, v, { streamed: whole.digests });
    assert.equal(again.hash, hash);
    assert.equal(again.streamedEntries, streamedEntries);
    return { hash, streamedEntries };
  } catch (err) {
    if (err instanceof ModuleZipError) return err;
    throw err;
  }
}

type Central = { at: number; end: number; name: string; offset: number };

/** The central directory's records and the end record's offset. */
function central(zip: Buffer): { records: Central[]; eocd: number } {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  const records: Central[] = [];
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const nameLen = zip.readUInt16LE(at + 28);
    const end = at + 46 + nameLen + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    records.push({
      at,
      end,
      name: zip.toString('utf8', at + 46, at + 46 + nameLen),
      offset: zip.readUInt32LE(at + 42),
    });
    at = end;
  }
  return { records, eocd };
}

function record(zip: Buffer, name: string): Central {
  const found = central(zip).records.find((r) => r.name === name);
  assert.ok(found, `no central record ${name}`);
  return found;
}

/** Rewrites a field of the central record of `name` only (the local header keeps its own). */
function patchCentral(
  zip: Buffer,
  name: string,
  field: 'crc' | 'csize' | 'usize' | 'method' | 'offset',
  value: number,
): Buffer {
  const out = Buffer.from(zip);
  const r = record(out, name);
  const at = { method: 10, crc: 16, csize: 20, usize: 24, offset: 42 }[field];
  if (field === 'method') out.writeUInt16LE(value, r.at + at);
  else out.writeUInt32LE(value >>> 0, r.at + at);
  return out;
}

/** Removes (or adds a copy of, under another name and local offset) a central record. */
function editCentral(
  zip: Buffer,
  name: string,
  edit: { remove: true } | { copyAs: string; offset: number },
): Buffer {
  const { eocd } = central(zip);
  const r = record(zip, name);
  let cd: Buffer;
  const before = zip.subarray(0, eocd);
  if ('remove' in edit) {
    cd = Buffer.concat([zip.subarray(0, r.at), zip.subarray(r.end, eocd)]);
  } else {
    const copy = Buffer.from(zip.subarray(r.at, r.end));
    const newName = Buffer.from(edit.copyAs);
    assert.equal(newName.length, r.name.length, 'same-length name');
    newName.copy(copy, 46);
    copy.writeUInt32LE(edit.offset, 42);
    cd = Buffer.concat([before, copy]);
  }
  const end = Buffer.from(zip.subarray(eocd));
  const delta = 'remove' in edit ? -1 : 1;
  end.writeUInt16LE(end.readUInt16LE(8) + delta, 8);
  end.writeUInt16LE(end.readUInt16LE(10) + delta, 10);
  end.writeUInt32LE(end.readUInt32LE(12) + cd.length - before.length, 12);
  return Buffer.concat([cd, end]);
}

function accepted(r: Awaited<ReturnType<typeof check>>): { hash: string; streamedEntries: number } {
  assert.ok(!(r instanceof ModuleZipError), `accepted: ${r instanceof Error ? r.message : ''}`);
  return r;
}

function refused(r: Awaited<ReturnType<typeof check>>, rule: RegExp): void {
  assert.ok(r instanceof ModuleZipError, 'refused');
  assert.match(r.message, rule);
}

test('entries with data descriptors, deflated or stored, are all hashed on the way', async () => {
  const zip = await makeZip(described);
  assert.ok(zip.includes(Buffer.from([0x50, 0x4b, 0x07, 0x08])), 'the fixture has data descriptors');
  const r = accepted(await check(zip));
  assert.equal(r.streamedEntries, described.length);
});

test('entries with their sizes in the local header are hashed on the way too', async () => {
  const zip = await makeZip(described.map((e) => ({ ...e, descriptor: false })));
  assert.equal(accepted(await check(zip)).streamedEntries, described.length);
});

test('a central name other than the local one: both checks hash the central name (the data is the same)', async () => {
  const zip = await makeZip(described);
  const out = Buffer.from(zip);
  const r = record(out, `${p}a.go`);
  Buffer.from(`${p}z.go`).copy(out, r.at + 46);
  const plain = accepted(await check(zip));
  const renamed = accepted(await check(out));
  assert.notEqual(renamed.hash, plain.hash);
  assert.equal(renamed.streamedEntries, described.length);
});

test('central sizes, CRC-32 or method other than what streamed: that entry is read again, same verdict', async () => {
  const zip = await makeZip(described);
  const a = record(zip, `${p}a.go`);
  const csize = zip.readUInt32LE(a.at + 20);
  const usize = zip.readUInt32LE(a.at + 24);
  const crc = zip.readUInt32LE(a.at + 16);
  const n = described.length;
  // A compressed size one byte longer takes the descriptor's first byte into the data: the
  // deflate stream ends before it, so both checks accept; the streamed digest is not used.
  assert.equal(
    accepted(await check(patchCentral(zip, `${p}a.go`, 'csize', csize + 1))).streamedEntries,
    n - 1,
  );
  refused(await check(patchCentral(zip, `${p}a.go`, 'csize', csize - 1)), /a\.go: cannot read entry data/);
  refused(await check(patchCentral(zip, `${p}a.go`, 'usize', usize - 1)), /a\.go: uncompressed size differs/);
  refused(await check(patchCentral(zip, `${p}a.go`, 'crc', crc ^ 1)), /a\.go: checksum error/);
  refused(await check(patchCentral(zip, `${p}a.go`, 'method', 0)), /size mismatch for stored file/);
  refused(
    await check(patchCentral(zip, `${p}a.go`, 'method', 12)),
    /a\.go: unsupported compression method 12/,
  );
  // A CRC-32 of 0 in the central directory is not checked (archive/zip): accepted both ways.
  assert.equal(accepted(await check(patchCentral(zip, `${p}a.go`, 'crc', 0))).streamedEntries, n - 1);
});

test("a central offset pointing at another entry: both checks hash that entry's data under this name", async () => {
  const zip = await makeZip([
    { name: `${p}x.go`, data: 'package m // x\n', descriptor: true },
    { name: `${p}y.go`, data: 'package m // y\n', descriptor: true },
  ]);
  const x = record(zip, `${p}x.go`);
  const moved = patchCentral(zip, `${p}y.go`, 'offset', x.offset);
  // y's sizes and CRC no longer match x's data: refused, same problems both ways.
  refused(await check(moved), /y\.go: checksum error/);
  // Offsets into the middle of an entry or past the central directory: refused the same way.
  refused(
    await check(patchCentral(zip, `${p}y.go`, 'offset', x.offset + 3)),
    /y\.go: invalid local file header/,
  );
  refused(await check(patchCentral(zip, `${p}y.go`, 'offset', zip.length - 30)), /y\.go: /);
});

test('an entry only in the local headers, or only in the central directory: same verdict as the plain check', async () => {
  const zip = await makeZip(described);
  const onlyLocal = accepted(await check(editCentral(zip, `${p}b.go`, { remove: true })));
  assert.equal(onlyLocal.streamedEntries, described.length - 1);
  const without = accepted(await check(await makeZip(described.filter((e) => e.name !== `${p}b.go`))));
  assert.equal(onlyLocal.hash, without.hash, 'an entry missing from the central directory is not hashed');
  // A central record whose local header was never streamed (it points into the central directory).
  const cdStart = central(zip).records[0]!.at;
  refused(
    await check(editCentral(zip, `${p}b.go`, { copyAs: `${p}q.go`, offset: cdStart })),
    /q\.go: invalid local file header/,
  );
  // A second central record for the same local header, under another name: accepted both ways.
  const b = record(zip, `${p}b.go`);
  const twice = accepted(await check(editCentral(zip, `${p}b.go`, { copyAs: `${p}q.go`, offset: b.offset })));
  assert.equal(twice.streamedEntries, described.length + 1);
});

test('a stored entry with a data descriptor whose data holds a fake descriptor: read again, same hash', async () => {
  const fake = Buffer.alloc(16);
  fake.writeUInt32LE(0x08074b50, 0);
  // The compressed-size field equals its distance from the start of the data: a false end.
  const lead = Buffer.from('package m\n// ');
  fake.writeUInt32LE(lead.length, 8);
  const data = Buffer.concat([lead, fake, Buffer.from('\n// more after it\n')]);
  const entries: FixtureEntry[] = [
    { name: `${p}a.go`, data: 'package m\n', descriptor: true },
    { name: `${p}trap.go`, data, descriptor: true, compress: false },
    { name: `${p}z.go`, data: 'package m\n', descriptor: true },
  ];
  const r = accepted(await check(await makeZip(entries)));
  // The trap and everything after it are left to the pass after the last byte.
  assert.equal(r.streamedEntries, 1);
  const honest = accepted(await check(await makeZip(entries.map((e) => ({ ...e, descriptor: false })))));
  assert.equal(r.hash, honest.hash);
  assert.equal(honest.streamedEntries, 3);
});

test('entries over 1 MiB, compressed or inflated, are hashed piece by piece on the way', async () => {
  const big = Buffer.alloc(3 << 20);
  for (let i = 0, x = 88172645; i < big.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    big[i] = x & 0xff;
  }
  const entries: FixtureEntry[] = [
    { name: `${p}a.go`, data: 'package m\n', descriptor: true },
    { name: `${p}big.bin`, data: big, descriptor: true },
    { name: `${p}zeros.bin`, data: Buffer.alloc(4 << 20), descriptor: true },
    { name: `${p}z.go`, data: 'package m\n', descriptor: true },
  ];
  const r = accepted(await check(await makeZip(entries)));
  assert.equal(r.streamedEntries, 4);
  // Stored, with sizes in the local headers: the same.
  const stored = entries.map((e) => ({ ...e, compress: false, descriptor: false }));
  assert.equal(accepted(await check(await makeZip(stored))).streamedEntries, 4);
});

test('truncated or garbage bytes: no digest is wrong, the plain verdict stands', async () => {
  const zip = await makeZip(described);
  refused(await check(zip.subarray(0, zip.length - 10)), /not a readable zip archive/);
  const garbage = Buffer.from(zip);
  garbage.fill(0x50, 40, 60);
  const r = await check(garbage);
  assert.ok(r instanceof ModuleZipError || r.streamedEntries < described.length);
});

test('past the inflate budget nothing more is hashed on the way (many small entries inflating to a lot)', async () => {
  const entries: FixtureEntry[] = Array.from({ length: 8 }, (_, i) => ({
    name: `${p}zeros${i}.bin`,
    data: Buffer.alloc(100 << 10),
    descriptor: true,
  }));
  const zip = await makeZip(entries);
  const file = join(dir, `z${counter++}.zip`);
  await writeFile(file, zip);
  const bounded = new ZipStreamDigests({ inflateBudget: 250 << 10 });
  for (let at = 0; at < zip.length; at += 4096) await bounded.push(zip.subarray(at, at + 4096));
  // Three entries fit in 250 KiB (the third takes it past): the rest are left to the pass.
  assert.equal(bounded.digests.size, 3);
  const r = await checkModuleZip(file, m, v, { streamed: bounded.digests });
  assert.equal(r.streamedEntries, 3);
  assert.equal(r.hash, (await checkModuleZip(file, m, v)).hash);
});

test('a corrupt deflate stream in an entry inflating past 1 MiB: the piece-by-piece digest gives up, same verdict', async () => {
  const entries: FixtureEntry[] = [
    { name: `${p}zeros.bin`, data: Buffer.alloc(4 << 20), descriptor: true },
    { name: `${p}z.go`, data: 'package m\n', descriptor: true },
  ];
  const zip = await makeZip(entries);
  const dataStart = 30 + `${p}zeros.bin`.length;
  const compressed = central(zip).records[1]!.offset - dataStart - 16;
  for (const at of [dataStart + 2, dataStart + Math.floor(compressed / 2), dataStart + compressed - 3]) {
    const broken = Buffer.from(zip);
    broken[at] = broken[at]! ^ 0xff;
    // check() proves both ways agree (and that the stream never hangs on the broken inflater).
    refused(await check(broken), /zeros\.bin: /);
  }
});

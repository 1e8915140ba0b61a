// Builds module zips for tests with yazl, and patches stored bytes for what yazl refuses to
// write (names with "..", leading "/", lying size fields).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { escapePath, escapeVersion } from '../../../src/gomod/module-path.ts';

export interface FixtureEntry {
  name: string;
  data?: string | Buffer;
  /** A directory entry (name ends in "/"). */
  dir?: boolean;
  /** Unix mode incl. type bits, e.g. 0o120777 for a symlink. */
  mode?: number;
  compress?: boolean;
  /**
   * Sizes and CRC-32 in a data descriptor after the data instead of the local header (as the
   * go command's zips have them).
   */
  descriptor?: boolean;
}

export async function makeZip(entries: readonly FixtureEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const fixed = new Date(Date.UTC(2020, 0, 1));
  for (const e of entries) {
    if (e.dir) {
      zip.addEmptyDirectory(e.name, { mtime: fixed });
    } else {
      const data = typeof e.data === 'string' ? Buffer.from(e.data) : (e.data ?? Buffer.alloc(0));
      const options = {
        mtime: fixed,
        compress: e.compress ?? true,
        ...(e.mode === undefined ? {} : { mode: e.mode }),
      };
      if (e.descriptor) zip.addReadStream(Readable.from([data]), e.name, options);
      else zip.addBuffer(data, e.name, options);
    }
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

interface EntryPatch {
  /** Same byte length as the old name. */
  newName?: string;
  /** Declared uncompressed size written in both headers. */
  declaredSize?: number;
}

/** Rewrites header fields of the entry named `name` in the local and central headers. */
export function patchEntry(zip: Buffer, name: string, patch: EntryPatch): Buffer {
  const out = Buffer.from(zip);
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory header');
    const nameLen = out.readUInt16LE(p + 28);
    const next = p + 46 + nameLen + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
    if (out.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      const local = out.readUInt32LE(p + 42);
      if (patch.newName !== undefined) {
        const bytes = Buffer.from(patch.newName);
        if (bytes.length !== nameLen) throw new Error('patchEntry: new name must have the same byte length');
        bytes.copy(out, p + 46);
        bytes.copy(out, local + 30);
      }
      if (patch.declaredSize !== undefined) {
        out.writeUInt32LE(patch.declaredSize, p + 24);
        out.writeUInt32LE(patch.declaredSize, local + 22);
      }
      return out;
    }
    p = next;
  }
  throw new Error(`patchEntry: no entry ${name}`);
}

export interface ProxyModule {
  path: string;
  version: string;
  /** Files relative to the module root (go.mod excluded). */
  files: Record<string, string>;
  /** The go.mod, or null for a version without one (its .mod is then just the module line). */
  goMod: string | null;
}

/**
 * Writes one module version into `proxyDir` in the GOPROXY file layout (list, .info, .mod,
 * .zip), so `GOPROXY=file://<proxyDir>` serves it to the real go command. Returns the zip's
 * and .mod's paths.
 */
export async function writeProxyModule(
  proxyDir: string,
  mod: ProxyModule,
): Promise<{ zip: string; mod: string }> {
  const base = join(proxyDir, escapePath(mod.path), '@v');
  await mkdir(base, { recursive: true });
  const prefix = `${mod.path}@${mod.version}/`;
  const entries: FixtureEntry[] = Object.entries(mod.files).map(([name, data]) => ({
    name: prefix + name,
    data,
  }));
  if (mod.goMod !== null) entries.push({ name: `${prefix}go.mod`, data: mod.goMod });
  const stem = join(base, escapeVersion(mod.version));
  await writeFile(`${stem}.zip`, await makeZip(entries));
  await writeFile(`${stem}.mod`, mod.goMod ?? `module ${mod.path}\n`);
  await writeFile(`${stem}.info`, JSON.stringify({ Version: mod.version, Time: '2024-01-02T03:04:05Z' }));
  const listFile = join(base, 'list');
  const old = await readFile(listFile, 'utf8').catch(() => '');
  await writeFile(listFile, `${old}${mod.version}\n`);
  return { zip: `${stem}.zip`, mod: `${stem}.mod` };
}

// An archive extracted while it downloads: the bytes go straight into the `tar -x` that
// @actions/cache 6.3 runs on Linux (lib/internal/tar.js: `-xf <archive> -P -C <workspace>
// --use-compress-program unzstd`, here reading the archive from stdin), so download and
// extraction overlap instead of queueing. `-v` names each member as tar begins it: when
// anything fails after the first byte went in (the download cut or stalled, fewer bytes than
// announced, zstd's frame checksum, a tar error), every file tar began is removed again, so
// the directory is left as a restore that missed this entry would leave it: never a
// half-written file, and never a module directory (whose files are all in one entry) that the
// go command could take as complete.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, realpath, rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** No byte for this long while tar waits for them: the download is taken as failed. */
const STALL_MS = 60_000;

export type ExtractResult = { ok: true; bytes: number } | { ok: false; why: string; removed: number };

/** @actions/cache's extraction arguments (Linux, GNU tar, zstd without --long), reading stdin. */
export function extractArgs(workingDirectory: string): string[] {
  return ['-xf', '-', '-P', '-C', workingDirectory, '--use-compress-program', 'unzstd'];
}

/** A name as tar's `escape` quoting style prints it: `\\`, C escapes and octal bytes. */
export function unescapeTarName(line: Buffer): string {
  const out: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '?': 63 };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c !== 92 || i + 1 >= line.length) {
      out.push(c);
      continue;
    }
    const next = String.fromCharCode(line[i + 1]!);
    const octal = /^[0-7]{3}$/.exec(line.subarray(i + 1, i + 4).toString('latin1'));
    if (octal) {
      out.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else if (next in simple) {
      out.push(simple[next]!);
      i += 1;
    } else out.push(c);
  }
  return Buffer.from(out).toString('utf8');
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** Removes a file or (when empty) a directory; a read-only parent is made writable first. */
async function removeOne(path: string, directory: boolean): Promise<boolean> {
  const remove = () => (directory ? rmdir(path) : rm(path, { force: true }));
  try {
    await remove();
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') return false;
  }
  try {
    await chmod(dirname(path), 0o755);
    await remove();
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes what tar began (its `-v` lines, names relative to `workingDirectory`): files, then the
 * directories left empty, deepest first. Only inside `cachePath`, and only where the real path
 * of the parent is still inside it (a link on the way is never followed out).
 */
export async function removeBegun(
  lines: Buffer[],
  workingDirectory: string,
  cachePath: string,
): Promise<number> {
  const root = resolve(workingDirectory, cachePath);
  const realRoot = await realpath(root).catch(() => root);
  const files: string[] = [];
  const dirs: string[] = [];
  for (const line of lines) {
    if (line.length === 0) continue;
    const name = unescapeTarName(line);
    const path = resolve(workingDirectory, name);
    if (!inside(root, path)) continue;
    (name.endsWith('/') ? dirs : files).push(path);
  }
  let removed = 0;
  const parentInside = async (path: string): Promise<boolean> => {
    const real = await realpath(dirname(path)).catch(() => undefined);
    return real !== undefined && (real === realRoot || inside(realRoot, real));
  };
  for (const path of files) if ((await parentInside(path)) && (await removeOne(path, false))) removed++;
  dirs.sort((a, b) => b.length - a.length);
  for (const path of dirs) if (await parentInside(path)) await removeOne(path, true);
  return removed;
}

/**
 * Extracts the archive `source` yields into `workingDirectory` (the workspace, as @actions/cache
 * does) while it arrives. `expectedBytes`: the length the server announced; fewer or more is a
 * failure. On failure, what tar began inside `cachePath` is removed (removeBegun).
 */
export async function extractStream(
  source: Readable,
  options: { workingDirectory: string; cachePath: string; expectedBytes?: number },
): Promise<ExtractResult> {
  await mkdir(options.workingDirectory, { recursive: true });
  const tar = spawn('tar', [...extractArgs(options.workingDirectory), '-v', '--quoting-style=escape'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; error?: Error }>((done) => {
    tar.once('error', (error) => done({ code: null, error }));
    tar.once('close', (code) => done({ code }));
  });
  let pending = Buffer.alloc(0);
  const lines: Buffer[] = [];
  tar.stdout.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    let nl = pending.indexOf(10);
    while (nl !== -1) {
      lines.push(pending.subarray(0, nl));
      pending = pending.subarray(nl + 1);
      nl = pending.indexOf(10);
    }
  });
  let stderr = '';
  tar.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-1000);
  });
  // Writes to a tar that exited fail with EPIPE: the exit status tells why.
  tar.stdin.on('error', () => undefined);

  let bytes = 0;
  let failure: string | undefined;
  let tarGone = false;
  let stall: NodeJS.Timeout | undefined;
  const arm = () => {
    stall = setTimeout(() => source.destroy(new Error(`no data for ${STALL_MS / 1000} s`)), STALL_MS);
  };
  try {
    arm();
    for await (const chunk of source) {
      clearTimeout(stall);
      bytes += (chunk as Buffer).length;
      tarGone = tar.exitCode !== null || tar.stdin.destroyed;
      if (tarGone) break;
      if (!tar.stdin.write(chunk)) {
        const drained = once(tar.stdin, 'drain').then(() => true);
        const closed = exited.then(() => false);
        tarGone = !(await Promise.race([drained, closed]));
        if (tarGone) break;
      }
      arm();
    }
  } catch (err) {
    // The message names what broke (a reset, a stall), never the URL.
    failure = `the download failed: ${(err as Error).message}`;
  } finally {
    clearTimeout(stall);
  }
  if (
    failure === undefined &&
    !tarGone &&
    options.expectedBytes !== undefined &&
    bytes !== options.expectedBytes
  )
    failure = `the download ended after ${bytes} of ${options.expectedBytes} bytes`;
  if (failure !== undefined) {
    // Tar reads an early end of its input and fails; it is waited for before anything is removed.
    source.destroy();
    tar.stdin.destroy();
  } else tar.stdin.end();
  const { code, error } = await exited;
  if (failure === undefined && error) failure = `tar did not run: ${error.message}`;
  if (failure === undefined && (code !== 0 || tarGone))
    failure = `tar exited with status ${code}: ${stderr.trim().split('\n').slice(-2).join(' / ')}`;
  if (pending.length > 0) lines.push(pending);
  if (failure === undefined) return { ok: true, bytes };
  const removed = await removeBegun(lines, options.workingDirectory, options.cachePath);
  return { ok: false, why: failure, removed };
}

// The store under real faults: a writer SIGKILLed mid-blob, and a filesystem that is really full
// (a 256 KiB tmpfs mounted in a private mount namespace, so nothing outlives the test).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BlobStore } from '../../../src/store/blob-store.ts';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));

async function tempDir(t: { after: (fn: () => Promise<void>) => void }, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

test('store: a writer SIGKILLed mid-blob leaves no visible file; open removes its temp file; later writes succeed', async (t) => {
  const root = await tempDir(t, 'store-kill-');
  const child = spawn(process.execPath, [join(here, 'kill-writer-child.ts'), root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  const report = await new Promise<{ tempPath: string; written: number }>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (data: Buffer) => {
      buffered += data.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffered.slice(0, newline)));
    });
    child.on('exit', (code) => reject(new Error(`writer exited (${code}) before reporting progress`)));
  });
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');

  // What the kill left: a temp file of at least what was reported, next to the final path,
  // and no final file.
  const left = await stat(report.tempPath);
  assert.ok(left.size >= report.written, `temp file holds ${left.size} bytes`);
  const finalPath = join(report.tempPath, '..', 'v1.0.0.zip');
  assert.equal(await exists(finalPath), false, 'no final file after the kill');

  const store = await BlobStore.open(root);
  assert.equal(
    store.filePath('example.com/big', 'v1.0.0', 'zip'),
    finalPath,
    'temp file lives next to the final path',
  );
  assert.equal(await exists(report.tempPath), false, 'open removed the dead writer temp file');
  assert.deepEqual(await readdir(join(finalPath, '..')), [], 'nothing else left in @v');
  assert.equal(await store.stat('example.com/big', 'v1.0.0', 'zip'), null);
  assert.deepEqual(await store.summary(), { files: 0, bytes: 0, versions: 0, modules: 0 });

  const data = Buffer.alloc(3 * 1024 * 1024, 0x33);
  await store.writeFileAtomic('example.com/big', 'v1.0.0', 'zip', data);
  assert.deepEqual(await store.readFile('example.com/big', 'v1.0.0', 'zip'), data);
  assert.deepEqual(await store.summary(), { files: 1, bytes: data.byteLength, versions: 1, modules: 1 });
});

test('store: temp files of a live writer survive another open; a dead one is removed', async (t) => {
  const root = await tempDir(t, 'store-temps-');
  const store = await BlobStore.open(root);
  const live = await store.beginWrite('example.com/a', 'v1.0.0', 'zip');
  await live.write(Buffer.from('partial'));

  // A temp file named for a pid that cannot be running (beyond Linux's pid_max).
  const dead = join(root, 'example.com', 'a', '@v', '.tmp-4194999-deadbeef');
  await (await import('node:fs/promises')).writeFile(dead, 'left by a killed process');

  await BlobStore.open(root);
  assert.equal(await exists(live.path), true, 'a live writer keeps its temp file');
  assert.equal(await exists(dead), false, 'a dead writer temp file is removed');
  await live.write(Buffer.from(' and the rest'));
  await live.commit();
  assert.equal((await store.readFile('example.com/a', 'v1.0.0', 'zip'))?.toString(), 'partial and the rest');
  assert.equal(await exists(live.path), false);
});

/**
 * Runs `command <mountPoint>` with a 256 KiB tmpfs mounted at `mountPoint`. First choice: a
 * private mount namespace via unshare (works unprivileged where user namespaces are allowed, and
 * the mount vanishes with the child even if the test is killed). Fallback as root: mount here,
 * unmount when the command ends.
 */
async function runOnTinyTmpfs(mountPoint: string, command: string[]): Promise<string> {
  const mount = 'mount -t tmpfs -o size=256k tmpfs "$MP"';
  const options = { timeout: 60_000, env: { ...process.env, MP: mountPoint } };
  try {
    const inNamespace = `${mount} && exec "$@" "$MP"`;
    const unshare = ['--user', '--map-root-user', '--mount', 'sh', '-c', inNamespace, 'sh', ...command];
    return (await run('unshare', unshare, options)).stdout;
  } catch (namespaceError) {
    if (process.getuid?.() !== 0) {
      throw new Error(
        `cannot get a real full disk: unshare with user and mount namespaces failed and we are not root: ${(namespaceError as { stderr?: string }).stderr ?? namespaceError}`,
      );
    }
    const mountHere = `${mount} || exit 97; "$@" "$MP"; rc=$?; umount "$MP"; exit $rc`;
    return (await run('sh', ['-c', mountHere, 'sh', ...command], options)).stdout;
  }
}

type DiskFullReport = {
  atomic: { isStoreWriteError: boolean; code: string | null; message: string };
  streamed: { isStoreWriteError: boolean; code: string | null; message: string };
  filesAfterFailures: string[];
  statAfterFailures: unknown[];
  smallReadBack: string | null;
  filesAtEnd: string[];
  readOnlyRead: string | null;
  readOnlyWrite: { isStoreWriteError: boolean; code: string | null; message: string };
  filesReadOnly: string[];
};

test('store: on a full disk a write fails with StoreWriteError ENOSPC and leaves nothing behind; a read-only store serves', async (t) => {
  const mountPoint = await tempDir(t, 'store-full-');
  const stdout = await runOnTinyTmpfs(mountPoint, [process.execPath, join(here, 'disk-full-child.ts')]);
  const report = JSON.parse(stdout) as DiskFullReport;
  for (const failure of [report.atomic, report.streamed]) {
    assert.equal(failure.isStoreWriteError, true, failure.message);
    assert.equal(failure.code, 'ENOSPC');
    assert.match(failure.message, /disk full \(ENOSPC\)/);
    assert.match(failure.message, /example\.com\/full\/@v\/v1\.[01]\.0\.zip/);
  }
  assert.deepEqual(report.filesAfterFailures, [], 'no partial or temp file remains');
  assert.deepEqual(report.statAfterFailures, [null, null]);
  assert.equal(report.smallReadBack, 'module example.com/full\n');
  assert.equal(report.readOnlyRead, 'module example.com/full\n', 'a read-only store opens and serves');
  assert.equal(report.readOnlyWrite.isStoreWriteError, true, report.readOnlyWrite.message);
  assert.equal(report.readOnlyWrite.code, 'EROFS');
  assert.match(report.readOnlyWrite.message, /read-only filesystem \(EROFS\)/);
  assert.deepEqual(report.filesReadOnly.map((f) => f.slice(mountPoint.length)).sort(), [
    '/example.com/full/@v/.tmp-4194999-deadbeef',
    '/example.com/full/@v/v1.2.0.mod',
  ]);
  assert.deepEqual(
    report.filesAtEnd.map((f) => f.slice(mountPoint.length)),
    ['/example.com/full/@v/v1.2.0.mod'],
  );
});

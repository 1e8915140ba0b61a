// The daemon's state directory (ready file with the admin token and URL, log) belongs to the
// user who starts it. The docs' example is `--state-dir /tmp/goproxy`: on a shared machine
// another user may have made that directory first, to forge the ready file (start would then
// export their proxy as GOPROXY) or to plant proxy.log as a symbolic link (the daemon's log
// would be appended to whatever it names).
import assert from 'node:assert/strict';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startProxyDetached } from '../../src/daemon/start-proxy.ts';

let scratch = '';
/** Stands in for serve: writes the ready file it is given, then waits to be stopped. */
let fakeServe = '';

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gpa-statedir-'));
  fakeServe = join(scratch, 'fake-serve.mjs');
  await writeFile(
    fakeServe,
    [
      "import { writeFileSync } from 'node:fs';",
      "const file = process.argv[process.argv.indexOf('--ready-file') + 1];",
      "writeFileSync(file, JSON.stringify({ url: 'http://127.0.0.1:1', pid: process.pid, adminUrl: 'http://127.0.0.1:1/_admin', token: 't' }));",
      "process.on('SIGTERM', () => process.exit(0));",
      'setTimeout(() => process.exit(0), 5000);',
    ].join('\n'),
  );
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const start = (stateDir: string) =>
  startProxyDetached({
    cliPath: fakeServe,
    args: [],
    env: { PATH: process.env.PATH ?? '' },
    stateDir,
    timeoutMs: 20_000,
  });

async function stopped(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

test('a state directory another user owns is refused before anything is written or started', async () => {
  let dir: string;
  if (process.getuid?.() === 0) {
    dir = join(scratch, 'theirs');
    await mkdir(dir);
    await chmod(dir, 0o777);
    await chown(dir, 65534, 65534); // made by another user ("nobody") first
  } else {
    dir = tmpdir(); // owned by root, writable by everyone
  }
  const victim = join(scratch, 'victim.txt');
  await writeFile(victim, 'precious\n');
  if (process.getuid?.() === 0) await symlink(victim, join(dir, 'proxy.log'));
  await assert.rejects(start(dir), /state directory .* owned by another user.*give a directory of your own/);
  assert.equal(await readFile(victim, 'utf8'), 'precious\n', 'nothing was appended through the planted link');
});

test('a state directory of ours that others may write is tightened; a planted proxy.log link is refused, never written through', async () => {
  const dir = join(scratch, 'ours-open');
  await mkdir(dir);
  await chmod(dir, 0o777);
  const victim = join(scratch, 'victim2.txt');
  await writeFile(victim, 'precious\n');
  await symlink(victim, join(dir, 'proxy.log'));
  await assert.rejects(start(dir), /proxy\.log is a symbolic link/);
  assert.equal(await readFile(victim, 'utf8'), 'precious\n');
  assert.equal((await stat(dir)).mode & 0o777, 0o700, 'no one else may write the directory any more');
  // Once the link is gone, the directory (now ours alone) works.
  await rm(join(dir, 'proxy.log'));
  const proxy = await start(dir);
  await stopped(proxy.pid);
  assert.equal(proxy.url, 'http://127.0.0.1:1');
});

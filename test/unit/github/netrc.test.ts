import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCredentialsDir, removeCredentialsDir } from '../../../src/remote/credentials-dir.ts';
import { bearerHeaderBlock, writeBearerGoauth } from '../../../src/remote/goauth-bearer.ts';
import {
  mergeNetrc,
  netrcMachineFor,
  parseNetrc,
  readUserNetrc,
  userNetrcPath,
  writeNetrcFile,
} from '../../../src/remote/netrc.ts';

test('netrc: parsed as the go command reads it (tokens across lines, macdef skipped, nothing after default)', () => {
  const text = [
    'machine a.example.com login alice password one',
    'machine b.example.com',
    '  login bob',
    '  password two',
    'macdef init',
    'machine hidden.example.com login x password y',
    '',
    'machine c.example.com login carol password three',
    'default',
    'login anon password anon',
    'machine after.example.com login z password z',
  ].join('\n');
  assert.deepEqual(parseNetrc(text), [
    { machine: 'a.example.com', login: 'alice', password: 'one' },
    { machine: 'b.example.com', login: 'bob', password: 'two' },
    { machine: 'c.example.com', login: 'carol', password: 'three' },
  ]);
});

test('netrc: ours first, the user entries for other machines kept, an old entry for our machine replaced', () => {
  const existing = parseNetrc(
    'machine proxy.example.com login old password old\nmachine git.example.com login me password pw\n',
  );
  const text = mergeNetrc(existing, { machine: 'proxy.example.com', login: 'ci', password: 'new' });
  assert.deepEqual(parseNetrc(text), [
    { machine: 'proxy.example.com', login: 'ci', password: 'new' },
    { machine: 'git.example.com', login: 'me', password: 'pw' },
  ]);
  assert.throws(
    () => mergeNetrc([], { machine: 'p.example.com', login: 'ci', password: 'has space' }),
    /white space/,
  );
});

test('netrc: the machine is host[:port] of the proxy URL, as the go command looks credentials up', () => {
  assert.equal(netrcMachineFor('https://proxy.example.com/go/'), 'proxy.example.com');
  assert.equal(netrcMachineFor('https://proxy.example.com:8443/'), 'proxy.example.com:8443');
});

test('netrc: file is 0600 in a 0700 directory, merges $NETRC, and the directory is removed', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gpa-netrc-'));
  try {
    const userFile = join(root, 'user-netrc');
    await writeFile(userFile, 'machine git.example.com login me password pw\n');
    assert.equal(userNetrcPath({ NETRC: userFile }), userFile);
    assert.equal(
      userNetrcPath({}, '/home/x'),
      process.platform === 'win32' ? '/home/x/_netrc' : '/home/x/.netrc',
    );
    assert.deepEqual(await readUserNetrc(join(root, 'missing')), []);
    const dir = await createCredentialsDir(root);
    const file = await writeNetrcFile({
      dir,
      ours: { machine: 'proxy.example.com', login: 'token', password: 'tok' },
      existing: await readUserNetrc(userFile),
    });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal(
      await readFile(file, 'utf8'),
      'machine proxy.example.com login token password tok\nmachine git.example.com login me password pw\n',
    );
    await removeCredentialsDir(dir);
    assert.deepEqual(await readdir(root), ['user-netrc']);
    await assert.rejects(removeCredentialsDir(root), /not a credentials directory/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('GOAUTH bearer: header block in the go command format, token only in a 0600 file', async () => {
  assert.equal(
    bearerHeaderBlock('https://proxy.example.com/go/', 'abc'),
    'https://proxy.example.com/go\n\nAuthorization: Bearer abc\n\n',
  );
  assert.throws(() => bearerHeaderBlock('http://proxy.example.com', 'abc'), /only sent to an https/);
  if (process.platform === 'win32') return;
  const root = await mkdtemp(join(tmpdir(), 'gpa-goauth-'));
  try {
    const dir = await createCredentialsDir(root);
    const goauth = await writeBearerGoauth({
      dir,
      proxyUrl: 'https://proxy.example.com',
      token: 'secret-token',
    });
    assert.match(goauth, /^netrc;cat \S+goauth-headers$/);
    assert.doesNotMatch(goauth, /secret-token/);
    const file = goauth.slice('netrc;cat '.length);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.match(await readFile(file, 'utf8'), /Authorization: Bearer secret-token/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

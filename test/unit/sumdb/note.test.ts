import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  generateSignerKey,
  NoteError,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifyNote,
} from '../../../src/sumdb/note.ts';

// Known answers from the Go implementation's tests (golang.org/x/mod/sumdb/note): the same
// keys must give the same signature bytes, and Go's signatures must verify here.
const peterSkey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const peterVkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const enochVkey = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const text =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterSig =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const enochSig =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

test('signing with a Go signer key gives the bytes Go gives', () => {
  assert.equal(signNote(text, peterSkey), `${text}\n${peterSig}`);
  const signer = parseSignerKey(peterSkey);
  assert.equal(signer.vkey, peterVkey);
  assert.equal(signer.keyId, 'PeterNeumann+c74f20a3');
});

test('notes signed by Go verify, with any number of other signatures around', () => {
  const msg = `${text}\n${peterSig}${enochSig}`;
  assert.deepEqual(verifyNote(msg, peterVkey), { text, verifiedBy: 'PeterNeumann+c74f20a3' });
  assert.deepEqual(verifyNote(msg, enochVkey), { text, verifiedBy: 'EnochRoot+af0cfe78' });
  assert.deepEqual(
    verifyNote(Buffer.from(`${text}\n${enochSig}${peterSig}${peterSig}`), peterVkey).text,
    text,
  );
});

test('a note without a valid signature by the key is refused, saying why', () => {
  const expectNoteError = (fn: () => unknown, kind: NoteError['kind'], message: RegExp) =>
    assert.throws(fn, (err: unknown) => {
      assert.ok(err instanceof NoteError, String(err));
      assert.equal(err.kind, kind);
      assert.match(err.message, message);
      return true;
    });
  expectNoteError(
    () => verifyNote(`${text}\n${enochSig}`, peterVkey),
    'unsigned',
    /not signed by key PeterNeumann\+c74f20a3: it is signed only by EnochRoot\+af0cfe78/,
  );
  expectNoteError(
    () => verifyNote(`${text.replace('cryptography', 'crypto')}\n${peterSig}`, peterVkey),
    'bad-signature',
    /invalid signature by key PeterNeumann\+c74f20a3/,
  );
  const badSigBytes = `${text}\n${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`;
  expectNoteError(() => verifyNote(badSigBytes, peterVkey), 'bad-signature', /invalid signature/);
  const malformed = [
    text,
    `${text}\n`,
    `${text}\n${peterSig.slice(0, -1)}`,
    `\x01${text}\n${peterSig}`,
    `${text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
    `${text}\n${peterSig}Unexpected line.\n`,
    `${text}\n${peterSig.repeat(101)}`,
  ];
  for (const msg of malformed)
    expectNoteError(() => verifyNote(msg, peterVkey), 'malformed', /malformed note/);
  const invalidUtf8 = Buffer.concat([Buffer.from([0xff]), Buffer.from(`${text}\n${peterSig}`)]);
  expectNoteError(() => verifyNote(invalidUtf8, peterVkey), 'malformed', /not valid UTF-8/);
});

test('verifier keys: Go manglings are all refused with a message naming the problem', () => {
  assert.equal(parseVerifierKey(peterVkey).keyId, 'PeterNeumann+c74f20a3');
  for (let i = 0; i < peterVkey.length; i++) {
    const code = peterVkey.charCodeAt(i);
    const mangled = peterVkey.slice(0, i) + String.fromCharCode(code + 1) + peterVkey.slice(i + 1);
    assert.throws(() => parseVerifierKey(mangled), NoteError, mangled);
  }
  for (let i = 0; i < peterVkey.length; i++) {
    for (const cut of [peterVkey.slice(0, i), peterVkey.slice(i + 1)]) {
      assert.throws(() => parseVerifierKey(cut), NoteError, cut);
    }
  }
  assert.throws(
    () => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
    /the key is not valid base64/,
  );
  assert.throws(
    () => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    /unknown key algorithm 101/,
  );
  assert.throws(
    () => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    /key hash does not match/,
  );
  assert.throws(() => parseVerifierKey('sum.example.test'), /want <name>\+<8 hex digits>\+<base64 key>/);
  // A 33-byte Ed25519 key with a key hash that matches it.
  const longKey = Buffer.concat([Buffer.of(1), Buffer.alloc(33, 7)]);
  const longHash = createHash('sha256')
    .update('Long\n')
    .update(longKey)
    .digest()
    .subarray(0, 4)
    .toString('hex');
  assert.throws(
    () => parseVerifierKey(`Long+${longHash}+${longKey.toString('base64')}`),
    /an Ed25519 key is 32 bytes, this one is 33/,
  );
});

test('signer keys: errors never echo the private key', () => {
  const { skey } = generateSignerKey('errors.example.test');
  // PRIVATE+KEY+<name>+<hash>+<base64 key>: the key's base64 may hold '+' itself.
  const secret = skey.split('+').slice(4).join('+');
  for (const bad of [
    skey.replace('PRIVATE', 'PUBLIC'),
    `${skey.slice(0, -2)}A=`,
    skey.replace('+KEY+', '+KEY+x'),
  ]) {
    assert.throws(
      () => parseSignerKey(bad),
      (err: Error) => err instanceof NoteError && !err.message.includes(secret.slice(0, 12)),
    );
  }
});

test('generated keys sign notes their verifier key accepts, and only that key', () => {
  const a = generateSignerKey('sum.fixture.test');
  const b = generateSignerKey('sum.fixture.test');
  assert.match(a.vkey, /^sum\.fixture\.test\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
  assert.match(a.skey, /^PRIVATE\+KEY\+sum\.fixture\.test\+[0-9a-f]{8}\+/);
  assert.equal(parseSignerKey(a.skey).vkey, a.vkey);
  const note = signNote('go.sum database tree\n1\nAAAA\n', a.skey);
  assert.equal(verifyNote(note, a.vkey).verifiedBy, parseVerifierKey(a.vkey).keyId);
  assert.throws(
    () => verifyNote(note, b.vkey),
    (err: Error) => err instanceof NoteError && err.kind === 'unsigned',
  );
  assert.throws(() => signNote('no newline', a.skey), /must end with a newline/);
  assert.throws(() => signNote('bell\x07\n', a.skey), /control characters/);
  assert.throws(() => generateSignerKey('has space'), /invalid signer name/);
  assert.throws(() => generateSignerKey('a+b'), /invalid signer name/);
});

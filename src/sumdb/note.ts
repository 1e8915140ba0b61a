// Signed notes (golang.org/x/mod/sumdb/note): a UTF-8 text ending in a newline, a blank line,
// then signature lines `— <name> <base64(keyhash[4] || signature)>`. Keys are Ed25519:
//   verifier key: <name>+<8 hex keyhash>+<base64(0x01 || 32-byte public key)>
//   signer key:   PRIVATE+KEY+<name>+<8 hex keyhash>+<base64(0x01 || 32-byte seed)>
// where keyhash is the first 4 bytes (big-endian) of SHA-256(name + "\n" + 0x01 || public key).

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { decodeStrictBase64, encodeBase64 } from './strict-base64.ts';

const algEd25519 = 1;
const signaturePrefix = '— ';
// Like the Go implementation: a note with more signature lines than this is refused unread.
const maxSignatures = 100;

export type NoteErrorKind = 'bad-key' | 'malformed' | 'unsigned' | 'bad-signature';

/** A key or note that is malformed, or a note that does not carry a valid signature by the expected key. */
export class NoteError extends Error {
  override name = 'NoteError';
  readonly kind: NoteErrorKind;
  constructor(kind: NoteErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

export type VerifierKey = {
  name: string;
  /** The 32-bit key hash that signature lines carry. */
  hash: number;
  /** `<name>+<8 hex keyhash>`: how errors name the key. */
  keyId: string;
  /** The encoded key as given. */
  text: string;
  publicKey: KeyObject;
};

export type SignerKey = {
  name: string;
  hash: number;
  keyId: string;
  /** The matching verifier key text. */
  vkey: string;
  privateKey: KeyObject;
};

/** Go's note name rule: non-empty, well-formed, no white space and no '+'. */
export function isValidNoteName(name: string): boolean {
  return name !== '' && name.isWellFormed() && !/[\s\u0085+]/u.test(name);
}

function keyHash(name: string, key: Uint8Array): number {
  const digest = createHash('sha256').update(name, 'utf8').update('\n').update(key).digest();
  return digest.readUInt32BE(0);
}

function hex8(hash: number): string {
  return hash.toString(16).padStart(8, '0');
}

/** Splits at the first `sep` (Go's strings.Cut without the found flag). */
function chop(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url(raw) }, format: 'jwk' });
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x as string, 'base64url'));
}

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410), so node:crypto can load it.
const pkcs8Ed25519Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([pkcs8Ed25519Prefix, seed]), format: 'der', type: 'pkcs8' });
}

const verifierKeyForm = '<name>+<8 hex digits>+<base64 key>';

/** Parses and checks a verifier (public) key as GOSUMDB carries it. */
export function parseVerifierKey(vkey: string): VerifierKey {
  const bad = (why: string) =>
    new NoteError(
      'bad-key',
      `invalid verifier key ${JSON.stringify(vkey)}: ${why} (want ${verifierKeyForm})`,
    );
  const [name, rest] = chop(vkey, '+');
  const [hash16, key64] = chop(rest, '+');
  if (!isValidNoteName(name)) throw bad('the name must be non-empty, without spaces or "+"');
  if (!/^[0-9a-fA-F]{8}$/.test(hash16)) throw bad('the key hash must be 8 hex digits');
  const key = decodeStrictBase64(key64);
  if (key === null || key.length === 0) throw bad('the key is not valid base64');
  const hash = Number.parseInt(hash16, 16);
  if (hash !== keyHash(name, key))
    throw bad('the key hash does not match the name and key: the key is mistyped or altered');
  if (key[0] !== algEd25519) throw bad(`unknown key algorithm ${key[0]} (only 1, Ed25519, exists)`);
  if (key.length !== 33) throw bad(`an Ed25519 key is 32 bytes, this one is ${key.length - 1}`);
  return {
    name,
    hash,
    keyId: `${name}+${hex8(hash)}`,
    text: vkey,
    publicKey: ed25519PublicKey(key.subarray(1)),
  };
}

/** Parses a signer (private) key. Errors never include the key text. */
export function parseSignerKey(skey: string): SignerKey {
  const bad = (why: string) =>
    new NoteError(
      'bad-key',
      `invalid signer key: ${why} (want PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>)`,
    );
  const [priv1, rest1] = chop(skey, '+');
  const [priv2, rest2] = chop(rest1, '+');
  const [name, rest3] = chop(rest2, '+');
  const [hash16, key64] = chop(rest3, '+');
  if (priv1 !== 'PRIVATE' || priv2 !== 'KEY') throw bad('it must start with PRIVATE+KEY+');
  if (!isValidNoteName(name)) throw bad('the name must be non-empty, without spaces or "+"');
  if (!/^[0-9a-fA-F]{8}$/.test(hash16)) throw bad('the key hash must be 8 hex digits');
  const key = decodeStrictBase64(key64);
  if (key === null || key.length === 0) throw bad('the key is not valid base64');
  if (key[0] !== algEd25519) throw bad(`unknown key algorithm ${key[0]}`);
  if (key.length !== 33) throw bad('an Ed25519 seed is 32 bytes');
  const privateKey = ed25519PrivateKey(key.subarray(1));
  const publicKey = Buffer.concat([Buffer.of(algEd25519), rawPublicKey(createPublicKey(privateKey))]);
  const hash = Number.parseInt(hash16, 16);
  if (hash !== keyHash(name, publicKey)) throw bad('the key hash does not match the name and key');
  return {
    name,
    hash,
    keyId: `${name}+${hex8(hash)}`,
    vkey: `${name}+${hex8(hash)}+${encodeBase64(publicKey)}`,
    privateKey,
  };
}

/** A fresh Ed25519 key pair for a note signer named `name` (fixtures and tests). */
export function generateSignerKey(name: string): { skey: string; vkey: string } {
  if (!isValidNoteName(name)) {
    throw new NoteError(
      'bad-key',
      `invalid signer name ${JSON.stringify(name)}: must be non-empty, without spaces or "+"`,
    );
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const pub = Buffer.concat([Buffer.of(algEd25519), rawPublicKey(publicKey)]);
  const hash = hex8(keyHash(name, pub));
  return {
    skey: `PRIVATE+KEY+${name}+${hash}+${encodeBase64(Buffer.concat([Buffer.of(algEd25519), seed]))}`,
    vkey: `${name}+${hash}+${encodeBase64(pub)}`,
  };
}

// Valid UTF-8 (checked when decoding) and no ASCII control characters except newline.
function checkNoteCharacters(msg: string, what: string): void {
  if (!msg.isWellFormed() || /[\x00-\x09\x0b-\x1f]/.test(msg)) {
    throw new NoteError('malformed', `malformed ${what}: it holds control characters or invalid UTF-8`);
  }
}

/** Signs `text` (which must end in a newline) and returns the signed note. */
export function signNote(text: string, skey: string | SignerKey): string {
  const signer = typeof skey === 'string' ? parseSignerKey(skey) : skey;
  if (!text.endsWith('\n'))
    throw new NoteError('malformed', 'malformed note text: it must end with a newline');
  checkNoteCharacters(text, 'note text');
  const signature = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  const hash = Buffer.alloc(4);
  hash.writeUInt32BE(signer.hash);
  return `${text}\n${signaturePrefix}${signer.name} ${encodeBase64(Buffer.concat([hash, signature]))}\n`;
}

function decodeNote(msg: string | Uint8Array): string {
  if (typeof msg === 'string') return msg;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(msg);
  } catch {
    throw new NoteError('malformed', 'malformed note: it is not valid UTF-8');
  }
}

/**
 * Checks that `msg` is a well-formed signed note carrying a valid signature by `verifierKey`
 * (signatures by other keys are ignored, as Go does) and returns its text.
 */
export function verifyNote(
  msg: string | Uint8Array,
  verifierKey: string | VerifierKey,
): { text: string; verifiedBy: string } {
  const key = typeof verifierKey === 'string' ? parseVerifierKey(verifierKey) : verifierKey;
  const note = decodeNote(msg);
  checkNoteCharacters(note, 'note');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed', 'malformed note: no blank line before a signature block');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) {
    throw new NoteError(
      'malformed',
      'malformed note: the signature block is empty or does not end with a newline',
    );
  }
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > maxSignatures) {
    throw new NoteError('malformed', `malformed note: more than ${maxSignatures} signature lines`);
  }
  const others: string[] = [];
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(signaturePrefix)) {
      throw new NoteError(
        'malformed',
        `malformed note: signature line ${JSON.stringify(line)} does not start with "— "`,
      );
    }
    const [name, b64] = chop(line.slice(signaturePrefix.length), ' ');
    const raw = decodeStrictBase64(b64);
    if (raw === null || !isValidNoteName(name) || raw.length < 5) {
      throw new NoteError('malformed', `malformed note: bad signature line ${JSON.stringify(line)}`);
    }
    const hash = Buffer.from(raw.buffer, raw.byteOffset, 4).readUInt32BE(0);
    if (name !== key.name || hash !== key.hash) {
      others.push(`${name}+${hex8(hash)}`);
      continue;
    }
    if (verified) continue; // a repeated signature by the same key, as Go tolerates
    const signature = raw.subarray(4);
    if (signature.length !== 64 || !verify(null, Buffer.from(text, 'utf8'), key.publicKey, signature)) {
      throw new NoteError(
        'bad-signature',
        `invalid signature by key ${key.keyId}: the note was altered or forged`,
      );
    }
    verified = true;
  }
  if (!verified) {
    const seen =
      others.length > 0 ? `it is signed only by ${[...new Set(others)].join(', ')}` : 'it has no signatures';
    throw new NoteError('unsigned', `note is not signed by key ${key.keyId}: ${seen}`);
  }
  return { text, verifiedBy: key.keyId };
}

import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/sumdb/note.ts
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify
} from "node:crypto";

// src/sumdb/strict-base64.ts
var base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function decodeStrictBase64(text) {
  if (!base64Pattern.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// src/sumdb/note.ts
var algEd25519 = 1;
var signaturePrefix = "\u2014 ";
var maxSignatures = 100;
var NoteError = class extends Error {
  name = "NoteError";
  kind;
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
};
function isValidNoteName(name) {
  return name !== "" && name.isWellFormed() && !/[\s\u0085+]/u.test(name);
}
function keyHash(name, key) {
  const digest = createHash("sha256").update(name, "utf8").update("\n").update(key).digest();
  return digest.readUInt32BE(0);
}
function hex8(hash) {
  return hash.toString(16).padStart(8, "0");
}
function chop(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + sep.length)];
}
function base64url(bytes) {
  return Buffer.from(bytes).toString("base64url");
}
function ed25519PublicKey(raw) {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: base64url(raw) }, format: "jwk" });
}
var pkcs8Ed25519Prefix = Buffer.from("302e020100300506032b657004220420", "hex");
var verifierKeyForm = "<name>+<8 hex digits>+<base64 key>";
function parseVerifierKey(vkey) {
  const bad = (why) => new NoteError(
    "bad-key",
    `invalid verifier key ${JSON.stringify(vkey)}: ${why} (want ${verifierKeyForm})`
  );
  const [name, rest] = chop(vkey, "+");
  const [hash16, key64] = chop(rest, "+");
  if (!isValidNoteName(name)) throw bad('the name must be non-empty, without spaces or "+"');
  if (!/^[0-9a-fA-F]{8}$/.test(hash16)) throw bad("the key hash must be 8 hex digits");
  const key = decodeStrictBase64(key64);
  if (key === null || key.length === 0) throw bad("the key is not valid base64");
  const hash = Number.parseInt(hash16, 16);
  if (hash !== keyHash(name, key))
    throw bad("the key hash does not match the name and key: the key is mistyped or altered");
  if (key[0] !== algEd25519) throw bad(`unknown key algorithm ${key[0]} (only 1, Ed25519, exists)`);
  if (key.length !== 33) throw bad(`an Ed25519 key is 32 bytes, this one is ${key.length - 1}`);
  return {
    name,
    hash,
    keyId: `${name}+${hex8(hash)}`,
    text: vkey,
    publicKey: ed25519PublicKey(key.subarray(1))
  };
}
function checkNoteCharacters(msg, what) {
  if (!msg.isWellFormed() || /[\x00-\x09\x0b-\x1f]/.test(msg)) {
    throw new NoteError("malformed", `malformed ${what}: it holds control characters or invalid UTF-8`);
  }
}
function decodeNote(msg) {
  if (typeof msg === "string") return msg;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(msg);
  } catch {
    throw new NoteError("malformed", "malformed note: it is not valid UTF-8");
  }
}
function verifyNote(msg, verifierKey) {
  const key = typeof verifierKey === "string" ? parseVerifierKey(verifierKey) : verifierKey;
  const note = decodeNote(msg);
  checkNoteCharacters(note, "note");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("malformed", "malformed note: no blank line before a signature block");
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === "" || !block.endsWith("\n")) {
    throw new NoteError(
      "malformed",
      "malformed note: the signature block is empty or does not end with a newline"
    );
  }
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > maxSignatures) {
    throw new NoteError("malformed", `malformed note: more than ${maxSignatures} signature lines`);
  }
  const others = [];
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(signaturePrefix)) {
      throw new NoteError(
        "malformed",
        `malformed note: signature line ${JSON.stringify(line)} does not start with "\u2014 "`
      );
    }
    const [name, b64] = chop(line.slice(signaturePrefix.length), " ");
    const raw = decodeStrictBase64(b64);
    if (raw === null || !isValidNoteName(name) || raw.length < 5) {
      throw new NoteError("malformed", `malformed note: bad signature line ${JSON.stringify(line)}`);
    }
    const hash = Buffer.from(raw.buffer, raw.byteOffset, 4).readUInt32BE(0);
    if (name !== key.name || hash !== key.hash) {
      others.push(`${name}+${hex8(hash)}`);
      continue;
    }
    if (verified) continue;
    const signature = raw.subarray(4);
    if (signature.length !== 64 || !verify(null, Buffer.from(text, "utf8"), key.publicKey, signature)) {
      throw new NoteError(
        "bad-signature",
        `invalid signature by key ${key.keyId}: the note was altered or forged`
      );
    }
    verified = true;
  }
  if (!verified) {
    const seen = others.length > 0 ? `it is signed only by ${[...new Set(others)].join(", ")}` : "it has no signatures";
    throw new NoteError("unsigned", `note is not signed by key ${key.keyId}: ${seen}`);
  }
  return { text, verifiedBy: key.keyId };
}

export {
  decodeStrictBase64,
  NoteError,
  parseVerifierKey,
  verifyNote
};

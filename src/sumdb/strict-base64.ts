// Standard base64 (with padding) decoded strictly: Buffer.from(s, 'base64') silently skips
// invalid characters, which would let a mangled key or signature decode to something else.

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes canonical standard base64, or returns null when `text` is not exactly that. */
export function decodeStrictBase64(text: string): Uint8Array | null {
  if (!base64Pattern.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  // Re-encoding catches non-zero padding bits, which give a second spelling of the same bytes.
  if (bytes.toString('base64') !== text) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

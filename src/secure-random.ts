// Secret random bytes (the proxy's admin token, its ready file's temp name) without loading
// node:crypto: serve needs them before it is ready, and node:crypto's first use costs about
// 10 ms of CPU (some twenty internal modules, then OpenSSL's start), a fifth of a bare Node
// HTTP server's whole start-up (bench/engine-startup.ts). They come from the kernel's random
// device, which OpenSSL itself seeds from; where there is none (Windows, a /dev without it),
// from node:crypto.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** `size` cryptographically secure random bytes. */
export function secureRandomBytes(size: number): Buffer {
  return (process.platform === 'win32' ? null : fromRandomDevice(size)) ?? cryptoRandomBytes(size);
}

function cryptoRandomBytes(size: number): Buffer {
  return process.getBuiltinModule('node:crypto').randomBytes(size);
}

/** From /dev/urandom, or null when it is missing or is not the kernel's device. */
function fromRandomDevice(size: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync('/dev/urandom', 'r');
  } catch {
    return null;
  }
  try {
    // A plain file planted in its place would hand out predictable tokens.
    if (!fstatSync(fd).isCharacterDevice()) return null;
    const bytes = Buffer.alloc(size);
    for (let filled = 0; filled < size; ) {
      const got = readSync(fd, bytes, filled, size - filled, null);
      if (got <= 0) return null;
      filled += got;
    }
    return bytes;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

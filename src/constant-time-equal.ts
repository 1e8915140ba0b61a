// Compares a secret (the client path, the admin token) in a time that does not depend on where
// the bytes first differ, without node:crypto: its timingSafeEqual would load node:crypto on
// the proxy's first request under a client token (about 10 ms of CPU and OpenSSL's pages, see
// secure-random.ts), while a store hit needs nothing else from it.

/** True when `a` and `b` hold the same bytes; the lengths are not secret. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// The go command verifies TLS against the operating system's certificate store; Node uses
// its own bundled list. A runner behind a TLS-inspecting gateway (its CA in the OS store)
// would then work for the go command and fail for the proxy. Trust both, as Go does.
// Loaded when first needed (the first upstream request), by require: an ES import of node:tls
// costs a warm proxy's start-up time and memory for nothing.
import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';

export function trustSystemCertificates(): void {
  const tls = createRequire(import.meta.url)('node:tls') as typeof Tls;
  if (typeof tls.setDefaultCACertificates !== 'function') return;
  try {
    const merged = new Set([...tls.getCACertificates('default'), ...tls.getCACertificates('system')]);
    tls.setDefaultCACertificates([...merged]);
  } catch {
    // No readable system store: Node's own list stays in force.
  }
}

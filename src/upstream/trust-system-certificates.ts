// The go command verifies TLS against the operating system's certificate store; Node uses
// its own bundled list. A runner behind a TLS-inspecting gateway (its CA in the OS store)
// would then work for the go command and fail for the proxy. Trust both, as Go does.
import tls from 'node:tls';

export function trustSystemCertificates(): void {
  if (typeof tls.setDefaultCACertificates !== 'function') return;
  try {
    const merged = new Set([...tls.getCACertificates('default'), ...tls.getCACertificates('system')]);
    tls.setDefaultCACertificates([...merged]);
  } catch {
    // No readable system store: Node's own list stays in force.
  }
}

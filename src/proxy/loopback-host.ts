// A proxy listening on a loopback address serves this machine only; but a web page in a
// browser on it (a job's browser tests) can rebind its own DNS name to 127.0.0.1 and reach the
// proxy, which would then read it the store (private modules included) and fetch with the
// job's credentials. Such a request carries the page's name as its Host: only loopback names
// and IP literals are answered (what the go command sends for GOPROXY=http://127.0.0.1:PORT).

/** True when `address` (what the server listens on) is a loopback address. */
export function isLoopbackAddress(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/** True for a Host header naming this machine by a loopback name or by an IP literal (or none). */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 clients; no browser sends a request without one
  const name = (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, ''))
    .toLowerCase()
    .replace(/\.$/, '');
  return (
    name === 'localhost' ||
    // Names a container runtime resolves to the host itself (Docker Desktop forwards them to
    // its loopback): never a name a web page controls.
    name === 'host.docker.internal' ||
    name === 'host.containers.internal' ||
    name.endsWith('.localhost') ||
    /^\d{1,3}(?:\.\d{1,3}){3}$/.test(name) ||
    /^\[[0-9a-f:.]+\]$/.test(name)
  );
}

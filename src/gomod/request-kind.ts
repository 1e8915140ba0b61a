// The kinds of request the GOPROXY protocol knows, defined once: the router, the upstream
// chain, the policy, the statistics and the audit log all speak of these.

/** `<module>/@v/list`, `@v/<v>.info` (a canonical version or a query), `.mod`, `.zip`, `@latest`. */
export type ModuleRequestKind = 'list' | 'info' | 'mod' | 'zip' | 'latest';

/** Every kind the proxy serves: the module kinds and the checksum-database pass-through. */
export type ProxyRequestKind = ModuleRequestKind | 'sumdb';

export const proxyRequestKinds: readonly ProxyRequestKind[] = [
  'list',
  'info',
  'mod',
  'zip',
  'latest',
  'sumdb',
];

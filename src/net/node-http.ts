// node:http loaded with require, not an ES import. Importing a built-in as an ES module builds
// its namespace from every export, and node:http's lazy `WebSocket`, `CloseEvent` and
// `MessageEvent` getters then load Node's internal fetch/WebSocket stack, which a module proxy
// never uses (measured on Node 24: about 5 MiB more RSS and tens of milliseconds more start-up
// than require('node:http') alongside the proxy's other built-ins).
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const { createServer, request: httpRequest } = require('node:http') as typeof Http;

/** node:https on first use: it loads node:tls, which a proxy serving plain http never needs. */
export function loadHttpsRequest(): typeof Https.request {
  return (require('node:https') as typeof Https).request;
}

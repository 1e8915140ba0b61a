// node:http loaded with require, not an ES import. Importing a built-in as an ES module builds
// its namespace from every export, and node:http's lazy `WebSocket`, `CloseEvent` and
// `MessageEvent` getters then load Node's internal fetch/WebSocket stack, which a module proxy
// never uses (measured on Node 24: about 5 MiB more RSS and tens of milliseconds more start-up
// than require('node:http') alongside the proxy's other built-ins).
import type * as Http from 'node:http';
import { createRequire } from 'node:module';

export const { createServer } = createRequire(import.meta.url)('node:http') as typeof Http;

// Turns off V8's Maglev compiler in a running serve, once it is ready. Maglev (the mid tier;
// hot code still reaches TurboFan) compiles on V8's worker threads, and their malloc arenas
// stayed resident: about 8 MiB of a warm proxy's peak RSS while serving a graph
// (bench/engine-startup.ts, bench/README.md stop 19), with no measurable gain in requests per
// second. Not as a node flag: any V8 flag other than the defaults changes the hash V8 checks
// code caches against, so Node's built-ins and serve's compile cache were compiled afresh at
// every start (about 15-20 ms more CPU before ready).

import type * as Module from 'node:module';
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';

export function stopMaglev(): void {
  const require = createRequire(import.meta.url);
  // What was compiled so far is written to the compile cache first, under the start's flags:
  // code cached after the change would not match the next start's.
  (require('node:module') as typeof Module).flushCompileCache();
  (require('node:v8') as typeof V8).setFlagsFromString('--no-maglev');
}
